import { describe, expect, it } from 'vitest';
import { chartForResult, MAX_BARS } from './resultChart';

describe('the chart a console result gets', () => {
  it('a time column and numbers: a line per number column', () => {
    const columns = [
      { name: 'day', type: 'DATE' },
      { name: 'pump', type: 'VARCHAR' },
      { name: 'kwh', type: 'DOUBLE' },
      { name: 'starts', type: 'BIGINT' },
    ];
    expect(chartForResult(columns, 30)).toEqual({ kind: 'line', x: 0, ys: [2, 3] });
    expect(chartForResult([{ name: 't', type: 'TIMESTAMP WITH TIME ZONE' }, ...columns.slice(2)], 5)).toEqual({
      kind: 'line',
      x: 0,
      ys: [1, 2],
    });
  });

  it('a category and a number: bars, unless there are too many to read', () => {
    const columns = [
      { name: 'pump', type: 'VARCHAR' },
      { name: 'hours', type: 'DECIMAL(18,3)' },
    ];
    expect(chartForResult(columns, 6)).toEqual({ kind: 'bar', x: 0, ys: [1] });
    expect(chartForResult(columns, MAX_BARS + 1)).toBeNull();
  });

  it('no chart for one row, for text only, or for numbers with nothing to put on x', () => {
    expect(chartForResult([{ name: 'n', type: 'BIGINT' }], 1)).toBeNull();
    expect(chartForResult([{ name: 'a', type: 'VARCHAR' }], 10)).toBeNull();
    expect(chartForResult([{ name: 'n', type: 'BIGINT' }], 10)).toBeNull();
  });
});
