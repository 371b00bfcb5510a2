import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { StationSettings } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { type MinuteFrame, rawMinutes } from '../../src-shared/minuteFrame';
import {
  DEFAULT_CONSTANTS,
  type SeedConstants,
  type StationField,
  type StationModel,
  seedStation,
} from '../../src-shared/station/model';
import { parseStationText, type StationInput } from '../../src-shared/station/parse';
import { stationColumns } from '../../src-shared/station/signals';
import { unitFactor } from '../../src-shared/station/units';
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

/** What the derivable constants are derived from, read off the imported data. */
export interface Observed {
  /** Highest level seen (its unit), highest flow seen (the flow tag's unit). */
  level: number | null;
  flow: number | null;
  /** 99th percentile of a running pump's kW: over all pumps, and per pump (model order; null: never ran). */
  kwRunning: number | null;
  kwRunningByPump?: Array<number | null>;
  /** The largest day's energy (kWh). */
  dailyKwh: number | null;
  /** The logging interval in minutes. */
  interval: number;
}

/** The 99th percentile of `values` (interpolated, as DuckDB's quantile_cont); null when empty. */
function percentile99(values: Float64Array): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort();
  const at = 0.99 * (sorted.length - 1);
  const [lo, hi] = [sorted[Math.floor(at)], sorted[Math.ceil(at)]];
  return lo + (hi - lo) * (at - Math.floor(at));
}

/** The observed figures of `frame` under `model`; the kW percentile (a sort) only when needed. */
export function observedOf(frame: MinuteFrame, model: StationModel, interval: number, needKw: boolean): Observed {
  const cols = stationColumns(rawMinutes(frame), model);
  const max = (values: Float64Array) => {
    let m = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
    return m === Number.NEGATIVE_INFINITY ? null : m;
  };
  let kwRunning: number | null = null;
  let kwRunningByPump: Array<number | null> | undefined;
  if (needKw) {
    const running = cols.kw.map((kw) => kw.filter((v) => v > 0));
    kwRunningByPump = running.map(percentile99);
    kwRunning = percentile99(Float64Array.from(running.flatMap((r) => [...r])));
  }
  // The largest day's energy (kWh): each row stands for at most the logging interval.
  let dailyKwh: number | null = null;
  let energy = 0;
  const n = frame.times.length;
  const dayOf = (i: number) => Math.floor(frame.times[i] / 86_400_000);
  for (let i = 0; i < n; i++) {
    const weight = i === 0 ? interval : Math.min(interval, (frame.times[i] - frame.times[i - 1]) / 60_000);
    for (const kw of cols.kw) if (!Number.isNaN(kw[i])) energy += (kw[i] * weight) / 60;
    if (i + 1 === n || dayOf(i + 1) !== dayOf(i)) {
      dailyKwh = Math.max(dailyKwh ?? 0, energy);
      energy = 0;
    }
  }
  const flowFactor = unitFactor('flow', model.flow?.unit) ?? 1;
  const flowMax = max(cols.flow);
  return {
    level: max(cols.level),
    flow: flowMax === null ? null : flowMax / flowFactor,
    kwRunning,
    kwRunningByPump,
    dailyKwh: cols.kw.length ? dailyKwh : null,
    interval,
  };
}

const ceil1 = (x: number) => Math.ceil(x * 10) / 10;

/**
 * Fills the constants the station file left out from the data, flagged as derived:
 * the level's top = the highest level seen; the flow meter's range = 1.2 × the highest flow;
 * rated power = the 99th percentile of the pump's running kW / 0.85 (motors run near 85 % of
 * rating); the daily budget = 1.1 × the highest day's energy; the logging interval = the data's.
 */
export function deriveStation(input: StationInput, observed: Observed): StoredStation {
  const model = structuredClone(input.model);
  const derived: StationField[] = [];
  const derive = (field: StationField, value: number | null, apply: (v: number) => void) => {
    if (!input.missing.includes(field)) return;
    derived.push(field);
    if (value !== null && value > 0) apply(value);
  };
  derive('hlt_physical_max', observed.level, (v) => {
    if (model.level) model.level.max = ceil1(v);
  });
  derive('fit101_physical_max', observed.flow === null ? null : observed.flow * 1.2, (v) => {
    if (model.flow) model.flow.max = ceil1(v);
  });
  // Each pump from its own running power (a station mixes sizes); one that never ran from all of them.
  derive('rated_kw', observed.kwRunning === null ? null : observed.kwRunning / 0.85, (v) => {
    model.pumps.forEach((p, k) => {
      const own = observed.kwRunningByPump?.[k];
      if (p.kw) p.rated_kw = ceil1(own ? own / 0.85 : v);
    });
  });
  derive('daily_energy_budget_kwh', observed.dailyKwh === null ? null : observed.dailyKwh * 1.1, (v) => {
    model.daily_energy_budget_kwh = ceil1(v);
  });
  derive('interval_min', observed.interval, (v) => {
    model.interval_min = Math.max(1, Math.round(v));
  });
  return { config: model, derived };
}

/** The constants still derived once a stored model meets a new import: its own, kept, and the interval grown. */
export function keptDerived(stored: StoredStation, observed: Observed): StoredStation {
  if (!stored.derived.includes('interval_min') || observed.interval <= stored.config.interval_min) return stored;
  // A station logged coarser than before: a row stands for up to the larger interval (docs/decisions.md).
  return { ...stored, config: { ...stored.config, interval_min: observed.interval } };
}
