import type { MinuteContext } from '../minute';

// Small readings helpers for the rules. A missing reading is never a zero: each helper says
// "unknown" (null, or false for a test) where the value is missing, so a rule that needs it does
// not fire, and the data-quality rules report the gap instead.

/** The pump's power (kW), null when missing. */
export const kwOf = (c: MinuteContext, k: number): number | null => c.r.kw[k];
/** The pump runs (a missing run state is not running). */
export const on = (c: MinuteContext, k: number) => c.r.on[k] === true;
/** The station's flow (m³/h), null when missing. */
export const flowOf = (c: MinuteContext): number | null => c.r.flow;
/**
 * The flow meter's zero: a meter reads a few hundredths either side of it at no flow. Half a percent
 * of its range where the range is known (meters cut off low flow at 1-2 %), else exactly 0.
 */
export const meterZero = (c: MinuteContext) => (c.flowMax === null ? 0 : 0.005 * c.flowMax);
/** A flow known and within the meter's zero (of the pump's own meter where it has one). */
export const flowIsZero = (flow: number | null, c: MinuteContext) => flow !== null && Math.abs(flow) <= meterZero(c);
/** A flow known and above `limit`, and above the meter's zero. */
export const flowAbove = (c: MinuteContext, limit: number) => above(c.r.flow, Math.max(limit, meterZero(c)));

/**
 * A signal unchanged for over `minutes` (the seed's frozen-sensor limits), and for over three rows
 * on a coarse log: two quarter-hour averages alike is a calm level, not a stuck transmitter.
 */
export const frozenFor = (frozenMinutes: number, c: MinuteContext, minutes: number) =>
  frozenMinutes > Math.max(minutes, 3 * c.station.interval_min);

/** A pump ran the whole row (on minute data: it runs; on a coarse log, not a row it started or stopped in). */
export const FULL_ROW = 0.95;
export const ranWholeRow = (c: MinuteContext, k: number) => c.runShare[k] >= FULL_ROW;
export const ranWholeRowBefore = (c: MinuteContext, k: number) => (c.prevRunShare[k] ?? 0) >= FULL_ROW;
/** A pump started or stopped within this row (a coarse log's average of a partial run). */
export const partialRun = (c: MinuteContext) => c.runShare.some((s) => s > 0 && s < FULL_ROW);
/** The run signal shows no running at all this row (an average with any running in it is a partial run). */
export const notRunning = (c: MinuteContext, k: number) => c.r.on[k] === false && c.runShare[k] === 0;
/** `x` is known and above / below `limit`. */
export const above = (x: number | null | undefined, limit: number) => x !== null && x !== undefined && x > limit;
export const below = (x: number | null | undefined, limit: number) => x !== null && x !== undefined && x < limit;
/** The pump's rated power times `k`, null when unknown. */
export const rated = (c: MinuteContext, k: number, times: number) => {
  const r = c.ratedKw[k];
  return r === null ? null : r * times;
};
/** The level range's % as the level's own unit per minute (thresholds written in % of range per minute). */
export const rangePerMinute = (c: MinuteContext, pct: number) => {
  const level = c.station.level;
  return level ? ((level.max - level.min) * pct) / 100 : Number.POSITIVE_INFINITY;
};
/**
 * The level is where the station would run its pumps: a wet well above its operating band, a tank
 * under the middle of its band (seed 002's 50 %). False without a level.
 */
export const pumpsWanted = (c: MinuteContext) => {
  const b = c.bands;
  if (!b || c.levelPct === null) return false;
  return c.words.kind === 'lift' ? c.levelPct > b.highPct : c.levelPct < (b.lowPct + b.highPct) / 2;
};

/** A tank 10 % under the top of its operating band (seed 002's 80 % of a 15-90 % band). */
export const nearlyFull = (c: MinuteContext) => (c.bands?.highPct ?? 90) - 10;

/** "tank" / "wet well" with a capital. */
export const Basin = (c: MinuteContext) => c.words.basin[0].toUpperCase() + c.words.basin.slice(1);
/** The level's unit, for messages. */
export const levelUnit = (c: MinuteContext) => c.station.level?.unit ?? '';
