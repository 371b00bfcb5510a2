import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'pumpdeck-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const REPO = join(import.meta.dirname, '..');

/** The real CLI as a user runs it (bin/pumpdeck after npm run build). */
export function pumpdeck(...args: string[]) {
  const result = spawnSync(join(REPO, 'bin/pumpdeck'), args, {
    encoding: 'utf8',
    env: { ...process.env, PUMPDECK_HOME: tempDir() },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/**
 * The public datasets beside the repository (../shared/datasets: SKAB, NAB). A clone on its own has
 * none: the tests that read them skip, and say so once.
 */
export const SHARED_DATASETS = join(REPO, '../shared/datasets');
export const hasSharedDatasets = existsSync(SHARED_DATASETS);
if (!hasSharedDatasets)
  console.warn(`note: ${SHARED_DATASETS} is absent: the tests that read the SKAB test-bed data are skipped`);
