import { STATION_TABLES } from '../src-main/db/schema';
import type { StationDb } from '../src-main/db/stationDb';

/** A fingerprint of every station table (content, not row ids): equal means nothing changed. */
export async function stationFingerprint(db: StationDb): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of STATION_TABLES) {
    const exclude = table === 'pump_sessions' || table === 'alerts_log' ? ' EXCLUDE (id)' : '';
    const row = await db.one<{ h: string | null; n: number }>(
      `SELECT md5(coalesce(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR), '')) AS h, count(*) AS n FROM (SELECT *${exclude} FROM ${table}) x`,
    );
    result[table] = `${row!.n}:${row!.h}`;
  }
  return result;
}

const SORT_KEYS: Record<string, string> = {
  readings_wide: '"Timestamp"',
  pump_sessions: 'pump, start_time',
  alerts_log: 'timestamp, rule, pump',
  hourly_profile: 'date, hour',
  daily_summary: 'date',
  pump_health: 'date, pump',
};

/**
 * Differences between the station tables of two databases, doubles compared to a relative 1e-9
 * (windowed sums differ in the last bits with the order DuckDB adds them in). Empty when equal.
 */
export async function stationDifferences(a: StationDb, b: StationDb): Promise<string[]> {
  const differences: string[] = [];
  for (const table of STATION_TABLES) {
    const query = `SELECT * ${table === 'pump_sessions' || table === 'alerts_log' ? 'EXCLUDE (id)' : ''} FROM ${table} ORDER BY ${SORT_KEYS[table]}`;
    const [x, y] = [await a.all(query), await b.all(query)];
    if (x.length !== y.length) {
      differences.push(`${table}: ${x.length} rows vs ${y.length}`);
      continue;
    }
    x.forEach((row, i) => {
      for (const [column, value] of Object.entries(row)) {
        const other = y[i][column];
        const same =
          typeof value === 'number' && typeof other === 'number'
            ? Math.abs(value - other) <= 1e-9 * Math.max(1, Math.abs(value))
            : value === other;
        if (!same && differences.length < 20)
          differences.push(`${table} row ${i} ${column}: ${String(value)} vs ${String(other)}`);
      }
    });
  }
  return differences;
}
