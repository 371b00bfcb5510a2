import Papa from 'papaparse';
import { ApiError } from '../../../src-shared/api/errors';
import { excerpt } from '../../../src-shared/text/excerpt';
import type { StationDb } from '../../db/stationDb';
import { overlongLineError } from './csvScan';

// DuckDB's CSV reader records each row it could not read (store_rejects): file, line, column and
// what went wrong. The first one becomes the import's error, in the operator's words.

let counter = 0;

/** Names for one read's rejects tables, unique in this process. */
export function rejectsTables(): { table: string; scan: string; options: string } {
  const id = `${process.pid}_${++counter}`;
  return {
    table: `rejects_${id}`,
    scan: `scans_${id}`,
    options: `store_rejects = true, rejects_table = 'rejects_${id}', rejects_scan = 'scans_${id}'`,
  };
}

export async function dropRejects(db: StationDb, tables: { table: string; scan: string }): Promise<void> {
  for (const t of [tables.table, tables.scan]) await db.run(`DROP TABLE IF EXISTS ${t}`).catch(() => {});
}

/**
 * The first rejected row as an error naming file, line and field, or null. `fieldOf` gives the
 * header name of a column as DuckDB calls it; `isNumber` says whether that field holds numbers.
 */
export async function firstReject(
  db: StationDb,
  tables: { table: string },
  name: string,
  fieldOf: (column: string) => string,
  isNumber: (column: string) => boolean,
  delimiter: string,
  columns: number,
): Promise<ApiError | null> {
  const reject = await db.one<{ line: number; column_name: string | null; error_type: string; csv_line: string }>(
    `SELECT line, column_name, error_type::VARCHAR AS error_type, csv_line FROM ${tables.table} ORDER BY line LIMIT 1`,
  );
  if (!reject) return null;
  const field = reject.column_name ? fieldOf(reject.column_name) : null;
  const at = `${name}: line ${reject.line}: ${field ? `field ${field}: ` : ''}`;
  const details = { line: reject.line, field };
  const cells = Papa.parse<string[]>(reject.csv_line, { delimiter }).data[0] ?? [];
  // A row of the wrong length says how many fields it has, whatever error DuckDB files it under.
  const truncated = reject.error_type === 'MISSING COLUMNS';
  if (truncated || (reject.error_type !== 'LINE SIZE OVER MAXIMUM' && cells.length !== columns))
    return new ApiError(
      'bad_input',
      `${name}: line ${reject.line}: ${cells.length} fields where the header has ${columns}${truncated ? ' (a truncated line?)' : ''}: ${excerpt(reject.csv_line, 60)}`,
      { line: reject.line },
    );
  switch (reject.error_type) {
    case 'CAST': {
      // Positional columns are c0, c1, ...: the cell is that field of the line.
      const index = Number(reject.column_name?.slice(1));
      const cell = Number.isInteger(index) ? (cells[index] ?? '') : reject.csv_line;
      return new ApiError(
        'bad_input',
        `${at}cannot read ${excerpt(cell.trim())} as ${reject.column_name && isNumber(reject.column_name) ? 'a number' : 'text'}`,
        details,
      );
    }
    case 'TOO MANY COLUMNS':
      return new ApiError('bad_input', `${at}too many fields: ${excerpt(reject.csv_line, 60)}`, details);
    case 'LINE SIZE OVER MAXIMUM':
      return new ApiError('bad_input', `${at}the line is too long to be a row of this file`, details);
    case 'INVALID UNICODE':
      return new ApiError('bad_input', `${at}not valid UTF-8 text`, details);
    default:
      return new ApiError('bad_input', `${at}cannot read this row (${reject.error_type.toLowerCase()})`, details);
  }
}

/**
 * DuckDB's side of a CSV read's refusal: a line too long for its reader, else its first rejected
 * row, named by line and field (the rejects tables are dropped either way). `isNumber` takes a
 * column's position in the layout.
 */
export async function csvReadRefusal(
  db: StationDb,
  tables: { table: string; scan: string },
  file: { path: string; name: string },
  layout: { columns: string[]; delimiter: string },
  isNumber: (position: number) => boolean,
): Promise<ApiError | null> {
  try {
    const overlong = await overlongLineError(file.path, file.name);
    if (overlong) return overlong;
    const position = (column: string) => Number(column.slice(1));
    return await firstReject(
      db,
      tables,
      file.name,
      (c) => layout.columns[position(c)] ?? c,
      (c) => isNumber(position(c)),
      layout.delimiter,
      layout.columns.length,
    );
  } finally {
    await dropRejects(db, tables);
  }
}
