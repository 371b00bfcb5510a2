import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { excerptList } from '../../src-shared/text/excerpt';

// What kind of file is this? Decided from its header (and a few rows), before anything is read
// into the database, so the UI can show a preview and the importer can refuse early.

import type { FileKind, FilePreview } from '../../src-shared/api/contract';

export type { FileKind };
export type DateOrder = 'ymd' | 'mdy' | 'dmy';

/** What detection finds: the preview the UI shows, plus where the file is on this side. */
export type DetectedFile = Omit<FilePreview, 'file' | 'suggestedMapping'> & { path: string };

const HEAD_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t'];

export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) fields.push(field), (field = '');
    else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

const has = (columns: string[], ...names: string[]) =>
  names.every((n) => columns.some((c) => c.toLowerCase() === n.toLowerCase()));

/** The column of `columns` whose name matches `name` case-insensitively (files vary in case). */
export function findColumn(columns: string[], name: string): string | undefined {
  return columns.find((c) => c.toLowerCase() === name.toLowerCase());
}

const TIME_COLUMN = /^(timestamp|datetime|date ?time|time|date)$/i;

/** Day/month order of slash or dot dates in a sample: a first field over 12 means D/M, a second one M/D. */
export function dateOrderOf(dates: string[]): DateOrder | 'ambiguous' {
  const sample = dates.filter(Boolean);
  if (sample.length === 0) return 'ambiguous';
  if (sample.every((d) => /^\d{4}-\d{1,2}-\d{1,2}$/.test(d))) return 'ymd';
  if (sample.every((d) => /^\d{1,2}\.\d{1,2}\.\d{4}$/.test(d))) return 'dmy'; // dotted dates are day-first everywhere
  const parts = sample
    .map((d) => /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(d))
    .filter((m): m is RegExpExecArray => m !== null);
  if (parts.length !== sample.length) return 'ambiguous';
  if (parts.some((m) => Number(m[1]) > 12)) return 'dmy';
  if (parts.some((m) => Number(m[2]) > 12)) return 'mdy';
  return 'ambiguous';
}

export async function detectFile(path: string): Promise<DetectedFile> {
  const name = basename(path);
  const info = await stat(path).catch(() => null);
  if (!info || !info.isFile()) throw new ApiError('bad_input', `${path}: no such file`);
  if (info.size === 0) throw new ApiError('bad_input', `${name}: the file is empty`);
  const handle = await open(path, 'r');
  const head = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const nul = head.indexOf(0);
  if (nul >= 0) throw new ApiError('bad_input', `${name}: not a text CSV (binary data at byte ${nul})`);
  const text = head.toString('utf8').replace(/^\uFEFF/, '');

  if (/\.json$/i.test(path) || text.trimStart().startsWith('{')) {
    return { path, name, bytes: info.size, kind: 'station-json', delimiter: '', columns: [], preview: [] };
  }
  const lines = text.split(/\r?\n/);
  if (info.size > head.length) lines.pop(); // the last line of the head may be cut
  const headerLine = lines[0] ?? '';
  const delimiter = DELIMITERS.map((d) => [d, headerLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const columns = splitCsvLine(headerLine, delimiter);
  const rows = lines
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => splitCsvLine(l, delimiter));
  if (rows.length === 0) throw new ApiError('bad_input', `${name}: line 2: no data rows after the header`);
  const base = { path, name, bytes: info.size, delimiter, columns, preview: rows.slice(0, 10) };

  if (has(columns, 'Timestamp', 'Marker', 'TagIndex', 'Value')) return { ...base, kind: 'historian-seed' };
  if (has(columns, 'Date', 'Time', 'TagIndex', 'Value')) {
    const dateIndex = columns.findIndex((c) => c.toLowerCase() === 'date');
    return { ...base, kind: 'historian-factorytalk', dateOrder: dateOrderOf(rows.map((r) => r[dateIndex] ?? '')) };
  }
  if (has(columns, 'TagName', 'TTagIndex')) return { ...base, kind: 'tag-table' };
  if (has(columns, 'well_id', 'baseline_flow_gpm')) return { ...base, kind: 'baselines' };
  if (has(columns, 'pump', 'date', 'kind')) return { ...base, kind: 'maintenance' };
  const timeColumn = columns.find((c) => TIME_COLUMN.test(c));
  if (timeColumn && columns.length >= 2) return { ...base, kind: 'wide', timeColumn };
  throw new ApiError(
    'bad_input',
    `${name}: line 1: unknown layout (columns ${excerptList(columns)}); expected a historian export ` +
      '(Timestamp,Marker,TagIndex,Value or Date,Time,TagIndex,Value,...), a tag table, pump baselines or a wide CSV ' +
      'with a time column',
  );
}
