import { BAD_STATUS, DROP, ENDED_MARKER, KEPT_MARKERS } from './quality';

// A narrow sample's fate as one number (see quality.ts DROP), the rule the console's DuckDB reader
// writes as SQL (ingest/sources/narrowCsv.ts) and the JS readers (DBF files, the edge runner)
// apply here. Checked in this order: time, plausible range, marker, status, tag.

/** Times a historian can have written: from `earliest` to a day past `now` (ms, naive). */
export interface TimeRange {
  earliest: number;
  latest: number;
}

export const DEFAULT_EARLIEST = Date.UTC(1990, 0, 1);

/** 1990 to a day past `now`: a year 2200 or 1900 in a file is a wrong clock, not data. */
export function plausibleRange(now: number, earliest = DEFAULT_EARLIEST): TimeRange {
  return { earliest, latest: now + 86_400_000 };
}

const STATUS_CODE = new Map<string, number>(BAD_STATUS.map((s, i) => [s, DROP.status - i]));

/** The code of a time alone (wide files): -2 none, -6 out of range, else 0. */
export function timeCode(ms: number, range: TimeRange): number {
  if (Number.isNaN(ms)) return DROP.noTime;
  return ms < range.earliest || ms > range.latest ? DROP.outOfRange : 0;
}

/**
 * The code of one narrow sample: its tag position × 2 (+1 for marker B), or why it is not kept.
 * `position` maps a tag index to its position (undefined: not in the tag table).
 */
export function narrowCode(
  ms: number,
  range: TimeRange,
  marker: string,
  status: string,
  tagIndex: number | null,
  position: (index: number) => number | undefined,
): number {
  const time = timeCode(ms, range);
  if (time < 0) return time;
  const m = marker.trim().toUpperCase();
  if (m === ENDED_MARKER) return DROP.ended;
  if (!KEPT_MARKERS.includes(m)) return DROP.marker;
  const s = status.trim();
  if (s !== '') return STATUS_CODE.get(s) ?? DROP.otherStatus;
  if (tagIndex === null || !Number.isInteger(tagIndex)) return DROP.badTag;
  const p = position(tagIndex);
  return p === undefined ? DROP.unknownTag : p * 2 + (m === 'B' ? 1 : 0);
}
