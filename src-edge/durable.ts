import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// The runner's files on a Pi's SD card, which loses power without warning: each file is written
// whole (a temporary name, fsync, rename, fsync of the folder) and a file that cannot be read
// anyway (cut short, emptied, garbled) is moved to data/corrupt/ instead of stopping every run.

/** fsync a folder so a rename in it survives a power cut (not every platform allows it). */
function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder; the rename is then as durable as the platform makes it.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Writes a file whole or not at all, and durably: temporary name, fsync, rename, fsync of the folder. */
export function writeDurable(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const partial = `${path}.partial-${process.pid}-${randomBytes(3).toString('hex')}`;
  const fd = openSync(partial, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  syncFolder(dir);
}

/** Moves a file durably (both folders synced). */
export function moveDurable(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  renameSync(from, to);
  syncFolder(dirname(to));
  syncFolder(dirname(from));
}

/** What was moved to corrupt/ and why, for health.json. */
export interface Quarantined {
  file: string;
  movedTo: string;
  reason: string;
}

/**
 * Reads a JSON file the runner wrote; `check` says whether its shape is right. An unreadable file
 * is moved to `corruptDir` (with the time in its name, so two never collide) and null returned.
 * Null too when the file does not exist.
 */
export function readJsonOrQuarantine<T>(
  path: string,
  corruptDir: string,
  check: (value: unknown) => value is T,
  quarantined: Quarantined[],
): T | null {
  if (!existsSync(path)) return null;
  let reason: string;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (check(value)) return value;
    reason = 'not the shape the runner writes';
  } catch (error) {
    reason = error instanceof SyntaxError ? 'not valid JSON (cut short or garbled)' : (error as Error).message;
  }
  const movedTo = join(corruptDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${basename(path)}`);
  moveDurable(path, movedTo);
  quarantined.push({ file: path, movedTo, reason });
  return null;
}
