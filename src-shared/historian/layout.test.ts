import { describe, expect, it } from 'vitest';
import { detectHistorianLayout, sniffDelimiter } from './layout';
import { readValue } from './values';

const layout = (text: string) => {
  const result = detectHistorianLayout(text, false);
  if ('problem' in result) throw new Error(result.problem);
  return result.layout;
};

describe('historian layouts from the head of a file', () => {
  it('the seed narrow layout', () =>
    expect(layout('Timestamp,Marker,TagIndex,Value\n2025-03-01 00:00:01,B,0,12.5\n')).toMatchObject({
      kind: 'narrow',
      variant: 'seed',
      delimiter: ',',
      time: { timestamp: 'Timestamp' },
      timeFormat: { order: 'ymd' },
    }));

  it('RSView32 narrow with its columns reordered by a converter, blank markers, US dates', () =>
    expect(
      layout(
        'Marker,Status,Value,TagIndex,Millitm,Time,Date\n,,12.5,3,120,00:00:10,3/13/2025\n,E,0,4,0,00:00:10,3/13/2025\n',
      ),
    ).toMatchObject({
      kind: 'narrow',
      variant: 'rsview',
      time: { date: 'Date', time: 'Time' },
      timeFormat: { order: 'mdy' },
      millitm: 'Millitm',
      status: 'Status',
      marker: 'Marker',
    }));

  it('asks for the order when every date could be either', () =>
    expect(layout('Date,Time,TagIndex,Value\n3/4/2025,00:00:00,1,2\n')).toMatchObject({
      timeFormat: null,
      timeQuestion: { options: ['mdy', 'dmy'] },
    }));

  it('a Finnish station export: BOM, units row, `Time stamp`, decimal comma, NA', () => {
    const text =
      '\uFEFFTime stamp;Wet well level;Pump flow 2.1;Pump power 2.1;Pump frequency 2.1\n' +
      ';m;m3/h;kW;Hz\n15.11.2024 0.15.00;1,52;120,5;NA;48,0\n15.11.2024 0.30.00;1,48;;22,1;47,5\n';
    expect(layout(text)).toMatchObject({
      kind: 'wide',
      delimiter: ';',
      headerLines: 2,
      decimalComma: true,
      time: { timestamp: 'Time stamp' },
      timeFormat: { kind: 'text', order: 'dmy' },
      signals: [
        { name: 'Wet well level', unit: 'm' },
        { name: 'Pump flow 2.1', unit: 'm3/h' },
        { name: 'Pump power 2.1', unit: 'kW' },
        { name: 'Pump frequency 2.1', unit: 'Hz' },
      ],
    });
  });

  it('a Date and a Time column, tabs, AM/PM, a text column set aside', () =>
    expect(
      layout('Date\tTime\tLevel\tOperator\n3/13/2025\t2:00 PM\t1.5\tjs\n3/13/2025\t2:15 PM\t1.6\tjs\n'),
    ).toMatchObject({
      kind: 'wide',
      delimiter: '\t',
      time: { date: 'Date', time: 'Time' },
      timeFormat: { order: 'mdy' },
      signals: [{ name: 'Level', unit: null }],
      skipped: [{ name: 'Operator', reason: 'text, not numbers' }],
    }));

  it('Excel serial days in a column with any name', () =>
    expect(layout('Stamp,Flow\n45611.0104166667,12\n45611.0208333333,13\n')).toMatchObject({
      time: { timestamp: 'Stamp' },
      timeFormat: { kind: 'excel' },
    }));

  it('says what is missing', () => {
    expect(detectHistorianLayout('a,b\n1,2\n', false)).toEqual({
      problem: 'no time column (a column of dates and times, or a Date and a Time column)',
    });
    expect(detectHistorianLayout('Time,a,A\n2025-01-01 00:00,1,2\n', false)).toMatchObject({
      problem: expect.stringMatching(/appears twice/),
    });
  });

  it('sniffs the delimiter from every line, not the header alone', () => {
    expect(sniffDelimiter(['a;b;c', '1,5;2,5;3,5', '1;2;3'])).toBe(';');
    expect(sniffDelimiter(['a,b', '1,2'])).toBe(',');
  });
});

describe('values as exports write them', () => {
  it.each([
    ['12.5', false, 12.5],
    ['12,5', true, 12.5],
    ['-0.25e2', false, -25],
    ['', false, null],
    ['NA', false, null],
    ['#N/A', false, null],
    ['#VALUE!', false, null],
    ['NaN', false, null],
    ['-', false, null],
    ['inf', false, 'nonfinite'],
    ['-Infinity', false, 'nonfinite'],
    ['1e309', false, 'nonfinite'],
    ['0x10', false, 'bad'],
    ['12,5', false, 'bad'],
    ['abc', false, 'bad'],
  ] as const)('%s (decimal comma %s) → %s', (cell, comma, expected) => expect(readValue(cell, comma)).toBe(expected));
});
