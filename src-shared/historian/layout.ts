import Papa from 'papaparse';
import { type DateOrder, detectTimeFormat, looksLikeTimes, type TimeFormat } from '../timeFormat';
import { readValue } from './values';

// Which historian export is this? Decided from the first lines of the file (its head), before
// anything is read, by the console (which then reads it with DuckDB) and the edge runner alike.
//
//   narrow  one row per tag per sample: the seed's Timestamp,Marker,TagIndex,Value, or RSView32 /
//           FactoryTalk's Date,Time,Millitm,TagIndex,Value,Status,Marker in any column order
//   wide    one row per time, one column per signal: any time column (or Date plus Time), any
//           common delimiter, a units row (or a few metadata rows) under the header, decimal commas
//
// docs/decisions.md ("Real exports") says how each shape is recognised.

export type Delimiter = ',' | ';' | '\t';
const DELIMITERS: Delimiter[] = ['\t', ';', ','];

interface LayoutBase {
  delimiter: Delimiter;
  /** Header names, trimmed, in file order. */
  columns: string[];
  /** Lines before the first data line: the header and any units or description rows. */
  headerLines: number;
  /** Numbers are written 12,5 (with `;` or tab between fields). */
  decimalComma: boolean;
  /** The time column(s): one timestamp, or a date and a time column. */
  time: { timestamp: string } | { date: string; time: string };
  /** The time format, or null when the day/month order is open (see `timeQuestion`). */
  timeFormat: TimeFormat | null;
  timeQuestion?: { options: DateOrder[]; example: string };
}

export interface NarrowLayout extends LayoutBase {
  kind: 'narrow';
  variant: 'seed' | 'rsview';
  tagIndex: string;
  value: string;
  millitm?: string;
  status?: string;
  marker?: string;
}

export interface WideSignal {
  /** The column's header: the raw tag name it is stored under. */
  name: string;
  /** From the units row, when the file has one. */
  unit: string | null;
}

export interface WideLayout extends LayoutBase {
  kind: 'wide';
  signals: WideSignal[];
  /** Columns not imported, and why (a text column such as an operator's name). */
  skipped: Array<{ name: string; reason: string }>;
  /** Metadata rows under the header other than units (descriptions), per signal. */
  descriptions?: Record<string, string>;
}

export type HistorianLayout = NarrowLayout | WideLayout;

/** The layout, or why the head is not a historian export (the caller words the error). */
export type LayoutResult = { layout: HistorianLayout } | { problem: string };

const find = (columns: string[], ...names: string[]) =>
  columns.find((c) => names.some((n) => c.toLowerCase() === n.toLowerCase()));

const TIME_NAMES =
  /^(time ?stamp|timestamp|date ?time|datetime|date[_ ]time|time|zeit|zeitstempel|aika|aikaleima|tid|tidpunkt|fecha ?hora|horodatage|t_stamp|ts)$/i;
const DATE_NAMES = /^(date|datum|päivä|paiva|fecha|dato)$/i;
const CLOCK_NAMES = /^(time|zeit|aika|kello|hora|tid|uhrzeit)$/i;

/** Splits the first lines of a file into fields (quotes honoured). */
export function splitLines(lines: string[], delimiter: Delimiter): string[][] {
  return Papa.parse<string[]>(lines.join('\n'), { delimiter, skipEmptyLines: false }).data.map((row) =>
    row.map((cell) => cell.trim()),
  );
}

/**
 * The delimiter that splits the head's lines into the same number of fields (more than one) most
 * consistently; ties go to tab, then `;`, then `,` (a `,` inside `12,5` splits lines unevenly).
 */
export function sniffDelimiter(lines: string[]): Delimiter {
  const sample = lines.filter((l) => l.trim() !== '').slice(0, 50);
  let best: { delimiter: Delimiter; score: number } = { delimiter: ',', score: -1 };
  for (const delimiter of DELIMITERS) {
    const counts = splitLines(sample, delimiter).map((r) => r.length);
    const header = counts[0] ?? 0;
    if (header < 2) continue;
    const agreeing = counts.filter((n) => n === header).length / counts.length;
    const score = agreeing * 1000 + Math.min(header, 999) / 1000;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** The head's lines: byte-order mark dropped, the last line dropped when the head cuts it. */
export function headLines(text: string, truncated: boolean): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (truncated) lines.pop();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

function timeOf(samples: string[]): Pick<LayoutBase, 'timeFormat' | 'timeQuestion'> | null {
  const detected = detectTimeFormat(samples);
  if ('format' in detected) return { timeFormat: detected.format };
  if ('ambiguous' in detected)
    return { timeFormat: null, timeQuestion: { options: detected.options, example: detected.example } };
  return null;
}

/** Numbers written with a decimal comma: cells like 12,5 and none like 12.5. */
function usesDecimalComma(rows: string[][], delimiter: Delimiter): boolean {
  if (delimiter === ',') return false;
  let comma = 0;
  let point = 0;
  for (const row of rows)
    for (const cell of row) {
      if (/^[+-]?\d+,\d+$/.test(cell)) comma++;
      else if (/^[+-]?\d+\.\d+$/.test(cell)) point++;
    }
  return comma > point;
}

function narrowLayout(columns: string[], data: string[][], delimiter: Delimiter): LayoutResult | null {
  const tagIndex = find(columns, 'TagIndex');
  const value = find(columns, 'Value');
  const timestamp = find(columns, 'Timestamp');
  const date = find(columns, 'Date');
  const clock = find(columns, 'Time');
  if (!tagIndex) return null;
  // A TagIndex column makes it a narrow export: what it lacks is named.
  const missing = [
    ...(value ? [] : ['Value']),
    ...(timestamp || (date && clock) ? [] : ['Timestamp (or Date and Time)']),
  ];
  if (missing.length || !value)
    return { problem: `missing column ${missing.join(', ')} (a narrow export has TagIndex, Value and a time)` };
  const at = (name: string) => columns.indexOf(name);
  const samples = data.map((r) =>
    timestamp ? (r[at(timestamp)] ?? '') : `${r[at(date as string)] ?? ''} ${r[at(clock as string)] ?? ''}`,
  );
  const time = timeOf(samples.slice(0, 200));
  if (!time) return { problem: `cannot read times like '${samples[0] ?? ''}'` };
  const variant = timestamp ? 'seed' : 'rsview';
  return {
    layout: {
      kind: 'narrow',
      variant,
      delimiter,
      columns,
      headerLines: 1,
      decimalComma: usesDecimalComma(data.slice(0, 200), delimiter),
      time: timestamp ? { timestamp } : { date: date as string, time: clock as string },
      ...time,
      tagIndex,
      value,
      millitm: find(columns, 'Millitm'),
      status: find(columns, 'Status'),
      marker: find(columns, 'Marker'),
    },
  };
}

/** The time column(s) of a wide file: by name, a Date plus a Time column, or the first column of times. */
function wideTime(columns: string[], data: string[][]): LayoutBase['time'] | null {
  const values = (name: string) => data.map((r) => r[columns.indexOf(name)] ?? '').filter(Boolean);
  const date = columns.find((c) => DATE_NAMES.test(c));
  const clock = columns.find((c) => CLOCK_NAMES.test(c) && c !== date);
  if (
    date &&
    clock &&
    looksLikeTimes(
      values(date)
        .map((d, i) => `${d} ${values(clock)[i] ?? ''}`)
        .slice(-50),
    )
  )
    return { date, time: clock };
  const named = columns.find((c) => TIME_NAMES.test(c) && looksLikeTimes(values(c).slice(-50)));
  if (named) return { timestamp: named };
  const byContent = columns.find((c) => looksLikeTimes(values(c).slice(-50)));
  return byContent ? { timestamp: byContent } : null;
}

function wideLayout(columns: string[], rows: string[][], delimiter: Delimiter): LayoutResult {
  // Find the time column on the rows that look like data, then count the metadata rows above them.
  const time = wideTime(columns, rows.slice(Math.min(4, rows.length - 1)));
  if (!time) return { problem: 'no time column (a column of dates and times, or a Date and a Time column)' };
  const cellOf = (row: string[]) =>
    'timestamp' in time
      ? (row[columns.indexOf(time.timestamp)] ?? '')
      : `${row[columns.indexOf(time.date)] ?? ''} ${row[columns.indexOf(time.time)] ?? ''}`;
  const firstData = rows.findIndex((r) => looksLikeTimes([cellOf(r)]) !== null);
  if (firstData < 0 || firstData > 3)
    return { problem: `no time values in the first lines under the header (e.g. '${cellOf(rows[0] ?? [])}')` };
  const data = rows.slice(firstData).filter((r) => r.length > 1 || r[0] !== '');
  const timeFormat = timeOf(data.slice(0, 500).map(cellOf));
  if (!timeFormat) return { problem: `cannot read times like '${cellOf(data[0] ?? [])}'` };
  const timeColumns = 'timestamp' in time ? [time.timestamp] : [time.date, time.time];
  const decimalComma = usesDecimalComma(data.slice(0, 200), delimiter);
  const meta = rows.slice(0, firstData);
  const signalNames = columns.filter((c) => !timeColumns.includes(c));
  // A units row: short cells that are not numbers (m, m3/h, kW, Hz, %, °C) under most signals.
  const looksLikeUnits = (row: string[]) => {
    const cells = signalNames.map((c) => row[columns.indexOf(c)] ?? '');
    const unitLike = cells.filter(
      (c) => c === '' || (c.length <= 16 && typeof readValue(c, decimalComma) !== 'number'),
    );
    return cells.some(Boolean) && unitLike.length === cells.length;
  };
  const unitsRow = meta.find(looksLikeUnits);
  const descriptionRow = meta.find((r) => r !== unitsRow);
  const signals: WideSignal[] = [];
  const skipped: WideLayout['skipped'] = [];
  for (const name of signalNames) {
    const at = columns.indexOf(name);
    if (!name) {
      skipped.push({ name: `column ${at + 1}`, reason: 'no header' });
      continue;
    }
    const reads = data.slice(0, 500).map((r) => readValue(r[at] ?? '', decimalComma));
    const present = reads.filter((v) => v !== null);
    if (present.length > 0 && present.every((v) => v === 'bad')) {
      skipped.push({ name, reason: 'text, not numbers' });
      continue;
    }
    signals.push({ name, unit: unitsRow?.[at] || null });
  }
  if (signals.length === 0) return { problem: 'no numeric signal column beside the time' };
  const layout: WideLayout = {
    kind: 'wide',
    delimiter,
    columns,
    headerLines: 1 + firstData,
    decimalComma,
    time,
    ...timeFormat,
    signals,
    skipped,
  };
  if (descriptionRow)
    layout.descriptions = Object.fromEntries(
      signals.map((s) => [s.name, descriptionRow[columns.indexOf(s.name)] ?? '']).filter(([, d]) => d),
    );
  return { layout };
}

/**
 * The historian layout of a file from its head: narrow when it has TagIndex, Value and a time,
 * wide when it has a column of times and numeric signals. Duplicate or empty header names are
 * refused (each column becomes a tag of its own).
 */
export function detectHistorianLayout(text: string, truncated: boolean): LayoutResult {
  const lines = headLines(text, truncated);
  if (lines.length < 2) return { problem: 'no data rows after the header' };
  const delimiter = sniffDelimiter(lines);
  const [header, ...rows] = splitLines(lines, delimiter);
  const columns = header.map((c) => c.trim());
  const narrow = narrowLayout(columns, rows.slice(0, 500), delimiter);
  if (narrow) return narrow;
  const seen = new Set<string>();
  for (const c of columns) {
    if (c && seen.has(c.toLowerCase())) return { problem: `the column '${c}' appears twice in the header` };
    seen.add(c.toLowerCase());
  }
  return wideLayout(columns, rows, delimiter);
}
