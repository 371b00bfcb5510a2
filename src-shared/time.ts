// Historian times are the exporting PC's local wall-clock time. PumpDeck keeps them naive
// (TIMESTAMP without zone): a Date here carries the wall-clock fields in its UTC fields.

/** Milliseconds in a minute, an hour and a day of naive (wall-clock) time. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'YYYY-MM-DD HH:MM:SS' of a naive time in ms. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${formatDay(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** 'YYYY-MM-DD' of a naive time in ms. */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** 'YYYY-MM-DD HH:MM[:SS]' (space or T) as a naive time in ms; NaN when malformed. The inverse of formatTimestamp. */
export function parseTimestamp(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, sec] = [+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0)];
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
  // Date.UTC rolls 2025-13-40 over into 2026-02-09: a field out of its range is no time at all.
  const back = new Date(ms);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && sec < 60 ? ms : Number.NaN;
}

/** 'YYYY-MM-DD' plus whole days. */
export function addDays(day: string, days: number): string {
  return formatDay(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000);
}

/**
 * Naive historian timestamp 'YYYY-MM-DD[ HH:MM[:SS]]' to a Date whose *local* fields show those
 * digits: what charts need, since they label axes in local time.
 */
export function naiveDate(text: string): Date {
  const [d, t = '00:00:00'] = text.split(' ');
  const [y, m, day] = d.split('-').map(Number);
  const [h, mi, s] = t.split(':').map(Number);
  return new Date(y, m - 1, day, h, mi, s || 0);
}

/** 12- or 24-hour clock for times shown to an operator. */
export type HourCycle = 12 | 24;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** A wall-clock Date's (naiveDate's) time of day: "14:30" or "2:30 PM". */
export function clockTime(d: Date, cycle: HourCycle): string {
  const h = d.getHours();
  if (cycle === 24) return `${two(h)}:${two(d.getMinutes())}`;
  return `${h % 12 === 0 ? 12 : h % 12}:${two(d.getMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** A wall-clock Date as "2025-03-03 14:30" (or "2025-03-03 2:30 PM"). */
export function clockDateTime(d: Date, cycle: HourCycle): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${clockTime(d, cycle)}`;
}

/** A time axis's tick: the year, month or day at their start ("2025", "Mar", "Mar 3"), else the time. */
export function timeAxisTick(cycle: HourCycle): (d: Date) => string {
  return (d) => {
    if (d.getHours() !== 0 || d.getMinutes() !== 0) return clockTime(d, cycle);
    if (d.getDate() === 1 && d.getMonth() === 0) return String(d.getFullYear());
    if (d.getDate() === 1) return MONTHS[d.getMonth()];
    return `${MONTHS[d.getMonth()]} ${d.getDate()}`;
  };
}
