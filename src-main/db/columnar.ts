import { DATE, DOUBLE, type DuckDBDataChunk, type DuckDBType, INTEGER, TIMESTAMP, VARCHAR } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

// Column-at-a-time access to DuckDB data chunks, for the few places that move millions of values
// between DuckDB and JS (the historian pivot, the derived columns). Values are read as typed-array
// views of the vector and written with one copy per column, instead of one call per value.

const ROWS_PER_CHUNK = duckdb.vector_size();

/**
 * A chunk's native memory is freed only when its JS wrapper is collected, and V8 does not count
 * that memory, so streaming a year of samples (7,000 chunks) held ~300 MB until a collection
 * happened to run. A minor collection every few hundred chunks keeps it flat (measured, issue 4).
 * The collector is V8's `gc`, there when the process was started with --expose-gc (bin/pumpdeck,
 * the Electron main and the benches pass it); without it memory still returns, later.
 */
const gc =
  typeof (globalThis as { gc?: unknown }).gc === 'function'
    ? ((globalThis as { gc: unknown }).gc as (options?: { type: 'minor'; execution: 'sync' }) => void)
    : null;

export function collectYoungGarbage(): void {
  gc?.({ type: 'minor', execution: 'sync' });
}

/**
 * A full collection, for after a step that dropped hundreds of MB of typed arrays (the pivot's day
 * blocks once copied into the frame): V8 frees their memory only when it collects the old space.
 */
export function collectGarbage(): void {
  gc?.();
}

/** A chunk column's vector, refusing any other type than the one read (a wrong width reads past the data). */
function typedVector(chunk: DuckDBDataChunk, column: number, type: duckdb.Type, name: string): duckdb.Vector {
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
  const actual = duckdb.get_type_id(duckdb.vector_get_column_type(vector));
  if (actual !== type) throw new Error(`column ${column} is ${duckdb.Type[actual]}, read as ${name}`);
  return vector;
}

/** A chunk column as a typed array view (valid until the chunk is released). */
export function int32Column(chunk: DuckDBDataChunk, column: number): Int32Array {
  const rows = chunk.rowCount;
  const data = duckdb.vector_get_data(typedVector(chunk, column, duckdb.Type.INTEGER, 'INTEGER'), rows * 4);
  return new Int32Array(data.buffer, data.byteOffset, rows);
}

export function float64Column(chunk: DuckDBDataChunk, column: number): Float64Array {
  const rows = chunk.rowCount;
  const data = duckdb.vector_get_data(typedVector(chunk, column, duckdb.Type.DOUBLE, 'DOUBLE'), rows * 8);
  return new Float64Array(data.buffer, data.byteOffset, rows);
}

/** The validity bitmap of a chunk column (bit i set = row i not NULL), or null when no row is NULL. */
export function validityMask(chunk: DuckDBDataChunk, column: number): Uint8Array | null {
  const mask = duckdb.vector_get_validity(
    duckdb.data_chunk_get_vector(chunk.chunk, column),
    Math.ceil(chunk.rowCount / 64) * 8,
  );
  return mask && mask.byteLength > 0 ? mask : null;
}

export const isValid = (mask: Uint8Array | null, row: number): boolean =>
  mask === null || ((mask[row >> 3] >> (row & 7)) & 1) === 1;

/** One column to append: NaN (doubles) or null (text) is stored as NULL. */
export type AppendColumn =
  | { type: 'timestamp'; epochMs: Float64Array }
  | { type: 'date'; epochDays: Int32Array }
  | { type: 'integer'; values: Int32Array; nulls?: Uint8Array }
  | { type: 'double'; values: Float64Array }
  | { type: 'varchar'; values: ArrayLike<string | null> };

const DUCK_TYPES: Record<AppendColumn['type'], DuckDBType> = {
  timestamp: TIMESTAMP,
  date: DATE,
  integer: INTEGER,
  double: DOUBLE,
  varchar: VARCHAR,
};

function copyTo(vector: duckdb.Vector, data: ArrayBufferView): void {
  duckdb.copy_data_to_vector(vector, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}

/** A validity bitmap for `rows` rows, all valid. */
const allValid = (rows: number) => new Uint8Array(Math.ceil(rows / 64) * 8).fill(0xff);
const setNull = (mask: Uint8Array, row: number) => (mask[row >> 3] &= ~(1 << (row & 7)));

function writeValidity(vector: duckdb.Vector, mask: Uint8Array | null): void {
  if (!mask) return;
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer as ArrayBuffer, mask.byteOffset, mask.byteLength);
}

function fillVector(vector: duckdb.Vector, column: AppendColumn, from: number, rows: number): void {
  switch (column.type) {
    case 'timestamp': {
      // Microseconds as int64, written as two 32-bit halves (exact below 2^53: about 285 years).
      const words = new Uint32Array(rows * 2);
      for (let r = 0; r < rows; r++) {
        const us = column.epochMs[from + r] * 1000;
        const high = Math.floor(us / 4294967296);
        words[2 * r] = us - high * 4294967296;
        words[2 * r + 1] = high;
      }
      copyTo(vector, words);
      return;
    }
    case 'date':
      copyTo(vector, column.epochDays.subarray(from, from + rows));
      return;
    case 'integer': {
      copyTo(vector, column.values.subarray(from, from + rows));
      let mask: Uint8Array | null = null;
      if (column.nulls)
        for (let r = 0; r < rows; r++)
          if (column.nulls[from + r] === 1) {
            mask ??= allValid(rows);
            setNull(mask, r);
          }
      writeValidity(vector, mask);
      return;
    }
    case 'double': {
      const values = column.values.subarray(from, from + rows);
      copyTo(vector, values);
      let mask: Uint8Array | null = null;
      for (let r = 0; r < rows; r++)
        if (Number.isNaN(values[r])) {
          mask ??= allValid(rows);
          setNull(mask, r);
        }
      writeValidity(vector, mask);
      return;
    }
    case 'varchar': {
      let mask: Uint8Array | null = null;
      for (let r = 0; r < rows; r++) {
        const text = column.values[from + r];
        if (text === null) {
          mask ??= allValid(rows);
          setNull(mask, r);
        } else duckdb.vector_assign_string_element(vector, r, text);
      }
      writeValidity(vector, mask);
    }
  }
}

/** DuckDB's type for each column. */
export const columnTypes = (columns: AppendColumn[]): DuckDBType[] => columns.map((c) => DUCK_TYPES[c.type]);

/** Writes rows from..from+rows of `columns` into `chunk` (whose vectors have those types). */
export function fillChunk(chunk: DuckDBDataChunk, columns: AppendColumn[], from: number, rows: number): void {
  chunk.rowCount = rows;
  columns.forEach((column, i) => {
    fillVector(duckdb.data_chunk_get_vector(chunk.chunk, i), column, from, rows);
  });
}

export { ROWS_PER_CHUNK };
