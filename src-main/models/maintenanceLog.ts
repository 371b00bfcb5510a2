import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { MaintenanceEntry } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import type { MaintenanceEvent, MaintenanceKind } from '../../src-shared/models/labels';
import { excerpt } from '../../src-shared/text/excerpt';
import { formatTimestamp, parseTimestamp } from '../../src-shared/time';
import { literal, type StationDb } from '../db/stationDb';
import { currentStation } from '../ingest/stationConfig';

// The maintenance log: failure / repair / overhaul dates per pump, kept in the console or
// imported as CSV (`pump,date,kind[,note]`). Failures are the labels of the models.

export const MAINTENANCE_KINDS: readonly MaintenanceKind[] = ['failure', 'repair', 'overhaul'];

/** The pumps a maintenance entry may name: the station model's and those with baselines or operational data. */
export async function knownPumps(db: StationDb): Promise<Set<string>> {
  const rows = await db.all<{ pump: string }>(
    `SELECT well_id AS pump FROM pump_baselines UNION SELECT DISTINCT pump FROM pump_operational`,
  );
  const { config } = await currentStation(db);
  return new Set([...config.pumps.map((p) => p.id), ...rows.map((r) => r.pump)]);
}

function check(
  entry: { pump?: string | null; at?: string | null; kind?: string | null },
  pumps: Set<string>,
): string | null {
  if (!entry.pump?.trim()) return 'field pump: empty';
  if (!pumps.has(entry.pump.trim()))
    return `field pump: ${excerpt(entry.pump.trim(), 40)} is not a pump of this station (${[...pumps].slice(0, 12).join(', ')})`;
  if (!entry.at || Number.isNaN(parseTimestamp(entry.at.length === 10 ? `${entry.at} 00:00` : entry.at)))
    return `field date: not a date: '${entry.at ?? ''}'`;
  if (!MAINTENANCE_KINDS.includes(entry.kind as MaintenanceKind))
    return `field kind: '${entry.kind ?? ''}' is not one of ${MAINTENANCE_KINDS.join(', ')}`;
  return null;
}

const normalise = (at: string) => formatTimestamp(parseTimestamp(at.length === 10 ? `${at} 00:00` : at));

export async function addMaintenance(db: StationDb, entry: MaintenanceEntry): Promise<MaintenanceEntry> {
  const problem = check(entry, await knownPumps(db));
  if (problem) throw new ApiError('bad_input', `maintenance entry: ${problem}`);
  const row = { ...entry, pump: entry.pump.trim(), at: normalise(entry.at) };
  await db.run(`INSERT INTO maintenance_log VALUES (?, ?::TIMESTAMP, ?, ?)`, [row.pump, row.at, row.kind, row.note]);
  return row;
}

export async function listMaintenance(db: StationDb, pump?: string): Promise<MaintenanceEntry[]> {
  return db.all<MaintenanceEntry & Record<string, unknown>>(
    `SELECT pump, strftime(event_at, '%Y-%m-%d %H:%M:%S') AS "at", kind, note FROM maintenance_log WHERE ($pump IS NULL OR pump = $pump) ORDER BY event_at, pump`,
    { pump: pump ?? null },
  );
}

export async function maintenanceEvents(db: StationDb, pump: string): Promise<MaintenanceEvent[]> {
  return asEvents(await listMaintenance(db, pump));
}

/** Log entries as the models' events (times as naive ms). */
export function asEvents(entries: MaintenanceEntry[]): MaintenanceEvent[] {
  return entries.map((e) => ({ pump: e.pump, t: parseTimestamp(e.at), kind: e.kind }));
}

/** Imports `pump,date,kind[,note]`; every line is checked first, then all land in one transaction. */
export async function importMaintenance(db: StationDb, path: string): Promise<{ file: string; entries: number }> {
  const name = basename(path);
  if (!existsSync(path)) throw new ApiError('bad_input', `${name}: no such file`);
  const pumps = await knownPumps(db);
  const rows = await db
    .all<Record<string, string | null>>(
      `SELECT *, row_number() OVER () + 1 AS __line FROM read_csv(${literal(path)}, header = true, all_varchar = true)`,
    )
    .catch((error: Error) => {
      throw new ApiError('bad_input', `${name}: ${error.message.split('\n')[0]}`);
    });
  if (rows.length === 0) throw new ApiError('bad_input', `${name}: line 2: no entries`);
  for (const column of ['pump', 'date', 'kind'])
    if (!(column in rows[0]))
      throw new ApiError('bad_input', `${name}: line 1: missing column ${column} (pump,date,kind[,note])`);
  for (const row of rows) {
    const problem = check({ pump: row.pump, at: row.date?.trim(), kind: row.kind?.trim().toLowerCase() }, pumps);
    if (problem) throw new ApiError('bad_input', `${name}: line ${row.__line}: ${problem}`, { line: row.__line });
  }
  await db.isolated(async (db) => {
    for (const row of rows) {
      await db.run(`DELETE FROM maintenance_log WHERE pump = ? AND event_at = ?::TIMESTAMP AND kind = ?`, [
        String(row.pump).trim(),
        normalise(String(row.date).trim()),
        String(row.kind).trim().toLowerCase(),
      ]);
      await db.run(`INSERT INTO maintenance_log VALUES (?, ?::TIMESTAMP, ?, ?)`, [
        String(row.pump).trim(),
        normalise(String(row.date).trim()),
        String(row.kind).trim().toLowerCase(),
        row.note ?? null,
      ]);
    }
  });
  return { file: path, entries: rows.length };
}
