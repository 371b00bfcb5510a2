import { DAY_MS, formatDay, formatTimestamp } from '../time';
import {
  type Baseline,
  deviationPct,
  deviationsOf,
  median,
  type PumpReading,
  rollingMedians,
  withEfficiency,
} from './deviation';
import { type Band, GRADES, type Grade, MANDATORY, PARAMETERS, type Parameter } from './grades';
import {
  checkParameter,
  checkTolerances,
  classifyStatus,
  type Deviations,
  type PumpStatus,
  statusOf,
  worstStatus,
} from './tolerance';
import { linearTrend, projectCrossing } from './trend';

// A pump's performance against its baseline: seed 000's PumpMonitor.analyze (deviations,
// tolerances, status, first exceedance) plus degradation over time. Pure, so the console and
// the edge runner compute the same numbers.

export interface EvaluateOptions {
  /** Rolling window of the median, in minutes (default 60). */
  windowMinutes?: number;
  /** Days of daily deviations the trend is fitted on (default 14). */
  trendDays?: number;
  /** Most points in the timeline for charts (default 1500). */
  timelinePoints?: number;
}

export interface ParameterPerformance {
  parameter: Parameter;
  mandatory: boolean;
  band: Band;
  /** Null where the station does not log the parameter (no head on a lift station). */
  baseline: number | null;
  /** The rolling median at the newest reading. */
  current: number | null;
  deviation: number | null;
  state: 'in' | 'below' | 'above' | 'no data';
  severity: number;
  firstExceedance: string | null;
  /**
   * Least-squares slope of the daily deviation, in percentage points per week, with its 95 %
   * interval; significant when the interval excludes 0 (a flat pump's noise has no direction).
   */
  trend: { perWeek: number; perWeekLow: number; perWeekHigh: number; days: number; significant: boolean } | null;
  /** When the trend leaves the band at this rate (a day), with the range from the slope's interval. */
  crossing: {
    side: 'below' | 'above';
    limit: number;
    date: string;
    days: number;
    earliest: string | null;
    latest: string | null;
    /** The trend it projects is significant; a projection from an insignificant one is not a forecast. */
    significant: boolean;
  } | null;
}

export interface DailyPerformance {
  date: string;
  deviations: Deviations;
  status: PumpStatus;
  /** Share of the day's readings outside the band (0..1). */
  outOfBandShare: number;
  readings: number;
}

export interface TimelinePoint {
  t: string;
  deviations: Deviations;
  status: PumpStatus;
}

export interface PumpEvaluation {
  grade: Grade;
  /** Status at the newest reading; null without readings. */
  status: PumpStatus | null;
  asOf: string | null;
  first: string | null;
  readings: number;
  windowMinutes: number;
  trendDays: number;
  efficiencyDerived: boolean;
  parameters: ParameterPerformance[];
  /** Start of the present run of readings outside the band, and its length. */
  outOfBandSince: string | null;
  outOfBandHours: number | null;
  daily: DailyPerformance[];
  timeline: TimelinePoint[];
}

const dayIndex = (t: number) => Math.floor(t / DAY_MS);

/**
 * The rolling median holds at least this many readings: with hourly data a 60-minute window
 * holds one, and the first 2-sigma outlier would set the first exceedance (issue 22).
 */
export const MIN_WINDOW_READINGS = 12;
/** An exceedance counts from the first of this many consecutive windowed readings outside the band. */
export const PERSIST_READINGS = 3;

/** The window asked for, grown to hold MIN_WINDOW_READINGS at the readings' usual spacing. */
export function effectiveWindowMinutes(readings: PumpReading[], windowMinutes: number): number {
  if (readings.length < 2) return windowMinutes;
  const steps: number[] = [];
  for (let i = 1; i < readings.length; i++) steps.push(readings[i].t - readings[i - 1].t);
  steps.sort((a, b) => a - b);
  const usual = steps[Math.floor(steps.length / 2)] / 60_000;
  return Math.max(windowMinutes, Math.ceil(usual * MIN_WINDOW_READINGS));
}

function dailySeries(
  windowed: PumpReading[],
  baseline: Baseline,
  grade: Grade,
  statuses: PumpStatus[],
): DailyPerformance[] {
  const days: DailyPerformance[] = [];
  let start = 0;
  for (let i = 1; i <= windowed.length; i += 1) {
    if (i < windowed.length && dayIndex(windowed[i].t) === dayIndex(windowed[start].t)) continue;
    const rows = windowed.slice(start, i);
    const deviations: Deviations = {};
    for (const p of PARAMETERS) {
      const values = rows
        .flatMap((r) => {
          const v = r[p];
          return v === null ? [] : [v];
        })
        .sort((a, b) => a - b);
      const m = median(values);
      const b = baseline[p];
      deviations[p] = m === null || b === null ? null : deviationPct(m, b);
    }
    const out = statuses.slice(start, i).filter((s) => s !== 'Normal').length;
    days.push({
      date: formatDay(windowed[start].t),
      deviations,
      status: statusOf(deviations, grade),
      outOfBandShare: out / rows.length,
      readings: rows.length,
    });
    start = i;
  }
  return days;
}

function timeline(
  windowed: PumpReading[],
  baseline: Baseline,
  statuses: PumpStatus[],
  points: number,
): TimelinePoint[] {
  if (windowed.length === 0) return [];
  const span = windowed[windowed.length - 1].t - windowed[0].t;
  const bucket = Math.max(1, Math.ceil(span / points));
  const out: TimelinePoint[] = [];
  let start = 0;
  for (let i = 1; i <= windowed.length; i += 1) {
    if (
      i < windowed.length &&
      Math.floor((windowed[i].t - windowed[0].t) / bucket) === Math.floor((windowed[start].t - windowed[0].t) / bucket)
    )
      continue;
    // The bucket's last reading, with the bucket's worst status: excursions stay visible.
    out.push({
      t: formatTimestamp(windowed[i - 1].t),
      deviations: deviationsOf(windowed[i - 1], baseline),
      status: worstStatus(statuses.slice(start, i)),
    });
    start = i;
  }
  return out;
}

// Long because per parameter: the current check, the first exceedance, the trend and its projected crossing.
export function evaluatePump(
  readingsIn: PumpReading[],
  baseline: Baseline,
  grade: Grade,
  options: EvaluateOptions = {},
): PumpEvaluation {
  const trendDays = options.trendDays ?? 14;
  const efficiencyDerived =
    baseline.head !== null && readingsIn.length > 0 && readingsIn.every((r) => r.efficiency === null);
  const readings = withEfficiency(readingsIn, baseline);
  const windowMinutes = effectiveWindowMinutes(readings, options.windowMinutes ?? 60);
  const windowed = rollingMedians(readings, windowMinutes);
  const statuses = windowed.map((r) => statusOf(deviationsOf(r, baseline), grade));
  const last = windowed[windowed.length - 1];
  const currentChecks = last ? checkTolerances(deviationsOf(last, baseline), grade) : [];
  const daily = dailySeries(windowed, baseline, grade, statuses);

  let runStart = statuses.length;
  while (runStart > 0 && statuses[runStart - 1] !== 'Normal') runStart -= 1;
  const outOfBand = runStart < statuses.length;

  const parameters = PARAMETERS.map((parameter): ParameterPerformance => {
    const band = GRADES[grade][parameter];
    const check = currentChecks.find((c) => c.parameter === parameter);
    const exceeded = (r: PumpReading) => {
      const value = r[parameter];
      const reference = baseline[parameter];
      return (
        value !== null && reference !== null && checkParameter(parameter, deviationPct(value, reference), band).exceeded
      );
    };
    // The first of PERSIST_READINGS consecutive windowed readings outside the band.
    let run = 0;
    let firstIndex = -1;
    for (let i = 0; i < windowed.length && firstIndex < 0; i++) {
      run = exceeded(windowed[i]) ? run + 1 : 0;
      if (run === PERSIST_READINGS) firstIndex = i - PERSIST_READINGS + 1;
    }
    const firstOut = firstIndex >= 0 ? windowed[firstIndex] : undefined;
    const points = daily.slice(-trendDays).flatMap((d) => {
      const y = d.deviations[parameter];
      return y === null || y === undefined ? [] : [{ x: dayIndex(Date.parse(`${d.date}T00:00:00Z`)), y }];
    });
    const trend = linearTrend(points);
    const crossing = trend ? projectCrossing(trend, band) : null;
    const significant = trend !== null && (trend.slopeLow > 0 || trend.slopeHigh < 0);
    const dayOf = (x: number | null) => (x === null ? null : formatDay(Math.round(x) * DAY_MS));
    return {
      parameter,
      mandatory: MANDATORY[parameter],
      band,
      baseline: baseline[parameter],
      current: last?.[parameter] ?? null,
      deviation: check?.deviation ?? null,
      state: !check ? 'no data' : check.side === null ? 'in' : check.side,
      severity: check?.severity ?? 0,
      firstExceedance: firstOut ? formatTimestamp(firstOut.t) : null,
      trend: trend
        ? {
            perWeek: trend.slopePerDay * 7,
            perWeekLow: trend.slopeLow * 7,
            perWeekHigh: trend.slopeHigh * 7,
            days: trend.n,
            significant,
          }
        : null,
      crossing: crossing
        ? {
            side: crossing.side,
            limit: crossing.limit,
            date: formatDay(Math.round(crossing.x) * DAY_MS),
            days: crossing.days,
            earliest: dayOf(crossing.earliestX),
            latest: dayOf(crossing.latestX),
            significant,
          }
        : null,
    };
  });

  return {
    grade,
    status: last ? classifyStatus(currentChecks) : null,
    asOf: last ? formatTimestamp(last.t) : null,
    first: windowed.length ? formatTimestamp(windowed[0].t) : null,
    readings: windowed.length,
    windowMinutes,
    trendDays,
    efficiencyDerived,
    parameters,
    outOfBandSince: outOfBand ? formatTimestamp(windowed[runStart].t) : null,
    outOfBandHours: outOfBand ? (last.t - windowed[runStart].t) / 3_600_000 : null,
    daily,
    timeline: timeline(windowed, baseline, statuses, options.timelinePoints ?? 1500),
  };
}
