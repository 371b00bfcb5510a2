import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json';
import { REPO, tempDir } from './helpers';

// The Electron zip cannot be downloaded here, so the packaging configuration is checked by
// packaging against a stand-in Electron folder: what lands in the app is what an installer ships.
describe('electron-builder configuration', () => {
  it("packs the built app, unpacks DuckDB's native binding and ships the resources", () => {
    const dir = tempDir();
    const dist = join(dir, 'electron');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\n');
    chmodSync(join(dist, 'electron'), 0o755);
    const out = join(dir, 'out');
    const result = spawnSync(
      'npx',
      [
        'electron-builder',
        '--linux',
        '--dir',
        '-c',
        'build/electron-builder.yml',
        `-c.electronDist=${dist}`,
        `-c.directories.output=${out}`,
        `-c.electronVersion=${pkg.devDependencies.electron}`,
      ],
      { cwd: REPO, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
    );
    expect(result.status, result.stderr + result.stdout).toBe(0);
    const resources = join(out, 'linux-unpacked', 'resources');
    const files = listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    expect(files).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/out/main/index.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/out/worker/train.mjs',
        '/out/worker/alerts.mjs',
        '/out/worker/solve.mjs',
        '/out/edge/runner.mjs',
      ]),
    );
    expect(files.some((f) => f.startsWith('/src-'))).toBe(false);
    expect(pkg.main).toBe('out/main/index.js');
    const binding = join(
      resources,
      'app.asar.unpacked',
      'node_modules',
      '@duckdb',
      'node-bindings-linux-x64',
      'duckdb.node',
    );
    expect(existsSync(binding)).toBe(true);
    expect(existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'highs', 'build', 'highs.wasm'))).toBe(true);
    // Report charts: resvg's native binding and the fonts it reads natively sit outside the archive.
    expect(existsSync(join(resources, 'app.asar.unpacked', 'node_modules', '@resvg', 'resvg-js-linux-x64-gnu'))).toBe(
      true,
    );
    expect(
      existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'dejavu-fonts-ttf', 'ttf', 'DejaVuSans.ttf')),
    ).toBe(true);
    expect(existsSync(join(resources, 'resources', 'README.md'))).toBe(true);
  }, 180_000); // electron-builder packs the whole app: tens of seconds beside the other suites
});
