import type { StationSettings } from '../api/contract';
import type { RawMinutes } from '../minuteFrame';
import { DAY_MS } from '../time';
import type { LevelSignal, OperatingLimits, StationField, StationKind, StationModel } from './model';
import { stationColumns } from './signals';
import { unitFactor } from './units';

// What the data says of the constants a station file leaves out (issue 30: "a suggestion you can
// trust"): the level's physical top and its operating band, the flow meter's range, each pump's
// rated power, the daily energy budget and the logging interval. One derivation for the import,
// the suggested model and `station --suggest`, so they agree. Each derived value is flagged as
// derived; the operating band is marked proposed until the engineer confirms it.

/** What the derivable constants are derived from, read off the data. */
export interface Observed {
  /** Highest and lowest level seen (its unit); the highest flow seen (the flow tag's unit). */
  level: number | null;
  levelLow: number | null;
  /** Each day's lowest and highest level, for days with at least half a day of readings. */
  levelDays: Array<{ min: number; max: number }>;
  flow: number | null;
  /** 99th percentile of a running pump's kW: over all pumps, and per pump (model order; null: never ran). */
  kwRunning: number | null;
  kwRunningByPump?: Array<number | null>;
  /** The largest day's energy (kWh). */
  dailyKwh: number | null;
  /** The logging interval in minutes. */
  interval: number;
}

/** Nothing observed: what a model given in full needs before the data is read. */
export const NOTHING_OBSERVED: Observed = {
  level: null,
  levelLow: null,
  levelDays: [],
  flow: null,
  kwRunning: null,
  dailyKwh: null,
  interval: 1,
};

/** The 99th percentile of `values` (interpolated, as DuckDB's quantile_cont); null when empty. */
function percentile99(values: Float64Array): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort();
  const at = 0.99 * (sorted.length - 1);
  const [lo, hi] = [sorted[Math.floor(at)], sorted[Math.ceil(at)]];
  return lo + (hi - lo) * (at - Math.floor(at));
}

function extremes(values: Float64Array): { min: number | null; max: number | null } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  return min <= max ? { min, max } : { min: null, max: null };
}

/** Each day's level extremes, for days with at least 12 h of readings (a day cut short says nothing of the cycle). */
function levelDaysOf(times: Float64Array, level: Float64Array, interval: number) {
  const days: Observed['levelDays'] = [];
  let day = Number.NaN;
  let span = { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, minutes: 0 };
  const close = () => {
    if (span.minutes >= 720) days.push({ min: span.min, max: span.max });
  };
  for (let i = 0; i < times.length; i++) {
    const d = Math.floor(times[i] / DAY_MS);
    if (d !== day) {
      close();
      day = d;
      span = { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, minutes: 0 };
    }
    const v = level[i];
    if (Number.isNaN(v)) continue;
    span.min = Math.min(span.min, v);
    span.max = Math.max(span.max, v);
    span.minutes += interval;
  }
  close();
  return days;
}

/** The observed figures of `raw` under `model`; the kW percentile (a sort) only when needed. */
export function observedOf(raw: RawMinutes, model: StationModel, interval: number, needKw: boolean): Observed {
  const cols = stationColumns(raw, model);
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
  const times = raw.times;
  const n = times.length;
  const dayOf = (i: number) => Math.floor(times[i] / DAY_MS);
  for (let i = 0; i < n; i++) {
    const weight = i === 0 ? interval : Math.min(interval, (times[i] - times[i - 1]) / 60_000);
    for (const kw of cols.kw) if (!Number.isNaN(kw[i])) energy += (kw[i] * weight) / 60;
    if (i + 1 === n || dayOf(i + 1) !== dayOf(i)) {
      dailyKwh = Math.max(dailyKwh ?? 0, energy);
      energy = 0;
    }
  }
  const flowFactor = unitFactor('flow', model.flow?.unit) ?? 1;
  const flowMax = extremes(cols.flow).max;
  const level = extremes(cols.level);
  return {
    level: level.max,
    levelLow: level.min,
    levelDays: model.level ? levelDaysOf(times, cols.level, interval) : [],
    flow: flowMax === null ? null : flowMax / flowFactor,
    kwRunning,
    kwRunningByPump,
    dailyKwh: cols.kw.length ? dailyKwh : null,
    interval,
  };
}

const ceil1 = (x: number) => Math.ceil(x * 10) / 10;
const NICE = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * A level's physical top when the file does not give it: 100 for a level in %, else the first
 * round figure a quarter above the highest level seen. The data's peak is where the station went,
 * not the top of its wet well or tank: 100 % there makes every busy day an overflow.
 */
export function proposedTop(unit: string | undefined, peak: number): number {
  if (unit?.trim() === '%') return 100;
  const want = peak * 1.25;
  const scale = 10 ** Math.floor(Math.log10(want));
  return (NICE.find((n) => n * scale >= want - 1e-9) ?? 10) * scale;
}

/** The level's resolution for proposed limits: a round step near 1 % of its range (0.1 m of 4-8 m, 10 cm of 500 cm). */
const stepOf = (level: LevelSignal) => 10 ** Math.round(Math.log10((level.max - level.min) / 100));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * The operating limits the station's history shows, proposed for the engineer to confirm: the
 * band between its daily extremes; on a wet well that is emptied to about the same level most
 * days, that level is its stop level and the emptying its daily cycle (a tank filled to about the
 * same top most days, alike). Null with under three full days of level readings.
 */
export function proposedOperating(
  kind: StationKind,
  level: LevelSignal,
  days: Observed['levelDays'],
): OperatingLimits | null {
  if (days.length < 3) return null;
  const range = level.max - level.min;
  const step = stepOf(level);
  const down = (x: number) => Math.max(level.min, Math.floor(x / step + 1e-9) * step);
  const up = (x: number) => Math.min(level.max, Math.ceil(x / step - 1e-9) * step);
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const mins = days.map((d) => d.min);
  const maxs = days.map((d) => d.max);
  const swing = median(days.map((d) => d.max - d.min));
  // The end the pumps drive the level to: a wet well's minima, a tank's maxima.
  const driven = kind === 'lift' ? mins : maxs;
  const typical = median(driven);
  const steady = driven.filter((x) => Math.abs(x - typical) <= 0.05 * range).length >= 0.8 * days.length;
  // Emptied (or filled) by design: the same end most days and a swing of much of the range; a
  // level held near a set point swings with the inflow, a fraction of it.
  const dailyCycle = steady && swing >= 0.4 * range;
  let low = down(Math.min(...mins));
  let high = up(Math.max(...maxs));
  if (dailyCycle && kind === 'lift') low = down(typical);
  if (dailyCycle && kind === 'booster') high = up(typical);
  if (high - low < step) return null;
  return {
    low: round(low),
    high: round(high),
    ...(dailyCycle && kind === 'lift' ? { stop: round(low) } : {}),
    ...(dailyCycle ? { daily_cycle: true } : {}),
    proposed: true,
  };
}

/**
 * Fills the constants the station file left out from the data, flagged as derived: the level's
 * top (proposedTop) and operating band (proposedOperating); the flow meter's range = 1.2 × the
 * highest flow; each pump's rated power = the 99th percentile of its running kW / 0.85 (motors
 * run near 85 % of rating; a pump that never ran gets none); the daily budget = 1.1 × the highest
 * day's energy; the logging interval = the data's.
 */
export function deriveStation(
  input: { model: StationModel; missing: StationField[] },
  observed: Observed,
): StationSettings {
  const model = structuredClone(input.model);
  const derived: StationField[] = [];
  const derive = (field: StationField, value: number | null, apply: (v: number) => void) => {
    if (!input.missing.includes(field)) return;
    derived.push(field);
    if (value !== null && value > 0) apply(value);
  };
  derive('hlt_physical_max', observed.level === null ? null : proposedTop(model.level?.unit, observed.level), (v) => {
    if (model.level) model.level.max = v;
  });
  if (input.missing.includes('level_operating') && model.level) {
    derived.push('level_operating');
    const operating = proposedOperating(model.kind, model.level, observed.levelDays);
    if (operating) model.level.operating = operating;
    else delete model.level.operating;
  }
  derive('fit101_physical_max', observed.flow === null ? null : observed.flow * 1.2, (v) => {
    if (model.flow) model.flow.max = ceil1(v);
  });
  derive('rated_kw', observed.kwRunning, () => {
    model.pumps.forEach((p, k) => {
      const own = observed.kwRunningByPump?.[k];
      if (p.kw && own) p.rated_kw = ceil1(own / 0.85);
      else delete p.rated_kw;
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
export function keptDerived(stored: StationSettings, observed: Observed): StationSettings {
  if (!stored.derived.includes('interval_min') || observed.interval <= stored.config.interval_min) return stored;
  // A station logged coarser than before: a row stands for up to the larger interval (docs/decisions.md).
  return { ...stored, config: { ...stored.config, interval_min: observed.interval } };
}
