import type { HistorianImportSummary, Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import type { StationConfig } from '../../src-shared/station';
import { PUMPS, TAG } from '../../src-shared/tags';
import { DERIVED_COLUMNS, ensureSchema, rawTagColumns, STATION_TABLES } from '../db/schema';
import { ident, literal, type StationDb } from '../db/stationDb';
import { derivedSelect, DERIVED_LOOKBACK_MINUTES } from './derivedColumns';
import { detectFile, findColumn, type DateOrder, type DetectedFile } from './detect';
import { findFirstBadLine } from './diagnose';
import { deriveStation, loadStation, saveStation } from './stationConfig';
import { rebuildStationTables } from './stationTables';
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

const FMT = `'%Y-%m-%d %H:%M:%S'`;
const DATE_FORMATS: Record<DateOrder, string> = { ymd: '%Y-%m-%d', mdy: '%m/%d/%Y', dmy: '%d/%m/%Y' };

function dateFormat(file: DetectedFile, order: DateOrder): string {
  const sample = file.preview[0]?.[file.columns.findIndex((c) => c.toLowerCase() === 'date')] ?? '';
  return order === 'dmy' && sample.includes('.') ? '%d.%m.%Y' : DATE_FORMATS[order];
}

/** One row per sample: us (epoch microseconds), marker, status, tag, v. */
function stagingSelect(file: DetectedFile, order: DateOrder | null, rejectsId: string): string {
  const types: Record<string, string> = {
    timestamp: 'TIMESTAMP', marker: 'VARCHAR', tagindex: 'INTEGER', value: 'DOUBLE', date: 'VARCHAR', time: 'VARCHAR', millitm: 'INTEGER', status: 'VARCHAR',
  };
  const columns = file.columns.map((c) => `${literal(c)}: '${types[c.toLowerCase()] ?? 'VARCHAR'}'`).join(', ');
  const source = `read_csv(${literal(file.path)}, header = true, auto_detect = false, delim = ${literal(file.delimiter)}, quote = '"',
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
  const d = order === 'ymd' ? /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date) : /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(date);
  if (!d || !/^\d{1,2}:\d{2}:\d{2}$/.test(time)) return false;
  const [y, m, day] = order === 'ymd' ? [d[1], d[2], d[3]] : order === 'mdy' ? [d[3], d[1], d[2]] : [d[3], d[2], d[1]];
  const value = new Date(Date.UTC(+y, +m - 1, +day));
  return value.getUTCMonth() === +m - 1 && value.getUTCDate() === +day;
}

/** Inserts the rows of `source` matching `where`, with their derived columns, into readings_wide. */
export async function insertDerived(db: StationDb, station: StationConfig, raw: string[], source: string, where: string, params: string[]): Promise<void> {
  const columns = ['"Timestamp"', '"Marker"', ...raw.map(ident), ...DERIVED_COLUMNS.map(([c]) => c)];
  await db.run(`INSERT INTO readings_wide (${columns.join(', ')}) SELECT * FROM (${derivedSelect(station, raw, source)}) WHERE ${where}`, params);
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

let importCounter = 0;

/**
 * Imports a narrow historian export (seed or FactoryTalk layout) into readings_wide and rebuilds
 * the station tables for the days it touches. Everything happens in DuckDB, in one transaction on
 * its own connection: on any error or cancel every table is exactly as it was.
 */
export async function importHistorian(mainDb: StationDb, path: string, options: HistorianImportOptions = {}): Promise<HistorianImportSummary> {
  const started = performance.now();
  const file = await detectFile(path);
  const name = file.name;
  if (file.kind !== 'historian-seed' && file.kind !== 'historian-factorytalk') {
    const layouts = [['Timestamp', 'Marker', 'TagIndex', 'Value'], ['Date', 'Time', 'TagIndex', 'Value']];
    const missing = layouts.map((cols) => cols.filter((c) => !findColumn(file.columns, c))).sort((a, b) => a.length - b.length)[0];
    throw new ApiError('bad_input', `${name}: line 1: missing column ${missing.join(', ')} (a historian export has ${layouts.map((l) => l.join(',')).join(' or ')})`);
  }
  let order: DateOrder | null = null;
  if (file.kind === 'historian-factorytalk') {
    order = options.dateOrder ?? (file.dateOrder === 'ambiguous' ? null : file.dateOrder!);
  }

  await ensureSchema(mainDb);
  if (file.kind === 'historian-factorytalk' && !order) order = await dateOrderOfWholeFile(mainDb, file);
  if (file.kind === 'historian-factorytalk' && !order) {
    const dateIndex = file.columns.findIndex((c) => c.toLowerCase() === 'date');
    throw new ApiError('bad_input', `${name}: every date (e.g. ${file.preview[0]?.[dateIndex]}) could be month/day or day/month: choose the date order`, {
      needsChoice: 'dateOrder',
      options: ['mdy', 'dmy'],
    });
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
    options.onProgress?.({ phase, fraction, done: Math.round(fraction * file.bytes), total: file.bytes, unit: 'bytes', etaSeconds: fraction > 0.02 ? (elapsed / fraction) * (1 - fraction) : null });
  };
  const abort = () => db.interrupt();
  options.signal?.addEventListener('abort', abort, { once: true });
  const checkCancelled = () => {
    if (options.signal?.aborted) throw new ApiError('cancelled', `import of ${name} was cancelled`);
  };
  const rejectsId = `${process.pid}_${++importCounter}`;
  try {
    const tagMap: TagMap = options.tagTable ? await readTagTable(db, options.tagTable) : defaultTagMap();
    const indices = [...tagMap.keys()];
    checkCancelled();
    await db.run('BEGIN TRANSACTION');

    // 1. Read, filter and pivot in one pass: last sample of each tag-minute wins (seed 002 §3.1).
    // Rows not kept get tag -1, so each of the per-tag filters below is one comparison.
    const tagAggregates = [...tagMap].map(([index, tag]) => `arg_max(v, us) FILTER (WHERE kept_tag = ${index}) AS ${ident(tag)}`);
    // Only totals are counted here; why rows were dropped is counted afterwards, and only when some were.
    const sampleRows = stagingSelect(file, order, rejectsId);
    const keptSql = `marker IN ('B', 'S') AND status = '' AND tag IN (${indices.join(', ')})`;
    const staging = `CREATE TEMP TABLE incoming AS
      SELECT make_timestamp(m * 60000000) AS "Timestamp",
             CASE WHEN bool_or(keep AND marker = 'B') THEN 'B' ELSE 'S' END AS "Marker",
             count(*) AS n_rows, count(*) FILTER (WHERE keep) AS n_kept,
             ${tagAggregates.join(',\n             ')}
      FROM (SELECT us, v, marker, us // 60000000 AS m, keep, CASE WHEN keep THEN tag ELSE -1 END AS kept_tag
            FROM (SELECT *, ${keptSql} AS keep FROM (${sampleRows})))
      GROUP BY m`;
    progress('reading', 0);
    const poll = setInterval(() => {
      const p = db.progress();
      if (p !== null) progress('reading', p * 0.75);
    }, 200);
    try {
      await db.run(staging);
    } finally {
      clearInterval(poll);
    }
    checkCancelled();
    lap('read+pivot');

    // 2. Refuse bad input, naming file, line and field.
    const reject = await db.one<{ line: number; column_name: string | null; error_type: string; csv_line: string; error_message: string }>(
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
      throw new ApiError('bad_input', `${name}: line ${reject.line}: ${field}${what}`, { file: path, line: reject.line, field: reject.column_name });
    }
    const totals = (await db.one<Record<string, number>>(
      `SELECT coalesce(sum(n_rows), 0) AS rows, coalesce(sum(n_kept), 0) AS kept, coalesce(sum(n_rows) FILTER (WHERE "Timestamp" IS NULL), 0) AS bad_time
       FROM incoming`,
    ))!;
    Object.assign(totals, { marker: 0, status: 0, unknown: 0 });
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
        parseDateLike(row[dateCol!] ?? '', row[timeCol!] ?? '', order!) ? null : { field: `${dateCol}/${timeCol}`, value: `${row[dateCol!]} ${row[timeCol!]}` },
      );
      throw new ApiError('bad_input', `${name}: line ${bad?.line ?? '?'}: field ${bad?.field ?? 'Date/Time'}: cannot read '${bad?.value ?? ''}' as a ${order} date and time`, { file: path, line: bad?.line });
    }
    if (totals.unknown > 0) {
      const tagCol = findColumn(file.columns, 'TagIndex')!;
      const bad = await findFirstBadLine(path, file.delimiter, (row) => (tagMap.has(Number(row[tagCol])) ? null : { field: tagCol, value: row[tagCol] }));
      throw new ApiError(
        'bad_input',
        `${name}: line ${bad?.line ?? '?'}: field TagIndex: unknown tag index ${bad?.value ?? ''}${options.tagTable ? ' (not in the tag table)' : ' (no tag table given; the default order has 0-26)'}`,
        { file: path, line: bad?.line, field: 'TagIndex' },
      );
    }
    if (totals.rows === 0) throw new ApiError('bad_input', `${name}: line 2: no data rows after the header`);
    await db.run(`DELETE FROM incoming WHERE n_kept = 0`);

    // 3. Quality figures (normal in historian data: counted and reported, not fatal).
    const tags = [...tagMap.values()];
    lap('checks');
    const quality = (await db.one<Record<string, number | string | null>>(
      `WITH o AS (SELECT "Timestamp", lag("Timestamp") OVER (ORDER BY "Timestamp") AS prev FROM incoming)
       SELECT (SELECT count(*) FROM incoming) AS minutes,
              (SELECT ${tags.map((t) => `count(${ident(t)})`).join(' + ')} FROM incoming) AS cells,
              count(*) FILTER (WHERE "Timestamp" - prev > INTERVAL 1 MINUTE) AS gaps,
              coalesce(sum(date_diff('minute', prev, "Timestamp") - 1) FILTER (WHERE "Timestamp" - prev > INTERVAL 1 MINUTE), 0) AS gap_minutes,
              strftime(min("Timestamp"), ${FMT}) AS first, strftime(max("Timestamp"), ${FMT}) AS last
       FROM o`,
    ))!;
    const overlap = (await db.one<{ updated: number; changed: number }>(
      `SELECT count(*) AS updated,
              count(*) FILTER (WHERE ${tags.map((t) => `(i.${ident(t)} IS NOT NULL AND i.${ident(t)} IS DISTINCT FROM r.${ident(t)})`).join(' OR ')}) AS changed
       FROM incoming i JOIN readings_wide r ON r."Timestamp" = i."Timestamp"`,
    ))!;
    const minutes = Number(quality.minutes);
    const warnings: string[] = [];
    if (totals.status > 0) warnings.push(`${totals.status} samples with a bad-quality Status were dropped`);
    if (Number(quality.gaps) > 0) warnings.push(`${quality.gaps} gaps in the data, ${quality.gap_minutes} minutes missing in all`);
    if (totals.marker > 0) warnings.push(`${totals.marker} rows with a marker other than B or S were dropped`);

    lap('quality');
    const unchanged = minutes === overlap.updated && overlap.changed === 0;

    // 4. Station constants: given, stored, or derived from the data (flagged as derived).
    for (const tag of tags) {
      await db.run(`ALTER TABLE readings_wide ADD COLUMN IF NOT EXISTS ${ident(tag)} DOUBLE`);
    }
    const stored = await loadStation(db);
    let station = stored;
    if (options.station || !stored) {
      const has = (tag: string) => tags.includes(tag);
      const observed = (await db.one<{ level: number | null; flow: number | null; kw: number | null; day: number | null }>(
        `SELECT ${has(TAG.level) ? `max(${ident(TAG.level)})` : 'NULL'} AS level, ${has(TAG.flow) ? `max(${ident(TAG.flow)})` : 'NULL'} AS flow,
                (SELECT quantile_cont(kw, 0.99) FROM (${PUMPS.filter((p) => has(TAG.kw(p))).map((p) => `SELECT ${ident(TAG.kw(p))} AS kw FROM incoming WHERE ${ident(TAG.kw(p))} > 0`).join(' UNION ALL ') || 'SELECT NULL AS kw'})) AS kw,
                (SELECT max(e) FROM (SELECT sum(${PUMPS.filter((p) => has(TAG.kw(p))).map((p) => `coalesce(${ident(TAG.kw(p))}, 0)`).join(' + ') || '0'}) / 60 AS e FROM incoming GROUP BY "Timestamp"::DATE)) AS day
         FROM incoming`,
      ))!;
      station = deriveStation(options.station ?? {}, { level: observed.level, flow: observed.flow, kwRunning: observed.kw, dailyKwh: observed.day });
      if (stored && options.station) station.derived = station.derived.filter((f) => stored.derived.includes(f) || !(f in options.station!));
      await saveStation(db, station);
    }
    lap('station');
    const stationChanged = JSON.stringify(stored?.config) !== JSON.stringify(station!.config);
    // Every sample is already there with the same value: nothing to rewrite (a re-import).
    const skipRebuild = unchanged && !stationChanged;

    if (!skipRebuild) {
      // 5. Merge into readings_wide and recompute derived columns where they can have changed:
      //    from the first imported minute to a lookback window past the last (all data when the
      //    station constants changed). New values win; tags the file lacks keep their old values.
      const bounds = (await db.one<{ lo: string; hi: string; data_lo: string | null; data_hi: string | null }>(
        `SELECT strftime(min("Timestamp"), ${FMT}) AS lo, strftime(max("Timestamp"), ${FMT}) AS hi,
                (SELECT strftime(min("Timestamp"), ${FMT}) FROM readings_wide) AS data_lo, (SELECT strftime(max("Timestamp"), ${FMT}) FROM readings_wide) AS data_hi
         FROM incoming`,
      ))!;
      let lo = bounds.lo;
      let recomputeTo = `(?::TIMESTAMP + INTERVAL ${DERIVED_LOOKBACK_MINUTES} MINUTES)`;
      let hiParam = bounds.hi;
      if (stationChanged && bounds.data_lo && bounds.data_hi) {
        lo = bounds.data_lo < lo ? bounds.data_lo : lo;
        hiParam = bounds.data_hi > bounds.hi ? bounds.data_hi : bounds.hi;
        recomputeTo = `?::TIMESTAMP`;
      }
      const raw = await rawTagColumns(db);
      const incomingSet = new Set(tags);
      const window = [lo, hiParam];
      const contextRows = (await db.one<{ n: number }>(
        `SELECT count(*) AS n FROM readings_wide WHERE "Timestamp" BETWEEN ?::TIMESTAMP - INTERVAL ${DERIVED_LOOKBACK_MINUTES} MINUTES AND ${recomputeTo}`,
        window,
      ))!.n;
      // A first import (or one next to no existing data) derives straight from the pivoted rows.
      let source = 'incoming';
      if (contextRows > 0 || raw.some((c) => !incomingSet.has(c))) {
        const merged = raw.map((c) => (incomingSet.has(c) ? `coalesce(i.${ident(c)}, r.${ident(c)}) AS ${ident(c)}` : `r.${ident(c)}`)).join(', ');
        progress('merging', 0.78);
        await db.run(
          `CREATE TEMP TABLE rw AS
           SELECT coalesce(i."Timestamp", r."Timestamp") AS "Timestamp", coalesce(i."Marker", r."Marker") AS "Marker", ${merged}
           FROM (SELECT * FROM readings_wide WHERE "Timestamp" BETWEEN ?::TIMESTAMP - INTERVAL ${DERIVED_LOOKBACK_MINUTES} MINUTES AND ${recomputeTo}) r
           FULL OUTER JOIN incoming i ON i."Timestamp" = r."Timestamp"`,
          window,
        );
        await db.run(`DELETE FROM readings_wide WHERE "Timestamp" BETWEEN ?::TIMESTAMP AND ${recomputeTo}`, window);
        source = 'rw';
      }
      checkCancelled();
      lap('merge');
      progress('deriving', 0.82);
      await insertDerived(db, station!.config, raw, source, `"Timestamp" BETWEEN ?::TIMESTAMP AND ${recomputeTo}`, window);
      checkCancelled();

      // 6. The other tables, in the seed's build order, for the touched days only.
      lap('derive+insert');
      const touched = (await db.one<{ to: string }>(
        `SELECT strftime(max("Timestamp"), ${FMT}) AS "to" FROM readings_wide WHERE "Timestamp" BETWEEN ?::TIMESTAMP AND ${recomputeTo}`,
        window,
      ))!;
      let step = 0;
      let building = '';
      await rebuildStationTables(db, station!.config, { from: lo, to: touched.to }, (table) => {
        if (building) lap(building);
        building = table;
        progress(`building ${table}`, 0.88 + 0.03 * step++);
      });
      lap(building);
      checkCancelled();
    }

    const tables: Record<string, number> = {};
    for (const table of STATION_TABLES) tables[table] = (await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
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
      dropped: { marker: totals.marker, status, superseded: totals.kept - Number(quality.cells) },
      minutes,
      newMinutes: minutes - overlap.updated,
      updatedMinutes: overlap.updated,
      first: quality.first as string | null,
      last: quality.last as string | null,
      gaps: Number(quality.gaps),
      gapMinutes: Number(quality.gap_minutes),
      tables,
      stationDerived: station!.derived,
      warnings,
      seconds: 0,
      timings,
    };
    summary.seconds = Math.round((performance.now() - started) / 10) / 100;
    await db.run(`INSERT INTO import_log VALUES (now()::TIMESTAMP, 'historian', ?, ?::TIMESTAMP, ?::TIMESTAMP, ?::JSON)`, [path, summary.first, summary.last, JSON.stringify(summary)]);
    for (const temp of ['incoming', 'rw']) await db.run(`DROP TABLE IF EXISTS ${temp}`);
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
    options.signal?.removeEventListener('abort', abort);
    for (const temp of [`rejects_${rejectsId}`, `scans_${rejectsId}`]) await db.run(`DROP TABLE IF EXISTS ${temp}`).catch(() => {});
    db.close();
  }
}
