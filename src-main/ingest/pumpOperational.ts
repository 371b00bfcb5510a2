import { ApiError } from '../../src-shared/api/errors';
import { excerpt, excerptList } from '../../src-shared/text/excerpt';
import { parseTime, type TimeFormat, timeSql } from '../../src-shared/timeFormat';
import { readMeta, writeMeta } from '../db/schema';
import { literal, type StationDb } from '../db/stationDb';
import { type DetectedFile, detectFile } from './detect';
import { findFirstBadRow } from './sources/csvScan';
import { readCsvSql } from './sources/narrowCsv';
import { dropRejects, firstReject, rejectsTables } from './sources/rejects';

// Wide CSVs (one row per time, one column per signal; `,` `;` or tab): per-pump operational data
// (seed 000) and test-bed files (SKAB). A column mapping says which column is flow, head,
// power and efficiency; it is saved per pump in the project.

export const MAPPED_PARAMETERS = ['flow', 'head', 'power', 'efficiency'] as const;
export type MappedParameter = (typeof MAPPED_PARAMETERS)[number];
export type ColumnMapping = Partial<Record<MappedParameter, string>>;

const GUESSES: Record<MappedParameter, RegExp> = {
  flow: /flow/i,
  head: /discharge pressure|head|^pressure/i,
  power: /power|kw|hp\b/i,
  efficiency: /efficien/i,
};

/** A first mapping by column names (seed 000 and SKAB names); the user confirms or edits it. */
export function guessMapping(columns: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const parameter of MAPPED_PARAMETERS) {
    const column = columns.find((c) => GUESSES[parameter].test(c) && !Object.values(mapping).includes(c));
    if (column) mapping[parameter] = column;
  }
  return mapping;
}

export async function savedMapping(db: StationDb, pump: string): Promise<ColumnMapping | undefined> {
  return readMeta<ColumnMapping>(db, `column_mapping:${pump}`);
}

export interface WideImportSummary {
  file: string;
  pump: string;
  rows: number;
  first: string | null;
  last: string | null;
  mapping: ColumnMapping;
  replacedRows: number;
}

function validateMapping(file: DetectedFile, mapping: ColumnMapping): void {
  for (const [parameter, column] of Object.entries(mapping)) {
    if (column && !file.columns.includes(column)) {
      throw new ApiError(
        'bad_input',
        `${file.name}: line 1: the mapping puts ${parameter} in column ${excerpt(column)}, which is not in the file (columns ${excerptList(file.columns)})`,
      );
    }
  }
  if (!mapping.flow && !mapping.head && !mapping.power && !mapping.efficiency) {
    throw new ApiError('bad_input', `${file.name}: no column is mapped to flow, head, power or efficiency`);
  }
}

/**
 * Imports a wide CSV for one pump, read with the layout its head shows (delimiter, units row,
 * decimal comma, missing values as NULL). A value that is neither a number nor a missing-value
 * spelling fails the import naming line and column; a row without a readable time too. Rows at
 * times already present for the pump are replaced, so re-importing changes nothing.
 */
// Long because the checks of a per-pump wide CSV come one after another, each naming its line and field.
export async function importWideCsv(
  db: StationDb,
  path: string,
  pump: string,
  mappingGiven?: ColumnMapping,
): Promise<WideImportSummary> {
  const file = await detectFile(path);
  const layout = file.layout;
  if (file.kind !== 'wide' || layout?.kind !== 'wide')
    throw new ApiError(
      'bad_input',
      `${file.name}: line 1: not a wide CSV with a time column (columns ${excerptList(file.columns)})`,
    );
  const mapping = mappingGiven ?? (await savedMapping(db, pump)) ?? guessMapping(file.columns);
  validateMapping(file, mapping);
  if (!layout.timeFormat)
    throw new ApiError(
      'bad_input',
      `${file.name}: every date could be month/day or day/month: PumpDeck cannot tell which`,
    );
  const signals = layout.signals.map((s) => s.name);
  const at = (name: string) => `c${layout.columns.indexOf(name)}`;
  const time = layout.time;
  const text = 'timestamp' in time ? at(time.timestamp) : `(trim(${at(time.date)}) || ' ' || trim(${at(time.time)}))`;
  const types = layout.columns.map((c) => (signals.includes(c) ? 'DOUBLE' : 'VARCHAR'));
  const rejects = rejectsTables();
  const col = (p: MappedParameter) =>
    mapping[p] && signals.includes(mapping[p] as string) ? at(mapping[p] as string) : 'NULL';
  const row = file.preview[0] ?? [];
  const sample =
    'timestamp' in time
      ? (row[layout.columns.indexOf(time.timestamp)] ?? '')
      : `${row[layout.columns.indexOf(time.date)] ?? ''} ${row[layout.columns.indexOf(time.time)] ?? ''}`;
  return db.isolated(async (db) => {
    try {
      await db.run(`CREATE OR REPLACE TEMP TABLE wide_stage AS
        SELECT make_timestamp(${timeSql(text, layout.timeFormat as TimeFormat, sample)}) AS ts, *, row_number() OVER () AS n
        FROM ${readCsvSql(path, layout, types, rejects.options)}`);
      const rejected = await firstReject(
        db,
        rejects,
        file.name,
        (c) => layout.columns[Number(c.slice(1))] ?? c,
        (c) => signals.includes(layout.columns[Number(c.slice(1))] ?? ''),
        layout.delimiter,
        layout.columns.length,
      );
      if (rejected) throw rejected;
    } finally {
      await dropRejects(db, rejects);
    }
    const noTime = await db.one<{ n: number }>(`SELECT min(n) AS n FROM wide_stage WHERE ts IS NULL`);
    if (noTime?.n != null) {
      const bad = await findFirstBadRow(path, layout.delimiter, layout.headerLines, (cells) => {
        const t =
          'timestamp' in time
            ? (cells[layout.columns.indexOf(time.timestamp)] ?? '')
            : `${cells[layout.columns.indexOf(time.date)] ?? ''} ${cells[layout.columns.indexOf(time.time)] ?? ''}`;
        return Number.isNaN(parseTime(t.trim(), layout.timeFormat as TimeFormat))
          ? { field: file.timeColumn ?? 'time', value: t, why: '' }
          : null;
      });
      throw new ApiError(
        'bad_input',
        `${file.name}: line ${bad?.line ?? '?'}: field ${file.timeColumn}: cannot read ${excerpt(bad?.value ?? '')} as a time`,
        {
          line: bad?.line,
        },
      );
    }
    const rows = (await db.one<{ n: number }>(`SELECT count(*) AS n FROM wide_stage`))?.n ?? 0;
    if (rows === 0) throw new ApiError('bad_input', `${file.name}: line 2: no data rows after the header`);
    const replaced =
      (
        await db.one<{ n: number }>(
          `SELECT count(*) AS n FROM pump_operational o WHERE pump = ? AND "Timestamp" IN (SELECT ts FROM wide_stage)`,
          [pump],
        )
      )?.n ?? 0;
    await db.run(`DELETE FROM pump_operational WHERE pump = ? AND "Timestamp" IN (SELECT ts FROM wide_stage)`, [pump]);
    await db.run(
      `INSERT INTO pump_operational SELECT ?, ts, ${col('flow')}, ${col('head')}, ${col('power')}, ${col('efficiency')},
         to_json({${signals.map((s) => `${literal(s)}: ${at(s)}`).join(', ')}}), ? FROM wide_stage`,
      [pump, path],
    );
    await writeMeta(db, `column_mapping:${pump}`, mapping);
    const range = await db.one<{ first: string; last: string }>(
      `SELECT strftime(min(ts), '%Y-%m-%d %H:%M:%S') AS first, strftime(max(ts), '%Y-%m-%d %H:%M:%S') AS last FROM wide_stage`,
    );
    await db.run(`DROP TABLE wide_stage`);
    return {
      file: path,
      pump,
      rows,
      first: range?.first ?? null,
      last: range?.last ?? null,
      mapping,
      replacedRows: replaced,
    };
  });
}
