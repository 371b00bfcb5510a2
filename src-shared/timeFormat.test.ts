import { describe, expect, it } from 'vitest';
import { formatTimestamp } from './time';
import { detectTimeFormat, parseTime, type TimeFormat } from './timeFormat';

const ymd: TimeFormat = { kind: 'text', order: 'ymd' };
const zoned: TimeFormat = { kind: 'text', order: 'ymd', zone: true };
const mdy: TimeFormat = { kind: 'text', order: 'mdy' };
const dmy: TimeFormat = { kind: 'text', order: 'dmy' };
const at = (text: string, format: TimeFormat) => {
  const ms = parseTime(text, format);
  return Number.isNaN(ms) ? null : formatTimestamp(ms) + (ms % 1000 ? `.${String(ms % 1000).padStart(3, '0')}` : '');
};

describe('parseTime: the shapes HMIs and Excel write', () => {
  it.each([
    ['2025-03-03 14:05:09', ymd, '2025-03-03 14:05:09'],
    ['2025-03-03T14:05', ymd, '2025-03-03 14:05:00'],
    ['2025-03-03T14:05:09.123Z', zoned, '2025-03-03 14:05:09.123'],
    ['2025-03-03 14:05:09+02:00', zoned, '2025-03-03 14:05:09'],
    ['2025/03/03 14:05', ymd, '2025-03-03 14:05:00'],
    ['3/3/2025 2:05:09 PM', mdy, '2025-03-03 14:05:09'],
    ['3/3/2025 12:05 AM', mdy, '2025-03-03 00:05:00'],
    ['12/31/2024 23:59', mdy, '2024-12-31 23:59:00'],
    ['31/12/2024 23:59:59', dmy, '2024-12-31 23:59:59'],
    ['15.11.2024 0.15.00', dmy, '2024-11-15 00:15:00'],
    ['15.11.2024 0.15', dmy, '2024-11-15 00:15:00'],
    ['15.11.2024 0:15:00', dmy, '2024-11-15 00:15:00'],
    ['3.3.2025 9.05', dmy, '2025-03-03 09:05:00'],
    ['2025-03-03', ymd, '2025-03-03 00:00:00'],
    ['45611.0104166667', { kind: 'excel', order: 'ymd' }, '2024-11-15 00:15:00'],
  ] as const)('%s', (text, format, expected) => expect(at(text, format)).toBe(expected));

  it.each([
    ['2025-02-30 00:00', ymd],
    ['2025-03-03 24:00', ymd],
    ['2025-03-03 12:60', ymd],
    ['13/13/2025 00:00', mdy],
    ['3/3/2025 13:05 PM', mdy],
    ['25-03-03 00:00', ymd],
    ['2025-03-03 00:00Z', ymd],
    ['March 7', ymd],
    ['', ymd],
  ] as const)('refuses %s', (text, format) => expect(parseTime(text, format)).toBeNaN());
});

describe('detectTimeFormat', () => {
  it('finds the order from the values', () => {
    expect(detectTimeFormat(['2025-03-03 00:00'])).toEqual({ format: ymd });
    expect(detectTimeFormat(['2025-03-03 00:00', '2025-03-03T00:01Z'])).toEqual({ format: zoned });
    expect(detectTimeFormat(['3/3/2025 0:00', '3/13/2025 0:00'])).toEqual({ format: mdy });
    expect(detectTimeFormat(['13/3/2025 0:00'])).toEqual({ format: dmy });
    expect(detectTimeFormat(['3.3.2025 0.00'])).toEqual({ format: dmy });
    expect(detectTimeFormat(['45611.0104166667', '45611.02'])).toEqual({ format: { kind: 'excel', order: 'ymd' } });
  });
  it('asks when every date could be either', () =>
    expect(detectTimeFormat(['3/4/2025 0:00', '4/3/2025 0:00'])).toMatchObject({ ambiguous: true }));
  it('says when a column is not times', () => {
    expect(detectTimeFormat(['12.5', '13.1'])).toMatchObject({ unknown: true });
    expect(detectTimeFormat(['pump 1'])).toMatchObject({ unknown: true });
  });
});
