import type { MaintenanceEvent } from '../models/labels';
import { DAY_MS, formatDay } from '../time';
import { median, type PumpReading } from './deviation';
import type { Grade } from './grades';

// The healthy period a new station's baseline is proposed from: the quietest N days of the
// pump's history, kept clear of its logged maintenance. "Quietest" is the steadiest flow per kW
// (its coefficient of variation over the window's readings): a wearing, ragging or cavitating
// pump wanders, a healthy one at full speed holds it. A window is not used when a logged event
// falls inside it, the day before it (run-in after a repair), or in the 10 days after it (the wear
// that led to a failure, a repair or an overhaul shows before the log says so).

export const CLEAR_BEFORE_EVENT_DAYS = 10;
/**
 * The grade of a baseline taken from a period: the period's median is the centre of the pump's
 * own scatter, not a guarantee it must meet, so a unilateral grade (1U: flow 0 to +10 %) would put
 * half of a healthy pump's readings out of band; 2B is bilateral (the demo's commissioning baselines).
 */
export const PERIOD_GRADE = '2B' satisfies Grade;
/** A baseline needs at least this many readings in its period (baselineFromPeriod's rule). */
export const MIN_PERIOD_READINGS = 10;

export interface QuietestPeriod {
  /** First and last day of the window (inclusive). */
  from: string;
  to: string;
  readings: number;
  /** Flow per kW's coefficient of variation in the window, %. */
  spreadPct: number;
}

/** Whether [start, end) keeps clear of every logged event by the rule above. */
export function clearOfMaintenance(start: number, end: number, events: MaintenanceEvent[]): boolean {
  return !events.some((e) => e.t >= start - DAY_MS && e.t < end + CLEAR_BEFORE_EVENT_DAYS * DAY_MS);
}

/** The window of `days` days (day-aligned) with the steadiest flow per kW, or why none serves. */
export function quietestPeriod(
  readings: PumpReading[],
  events: MaintenanceEvent[],
  days: number,
): { period: QuietestPeriod | null; reason: string | null } {
  const usable = readings.filter(
    (r): r is PumpReading & { flow: number; power: number } => r.flow !== null && r.power !== null && r.power > 0,
  );
  if (usable.length < MIN_PERIOD_READINGS)
    return { period: null, reason: `${usable.length} readings at full speed with flow and power: too few` };
  const firstDay = Math.floor(usable[0].t / DAY_MS);
  const lastDay = Math.floor(usable[usable.length - 1].t / DAY_MS);
  let best: QuietestPeriod | null = null;
  let clear = 0;
  for (let day = firstDay; day + days - 1 <= lastDay; day += 1) {
    const start = day * DAY_MS;
    const end = start + days * DAY_MS;
    if (!clearOfMaintenance(start, end, events)) continue;
    clear += 1;
    const ratios = usable.filter((r) => r.t >= start && r.t < end).map((r) => r.flow / r.power);
    if (ratios.length < MIN_PERIOD_READINGS) continue;
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    const sd = Math.sqrt(ratios.reduce((a, x) => a + (x - mean) ** 2, 0) / (ratios.length - 1));
    const spreadPct = (sd / mean) * 100;
    if (!best || spreadPct < best.spreadPct)
      best = { from: formatDay(start), to: formatDay(end - DAY_MS), readings: ratios.length, spreadPct };
  }
  if (best) return { period: best, reason: null };
  if (lastDay - firstDay + 1 < days)
    return { period: null, reason: `${lastDay - firstDay + 1} days of readings: under ${days}` };
  return {
    period: null,
    reason:
      clear === 0
        ? `every ${days}-day window touches a logged repair, failure or overhaul`
        : `no ${days}-day window clear of maintenance has ${MIN_PERIOD_READINGS} readings at full speed`,
  };
}

/** The median of each of a period's parameters; null where none is logged. */
export function periodMedians(
  readings: PumpReading[],
): Record<'flow' | 'head' | 'power' | 'efficiency', number | null> {
  const of = (key: 'flow' | 'head' | 'power' | 'efficiency') =>
    median(
      readings
        .map((r) => r[key])
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b),
    );
  return { flow: of('flow'), head: of('head'), power: of('power'), efficiency: of('efficiency') };
}
