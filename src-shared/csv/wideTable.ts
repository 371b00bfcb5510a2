import Papa from 'papaparse';
import { ApiError } from '../api/errors';

// A wide CSV read whole into memory (SKAB test-bed files, a site's sensor export on the edge):
// delimiter `,` `;` or tab found from the header, a time column, numeric signal columns. Label
// columns (`anomaly`, `changepoint`) are set aside. Bad input names the file, line and field.

export interface WideTable {
  timeColumn: string;
  times: string[];
  columns: string[];
  rows: number[][];
  /** Columns set aside as labels, by name. */
  labels: Record<string, number[]>;
}

const TIME_NAMES = /^(datetime|timestamp|time|date[ _]?time|date)$/i;
export const LABEL_COLUMNS = ['anomaly', 'changepoint'];

export function parseWideCsv(text: string, name: string): WideTable {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [';', '\t', ','].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter, skipEmptyLines: true });
  const [header, ...body] = parsed.data;
  if (!header || body.length === 0) throw new ApiError('bad_input', `${name}: line ${header ? 2 : 1}: no data rows`);
  const names = header.map((h) => h.trim());
  const timeIndex = names.findIndex((h) => TIME_NAMES.test(h));
  if (timeIndex < 0) throw new ApiError('bad_input', `${name}: line 1: no time column (datetime, timestamp or time) in ${names.join(', ')}`);
  const signal = names.map((_, i) => i).filter((i) => i !== timeIndex && !LABEL_COLUMNS.includes(names[i].toLowerCase()));
  const labelIndex = names.map((_, i) => i).filter((i) => LABEL_COLUMNS.includes(names[i].toLowerCase()));
  const table: WideTable = { timeColumn: names[timeIndex], times: [], columns: signal.map((i) => names[i]), rows: [], labels: Object.fromEntries(labelIndex.map((i) => [names[i], [] as number[]])) };
  body.forEach((cells, k) => {
    const line = k + 2;
    if (cells.length !== names.length) throw new ApiError('bad_input', `${name}: line ${line}: ${cells.length} fields where the header has ${names.length}`, { line });
    const time = cells[timeIndex].trim();
    if (Number.isNaN(Date.parse(time.replace(' ', 'T')))) throw new ApiError('bad_input', `${name}: line ${line}: field ${names[timeIndex]}: not a time: '${time}'`, { line, field: names[timeIndex] });
    table.times.push(time);
    table.rows.push(
      signal.map((i) => {
        const v = Number(cells[i]);
        if (cells[i].trim() === '' || !Number.isFinite(v)) throw new ApiError('bad_input', `${name}: line ${line}: field ${names[i]}: not a number: '${cells[i]}'`, { line, field: names[i] });
        return v;
      }),
    );
    for (const i of labelIndex) table.labels[names[i]].push(Number(cells[i]));
  });
  return table;
}
