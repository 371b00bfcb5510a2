import type { Band } from './grades';

// Degradation trend: a least-squares line through daily deviations with a 95 % confidence band
// on its slope, and when that line crosses the HI band.

export interface Trend {
  /** Change of the deviation per day, in percentage points. */
  slopePerDay: number;
  /** 95 % confidence interval of the slope. */
  slopeLow: number;
  slopeHigh: number;
  /** The line's value at the last x. */
  fittedLast: number;
  lastX: number;
  n: number;
}

// Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Student's t two-sided 95 % quantile; beyond 30 degrees of freedom 1.96 + 2.4/df (within 0.002). */
export function t95(df: number): number {
  return df <= 30 ? T95[Math.max(1, df) - 1] : 1.96 + 2.4 / df;
}

/** The least-squares line of y on x: slope, intercept and the spread of x; null with no spread in x. */
function leastSquaresLine(points: ReadonlyArray<{ x: number; y: number }>) {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, sxx };
}

/** The least-squares slope of y on x (the one home of it); null with under two points or no spread in x. */
export function leastSquaresSlope(points: ReadonlyArray<{ x: number; y: number }>): number | null {
  return leastSquaresLine(points)?.slope ?? null;
}

/** Ordinary least squares of y on x with the slope's 95 % interval; null with fewer than 3 points or no spread in x. */
export function linearTrend(points: Array<{ x: number; y: number }>): Trend | null {
  const n = points.length;
  if (n < 3) return null;
  const line = leastSquaresLine(points);
  if (!line) return null;
  const { slope, sxx } = line;
  const intercept = line.intercept;
  const ssr = points.reduce((s, p) => s + (p.y - intercept - slope * p.x) ** 2, 0);
  const se = Math.sqrt(ssr / (n - 2) / sxx);
  const half = t95(n - 2) * se;
  const lastX = Math.max(...points.map((p) => p.x));
  return {
    slopePerDay: slope,
    slopeLow: slope - half,
    slopeHigh: slope + half,
    fittedLast: intercept + slope * lastX,
    lastX,
    n,
  };
}

export interface Crossing {
  side: 'below' | 'above';
  limit: number;
  /** Days from the last point until the line crosses the limit (0 when already outside). */
  days: number;
  /** The crossing's x (same units as the trend's x). */
  x: number;
  /** The same at the ends of the slope's confidence interval; null when that end never gets there. */
  earliestX: number | null;
  latestX: number | null;
}

const HORIZON_DAYS = 5 * 365;

/**
 * Where the trend leaves the band at its present rate: the limit it is heading for, if it gets
 * there within five years. A line already outside the band has crossed (days 0).
 */
export function projectCrossing(trend: Trend, band: Band): Crossing | null {
  const { slopePerDay: slope, fittedLast: now, lastX } = trend;
  const side = slope < 0 ? 'below' : 'above';
  const limit = side === 'below' ? band.lower : band.upper;
  if (limit === null || slope === 0) return null;
  const outside = side === 'below' ? now < limit : now > limit;
  const daysAt = (s: number) => ((side === 'below' ? s < 0 : s > 0) ? (limit - now) / s : null);
  const days = outside ? 0 : (daysAt(slope) ?? Number.POSITIVE_INFINITY); // the slope points at the limit
  if (days > HORIZON_DAYS) return null;
  const fast = side === 'below' ? trend.slopeLow : trend.slopeHigh;
  const slow = side === 'below' ? trend.slopeHigh : trend.slopeLow;
  const at = (d: number | null) => (d === null || d > HORIZON_DAYS ? null : lastX + Math.max(0, d));
  return {
    side,
    limit,
    days,
    x: lastX + days,
    earliestX: outside ? lastX : at(daysAt(fast)),
    latestX: outside ? lastX : at(daysAt(slow)),
  };
}
