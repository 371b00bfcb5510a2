// A station's wall clock. Historians log naive local time: in spring an hour never happens (02:59
// is followed by 04:00) and in autumn one happens twice. With the station's IANA time zone
// (station.json `timezone`) PumpDeck knows which: the spring hour is no gap, the autumn hour is
// named. Times here are naive local milliseconds (see src-shared/time.ts).

import { formatTimestamp } from '../time';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `timeZone` at the instant `utcMs`, as naive local ms. */
function wallClock(timeZone: string, utcMs: number): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(utcMs)
      .map((p) => [p.type, Number(p.value)]),
  );
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** Minutes the zone's clock is ahead of UTC at the instant `utcMs`. */
function offsetMinutes(timeZone: string, utcMs: number): number {
  return Math.round((wallClock(timeZone, Math.floor(utcMs / 1000) * 1000) - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * Real minutes from naive local `a` to naive local `b` (b after a) in `timeZone`: across the spring
 * change, 03:00 follows 01:59 after 1 real minute, not 61. Ambiguous times (the autumn hour) are
 * read as their first pass.
 */
export function realMinutesBetween(timeZone: string, a: number, b: number): number {
  const utc = (naive: number) => {
    // The offset at the naive time read as UTC is right except within hours of a change: one
    // correction step finds the instant whose wall clock reads `naive` (or the first after it).
    const guess = naive - offsetMinutes(timeZone, naive) * 60_000;
    return naive - offsetMinutes(timeZone, guess) * 60_000;
  };
  return Math.round((utc(b) - utc(a)) / 60_000);
}

export interface ClockChange {
  /** Naive local start of the hour that is skipped (spring) or repeated (autumn). */
  at: number;
  kind: 'skipped' | 'repeated';
  minutes: number;
}

/** The clock changes of `timeZone` between two naive local times (a daily scan, then the minute). */
export function clockChanges(timeZone: string, from: number, to: number): ClockChange[] {
  const changes: ClockChange[] = [];
  const HOUR = 3_600_000;
  // Walk in days from an instant before `from` (changes are months apart); a change shows as a
  // jump in the offset, found to the minute by halving.
  let instant = from - 14 * HOUR;
  let offset = offsetMinutes(timeZone, instant);
  while (instant <= to + 14 * HOUR) {
    const next = instant + 24 * HOUR;
    const nextOffset = offsetMinutes(timeZone, next);
    if (nextOffset !== offset) {
      // The minute of the change: the first instant with the new offset.
      let lo = instant;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetMinutes(timeZone, mid) === offset) lo = mid;
        else hi = mid;
      }
      const before = hi + offset * 60_000; // the wall clock as the old offset would read it
      const delta = nextOffset - offset;
      const at = delta > 0 ? before : before + delta * 60_000;
      if (at >= from - HOUR && at <= to)
        changes.push({ at, kind: delta > 0 ? 'skipped' : 'repeated', minutes: Math.abs(delta) });
      offset = nextOffset;
    }
    instant = next;
  }
  return changes;
}

/**
 * A real instant (an ISO string with its zone, as shelving stores "until") as the station's wall
 * clock when its time zone is known ("2026-12-08 06:00"), else in UTC and said so.
 */
export function instantInStationTime(iso: string, zone: string | undefined): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  if (!zone) return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return formatTimestamp(wallClock(zone, at)).slice(0, 16);
}
