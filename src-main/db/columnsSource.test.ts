import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers';
import { StationDb } from './stationDb';

const dir = tempDir();

describe('inserting columns held in JS', () => {
  it('every type round-trips, NaN and null become NULL, across several chunks, inside the transaction', async () => {
    const db = await StationDb.open(join(dir, 'columns.duckdb'));
    await db.run(`CREATE TABLE t (ts TIMESTAMP, d DATE, i INTEGER, x DOUBLE, s VARCHAR)`);
    const n = 5000; // three of DuckDB's 2048-row chunks
    const ms = Float64Array.from({ length: n }, (_, r) => Date.UTC(2025, 2, 1) + r * 60_000 + (r % 7) * 1000);
    const columns = [
      { type: 'timestamp' as const, epochMs: ms },
      { type: 'date' as const, epochDays: Int32Array.from(ms, (t) => Math.floor(t / 86_400_000)) },
      {
        type: 'integer' as const,
        values: Int32Array.from({ length: n }, (_, r) => r - 100),
        nulls: Uint8Array.from({ length: n }, (_, r) => (r % 1000 === 3 ? 1 : 0)),
      },
      {
        type: 'double' as const,
        values: Float64Array.from({ length: n }, (_, r) => (r % 500 === 0 ? Number.NaN : r / 3)),
      },
      { type: 'varchar' as const, values: Array.from({ length: n }, (_, r) => (r % 2 ? 'B' : r % 3 ? null : 'S')) },
    ];
    await db
      .transaction(async () => {
        await db.insertColumns('t', columns, n);
        const rows = await db.all(`SELECT epoch_ms(ts)::DOUBLE AS ts, d::VARCHAR AS d, i, x, s FROM t ORDER BY ts`);
        expect(rows.length).toBe(n);
        for (const r of [0, 3, 2047, 2048, 2049, 4999]) {
          expect(rows[r]).toEqual({
            ts: ms[r],
            d: new Date(ms[r]).toISOString().slice(0, 10),
            i: r % 1000 === 3 ? null : r - 100,
            x: r % 500 === 0 ? null : r / 3,
            s: r % 2 ? 'B' : r % 3 ? null : 'S',
          });
        }
        throw new Error('roll back');
      })
      .catch((error: Error) => expect(error.message).toBe('roll back'));
    expect(await db.one(`SELECT count(*) AS n FROM t`)).toEqual({ n: 0 });
    db.close();
  });
});
