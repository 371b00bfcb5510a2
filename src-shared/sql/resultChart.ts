// Which chart a console result gets, from its column types alone: a time column and numbers make a
// line per number column; a text column and a number make bars. Anything else stays a table.

export interface ResultColumn {
  name: string;
  type: string;
}

export interface ResultChart {
  kind: 'line' | 'bar';
  /** Index of the x column (time or category). */
  x: number;
  /** Indexes of the number columns drawn, at most MAX_SERIES. */
  ys: number[];
}

const MAX_SERIES = 6;
/** More categories than this make an unreadable bar chart. */
export const MAX_BARS = 60;

const isTime = (type: string) => /^(DATE|TIMESTAMP)/.test(type);
const isNumber = (type: string) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|FLOAT|DOUBLE|DECIMAL)/.test(type);
const isText = (type: string) => type === 'VARCHAR' || type === 'BOOLEAN';

export function chartForResult(columns: ResultColumn[], rowCount: number): ResultChart | null {
  if (rowCount < 2) return null;
  const numbers = columns.flatMap((c, i) => (isNumber(c.type) ? [i] : []));
  if (!numbers.length) return null;
  const time = columns.findIndex((c) => isTime(c.type));
  if (time >= 0) return { kind: 'line', x: time, ys: numbers.slice(0, MAX_SERIES) };
  const text = columns.findIndex((c) => isText(c.type));
  if (text >= 0 && rowCount <= MAX_BARS) return { kind: 'bar', x: text, ys: numbers.slice(0, 1) };
  return null;
}
