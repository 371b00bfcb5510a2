import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { readMeta, writeMeta } from '../db/schema';
import type { StationDb } from '../db/stationDb';
import { retrainAfterImport } from '../forecast/forecast';
import { type HistorianImportOptions, type HistorianImportSummary, importHistorian } from './historianImport';

// Historian PCs drop a file a day (or keep appending one) into a folder: the watch imports each new
// or grown file once, oldest first, and goes on when one fails (it is reported, and tried again
// only once it changes). What was imported is remembered in the project, so a restart does not
// import anything twice; a file is imported once its size has held still for one poll, so a file
// still being copied is not read half-written.

export interface WatchSettings {
  dir: string;
  tagTable?: string;
  dateOrder?: 'mdy' | 'dmy';
}

interface Seen {
  size: number;
  mtimeMs: number;
  /** The size last imported (or last failed at), so a grown file is imported again. */
  importedSize: number | null;
  error: string | null;
  at: string;
}

const STATE_KEY = 'watch_files';
const SETTINGS_KEY = 'watch';
/** Files a historian folder holds that are not logs to import. */
const NOT_A_LOG = /\((tagname|string)\)|^tags?\b|tag ?names?|^station\.json$|^\.|\.partial/i;
const LOG_FILE = /\.(csv|txt|tsv|dbf|dat)$/i;

export async function watchSettings(db: StationDb): Promise<WatchSettings | null> {
  return (await readMeta<WatchSettings>(db, SETTINGS_KEY)) ?? null;
}

export async function saveWatchSettings(db: StationDb, settings: WatchSettings | null): Promise<void> {
  await writeMeta(db, SETTINGS_KEY, settings);
}

export interface WatchPass {
  imported: Array<{ file: string; summary: HistorianImportSummary }>;
  failed: Array<{ file: string; error: string }>;
  /** Files seen growing this pass: imported on a later one. */
  waiting: string[];
  /** The forecast retrained after this pass's imports (a week of new data), in a line. */
  retrain?: string | null;
}

/**
 * One look at the folder: imports every log that is new or grew since it was imported, oldest
 * first. `settle`: only files whose size held still since the previous pass (a watch loop); a
 * single pass (`--once`) imports what is there.
 */
export async function watchPass(
  db: StationDb,
  settings: WatchSettings,
  options: { settle: boolean; now?: () => number; import?: Omit<HistorianImportOptions, 'tagTable' | 'dateOrder'> },
): Promise<WatchPass> {
  const names = await readdir(settings.dir).catch(() => {
    throw new ApiError('bad_input', `${settings.dir}: no such folder`);
  });
  const seen = (await readMeta<Record<string, Seen>>(db, STATE_KEY)) ?? {};
  const files: Array<{ name: string; path: string; size: number; mtimeMs: number }> = [];
  for (const name of names) {
    if (!LOG_FILE.test(name) || NOT_A_LOG.test(name)) continue;
    const path = join(settings.dir, name);
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) files.push({ name, path, size: info.size, mtimeMs: info.mtimeMs });
  }
  files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
  const pass: WatchPass = { imported: [], failed: [], waiting: [] };
  const at = () => new Date(options.now?.() ?? Date.now()).toISOString();
  for (const file of files) {
    const before = seen[file.path];
    if (before && before.importedSize === file.size) continue;
    const settled = before && before.size === file.size && before.mtimeMs === file.mtimeMs;
    if (options.settle && !settled) {
      seen[file.path] = {
        size: file.size,
        mtimeMs: file.mtimeMs,
        importedSize: before?.importedSize ?? null,
        error: null,
        at: at(),
      };
      pass.waiting.push(file.name);
      continue;
    }
    try {
      const summary = await importHistorian(db, file.path, {
        ...options.import,
        tagTable: settings.tagTable,
        dateOrder: settings.dateOrder,
      });
      seen[file.path] = { size: file.size, mtimeMs: file.mtimeMs, importedSize: file.size, error: null, at: at() };
      pass.imported.push({ file: file.name, summary });
    } catch (error) {
      if (options.import?.signal?.aborted) throw error;
      const message = error instanceof ApiError ? error.message : 'internal error (details in the log)';
      seen[file.path] = { size: file.size, mtimeMs: file.mtimeMs, importedSize: file.size, error: message, at: at() };
      pass.failed.push({ file: file.name, error: message });
    }
    await writeMeta(db, STATE_KEY, seen);
  }
  await writeMeta(db, STATE_KEY, seen);
  if (pass.imported.length) pass.retrain = await retrainAfterImport(db);
  return pass;
}

/** Watches until `signal` aborts: a pass every `everyMs`, each import reported to `onPass`. */
export async function watchFolder(
  db: StationDb,
  settings: WatchSettings,
  options: {
    everyMs: number;
    signal: AbortSignal;
    onPass: (pass: WatchPass) => void;
    onError?: (error: unknown) => void;
  },
): Promise<void> {
  while (!options.signal.aborted) {
    try {
      const pass = await watchPass(db, settings, { settle: true, import: { signal: options.signal } });
      if (pass.imported.length || pass.failed.length) options.onPass(pass);
    } catch (error) {
      if (options.signal.aborted) return;
      options.onError?.(error);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.everyMs);
      const stop = () => {
        clearTimeout(timer);
        resolve();
      };
      options.signal.addEventListener('abort', stop, { once: true });
    });
  }
}
