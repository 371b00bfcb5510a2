import { ApiError } from '../../src-shared/api/errors';
import { readMeta, writeMeta } from '../db/schema';
import { ident, literal, type StationDb } from '../db/stationDb';
import { type DetectedFile, detectFile } from './detect';

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
        `${file.name}: line 1: the mapping puts ${parameter} in column '${column}', which is not in the file (columns: ${file.columns.join(', ')})`,
      );
    }
  }
  if (!mapping.flow && !mapping.head && !mapping.power && !mapping.efficiency) {
    throw new ApiError('bad_input', `${file.name}: no column is mapped to flow, head, power or efficiency`);
  }
}

/**
 * Imports a wide CSV for one pump. Every non-time column must be numeric (a label column such as
 * SKAB's `anomaly` is kept as a signal too); a bad value fails the import naming line and column.
 * Rows at times already present for the pump are replaced, so re-importing changes nothing.
 */
export async function importWideCsv(
  db: StationDb,
  path: string,
  pump: string,
  mappingGiven?: ColumnMapping,
): Promise<WideImportSummary> {
  const file = await detectFile(path);
  if (file.kind !== 'wide')
    throw new ApiError(
      'bad_input',
      `${file.name}: line 1: not a wide CSV with a time column (columns: ${file.columns.join(', ')})`,
    );
  const mapping = mappingGiven ?? (await savedMapping(db, pump)) ?? guessMapping(file.columns);
  validateMapping(file, mapping);
  const time = file.timeColumn!;
  const signals = file.columns.filter((c) => c !== time);
  const types = file.columns.map((c) => `${literal(c)}: '${c === time ? 'TIMESTAMP' : 'DOUBLE'}'`).join(', ');
  const id = `wide_${process.pid}_${Date.now()}`;
  const col = (p: MappedParameter) => (mapping[p] ? ident(mapping[p]!) : 'NULL');
  return db.transaction(async () => {
    await db.run(`CREATE OR REPLACE TEMP TABLE wide_stage AS SELECT * FROM read_csv(${literal(path)}, header = true, auto_detect = false, delim = ${literal(file.delimiter)},
      columns = {${types}}, store_rejects = true, rejects_table = 'rej_${id}', rejects_scan = 'scan_${id}')`);
    const reject = await db.one<{ line: number; column_name: string | null; csv_line: string; error_type: string }>(
      `SELECT line, column_name, csv_line, error_type::VARCHAR AS error_type FROM rej_${id} ORDER BY line LIMIT 1`,
    );
    await db.run(`DROP TABLE IF EXISTS rej_${id}`);
    await db.run(`DROP TABLE IF EXISTS scan_${id}`);
    if (reject) {
      const value = reject.column_name
        ? reject.csv_line.split(file.delimiter)[file.columns.indexOf(reject.column_name)]
        : reject.csv_line;
      const what =
        reject.error_type === 'CAST'
          ? `cannot read '${value}' as ${reject.column_name === time ? 'a time' : 'a number'}`
          : `${reject.error_type.toLowerCase()}: '${reject.csv_line}'`;
      throw new ApiError(
        'bad_input',
        `${file.name}: line ${reject.line}: ${reject.column_name ? `field ${reject.column_name}: ` : ''}${what}`,
        { line: reject.line, field: reject.column_name },
      );
    }
    const rows = (await db.one<{ n: number }>(`SELECT count(*) AS n FROM wide_stage`))!.n;
    if (rows === 0) throw new ApiError('bad_input', `${file.name}: line 2: no data rows after the header`);
    const replaced = (await db.one<{ n: number }>(
      `SELECT count(*) AS n FROM pump_operational o WHERE pump = ? AND "Timestamp" IN (SELECT ${ident(time)} FROM wide_stage)`,
      [pump],
    ))!.n;
    await db.run(
      `DELETE FROM pump_operational WHERE pump = ? AND "Timestamp" IN (SELECT ${ident(time)} FROM wide_stage)`,
      [pump],
    );
    await db.run(
      `INSERT INTO pump_operational SELECT ?, ${ident(time)}, ${col('flow')}, ${col('head')}, ${col('power')}, ${col('efficiency')},
         to_json({${signals.map((s) => `${literal(s)}: ${ident(s)}`).join(', ')}}), ? FROM wide_stage`,
      [pump, path],
    );
    await writeMeta(db, `column_mapping:${pump}`, mapping);
    const range = (await db.one<{ first: string; last: string }>(
      `SELECT strftime(min(${ident(time)}), '%Y-%m-%d %H:%M:%S') AS first, strftime(max(${ident(time)}), '%Y-%m-%d %H:%M:%S') AS last FROM wide_stage`,
    ))!;
    await db.run(`DROP TABLE wide_stage`);
    return { file: path, pump, rows, first: range.first, last: range.last, mapping, replacedRows: replaced };
  });
}
