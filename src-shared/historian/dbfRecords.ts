import { ApiError } from '../api/errors';
import { excerpt } from '../text/excerpt';
import { parseTime } from '../timeFormat';
import { DROP } from './quality';
import { narrowCode, type TimeRange, timeCode } from './sampleCode';

// The data logs RSView32 and FactoryTalk View write natively are dBase files (RSView32 `.DBF`,
// FactoryTalk View file sets `YYYY MM DD 0000 (Float).DAT`). Each side opens them with dbffile
// (the console in src-main, the runner in src-edge); what a record means is decided here, once:
//   narrow  Date (D, YYYYMMDD), Time (C, hh:mm:ss), Millitm, TagIndex, Value, Status, Marker
//   wide    Date, Time, [Millitm], Marker, then per tag a status field Sts_NN beside its value
//           field, named by the tag (names of 10 characters or less) or by its tag index
// A tag table (`(Tagname).DBF`/`.DAT`: Tagname, TTagIndex, TagType, TagDataTyp) names the indices.

/** A dBase field as dbffile describes it. */
export interface DbfField {
  name: string;
  type: string;
}

/** A record as dbffile returns it: D fields as UTC-midnight Dates, N fields as numbers or null. */
export type DbfRecord = Record<string, unknown>;

/** Where a sample goes: a batch the caller flushes into the minute pivot. */
export interface SampleSink {
  push(ms: number, code: number, value: number | null): void;
}

/** The first record that refuses the import (no time, out of range, a bad or unknown tag index). */
export interface DbfRefusal {
  code: number;
  record: number;
  field: string;
  value: string;
}

const YMD = { kind: 'text', order: 'ymd' } as const;

const fieldNamed = (fields: readonly DbfField[], name: string) =>
  fields.find((f) => f.name.toLowerCase() === name.toLowerCase())?.name;

/** Naive ms of a dBase Date (UTC midnight from dbffile) and an hh:mm:ss Time, plus milliseconds. */
function recordTime(date: unknown, time: unknown, millis: unknown): number {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return Number.NaN;
  const day = date.toISOString().slice(0, 10);
  const ms = parseTime(`${day} ${String(time ?? '').trim()}`, YMD);
  return ms + (typeof millis === 'number' && Number.isFinite(millis) ? Math.round(millis) : 0);
}

const dateText = (value: unknown) =>
  value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : '';

/** Reads records one by one into a sink; remembers the first that refuses the import. */
export interface DbfRecordReader {
  /** Pivot columns in order. */
  tags: string[];
  read(record: DbfRecord, number: number, sink: SampleSink): void;
  refusal(): DbfRefusal | null;
}

/** Whether a dBase log is narrow (a TagIndex field) or wide. */
export function isNarrowLog(fields: readonly DbfField[]): boolean {
  return fieldNamed(fields, 'TagIndex') !== undefined;
}

const REFUSED = new Set<number>([DROP.noTime, DROP.outOfRange, DROP.badTag, DROP.unknownTag]);

/** A narrow dBase float log: one record per tag per sample. */
export function narrowLogReader(
  name: string,
  fields: readonly DbfField[],
  tagMap: Map<number, string>,
  range: TimeRange,
): DbfRecordReader {
  const f = (n: string) => fieldNamed(fields, n);
  const [date, time, millitm, tagIndex, value, status, marker] = [
    'Date',
    'Time',
    'Millitm',
    'TagIndex',
    'Value',
    'Status',
    'Marker',
  ].map(f);
  if (!date || !time || !tagIndex || !value)
    throw new ApiError('bad_input', `${name}: not a narrow data log (needs Date, Time, TagIndex and Value fields)`);
  if (fields.find((d) => d.name === value)?.type === 'C')
    throw new ApiError('bad_input', `${name}: a string data log: PumpDeck reads the float log of the set (Float)`);
  const positions = new Map([...tagMap.keys()].map((index, position) => [index, position]));
  let first: DbfRefusal | null = null;
  return {
    tags: [...tagMap.values()],
    read(r, number, sink) {
      const ms = recordTime(r[date], r[time], millitm ? r[millitm] : 0);
      const index = r[tagIndex];
      const code = narrowCode(
        ms,
        range,
        marker ? String(r[marker] ?? '') : '',
        status ? String(r[status] ?? '') : '',
        typeof index === 'number' ? index : null,
        (i) => positions.get(i),
      );
      if (!first && REFUSED.has(code)) {
        const isTime = code === DROP.noTime || code === DROP.outOfRange;
        first = {
          code,
          record: number,
          field: isTime ? `${date}/${time}` : tagIndex,
          value: isTime ? `${dateText(r[date])} ${String(r[time] ?? '')}` : String(index ?? ''),
        };
      }
      const v = r[value];
      sink.push(ms, code, typeof v === 'number' && !Number.isNaN(v) ? v : null);
    },
    refusal: () => first,
  };
}

/** A wide dBase log: one record per sample time, a value and a status field per tag. */
export function wideLogReader(
  name: string,
  fields: readonly DbfField[],
  tagMap: Map<number, string> | null,
  range: TimeRange,
): DbfRecordReader {
  const f = (n: string) => fieldNamed(fields, n);
  const [date, time, millitm, marker] = ['Date', 'Time', 'Millitm', 'Marker'].map(f);
  if (!date || !time) throw new ApiError('bad_input', `${name}: not a data log (needs Date and Time fields)`);
  const fixed = new Set([date, time, millitm, marker]);
  const rest = fields.filter((d) => !fixed.has(d.name));
  const isStatus = (d: DbfField | undefined) => d !== undefined && /^sts_/i.test(d.name);
  // Each value field takes the status field beside it (before it, as RSView32 writes them, or after).
  const signals: Array<{ tag: string; value: string; status: string | null }> = [];
  rest.forEach((d, i) => {
    if (isStatus(d)) return;
    const status = isStatus(rest[i - 1]) ? rest[i - 1].name : isStatus(rest[i + 1]) ? rest[i + 1].name : null;
    const index = /^\d+$/.test(d.name) ? Number(d.name) : null;
    const tag = index !== null ? tagMap?.get(index) : d.name;
    if (tag === undefined)
      throw new ApiError(
        'bad_input',
        `${name}: field ${excerpt(d.name)} is tag index ${index}${tagMap ? ', which the tag table does not have' : ': pick the tag table (Tagname) of this log'}`,
      );
    signals.push({ tag, value: d.name, status });
  });
  if (signals.length === 0) throw new ApiError('bad_input', `${name}: no tag value fields beside Date and Time`);
  let first: DbfRefusal | null = null;
  return {
    tags: signals.map((s) => s.tag),
    read(r, number, sink) {
      const ms = recordTime(r[date], r[time], millitm ? r[millitm] : 0);
      const rowCode = timeCode(ms, range);
      if (rowCode < 0 && !first)
        first = {
          code: rowCode,
          record: number,
          field: `${date}/${time}`,
          value: `${dateText(r[date])} ${String(r[time] ?? '')}`,
        };
      const m = marker ? String(r[marker] ?? '') : '';
      signals.forEach((s, position) => {
        const code =
          rowCode < 0
            ? position === 0
              ? rowCode
              : DROP.sameRow
            : narrowCode(ms, range, m, s.status ? String(r[s.status] ?? '') : '', position, (p) => p);
        const v = r[s.value];
        sink.push(ms, code, typeof v === 'number' && !Number.isNaN(v) ? v : null);
      });
    },
    refusal: () => first,
  };
}

/** The refusal as an error naming the file, record and field. */
export function dbfRefusalError(name: string, first: DbfRefusal | null, range: TimeRange): ApiError | null {
  if (!first) return null;
  const at = `${name}: record ${first.record}: field ${first.field}: `;
  const details = { line: first.record, field: first.field };
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  switch (first.code) {
    case DROP.noTime:
      return new ApiError('bad_input', `${at}cannot read ${excerpt(first.value)} as a date and time`, details);
    case DROP.outOfRange:
      return new ApiError(
        'bad_input',
        `${at}${excerpt(first.value)} is outside the plausible range (${day(range.earliest)} to ${day(range.latest)}): a wrong clock?`,
        details,
      );
    case DROP.badTag:
      return new ApiError('bad_input', `${at}${excerpt(first.value)} is not a tag index (a whole number)`, details);
    default:
      return new ApiError(
        'bad_input',
        `${at}unknown tag index ${excerpt(first.value)} (not in the tag table)`,
        details,
      );
  }
}

/** Tag-table records (Tagname, TTagIndex) as rows for the tag map. */
export function tagTableRecords(name: string, fields: readonly DbfField[], records: DbfRecord[]) {
  const tagName = fieldNamed(fields, 'Tagname');
  const tagIndex = fieldNamed(fields, 'TTagIndex');
  if (!tagName || !tagIndex)
    throw new ApiError('bad_input', `${name}: not a tag table (needs Tagname and TTagIndex fields)`);
  return records.map((r, i) => ({ name: r[tagName], index: r[tagIndex], line: i + 1 }));
}
