import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileKind, FilePreview } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import {
  detectHistorianLayout,
  type HistorianLayout,
  headLines,
  sniffDelimiter,
  splitLines,
} from '../../src-shared/historian/layout';
import { excerptList } from '../../src-shared/text/excerpt';
import { dbfIsNarrow } from './sources/dbf';
import { openDbfLog } from './sources/dbfFile';

// What kind of file is this? Decided from its head (and a few rows), before anything is read into
// the database, so the UI can show a preview and the importer can refuse early.

export type { FileKind };

/** What detection finds: the preview the UI shows, plus where the file is on this side. */
export type DetectedFile = Omit<FilePreview, 'file' | 'suggestedMapping'> & {
  path: string;
  /** CSV historian exports and wide files: the layout their head shows. */
  layout?: HistorianLayout;
};

const HEAD_BYTES = 64 * 1024;
/** dBase file versions: III, III with memo, IV with memo, FoxPro, Visual FoxPro. */
const DBASE_VERSIONS = new Set([0x03, 0x83, 0x8b, 0x30, 0x31, 0xf5, 0x04, 0x8c]);

const has = (columns: string[], ...names: string[]) =>
  names.every((n) => columns.some((c) => c.toLowerCase() === n.toLowerCase()));

/** The column of `columns` whose name matches `name` case-insensitively (files vary in case). */
export function findColumn(columns: string[], name: string): string | undefined {
  return columns.find((c) => c.toLowerCase() === name.toLowerCase());
}

/** Reads the first bytes of a file, refusing a missing or empty one. */
async function readHead(path: string): Promise<{ head: Buffer; size: number }> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new ApiError('bad_input', `${basename(path)}: no such file`);
  if (info.size === 0) throw new ApiError('bad_input', `${basename(path)}: the file is empty`);
  const handle = await open(path, 'r');
  const head = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  return { head, size: info.size };
}

/** A dBase file: by its name, or by a header whose version byte and date fields are dBase's. */
function isDbase(path: string, head: Buffer): boolean {
  if (/\.(dbf|dat)$/i.test(path)) return true;
  return head.length >= 32 && DBASE_VERSIONS.has(head[0]) && head[2] >= 1 && head[2] <= 12 && head.includes(0x0d, 32);
}

async function detectDbf(path: string, name: string, bytes: number): Promise<DetectedFile> {
  const { dbf } = await openDbfLog(path, name);
  const columns = dbf.fields.map((f) => f.name);
  const rows = (await dbf.readRecords(10)) as Array<Record<string, unknown>>;
  const cell = (v: unknown) =>
    v instanceof Date ? v.toISOString().slice(0, 10) : v === null || v === undefined ? '' : String(v);
  const preview = rows.map((r) => columns.map((c) => cell(r[c])));
  const base = { path, name, bytes, delimiter: '', columns, preview };
  if (has(columns, 'Tagname', 'TTagIndex')) return { ...base, kind: 'tag-table' };
  return { ...base, kind: 'historian', sourceLayout: dbfIsNarrow(dbf) ? 'rsview-dbf' : 'rsview-wide-dbf' };
}

export async function detectFile(path: string): Promise<DetectedFile> {
  const name = basename(path);
  const { head, size } = await readHead(path);
  if (isDbase(path, head)) return detectDbf(path, name, size);
  const nul = head.indexOf(0);
  if (nul >= 0) throw new ApiError('bad_input', `${name}: not a text CSV (binary data at byte ${nul})`);
  const text = head.toString('utf8');
  if (
    /\.json$/i.test(path) ||
    text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('{')
  ) {
    return { path, name, bytes: size, kind: 'station-json', delimiter: '', columns: [], preview: [] };
  }
  const truncated = size > head.length;
  const lines = headLines(text, truncated);
  if (lines.length < 2) throw new ApiError('bad_input', `${name}: line 2: no data rows after the header`);
  const delimiter = sniffDelimiter(lines);
  const [columns, ...rows] = splitLines(lines, delimiter);
  const base = { path, name, bytes: size, delimiter, columns, preview: rows.slice(0, 10) };
  if (has(columns, 'TagName', 'TTagIndex')) return { ...base, kind: 'tag-table' };
  if (has(columns, 'well_id', 'baseline_flow_gpm')) return { ...base, kind: 'baselines' };
  if (has(columns, 'pump', 'date', 'kind')) return { ...base, kind: 'maintenance' };
  const detected = detectHistorianLayout(text, truncated);
  if ('layout' in detected) {
    const layout = detected.layout;
    const dateOrder = layout.timeFormat === null ? 'ambiguous' : layout.timeFormat.order;
    if (layout.kind === 'narrow')
      return { ...base, kind: 'historian', layout, sourceLayout: layout.variant, dateOrder };
    const time = layout.time;
    return {
      ...base,
      kind: 'wide',
      layout,
      sourceLayout: 'wide',
      dateOrder,
      timeColumn: 'timestamp' in time ? time.timestamp : time.date,
      preview: rows.slice(layout.headerLines - 1, layout.headerLines + 9),
      units: Object.fromEntries(layout.signals.filter((s) => s.unit).map((s) => [s.name, s.unit as string])),
    };
  }
  throw new ApiError(
    'bad_input',
    `${name}: line 1: unknown layout (columns ${excerptList(columns)}): ${detected.problem}; expected a historian ` +
      'export (Timestamp,Marker,TagIndex,Value or Date,Time,TagIndex,Value,...; or a time column and signals), ' +
      'a tag table, pump baselines or a maintenance log',
  );
}
