import { ApiError } from '../../src-shared/api/errors';
import { rawMinutes } from '../../src-shared/minuteFrame';
import { deriveStation, observedOf } from '../../src-shared/station/derive';
import type { StationField, StationModel } from '../../src-shared/station/model';
import type { StationInput } from '../../src-shared/station/parse';
import { samplingOf } from '../../src-shared/station/realTime';
import { type Suggestion, suggestStation } from '../../src-shared/station/suggest';
import { ensurePumpTables, rawTagColumns } from '../db/schema';
import type { StationDb } from '../db/stationDb';
import { applyMinutes } from './applyMinutes';
import { loadMinutes } from './minuteFrame';
import { currentStation, type StoredStation, saveStation } from './stationConfig';

// Changing the station (a new model, new constants) recomputes everything that depends on it: the
// derived columns, then every table, for its pumps, in one transaction on its own connection.

/** The whole of readings_wide's raw part, and its time range (null when there is no data). */
async function allMinutes(db: StationDb) {
  const range = await db.one<{ lo: number | null; hi: number | null }>(
    `SELECT epoch_ms(min("Timestamp"))::DOUBLE AS lo, epoch_ms(max("Timestamp"))::DOUBLE AS hi FROM readings_wide`,
  );
  if (range?.lo == null || range.hi == null) return null;
  return { frame: await loadMinutes(db, await rawTagColumns(db), range.lo, range.hi), lo: range.lo, hi: range.hi };
}

/** Saves `station` and rebuilds everything from it. */
export async function updateStation(mainDb: StationDb, station: StoredStation): Promise<void> {
  try {
    await mainDb.isolated(async (db) => {
      await saveStation(db, station);
      if (
        await ensurePumpTables(
          db,
          station.config.pumps.map((p) => p.id),
        )
      )
        await db.run('DELETE FROM pump_sessions');
      const all = await allMinutes(db);
      if (all) await applyMinutes(db, station.config, all.frame, all.lo, all.hi, null);
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new Error('station update failed', { cause: error });
  }
}

/** A station model given whole (station.json, the editor): its missing constants derived from all the data. */
export async function setStationModel(db: StationDb, input: StationInput): Promise<StoredStation> {
  const all = await allMinutes(db);
  const interval = all ? samplingOf(all.frame.times).interval : 1;
  const station = all
    ? deriveStation(input, observedOf(rawMinutes(all.frame), input.model, interval, input.missing.includes('rated_kw')))
    : { config: input.model, derived: input.missing };
  await updateStation(db, station);
  return station;
}

/** The constants the settings page edits, set on the current model. */
export interface ConstantsEdit {
  rated_kw?: number;
  hlt_physical_max?: number;
  fit101_physical_max?: number;
  daily_energy_budget_kwh?: number;
  peak_hours?: Array<[number, number]>;
  interval_min?: number;
}

export async function updateConstants(db: StationDb, edit: ConstantsEdit): Promise<StoredStation> {
  const current = await currentStation(db);
  const config: StationModel = structuredClone(current.config);
  if (edit.rated_kw !== undefined) for (const p of config.pumps) if (p.kw) p.rated_kw = edit.rated_kw;
  if (edit.hlt_physical_max !== undefined && config.level) config.level.max = edit.hlt_physical_max;
  if (edit.fit101_physical_max !== undefined && config.flow) config.flow.max = edit.fit101_physical_max;
  if (edit.daily_energy_budget_kwh !== undefined) config.daily_energy_budget_kwh = edit.daily_energy_budget_kwh;
  if (edit.peak_hours !== undefined) config.peak_hours = edit.peak_hours;
  if (edit.interval_min !== undefined) config.interval_min = edit.interval_min;
  const given = Object.keys(edit) as StationField[];
  const next = { ...current, config, derived: current.derived.filter((f) => !given.includes(f)) };
  await updateStation(db, next);
  return next;
}

/** A model suggested from the data stored (readings_wide and the units files gave). */
export async function suggestFromData(db: StationDb, name?: string): Promise<Suggestion> {
  const all = await allMinutes(db);
  if (!all) throw new ApiError('bad_input', 'no data yet: import a historian export first');
  const units = await db.all<{ tag: string; unit: string | null }>(`SELECT tag, unit FROM tag_meta`);
  const unitOf = new Map(units.map((u) => [u.tag, u.unit]));
  const current = await currentStation(db);
  return suggestStation(
    rawMinutes(all.frame),
    all.frame.tags.map((tag) => ({ tag, unit: unitOf.get(tag) ?? null })),
    name ?? current.config.name,
  );
}
