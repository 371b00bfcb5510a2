import { DAY_MS, MINUTE_MS } from '../time';
import { realMinutesBetween } from './clock';

// A row is not a minute (issue 30). A station logs every `interval` minutes (1 for minute data,
// including 10-second data floored to the minute; 15 for quarter-hour averages): a row stands for
// its step from the previous row, at most that interval, and every rate, duration and count is
// said in real time. This is the one place that turns rows into time and says so in words.

/** The minutes a row stands for: its step from the previous row, at most the logging interval. */
export function rowWeight(stepMinutes: number, interval: number): number {
  return Math.max(0, Math.min(stepMinutes, Math.max(1, interval)));
}

/** Real minutes covered by rows at `times` (ms, ascending): each row's weight summed; gaps count nothing. */
export function loggedMinutes(times: ArrayLike<number>, interval: number): number {
  let total = 0;
  for (let i = 0; i < times.length; i++)
    total += i === 0 ? Math.max(1, interval) : rowWeight(Math.round((times[i] - times[i - 1]) / MINUTE_MS), interval);
  return total;
}

/** "1-minute", "15-minute", "2-hour": the logging interval as an adjective. */
export function intervalWords(interval: number): string {
  const minutes = Math.max(1, Math.round(interval));
  return minutes % 60 === 0 ? `${minutes / 60}-hour` : `${minutes}-minute`;
}

/** A span of real time in the largest unit that reads well: "45 min", "6.5 h", "16 days". */
export function durationWords(minutes: number): string {
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 2 * 1440) return `${round1(minutes / 60)} h`;
  return `${round1(minutes / 1440)} days`;
}

const round1 = (x: number) => (Math.abs(x - Math.round(x)) < 0.05 ? String(Math.round(x)) : x.toFixed(1));

/** "16 days of 15-minute rows": the real time rows cover, and what a row is. */
export function rowsInRealTime(rows: number, interval: number, minutes = rows * Math.max(1, interval)): string {
  return `${durationWords(minutes)} of ${intervalWords(interval)} row${rows === 1 ? '' : 's'}`;
}

/** Days of real time, for rates per day (never less than one row's worth). */
export function realDays(minutes: number): number {
  return Math.max(minutes, 1) / (DAY_MS / MINUTE_MS);
}

/**
 * A log's sampling: its logging interval (its most frequent step, whole minutes; `known` when the
 * file has too few steps to tell) and its gaps (steps longer than the interval).
 */
export function samplingOf(
  times: Float64Array,
  known = 1,
  timezone?: string,
): { interval: number; gaps: number; gapMinutes: number } {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const step = Math.round((times[i] - times[i - 1]) / 60_000);
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let interval = known;
  let best = 0;
  for (const [step, n] of counts) if (n > best || (n === best && step < interval)) [interval, best] = [step, n];
  if (times.length < 4 || interval < 1) interval = known;
  let gaps = 0;
  let gapMinutes = 0;
  for (let i = 1; i < times.length; i++) {
    const naive = Math.round((times[i] - times[i - 1]) / 60_000);
    if (naive <= interval) continue;
    // With the station's time zone, the hour the clock skips in spring is no gap.
    const step = timezone ? realMinutesBetween(timezone, times[i - 1], times[i]) : naive;
    if (step > interval) {
      gaps++;
      gapMinutes += step - interval;
    }
  }
  return { interval, gaps, gapMinutes };
}
