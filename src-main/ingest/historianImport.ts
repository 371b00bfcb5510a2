import type { HistorianImportSummary, Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import type { StationConfig } from '../../src-shared/station';
import { formatTimestamp } from '../../src-shared/time';
import { AlertsOffThread, ENGINE_TAGS } from '../alerts/alertsInWorker';
import { alertStartBeforeReading } from '../alerts/alertsLog';
import { collectGarbage, float64Column, int32Column, isValid, validityMask } from '../db/columnar';
import { ensureSchema, rawTagColumns, STATION_TABLES } from '../db/schema';
import { ident, literal, type StationDb } from '../db/stationDb';
import { applyMinutes } from './applyMinutes';
import { DERIVED_LOOKBACK_MINUTES } from './derivedColumns';
import { type DateOrder, type DetectedFile, detectFile, findColumn } from './detect';
import { findFirstBadLine } from './diagnose';
import { loadMinutes, mergeMinutes, observedMaxima } from './minuteFrame';
import { MinutePivot } from './minutePivot';
import { deriveStation, loadStation, type StoredStation, saveStation } from './stationConfig';
import { defaultTagMap, readTagTable, type TagMap } from './tagTable';

export interface HistorianImportOptions {
  /** RSView32 / FactoryTalk tag table; without it the seed's 27-tag order applies. */
  tagTable?: string;
  /** Station constants from station.json; missing ones are derived from the data. */
  station?: Partial<StationConfig>;
  /** Day/month order of FactoryTalk dates, needed when the file leaves it ambiguous. */
  dateOrder?: DateOrder;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** Status codes that mark a sample unusable (RSView32 / FactoryTalk data logs). */
export const BAD_STATUS = ['D', 'E', 'S', 'U', '*'] as const;

export type { HistorianImportSummary };

const DATE_FORMATS: Record<DateOrder, string> = { ymd: '%Y-%m-%d', mdy: '%m/%d/%Y', dmy: '%d/%m/%Y' };

function dateFormat(file: DetectedFile, order: DateOrder): string {
  const sample = file.preview[0]?.[file.columns.findIndex((c) => c.toLowerCase() === 'date')] ?? '';
  return order === 'dmy' && sample.includes('.') ? '%d.%m.%Y' : DATE_FORMATS[order];
}

/** What each of DuckDB's CSV readers takes at a time: small, so the samples arrive nearly in order. */
const READ_BUFFER_BYTES = 2 * 1024 * 1024;

/** One row per sample: us (epoch microseconds), marker, status, tag, v. */
function stagingSelect(file: DetectedFile, order: DateOrder | null, rejectsId: string): string {
  const types: Record<string, string> = {
    timestamp: 'TIMESTAMP',
    marker: 'VARCHAR',
    tagindex: 'INTEGER',
    value: 'DOUBLE',
    date: 'VARCHAR',
    time: 'VARCHAR',
    millitm: 'INTEGER',
    status: 'VARCHAR',
  };
  const columns = file.columns.map((c) => `${literal(c)}: '${types[c.toLowerCase()] ?? 'VARCHAR'}'`).join(', ');
  const source = `read_csv(${literal(file.path)}, header = true, auto_detect = false, delim = ${literal(file.delimiter)}, quote = '"', buffer_size = ${READ_BUFFER_BYTES},
      columns = {${columns}}, store_rejects = true, rejects_table = 'rejects_${rejectsId}', rejects_scan = 'scans_${rejectsId}')`;
  const col = (name: string) => {
    const found = findColumn(file.columns, name);
    return found ? ident(found) : null;
  };
  const marker = col('Marker') ?? `'S'`;
  const status = col('Status') ? `coalesce(trim(${col('Status')}), '')` : `''`;
  if (file.kind === 'historian-seed') {
    return `SELECT epoch_us(${col('Timestamp')}) AS us, ${marker} AS marker, ${status} AS status, ${col('TagIndex')} AS tag, ${col('Value')} AS v FROM ${source}`;
  }
  const when = `try_strptime(trim(${col('Date')}) || ' ' || trim(${col('Time')}), '${dateFormat(file, order!)} %H:%M:%S')`;
  const millis = col('Millitm') ? ` + coalesce(${col('Millitm')}, 0) * 1000` : '';
  return `SELECT epoch_us(${when})${millis} AS us, ${marker} AS marker, ${status} AS status, ${col('TagIndex')} AS tag, ${col('Value')} AS v FROM ${source}`;
}

function parseDateLike(date: string, time: string, order: DateOrder): boolean {
  const d =
    order === 'ymd' ? /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date) : /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(date);
  if (!d || !/^\d{1,2}:\d{2}:\d{2}$/.test(time)) return false;
  const [y, m, day] = order === 'ymd' ? [d[1], d[2], d[3]] : order === 'mdy' ? [d[3], d[1], d[2]] : [d[3], d[2], d[1]];
  const value = new Date(Date.UTC(+y, +m - 1, +day));
  return value.getUTCMonth() === +m - 1 && value.getUTCDate() === +day;
}

/** When the first rows leave D/M vs M/D open, the whole Date column may still decide it. */
export async function dateOrderOfWholeFile(db: StationDb, file: DetectedFile): Promise<DateOrder | null> {
  const date = ident(findColumn(file.columns, 'Date')!);
  const row = await db.one<{ a: number | null; b: number | null }>(
    `SELECT max(TRY_CAST(split_part(${date}, '/', 1) AS INTEGER)) AS a, max(TRY_CAST(split_part(${date}, '/', 2) AS INTEGER)) AS b
     FROM read_csv(${literal(file.path)}, header = true, all_varchar = true, delim = ${literal(file.delimiter)})`,
  );
  if ((row?.a ?? 0) > 12) return 'dmy';
  if ((row?.b ?? 0) > 12) return 'mdy';
  return null;
}

/** The station constants when they do not depend on the file (all given, or stored and none given). */
function stationBeforeReading(
  given: Partial<StationConfig> | undefined,
  stored: StoredStation | undefined | null,
): StationConfig | null {
  if (!given) return stored?.config ?? null;
  const probe = deriveStation(given, { level: null, flow: null, kwRunning: null, dailyKwh: null });
  return probe.derived.length === 0 ? probe.config : null;
}

/** Streams the samples of `sql` (m, off, code, v) into the minute pivot. */
async function pivotSamples(
  db: StationDb,
  tagMap: TagMap,
  sql: string,
  checkCancelled: () => void,
  onChunk?: (pivot: MinutePivot) => void,
) {
  const positionOf = new Int32Array(Math.max(...tagMap.keys()) + 1).fill(-1);
  [...tagMap.keys()].forEach((index, position) => (positionOf[index] = position));
  const pivot = new MinutePivot([...tagMap.values()], positionOf);
  // Lets DuckDB's readers run ahead of this thread instead of waiting for each chunk to be taken.
  await db.run(`SET streaming_buffer_size = '256MB'`);
  for await (const chunk of db.chunks(sql)) {
    const valid = validityMask(chunk, 3);
    pivot.add(
      chunk.rowCount,
      int32Column(chunk, 0),
      int32Column(chunk, 1),
      int32Column(chunk, 2),
      float64Column(chunk, 3),
      (i) => isValid(valid, i),
    );
    onChunk?.(pivot);
    checkCancelled();
  }
  const result = { ...pivot.finish(), counts: pivot.counts, late: pivot.late };
  collectGarbage();
  return result;
}

let importCounter = 0;

/**
 * Imports a narrow historian export (seed or FactoryTalk layout) into readings_wide and rebuilds
 * the station tables for the days it touches. DuckDB reads the file and builds the tables; the
 * pivot, the derived columns and the alert engine run over typed arrays in between (see
 * docs/decisions.md, issue 4). All writes are one transaction on the import's own connection: on
 * any error or cancel every table is exactly as it was.
 */
export async function importHistorian(
  mainDb: StationDb,
  path: string,
  options: HistorianImportOptions = {},
): Promise<HistorianImportSummary> {
  const started = performance.now();
  const file = await detectFile(path);
  const name = file.name;
  if (file.kind !== 'historian-seed' && file.kind !== 'historian-factorytalk') {
    const layouts = [
      ['Timestamp', 'Marker', 'TagIndex', 'Value'],
      ['Date', 'Time', 'TagIndex', 'Value'],
    ];
    const missing = layouts
      .map((cols) => cols.filter((c) => !findColumn(file.columns, c)))
      .sort((a, b) => a.length - b.length)[0];
    throw new ApiError(
      'bad_input',
      `${name}: line 1: missing column ${missing.join(', ')} (a historian export has ${layouts.map((l) => l.join(',')).join(' or ')})`,
    );
  }
  let order: DateOrder | null = null;
  if (file.kind === 'historian-factorytalk') {
    order = options.dateOrder ?? (file.dateOrder === 'ambiguous' ? null : file.dateOrder!);
  }

  await ensureSchema(mainDb);
  if (file.kind === 'historian-factorytalk' && !order) order = await dateOrderOfWholeFile(mainDb, file);
  if (file.kind === 'historian-factorytalk' && !order) {
    const dateIndex = file.columns.findIndex((c) => c.toLowerCase() === 'date');
    throw new ApiError(
      'bad_input',
      `${name}: every date (e.g. ${file.preview[0]?.[dateIndex]}) could be month/day or day/month: choose the date order`,
      {
        needsChoice: 'dateOrder',
        options: ['mdy', 'dmy'],
      },
    );
  }
  const db = await mainDb.fork();
  const timings: Record<string, number> = {};
  let phaseStart = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    timings[phase] = Math.round(now - phaseStart) / 1000;
    phaseStart = now;
  };
  const progress = (phase: string, fraction: number) => {
    const elapsed = (performance.now() - started) / 1000;
    options.onProgress?.({
      phase,
      fraction,
      done: Math.round(fraction * file.bytes),
      total: file.bytes,
      unit: 'bytes',
      etaSeconds: fraction > 0.02 ? (elapsed / fraction) * (1 - fraction) : null,
    });
  };
  const abort = () => db.interrupt();
  options.signal?.addEventListener('abort', abort, { once: true });
  const checkCancelled = () => {
    if (options.signal?.aborted) throw new ApiError('cancelled', `import of ${name} was cancelled`);
  };
  const rejectsId = `${process.pid}_${++importCounter}`;
  let early: AlertsOffThread | null = null;
  try {
    const tagMap: TagMap = options.tagTable ? await readTagTable(db, options.tagTable) : defaultTagMap();
    const indices = [...tagMap.keys()];
    checkCancelled();

    // 1. Read, filter and pivot in one pass (seed 002 §3.1): DuckDB's CSV reader (on every core)
    //    streams minute, offset in the minute, code = tag index × 2 + marker B (-1: not kept, -2:
    //    no time) and value into the minute pivot, where the last sample of a tag-minute wins.
    // The alert engine can start on the first days while the rest is read, when its station
    // constants and starting point do not depend on the file (see alertStartBeforeReading).
    const stored = await loadStation(db);
    const earlyStart = await alertStartBeforeReading(db, stationBeforeReading(options.station, stored));
    early = earlyStart ? new AlertsOffThread(earlyStart) : null;
    let handedOut = Number.NEGATIVE_INFINITY;
    const feedEarly = (pivot: MinutePivot) => {
      // DuckDB's readers each take 2 MB of the file at a time, so samples arrive a few days out
      // of order (3 at most on the year bench): a day is handed out once the stream is well
      // past it, by three times the disorder seen so far. A sample turning up on a day handed
      // out (an unsorted file) invalidates the early run, which then starts over after the read.
      const through = pivot.maxDay - Math.max(4, 3 * pivot.maxLateness + 2);
      if (!early || through <= handedOut) return;
      handedOut = through;
      early.send(pivot.takeDaysThrough(handedOut, ENGINE_TAGS));
    };
    const sampleRows = stagingSelect(file, order, rejectsId);
    const keptSql = `marker IN ('B', 'S') AND status = '' AND tag IN (${indices.join(', ')})`;
    progress('reading', 0);
    const poll = setInterval(() => {
      const p = db.progress();
      if (p !== null) progress('reading', p * 0.75);
    }, 200);
    let pivoted: Awaited<ReturnType<typeof pivotSamples>>;
    try {
      pivoted = await pivotSamples(
        db,
        tagMap,
        `SELECT (us // 60000000)::INTEGER AS m, (us % 60000000)::INTEGER AS off,
                CASE WHEN us IS NULL THEN -2 WHEN ${keptSql} THEN tag * 2 + (marker = 'B')::INTEGER ELSE -1 END AS code, v
         FROM (${sampleRows})`,
        checkCancelled,
        feedEarly,
      );
    } finally {
      clearInterval(poll);
    }
    const { frame: incoming, cells, counts, late } = pivoted;
    if (late) early?.abort(), (early = null);
    const tags = [...tagMap.values()];
    checkCancelled();
    lap('read+pivot');

    // 2. Refuse bad input, naming file, line and field.
    const reject = await db.one<{
      line: number;
      column_name: string | null;
      error_type: string;
      csv_line: string;
      error_message: string;
    }>(
      `SELECT line, column_name, error_type::VARCHAR AS error_type, csv_line, error_message FROM rejects_${rejectsId} ORDER BY line LIMIT 1`,
    );
    if (reject) {
      const field = reject.column_name ? `field ${reject.column_name}: ` : '';
      const what =
        reject.error_type === 'CAST'
          ? `cannot read '${String(reject.csv_line).split(file.delimiter)[file.columns.indexOf(reject.column_name ?? '')] ?? ''}' as ${reject.column_name === 'Value' || reject.column_name === 'TagIndex' || reject.column_name === 'Millitm' ? 'a number' : 'a timestamp'}`
          : reject.error_type === 'MISSING COLUMNS'
            ? `too few fields (truncated line?): '${reject.csv_line}'`
            : reject.error_type === 'TOO MANY COLUMNS'
              ? `too many fields: '${reject.csv_line}'`
              : reject.error_message.split('\n')[0];
      throw new ApiError('bad_input', `${name}: line ${reject.line}: ${field}${what}`, {
        file: path,
        line: reject.line,
        field: reject.column_name,
      });
    }
    const totals: Record<string, number> = {
      rows: counts.rows,
      kept: counts.kept,
      bad_time: counts.noTime,
      marker: 0,
      status: 0,
      unknown: 0,
    };
    if (totals.rows > totals.kept) {
      // A second, cheap scan of the file: only the rows that were not kept, by reason.
      const reasons = (await db.one<Record<string, number>>(
        `SELECT count(*) FILTER (WHERE marker NOT IN ('B', 'S')) AS marker,
                count(*) FILTER (WHERE marker IN ('B', 'S') AND status <> '') AS status,
                ${BAD_STATUS.map((code, i) => `count(*) FILTER (WHERE marker IN ('B', 'S') AND status = ${literal(code)}) AS st_${i}`).join(', ')},
                count(*) FILTER (WHERE tag NOT IN (${indices.join(', ')})) AS unknown
         FROM (${sampleRows.replaceAll(`_${rejectsId}'`, `_${rejectsId}b'`)}) WHERE NOT (${keptSql})`,
      ))!;
      Object.assign(totals, reasons);
      for (const temp of [`rejects_${rejectsId}b`, `scans_${rejectsId}b`]) await db.run(`DROP TABLE IF EXISTS ${temp}`);
    }
    if (totals.bad_time > 0) {
      const dateCol = findColumn(file.columns, 'Date');
      const timeCol = findColumn(file.columns, 'Time');
      const bad = await findFirstBadLine(path, file.delimiter, (row) =>
        parseDateLike(row[dateCol!] ?? '', row[timeCol!] ?? '', order!)
          ? null
          : { field: `${dateCol}/${timeCol}`, value: `${row[dateCol!]} ${row[timeCol!]}` },
      );
      throw new ApiError(
        'bad_input',
        `${name}: line ${bad?.line ?? '?'}: field ${bad?.field ?? 'Date/Time'}: cannot read '${bad?.value ?? ''}' as a ${order} date and time`,
        { file: path, line: bad?.line },
      );
    }
    if (totals.unknown > 0) {
      const tagCol = findColumn(file.columns, 'TagIndex')!;
      const bad = await findFirstBadLine(path, file.delimiter, (row) =>
        tagMap.has(Number(row[tagCol])) ? null : { field: tagCol, value: row[tagCol] },
      );
      throw new ApiError(
        'bad_input',
        `${name}: line ${bad?.line ?? '?'}: field TagIndex: unknown tag index ${bad?.value ?? ''}${options.tagTable ? ' (not in the tag table)' : ' (no tag table given; the default order has 0-26)'}`,
        { file: path, line: bad?.line, field: 'TagIndex' },
      );
    }
    if (totals.rows === 0) throw new ApiError('bad_input', `${name}: line 2: no data rows after the header`);
    lap('checks');

    // 3. Quality figures (normal in historian data: counted and reported, not fatal).
    const minutes = incoming.times.length;
    let gaps = 0;
    let gapMinutes = 0;
    for (let i = 1; i < minutes; i++) {
      const step = Math.round((incoming.times[i] - incoming.times[i - 1]) / 60_000);
      if (step > 1) gaps++, (gapMinutes += step - 1);
    }
    const first = minutes ? formatTimestamp(incoming.times[0]) : null;
    const last = minutes ? formatTimestamp(incoming.times[minutes - 1]) : null;
    const warnings: string[] = [];
    if (totals.status > 0) warnings.push(`${totals.status} samples with a bad-quality Status were dropped`);
    if (gaps > 0) warnings.push(`${gaps} gaps in the data, ${gapMinutes} minutes missing in all`);
    if (totals.marker > 0) warnings.push(`${totals.marker} rows with a marker other than B or S were dropped`);

    // Until here nothing was written; from here on everything lands together or not at all.
    await db.run('BEGIN TRANSACTION');

    // 4. Station constants: given, stored, or derived from the data (flagged as derived).
    for (const tag of tags) {
      await db.run(`ALTER TABLE readings_wide ADD COLUMN IF NOT EXISTS ${ident(tag)} DOUBLE`);
    }
    let station = stored;
    if (options.station || !stored) {
      station = deriveStation(options.station ?? {}, observedMaxima(incoming, options.station ?? {}));
      if (stored && options.station)
        station.derived = station.derived.filter((f) => stored.derived.includes(f) || !(f in options.station!));
      await saveStation(db, station);
    }
    const stationChanged = JSON.stringify(stored?.config) !== JSON.stringify(station!.config);
    lap('quality+station');

    // 5. Merge with the stored rows whose derived values the import can change: from the first
    //    imported minute to a lookback window past the last (all data when the station constants
    //    changed), with a lookback window before it as context. New values win; tags the file
    //    lacks keep their old values.
    const lookback = DERIVED_LOOKBACK_MINUTES * 60_000;
    // A file whose every sample was dropped has no minutes: only new station constants rewrite.
    let lo = minutes ? incoming.times[0] : Number.POSITIVE_INFINITY;
    let hi = minutes ? incoming.times[minutes - 1] + lookback : Number.NEGATIVE_INFINITY;
    if (stationChanged) {
      const data = (await db.one<{ lo: number | null; hi: number | null }>(
        `SELECT epoch_ms(min("Timestamp"))::DOUBLE AS lo, epoch_ms(max("Timestamp"))::DOUBLE AS hi FROM readings_wide`,
      ))!;
      if (data.lo !== null && data.hi !== null) (lo = Math.min(lo, data.lo)), (hi = Math.max(hi, data.hi));
    }
    const raw = await rawTagColumns(db);
    progress('merging', 0.78);
    const merge = lo <= hi ? mergeMinutes(await loadMinutes(db, raw, lo - lookback, hi), incoming, raw) : null;
    const overlap = { updated: merge?.updated ?? 0, changed: merge?.changed ?? 0 };
    checkCancelled();
    lap('merge');

    // Every sample is already there with the same value: nothing to rewrite (a re-import).
    if (merge && !(minutes === overlap.updated && overlap.changed === 0 && !stationChanged)) {
      // 6. readings_wide and the other tables, in the seed's build order, for the touched days only.
      let step = 0;
      let building = 'deriving';
      progress('deriving', 0.8);
      await applyMinutes(db, station!.config, merge.frame, lo, hi, early, (table) => {
        lap(building);
        building = table;
        progress(`building ${table}`, 0.84 + 0.03 * step++);
      });
      lap(building);
      checkCancelled();
    }

    const tables: Record<string, number> = {};
    for (const table of STATION_TABLES)
      tables[table] = (await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
    const status: Record<string, number> = {};
    BAD_STATUS.forEach((code, i) => (totals[`st_${i}`] ?? 0) > 0 && (status[code] = totals[`st_${i}`]));
    const other = totals.status - Object.values(status).reduce((a, b) => a + b, 0);
    if (other > 0) status.other = other;
    const summary: HistorianImportSummary = {
      file: path,
      layout: file.kind === 'historian-seed' ? 'seed' : 'factorytalk',
      bytes: file.bytes,
      rowsRead: totals.rows,
      rowsKept: totals.kept,
      dropped: { marker: totals.marker, status, superseded: totals.kept - cells },
      minutes,
      newMinutes: minutes - overlap.updated,
      updatedMinutes: overlap.updated,
      first,
      last,
      gaps,
      gapMinutes,
      tables,
      stationDerived: station!.derived,
      warnings,
      seconds: 0,
      timings,
    };
    summary.seconds = Math.round((performance.now() - started) / 10) / 100;
    await db.run(
      `INSERT INTO import_log VALUES (now()::TIMESTAMP, 'historian', ?, ?::TIMESTAMP, ?::TIMESTAMP, ?::JSON)`,
      [path, summary.first, summary.last, JSON.stringify(summary)],
    );
    checkCancelled();
    await db.run('COMMIT');
    lap('commit');
    summary.seconds = Math.round((performance.now() - started) / 10) / 100;
    progress('done', 1);
    return summary;
  } catch (error) {
    await db.run('ROLLBACK').catch(() => {});
    if (options.signal?.aborted) throw new ApiError('cancelled', `import of ${name} was cancelled`);
    if (error instanceof ApiError) throw error;
    throw new ApiError('bad_input', `${name}: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    early?.abort();
    options.signal?.removeEventListener('abort', abort);
    for (const temp of [`rejects_${rejectsId}`, `scans_${rejectsId}`])
      await db.run(`DROP TABLE IF EXISTS ${temp}`).catch(() => {});
    db.close();
  }
}
