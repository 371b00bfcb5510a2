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
/** The flow is known and exactly zero. */
export const noFlow = (c: MinuteContext) => c.r.flow === 0;
/** The pump's own flow where it has a meter, else the station's. */
export const pumpFlowOf = (c: MinuteContext, k: number): number | null => c.r.pumpFlow[k] ?? c.r.flow;
/** `x` is known and above / below `limit`. */
export const above = (x: number | null | undefined, limit: number) => x !== null && x !== undefined && x > limit;
export const below = (x: number | null | undefined, limit: number) => x !== null && x !== undefined && x < limit;
/** Every pump's power is known and zero: no power is drawn. */
export const noPower = (c: MinuteContext) => c.totalKw === 0;
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
/** "tank" / "wet well" with a capital. */
export const Basin = (c: MinuteContext) => c.words.basin[0].toUpperCase() + c.words.basin.slice(1);
/** The level's unit, for messages. */
export const levelUnit = (c: MinuteContext) => c.station.level?.unit ?? '';
