import Papa from 'papaparse';
import type { MinuteReading } from '../alerts/minute';
import { ApiError } from '../api/errors';
import { PUMPS } from '../tags';
import { parseTimestamp } from '../time';

// A site's narrow historian export (seed layout Timestamp,Marker,TagIndex,Value, the default
// 27-tag order) pivoted to minute readings for the alert engine, in memory: the console's DuckDB
// ingest applies the same rules (markers B and S, minute floor, the last value of a minute wins).

export function historianMinutes(text: string, name: string): MinuteReading[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const columns = (header ?? []).map((h) => h.trim());
  const at = (c: string) => columns.indexOf(c);
  if (['Timestamp', 'Marker', 'TagIndex', 'Value'].some((c) => at(c) < 0))
    throw new ApiError(
      'bad_input',
      `${name}: line 1: not a historian export (needs Timestamp, Marker, TagIndex, Value)`,
    );
  const minutes = new Map<number, { values: Map<number, [number, number]> }>();
  rows.forEach((r, k) => {
    const marker = r[at('Marker')]?.trim();
    if (marker !== 'B' && marker !== 'S') return;
    const t = parseTimestamp(r[at('Timestamp')] ?? '');
    const tag = Number(r[at('TagIndex')]);
    const value = Number(r[at('Value')]);
    if (Number.isNaN(t))
      throw new ApiError('bad_input', `${name}: line ${k + 2}: field Timestamp: not a time: '${r[at('Timestamp')]}'`);
    if (!Number.isInteger(tag) || tag < 0 || tag > 26)
      throw new ApiError('bad_input', `${name}: line ${k + 2}: field TagIndex: unknown index '${r[at('TagIndex')]}'`);
    if (!Number.isFinite(value))
      throw new ApiError('bad_input', `${name}: line ${k + 2}: field Value: not a number: '${r[at('Value')]}'`);
    const minute = Math.floor(t / 60_000) * 60_000;
    const slot = minutes.get(minute) ?? { values: new Map() };
    const previous = slot.values.get(tag);
    if (!previous || t >= previous[0]) slot.values.set(tag, [t, value]);
    minutes.set(minute, slot);
  });
  return [...minutes.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([time, { values }]) => {
      const v = (tag: number) => values.get(tag)?.[1] ?? null;
      return {
        time,
        dayTotal: v(0),
        flow: v(1),
        level: v(2),
        on: PUMPS.map((_, k) => (v(3 + k) === null ? null : v(3 + k) === 1)),
        kw: PUMPS.map((_, k) => v(9 + k)),
      };
    });
}
