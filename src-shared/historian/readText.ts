import Papa from 'papaparse';
import { ApiError } from '../api/errors';
import type { MinuteFrame } from '../minuteFrame';
import { excerpt } from '../text/excerpt';
import { type DateOrder, parseTime, type TimeFormat } from '../timeFormat';
import { detectHistorianLayout, type HistorianLayout, type NarrowLayout, type WideLayout } from './layout';
import { MinutePivot } from './minutePivot';
import { DROP } from './quality';
import { SampleBatch } from './sampleBatch';
import { narrowCode, type TimeRange } from './sampleCode';
import { defaultTagMap } from './tagMap';
import { readValue } from './values';

// A historian export read in JS, for the edge runner (no DuckDB on a Raspberry Pi) and the
// console's tests: the same layout detection, time parser, value rules, marker and status rules
// and minute pivot as the console's DuckDB readers, so the site and the console agree about the
// data (a test reads the same files both ways).

const HEAD_CHARS = 64 * 1024;

export interface TextReadOptions {
  range: TimeRange;
  /** TagIndex -> name for narrow exports (default: the seed's 27-tag order). */
  tagMap?: Map<number, string>;
  dateOrder?: DateOrder;
  /** Reading on where an earlier read of the same file stopped: `text` holds data lines only. */
  continuation?: Continuation;
}

/** How an earlier read found a file, so text appended to it is read the same way and lines keep their numbers. */
export interface Continuation {
  layout: HistorianLayout;
  format: TimeFormat;
  /** The file line number of the text's first line. */
  firstLine: number;
}

export interface TextReadResult {
  layout: HistorianLayout;
  /** The time format the whole text was read with (a continuation reads on with it). */
  format: TimeFormat;
  frame: MinuteFrame;
  pivot: MinutePivot;
}

/** A row's time text: one timestamp column, or a date and a time column joined. */
function timeText(layout: HistorianLayout): (row: string[]) => string {
  const time = layout.time;
  const at = (column: string) => layout.columns.indexOf(column);
  return 'timestamp' in time
    ? (row) => (row[at(time.timestamp)] ?? '').trim()
    : (row) => `${(row[at(time.date)] ?? '').trim()} ${(row[at(time.time)] ?? '').trim()}`;
}

/** The time of one data line of a file read before (NaN when it has none). */
export function lineTime(line: string, continuation: Omit<Continuation, 'firstLine'>): number {
  const row = Papa.parse<string[]>(line, { delimiter: continuation.layout.delimiter }).data[0] ?? [];
  return parseTime(timeText(continuation.layout)(row), continuation.format);
}

/** The day/month order of a whole text's dates when the head leaves it open. */
function wholeTextOrder(rows: string[][], timeOf: (row: string[]) => string): DateOrder | null {
  let first = 0;
  let second = 0;
  for (const row of rows) {
    const m = /^\s*(\d{1,2})[/.-](\d{1,2})/.exec(timeOf(row));
    if (m) {
      first = Math.max(first, Number(m[1]));
      second = Math.max(second, Number(m[2]));
    }
  }
  return first > 12 ? 'dmy' : second > 12 ? 'mdy' : null;
}

/** A numeric cell, or the error naming its line and field. */
function numberAt(cell: string, decimalComma: boolean, name: string, line: number, field: string): number | null {
  const read = readValue(cell, decimalComma);
  if (read === 'bad')
    throw new ApiError(
      'bad_input',
      `${name}: line ${line}: field ${field}: cannot read this as a number: ${excerpt(cell)}`,
      {
        line,
        field,
      },
    );
  return read === 'nonfinite' ? Number.POSITIVE_INFINITY : read;
}

const REFUSED: Record<number, string> = {
  [DROP.noTime]: 'cannot read this as a time',
  [DROP.outOfRange]: 'outside the plausible range: a wrong clock?',
  [DROP.badTag]: 'not a tag index (a whole number)',
  [DROP.unknownTag]: 'unknown tag index',
};

/** Reads a historian export given as text into minutes. Bad input names the line and field. */
export function readHistorianText(text: string, name: string, options: TextReadOptions): TextReadResult {
  const go = options.continuation;
  const layout = go?.layout ?? detectedLayout(text, name);
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: layout.delimiter,
    skipEmptyLines: false,
  });
  const rows = parsed.data;
  const at = (column: string) => layout.columns.indexOf(column);
  const time = layout.time;
  const timeOf = timeText(layout);
  const data = go ? rows : rows.slice(layout.headerLines);
  const firstLine = go ? go.firstLine : layout.headerLines + 1;
  const format = go ? go.format : textFormat(layout, data, timeOf, options.dateOrder, name);
  const tags =
    layout.kind === 'wide' ? layout.signals.map((s) => s.name) : [...(options.tagMap ?? defaultTagMap()).values()];
  const pivot = new MinutePivot(tags);
  const batch = new SampleBatch(pivot);
  const read =
    layout.kind === 'wide' ? wideRow(layout, name) : narrowRow(layout, name, options.tagMap ?? defaultTagMap());
  data.forEach((row, k) => {
    if (row.length === 1 && row[0].trim() === '') return;
    const line = firstLine + k;
    if (row.length !== layout.columns.length)
      throw new ApiError(
        'bad_input',
        `${name}: line ${line}: ${row.length < layout.columns.length ? 'too few fields (a truncated line?)' : 'too many fields'}`,
        { line },
      );
    const ms = parseTime(timeOf(row), format);
    read(row, ms, line, options.range, batch, (code) => {
      const field =
        code === DROP.noTime || code === DROP.outOfRange
          ? 'timestamp' in time
            ? time.timestamp
            : `${time.date}/${time.time}`
          : (layout as NarrowLayout).tagIndex;
      const value = code === DROP.noTime || code === DROP.outOfRange ? timeOf(row) : (row[at(field)] ?? '');
      throw new ApiError('bad_input', `${name}: line ${line}: field ${field}: ${REFUSED[code]}: ${excerpt(value)}`, {
        line,
        field,
      });
    });
  });
  batch.flush();
  return { layout, format, frame: pivot.finish().frame, pivot };
}

/** The layout's time format, or the date order the caller chose or the whole text shows. */
function textFormat(
  layout: HistorianLayout,
  data: string[][],
  timeOf: (row: string[]) => string,
  dateOrder: DateOrder | undefined,
  name: string,
): TimeFormat {
  const format = layout.timeFormat;
  if (format && !(dateOrder && format.order !== 'ymd')) return format;
  const order = dateOrder ?? wholeTextOrder(data, timeOf);
  if (!order)
    throw new ApiError('bad_input', `${name}: every date could be month/day or day/month: choose the date order`, {
      needsChoice: 'dateOrder',
    });
  return { kind: 'text', order, zone: format?.zone };
}

/** The layout of a whole text, or the error naming the file. */
export function detectedLayout(text: string, name: string): HistorianLayout {
  const detected = detectHistorianLayout(text.slice(0, HEAD_CHARS), text.length > HEAD_CHARS);
  if ('problem' in detected) throw new ApiError('bad_input', `${name}: line 1: ${detected.problem}`);
  return detected.layout;
}

type RowReader = (
  row: string[],
  ms: number,
  line: number,
  range: TimeRange,
  batch: SampleBatch,
  refuse: (code: number) => never,
) => void;

function narrowRow(layout: NarrowLayout, name: string, tagMap: Map<number, string>): RowReader {
  const at = (column: string | undefined) => (column === undefined ? -1 : layout.columns.indexOf(column));
  const [tagAt, valueAt, millisAt, statusAt, markerAt] = [
    layout.tagIndex,
    layout.value,
    layout.millitm,
    layout.status,
    layout.marker,
  ].map(at);
  const positions = new Map([...tagMap.keys()].map((index, position) => [index, position]));
  return (row, ms, line, range, batch, refuse) => {
    const millis =
      millisAt >= 0 ? numberAt(row[millisAt], layout.decimalComma, name, line, layout.millitm as string) : 0;
    const time = ms + Math.round(millis ?? 0);
    const tag = numberAt(row[tagAt], layout.decimalComma, name, line, layout.tagIndex);
    const code = narrowCode(
      time,
      range,
      markerAt >= 0 ? row[markerAt] : '',
      statusAt >= 0 ? row[statusAt] : '',
      tag === Number.POSITIVE_INFINITY ? null : tag,
      (index) => positions.get(index),
    );
    if (code in REFUSED) refuse(code);
    batch.push(time, code, numberAt(row[valueAt], layout.decimalComma, name, line, layout.value));
  };
}

function wideRow(layout: WideLayout, name: string): RowReader {
  const columns = layout.signals.map((s) => layout.columns.indexOf(s.name));
  return (row, ms, line, range, batch, refuse) => {
    const time = Number.isNaN(ms) ? DROP.noTime : ms < range.earliest || ms > range.latest ? DROP.outOfRange : 0;
    if (time < 0) refuse(time);
    columns.forEach((c, position) => {
      batch.push(ms, position * 2, numberAt(row[c], layout.decimalComma, name, line, layout.signals[position].name));
    });
  };
}
