import Papa from 'papaparse';
import { ApiError } from '../api/errors';
import type { HistorianLayout } from '../historian/layout';
import { type Continuation, detectedLayout } from '../historian/readText';
import { readValue } from '../historian/values';
import { excerpt } from '../text/excerpt';
import { parseTime, type TimeFormat } from '../timeFormat';

// A wide CSV read whole into memory (SKAB test-bed files, a site's sensor export on the edge): the
// same layout detection as the historian readers (delimiter, time column, units row, decimal
// comma), missing values as null. Label columns (`anomaly`, `changepoint`) are set aside. Bad
// input names the file, line and field.

export interface WideTable {
  /** How the file was read: an appended part is read on the same way. */
  layout: HistorianLayout;
  format: TimeFormat;
  timeColumn: string;
  /** Each row's time as written, and as naive ms. */
  times: string[];
  ms: number[];
  columns: string[];
  /** null: a missing value (empty, NA, #N/A, ...; an infinite value too). */
  rows: Array<Array<number | null>>;
  /** Columns set aside as labels, by name. */
  labels: Record<string, number[]>;
  /** Values that were infinite (read as missing). */
  nonFinite: number;
}

export const LABEL_COLUMNS = ['anomaly', 'changepoint'];

/** A wide CSV; with `continuation`, `text` is data lines appended to a file read before (edge runner). */
export function parseWideCsv(text: string, name: string, continuation?: Continuation): WideTable {
  const layout = continuation?.layout ?? detectedLayout(text, name);
  if (layout.kind !== 'wide')
    throw new ApiError('bad_input', `${name}: line 1: a narrow historian export, not a wide CSV`);
  const format: TimeFormat = continuation?.format ?? layout.timeFormat ?? { kind: 'text', order: 'mdy' };
  const firstLine = continuation?.firstLine ?? layout.headerLines + 1;
  const time = layout.time;
  const at = (c: string) => layout.columns.indexOf(c);
  const timeOf = (row: string[]) =>
    'timestamp' in time
      ? (row[at(time.timestamp)] ?? '').trim()
      : `${(row[at(time.date)] ?? '').trim()} ${(row[at(time.time)] ?? '').trim()}`;
  const signals = layout.signals.filter((s) => !LABEL_COLUMNS.includes(s.name.toLowerCase()));
  const labelNames = layout.signals.filter((s) => LABEL_COLUMNS.includes(s.name.toLowerCase())).map((s) => s.name);
  const table: WideTable = {
    layout,
    format,
    timeColumn: 'timestamp' in time ? time.timestamp : `${time.date} ${time.time}`,
    times: [],
    ms: [],
    columns: signals.map((s) => s.name),
    rows: [],
    labels: Object.fromEntries(labelNames.map((n) => [n, [] as number[]])),
    nonFinite: 0,
  };
  const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: layout.delimiter,
    skipEmptyLines: false,
  }).data;
  (continuation ? rows : rows.slice(layout.headerLines)).forEach((cells, k) => {
    const line = firstLine + k;
    if (cells.length === 1 && cells[0].trim() === '') return;
    if (cells.length !== layout.columns.length)
      throw new ApiError(
        'bad_input',
        `${name}: line ${line}: ${cells.length} fields where the header has ${layout.columns.length}`,
        { line },
      );
    const t = timeOf(cells);
    const ms = parseTime(t, format);
    if (Number.isNaN(ms))
      throw new ApiError('bad_input', `${name}: line ${line}: field ${table.timeColumn}: not a time: ${excerpt(t)}`, {
        line,
        field: table.timeColumn,
      });
    table.times.push(t);
    table.ms.push(ms);
    table.rows.push(
      signals.map((s) => {
        const read = readValue(cells[at(s.name)] ?? '', layout.decimalComma);
        if (read === 'bad')
          throw new ApiError(
            'bad_input',
            `${name}: line ${line}: field ${s.name}: not a number: ${excerpt(cells[at(s.name)] ?? '')}`,
            {
              line,
              field: s.name,
            },
          );
        if (read === 'nonfinite') table.nonFinite++;
        return typeof read === 'number' ? read : null;
      }),
    );
    for (const label of labelNames) table.labels[label].push(Number(cells[at(label)]));
  });
  if (table.rows.length === 0) throw new ApiError('bad_input', `${name}: line ${firstLine}: no data rows`);
  return table;
}
