import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors';
import { parseJsonFile } from '../../src-shared/text/json';
import { DEFAULT_STATION, type StationConfig } from '../../src-shared/station';
import { PUMPS } from '../../src-shared/tags';
import { readMeta, writeMeta } from '../db/schema';
import type { StationDb } from '../db/stationDb';

const positive = z.number().positive();
export const stationSchema = z
  .object({
    name: z.string().min(1),
    rated_kw: z.union([
      positive,
      z.object(Object.fromEntries(PUMPS.map((p) => [p, positive])) as Record<(typeof PUMPS)[number], typeof positive>),
    ]),
    hlt_physical_max: positive,
    fit101_physical_max: positive,
    daily_energy_budget_kwh: positive,
    peak_hours: z.array(z.tuple([z.number().int().min(0).max(24), z.number().int().min(0).max(24)])),
    units: z.object({ level: z.string(), flow: z.string(), volume: z.string() }),
  })
  .partial();

import type { StationField, StationSettings } from '../../src-shared/api/contract';

export type { StationField };

/** The station constants as stored, with the fields PumpDeck derived from the data. */
export type StoredStation = StationSettings;

export function parseStationJson(text: string, name: string): Partial<StationConfig> {
  const json = parseJsonFile(text, name);
  const parsed = stationSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('bad_input', `${name}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data as Partial<StationConfig>;
}

export async function readStationFile(path: string): Promise<Partial<StationConfig>> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new ApiError('bad_input', `${path}: no such file`);
  });
  return parseStationJson(text, basename(path));
}

export async function loadStation(db: StationDb): Promise<StoredStation | undefined> {
  const stored = await readMeta<StoredStation | StationConfig>(db, 'station');
  if (!stored) return undefined;
  // Projects written before the 'derived' list existed hold the bare config.
  return 'config' in stored ? stored : { config: { ...DEFAULT_STATION, ...stored }, derived: [] };
}

/** The stored constants, or the defaults (nothing derived) for a project that has none yet. */
export async function currentStation(db: StationDb): Promise<StoredStation> {
  return (await loadStation(db)) ?? { config: DEFAULT_STATION, derived: [] };
}

export async function saveStation(db: StationDb, station: StoredStation): Promise<void> {
  await writeMeta(db, 'station', station);
}

export interface ObservedMaxima {
  level: number | null;
  flow: number | null;
  kwRunning: number | null;
  dailyKwh: number | null;
}

/**
 * Constants missing from station.json, derived from the data and flagged as derived:
 * hlt_physical_max = the highest level seen, fit101_physical_max = 1.2 x the highest flow,
 * rated_kw = the 99th percentile of a running pump's kW / 0.85 (motors run near 85 % of rating),
 * daily_energy_budget_kwh = 1.1 x the highest day's energy.
 */
export function deriveStation(given: Partial<StationConfig>, observed: ObservedMaxima): StoredStation {
  const derived: StationField[] = [];
  const pick = <K extends StationField>(key: K, value: number | null, fallback: StationConfig[K]): StationConfig[K] => {
    if (given[key] !== undefined) return given[key] as StationConfig[K];
    derived.push(key);
    return (value !== null && value > 0 ? Math.ceil(value * 10) / 10 : fallback) as StationConfig[K];
  };
  const config: StationConfig = {
    ...DEFAULT_STATION,
    ...given,
    hlt_physical_max: pick('hlt_physical_max', observed.level, DEFAULT_STATION.hlt_physical_max),
    fit101_physical_max: pick(
      'fit101_physical_max',
      observed.flow === null ? null : observed.flow * 1.2,
      DEFAULT_STATION.fit101_physical_max,
    ),
    rated_kw: pick(
      'rated_kw',
      observed.kwRunning === null ? null : observed.kwRunning / 0.85,
      DEFAULT_STATION.rated_kw,
    ),
    daily_energy_budget_kwh: pick(
      'daily_energy_budget_kwh',
      observed.dailyKwh === null ? null : observed.dailyKwh * 1.1,
      DEFAULT_STATION.daily_energy_budget_kwh,
    ),
  };
  return { config, derived };
}
