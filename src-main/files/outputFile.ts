import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';

// Every file a command writes for the user (a report, an artifact, a CSV, a key) goes through
// here (issue 35): nothing it writes can destroy a file. An existing file is replaced only when
// the user says so (--force), a database never, force or not (the open project, its WAL, any
// DuckDB file); the folder must exist (a typo is not a folder to create, as root, anywhere);
// special files (/proc, devices, pipes) are refused; the bytes go to a temp file beside the target, renamed into place
// once complete, so a failed or cancelled write leaves the old file or nothing.

export interface OutputOptions {
  /** Replace an existing regular file (never a database). */
  force?: boolean;
  /** Files never written, force or not: the open project's database, the files the command reads. */
  protect?: readonly string[];
  /** The new file's mode (a key: 0o600). */
  mode?: number;
}

const SPECIAL_ROOTS = ['/proc/', '/sys/', '/dev/'];

const refuse = (path: string, why: string) => new ApiError('bad_input', `${path}: ${why}`);

/** A DuckDB database file: "DUCK" at byte 8 of its header. */
async function isDatabase(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(12);
    await handle.read(head, 0, 12, 0);
    return head.subarray(8, 12).toString('latin1') === 'DUCK';
  } finally {
    await handle.close();
  }
}

/** Real paths of the protected files and their write-ahead logs. */
async function protectedPaths(protect: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const p of protect) {
    const real = await realpath(p).catch(() => resolve(p));
    out.add(real);
    out.add(`${real}.wal`);
  }
  return out;
}

/** The folder `target` goes in must exist and be a folder. */
async function checkFolder(target: string): Promise<void> {
  const folder = dirname(target);
  const found = await stat(folder).catch(() => null);
  if (!found) throw refuse(target, `the folder ${folder} does not exist: create it first`);
  if (!found.isDirectory()) throw refuse(target, `${folder} is a file, not a folder`);
}

/** A temp name beside `target`. */
function partialBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
}

/**
 * Checks that `path` may be written as an output, before any work is done for it; returns its
 * absolute path. Refusals name the path and the reason (ApiError bad_input).
 */
export async function checkOutput(path: string, options: OutputOptions = {}): Promise<string> {
  const target = resolve(path);
  if (SPECIAL_ROOTS.some((root) => `${target}/`.startsWith(root)))
    throw refuse(target, 'a system folder, not a place for a file');
  await checkFolder(target);
  const existing = await stat(target).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : error));
  if (existing instanceof Error) throw refuse(target, 'cannot be checked (no permission?)');
  const real = await realpath(target).catch(() => target);
  const guarded = await protectedPaths(options.protect ?? []);
  if (guarded.has(real) || guarded.has(target))
    throw refuse(target, 'is the project or a file this command reads: PumpDeck never writes over it');
  if (!existing) return target;
  if (!existing.isFile()) throw refuse(target, 'exists and is not a regular file (a folder, device or pipe)');
  if (real.endsWith('.wal') || (await isDatabase(real)))
    throw refuse(target, 'is a database: PumpDeck never writes over one, choose another name');
  if (!options.force) throw refuse(target, 'already exists: add --force to replace it');
  return target;
}

/**
 * Writes an output: checks it, lets `write` fill a temp file beside it, checks again (the target
 * may have appeared meanwhile) and renames the temp file into place. The temp file is removed on
 * any failure. Returns the absolute path.
 */
export async function writeOutput(
  path: string,
  write: (partial: string) => Promise<void>,
  options: OutputOptions = {},
): Promise<string> {
  const target = await checkOutput(path, options);
  const partial = partialBeside(target);
  // Created exclusively: a file (or a link) already there under that name is never written through.
  const handle = await open(partial, 'wx', options.mode ?? 0o644);
  await handle.close();
  try {
    await write(partial);
    await checkOutput(target, options);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return target;
}

/** Writes `data` as an output (see writeOutput). */
export async function writeOutputData(
  path: string,
  data: string | Uint8Array,
  options: OutputOptions = {},
): Promise<string> {
  return writeOutput(path, (partial) => writeFile(partial, data), options);
}

/** Checks that a folder of outputs (a Markdown report's charts) may be written: as a file, an existing folder replaced only with force. */
export async function checkOutputFolder(path: string, options: OutputOptions = {}): Promise<string> {
  const target = resolve(path);
  if (SPECIAL_ROOTS.some((root) => `${target}/`.startsWith(root)))
    throw refuse(target, 'a system folder, not a place for a file');
  await checkFolder(target);
  const existing = await stat(target).catch(() => null);
  if (existing && !existing.isDirectory()) throw refuse(target, 'exists and is not a folder');
  if (existing && !options.force) throw refuse(target, 'already exists: add --force to replace it');
  return target;
}

/** Writes a folder of outputs: filled beside it under a temp name and renamed into place. */
export async function writeOutputFolder(
  path: string,
  fill: (partial: string) => Promise<void>,
  options: OutputOptions = {},
): Promise<string> {
  const target = await checkOutputFolder(path, options);
  const partial = partialBeside(target);
  await mkdir(partial);
  try {
    await fill(partial);
    await checkOutputFolder(target, options);
    await rm(target, { recursive: true, force: true });
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return target;
}
