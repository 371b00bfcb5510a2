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
  const delimiter = [';', '\t', ',']
    .map((d) => [d, firstLine.split(d).length] as const)
    .sort((a, b) => b[1] - a[1])[0][0];
  let names: string[] | null = null;
  let table: WideTable | null = null;
  let timeIndex = -1;
  let signal: number[] = [];
  let labelIndex: number[] = [];
  let line = 0;
  let failure: ApiError | null = null;
  // Row by row (step), so only numbers are kept, never the whole file as strings.
  Papa.parse<string[]>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
    delimiter,
    skipEmptyLines: true,
    step: (result, parser) => {
      line += 1;
      const cells = result.data;
      try {
        if (!names) {
          names = cells.map((h) => h.trim());
          timeIndex = names.findIndex((h) => TIME_NAMES.test(h));
          if (timeIndex < 0)
            throw new ApiError(
              'bad_input',
              `${name}: line 1: no time column (datetime, timestamp or time) in ${names.join(', ')}`,
            );
          signal = names
            .map((_, i) => i)
            .filter((i) => i !== timeIndex && !LABEL_COLUMNS.includes(names![i].toLowerCase()));
          labelIndex = names.map((_, i) => i).filter((i) => LABEL_COLUMNS.includes(names![i].toLowerCase()));
          table = {
            timeColumn: names[timeIndex],
            times: [],
            columns: signal.map((i) => names![i]),
            rows: [],
            labels: Object.fromEntries(labelIndex.map((i) => [names![i], [] as number[]])),
          };
          return;
        }
        const header = names;
        if (cells.length !== header.length)
          throw new ApiError(
            'bad_input',
            `${name}: line ${line}: ${cells.length} fields where the header has ${header.length}`,
            { line },
          );
        const time = cells[timeIndex].trim();
        if (Number.isNaN(Date.parse(time.replace(' ', 'T'))))
          throw new ApiError('bad_input', `${name}: line ${line}: field ${header[timeIndex]}: not a time: '${time}'`, {
            line,
            field: header[timeIndex],
          });
        table!.times.push(time);
        table!.rows.push(
          signal.map((i) => {
            const v = Number(cells[i]);
            if (cells[i].trim() === '' || !Number.isFinite(v))
              throw new ApiError(
                'bad_input',
                `${name}: line ${line}: field ${header[i]}: not a number: '${cells[i]}'`,
                { line, field: header[i] },
              );
            return v;
          }),
        );
        for (const i of labelIndex) table!.labels[header[i]].push(Number(cells[i]));
      } catch (error) {
        failure = error as ApiError;
        parser.abort();
      }
    },
  });
  if (failure) throw failure;
  if (!table || (table as WideTable).rows.length === 0)
    throw new ApiError('bad_input', `${name}: line ${names ? 2 : 1}: no data rows`);
  return table;
}
