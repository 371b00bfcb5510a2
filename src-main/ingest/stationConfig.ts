import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { StationSettings } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import {
  DEFAULT_CONSTANTS,
  type SeedConstants,
  type StationField,
  type StationModel,
  seedStation,
} from '../../src-shared/station/model';
import { parseStationText, type StationInput } from '../../src-shared/station/parse';
import { readMeta, writeMeta } from '../db/schema';
import type { StationDb } from '../db/stationDb';

// The station model as the project keeps it: the model, which of its constants PumpDeck derived
// from the data (shown as such), and whether the model itself was suggested from the data.

export type { StationField };

/** The station model as stored, with the fields PumpDeck derived from the data. */
export type StoredStation = StationSettings;

export async function readStationFile(path: string): Promise<StationInput> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new ApiError('bad_input', `${basename(path)}: no such file`);
  });
  return parseStationText(text, basename(path));
}

/** The model in a stored value: today's shape, or the seed 002 constants of older projects. */
export function migrateStation(stored: unknown): StoredStation | undefined {
  if (!stored || typeof stored !== 'object') return undefined;
  const value = stored as Partial<StoredStation> & Partial<SeedConstants>;
  const config = (value.config ?? value) as Partial<StationModel> & Partial<SeedConstants>;
  const derived = value.config ? (value.derived ?? []) : [];
  if (Array.isArray(config.pumps)) return { ...(value as StoredStation) };
  // A project made before the station model holds the seed's four constants: the seed's station.
  return { config: seedStation({ ...DEFAULT_CONSTANTS, ...config }), derived };
}

export async function loadStation(db: StationDb): Promise<StoredStation | undefined> {
  return migrateStation(await readMeta<unknown>(db, 'station'));
}

/** The stored model, or the seed's station (nothing derived) for a project that has none yet. */
export async function currentStation(db: StationDb): Promise<StoredStation> {
  return (await loadStation(db)) ?? { config: seedStation(), derived: [] };
}

export async function saveStation(db: StationDb, station: StoredStation): Promise<void> {
  await writeMeta(db, 'station', station);
}
