import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers';

// The house rules of style.md, as a test: where code runs decides what it may import.

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(REPO, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  return [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3]);
}

const NODE_BUILTINS =
  /^(node:|fs$|fs\/|path$|os$|child_process$|crypto$|http$|https$|net$|url$|util$|stream$|worker_threads$|zlib$)/;

describe('module boundaries', () => {
  it('src-shared imports nothing from Node, the DOM, Electron, React or the other roots', () => {
    const offenders = sourceFiles('src-shared').flatMap((file) =>
      imports(file)
        .filter(
          (spec) =>
            NODE_BUILTINS.test(spec) ||
            /^(electron|react|react-dom|@duckdb|ws)(\/|$)/.test(spec) ||
            /src-(main|renderer|edge)/.test(spec),
        )
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('src-shared does not touch DOM or Node globals', () => {
    const offenders = sourceFiles('src-shared').filter((file) => {
      const code = readFileSync(join(REPO, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      return /\b(window|document|process|require|Buffer|__dirname)\s*[.(]/.test(code);
    });
    expect(offenders).toEqual([]);
  });

  it('only src-main/electron imports electron', () => {
    const roots = ['src-shared', 'src-main', 'src-renderer', 'src-edge'];
    const offenders = roots
      .flatMap(sourceFiles)
      .filter((file) => !file.startsWith('src-main/electron/'))
      .filter((file) => imports(file).some((spec) => spec === 'electron' || spec.startsWith('electron/')));
    expect(offenders).toEqual([]);
  });

  it('the renderer reaches the main side only through the typed client', () => {
    const offenders = sourceFiles('src-renderer').flatMap((file) =>
      imports(file)
        .filter(
          (spec) =>
            NODE_BUILTINS.test(spec) || /^(electron|@duckdb|ws)(\/|$)/.test(spec) || /src-(main|edge)/.test(spec),
        )
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no test is skipped or focused', () => {
    const roots = ['src-shared', 'src-main', 'src-edge', 'test', 'e2e'];
    const offenders = roots
      .flatMap(sourceFiles)
      .filter((file) => /\b(it|test|describe)\.(skip|only)\(/.test(readFileSync(join(REPO, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
