import { rm, writeFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import Papa from 'papaparse';
import type { SqlResult } from '../../src-shared/api/contract';
import { literal } from '../db/stationDb';

// A console result written as a file: CSV (papaparse quotes what needs quoting; nested values as
// JSON), or Parquet through an in-memory DuckDB of our own (the sandbox cannot write files): the
// CSV read back with the result's column types, copied to Parquet. Only our SQL runs there.

const cell = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v);

export function resultCsv(result: Pick<SqlResult, 'columns' | 'rows'>): string {
  return `${Papa.unparse({ fields: result.columns.map((c) => c.name), data: result.rows.map((r) => r.map(cell)) }, { newline: '\n' })}\n`;
}

/** Types that come back from CSV text as themselves; anything else (lists, structs, maps) as text. */
const SCALAR =
  /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|DATE|TIME|TIMESTAMP|TIMESTAMP WITH TIME ZONE|VARCHAR|INTERVAL|UUID)$/;

export async function writeParquet(result: Pick<SqlResult, 'columns' | 'rows'>, path: string): Promise<void> {
  const csv = `${path}.csv`;
  await writeFile(csv, resultCsv(result));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const columns = result.columns
      .map((c, i) => `${literal(`c${i}`)}: ${literal(SCALAR.test(c.type) ? c.type : 'VARCHAR')}`)
      .join(', ');
    const names = result.columns.map((c, i) => `c${i} AS "${c.name.replace(/"/g, '""')}"`).join(', ');
    await connection.run(
      `COPY (SELECT ${names || '*'} FROM read_csv(${literal(csv)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${columns}}))
       TO ${literal(path)} (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(csv, { force: true });
  }
}
