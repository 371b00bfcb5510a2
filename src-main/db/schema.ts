import { DEFAULT_TAGS } from '../../src-shared/tags';
import type { StationDb } from './stationDb';
import { ident } from './stationDb';

// Table names and column names are the seed's (seed 002 §5-7): raw tag names are column names.

/** Raw columns of readings_wide: one row per minute, one DOUBLE per PLC tag. */
export function readingsWideColumns(tags: readonly string[] = DEFAULT_TAGS): string {
  return ['"Timestamp" TIMESTAMP PRIMARY KEY', '"Marker" VARCHAR', ...tags.map((tag) => `${ident(tag)} DOUBLE`)].join(
    ',\n  ',
  );
}

export async function ensureSchema(db: StationDb): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS project_meta (key VARCHAR PRIMARY KEY, value JSON NOT NULL)`);
  await db.run(`CREATE TABLE IF NOT EXISTS readings_wide (\n  ${readingsWideColumns()}\n)`);
}

export async function readMeta<T>(db: StationDb, key: string): Promise<T | undefined> {
  const row = await db.one<{ value: string }>(`SELECT value::VARCHAR AS value FROM project_meta WHERE key = ?`, [key]);
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export async function writeMeta(db: StationDb, key: string, value: unknown): Promise<void> {
  await db.run(`INSERT OR REPLACE INTO project_meta VALUES (?, ?::JSON)`, [key, JSON.stringify(value)]);
}
