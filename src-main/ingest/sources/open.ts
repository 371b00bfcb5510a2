import { ApiError } from '../../../src-shared/api/errors';
import type { HistorianLayout } from '../../../src-shared/historian/layout';
import { excerpt } from '../../../src-shared/text/excerpt';
import type { DateOrder, TimeFormat } from '../../../src-shared/timeFormat';
import type { StationDb } from '../../db/stationDb';
import { type DetectedFile, detectFile } from '../detect';
import { defaultTagMap, readTagTable, tagTableBeside } from '../tagTable';
import { dbfSource } from './dbf';
import { openDbfLog } from './dbfFile';
import { narrowCsvSource, readCsvSql } from './narrowCsv';
import { rejectsTables } from './rejects';
import type { HistorianSource } from './source';
import { wideCsvSource } from './wideCsv';

// From a file to the source that reads it: its shape detected from the head, its tag table (given,
// or the one found beside the log), its day/month order (from the head, else the whole file, else
// the operator's choice).

export interface OpenOptions {
  tagTable?: string;
  dateOrder?: 'mdy' | 'dmy';
}

/** The time text of a CSV layout's columns (positional c0.. as readCsvSql names them). */
function timeText(layout: HistorianLayout): string {
  const at = (name: string) => `c${layout.columns.indexOf(name)}`;
  return 'timestamp' in layout.time
    ? `trim(${at(layout.time.timestamp)})`
    : `trim(${at(layout.time.date)}) || ' ' || trim(${at(layout.time.time)})`;
}

/** When the head leaves D/M vs M/D open, the whole time column may still decide it. */
async function dateOrderOfWholeFile(db: StationDb, path: string, layout: HistorianLayout): Promise<DateOrder | null> {
  const rejects = rejectsTables();
  const types = layout.columns.map(() => 'VARCHAR');
  const first = `TRY_CAST(regexp_extract(${timeText(layout)}, '^(\\d{1,2})[/.-]', 1) AS INTEGER)`;
  const second = `TRY_CAST(regexp_extract(${timeText(layout)}, '^\\d{1,2}[/.-](\\d{1,2})', 1) AS INTEGER)`;
  const row = await db.one<{ a: number | null; b: number | null }>(
    `SELECT max(${first}) AS a, max(${second}) AS b FROM ${readCsvSql(path, layout, types, rejects.options)}`,
  );
  await db.run(`DROP TABLE IF EXISTS ${rejects.table}`);
  await db.run(`DROP TABLE IF EXISTS ${rejects.scan}`);
  if ((row?.a ?? 0) > 12) return 'dmy';
  if ((row?.b ?? 0) > 12) return 'mdy';
  return null;
}

/** The time format to read with: the head's, the operator's, or the whole file's. */
async function timeFormatOf(
  db: StationDb,
  file: DetectedFile,
  layout: HistorianLayout,
  options: OpenOptions,
): Promise<TimeFormat> {
  if (layout.timeFormat && !(options.dateOrder && layout.timeFormat.order !== 'ymd')) return layout.timeFormat;
  if (options.dateOrder) return { kind: 'text', order: options.dateOrder, zone: layout.timeFormat?.zone };
  const order = await dateOrderOfWholeFile(db, file.path, layout);
  if (order) return { kind: 'text', order };
  throw new ApiError(
    'bad_input',
    `${file.name}: every date (e.g. ${excerpt(layout.timeQuestion?.example ?? '')}) could be month/day or day/month: choose the date order`,
    { needsChoice: 'dateOrder', options: ['mdy', 'dmy'] },
  );
}

/** A value of the time column(s) as written (from the head), for the SQL's date separator. */
function timeSample(file: DetectedFile, layout: HistorianLayout): string {
  const row = file.preview.find((r) => r.length === layout.columns.length) ?? file.preview[0] ?? [];
  const cell = (name: string) => row[layout.columns.indexOf(name)] ?? '';
  return 'timestamp' in layout.time
    ? cell(layout.time.timestamp)
    : `${cell(layout.time.date)} ${cell(layout.time.time)}`;
}

/** The historian source for `path`, ready to read; every shape problem is refused here, before any read. */
export async function openHistorianSource(
  db: StationDb,
  path: string,
  options: OpenOptions = {},
): Promise<HistorianSource> {
  const file = await detectFile(path);
  const base = { path, name: file.name, bytes: file.bytes };
  const besideTable = async () => {
    if (options.tagTable) return { path: options.tagTable, found: false };
    const found = await tagTableBeside(path);
    return found ? { path: found, found: true } : null;
  };
  if (file.sourceLayout === 'rsview-dbf' || file.sourceLayout === 'rsview-wide-dbf') {
    const log = await openDbfLog(path, file.name);
    const table = await besideTable();
    const tagMap = table ? await readTagTable(db, table.path) : null;
    return dbfSource(base, log, tagMap, table, defaultTagMap());
  }
  const layout = file.layout;
  if ((file.kind !== 'historian' && file.kind !== 'wide') || !layout) {
    const what = {
      'tag-table': 'a tag table',
      baselines: 'pump baselines',
      maintenance: 'a maintenance log',
      'station-json': 'a station file',
    }[file.kind as 'tag-table'];
    throw new ApiError(
      'bad_input',
      `${file.name}: this is ${what ?? 'not a historian export'}, not a historian export`,
    );
  }
  const format = await timeFormatOf(db, file, layout, options);
  const sample = timeSample(file, layout);
  if (layout.kind === 'wide') return wideCsvSource({ ...base, layout, format, sample });
  // The seed layout numbers tags in the seed's order; an RSView32 export names them in a tag table.
  const table =
    layout.variant === 'rsview'
      ? await besideTable()
      : options.tagTable
        ? { path: options.tagTable, found: false }
        : null;
  const tagMap = table ? await readTagTable(db, table.path) : defaultTagMap();
  return narrowCsvSource({ ...base, layout, format, sample }, tagMap, table);
}
