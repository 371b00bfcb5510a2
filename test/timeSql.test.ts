import { describe, expect, it } from 'vitest';
import { literal, StationDb } from '../src-main/db/stationDb';
import { dateAndTimeSql, dateSeparator, parseTime, type TimeFormat, timeSql } from '../src-shared/timeFormat';

// One description of each date-time shape, two parsers: JS (the edge runner, DBF files) and the
// DuckDB expressions the console reads files with. They must agree on every string, valid or not.

const FORMATS: TimeFormat[] = [
  { kind: 'text', order: 'ymd' },
  { kind: 'text', order: 'ymd', zone: true },
  { kind: 'text', order: 'dmy', zone: true },
  { kind: 'text', order: 'mdy' },
  { kind: 'text', order: 'dmy' },
  { kind: 'excel', order: 'ymd' },
  { kind: 'text', order: 'ymd', compact: true },
];

function samples(): string[] {
  const out: string[] = [];
  for (const [y, m, d] of [
    [2025, 3, 3],
    [2024, 2, 29],
    [2025, 2, 29],
    [2024, 12, 31],
    [2025, 13, 1],
    [2025, 4, 31],
  ])
    for (const [h, mi, s] of [
      [0, 0, 0],
      [9, 5, 7],
      [12, 30, 0],
      [23, 59, 59],
      [24, 0, 0],
      [7, 60, 0],
    ]) {
      const p = (n: number) => String(n).padStart(2, '0');
      out.push(
        `${y}-${p(m)}-${p(d)} ${p(h)}:${p(mi)}:${p(s)}`,
        `${y}-${p(m)}-${p(d)}T${p(h)}:${p(mi)}`,
        `${y}-${p(m)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.25Z`,
        `${y}-${p(m)}-${p(d)} ${p(h)}:${p(mi)}:${p(s)}.125`,
        `${y}-${p(m)}-${p(d)}T${p(h)}:${p(mi)}+02:00`,
        `${y}/${m}/${d} ${h}:${p(mi)}`,
        `${m}/${d}/${y} ${h % 12 || 12}:${p(mi)}:${p(s)} ${h < 12 ? 'AM' : 'PM'}`,
        `${m}/${d}/${y} ${h}:${p(mi)}`,
        `${p(d)}/${p(m)}/${y} ${p(h)}:${p(mi)}:${p(s)}`,
        `${d}.${m}.${y} ${h}.${p(mi)}.${p(s)}`,
        `${d}.${m}.${y} ${h}.${p(mi)}`,
        `${d}.${m}.${y} ${h}:${p(mi)}:${p(s)}`,
        // A dBase date (YYYYMMDD) joined to its time column: HHMMSS, HHMM or H:MM:SS.
        `${y}${p(m)}${p(d)} ${p(h)}${p(mi)}${p(s)}`,
        `${y}${p(m)}${p(d)} ${p(h)}${p(mi)}`,
        `${y}${p(m)}${p(d)} ${h}:${p(mi)}:${p(s)}`,
        `${y}${p(m)}${p(d)}T${p(h)}${p(mi)}${p(s)}`,
        `${y}${p(m)}${p(d)} ${h}${p(mi)}${p(s)}`,
      );
    }
  // Exports pad fields with spaces now and then: padded, every shape reads as it does without.
  const padded = out.slice(0, 36).flatMap((text) => [` ${text}`, `${text}  `, `  ${text} `]);
  return [
    ...out,
    ...padded,
    '45611.0104166667',
    '45611',
    '45611,5',
    'not a time',
    '',
    '2025-03-03',
    '1/2/3 4:05',
    '20250303',
    '2025033',
    '202503031',
    '20250303 14:05:09.5',
  ];
}

describe('the JS and DuckDB time parsers agree', () => {
  it('on every shape, valid or not, in every format, whichever sample chose the expression', async () => {
    const db = await StationDb.open(':memory:');
    try {
      const texts = samples();
      const list = `[${texts.map(literal).join(', ')}]`;
      for (const format of FORMATS)
        for (const sample of [
          '2025-03-03 00:00:00',
          '2025-03-03T00:00:00Z',
          '3/3/2025 0:00',
          '3.3.2025 0.00',
          '3-3-2025 0:00',
        ]) {
          const rows = await db.all<{ t: string; us: number | null }>(
            `SELECT t, ${timeSql('t', format, sample)} AS us FROM (SELECT unnest(${list}) AS t)`,
          );
          for (const { t, us } of rows) {
            const ms = parseTime(t, format);
            // A file writes one date separator: strptime is given the sample's, so a string with
            // another one is not compared.
            if (format.kind === 'text' && !format.zone && dateSeparator(t) !== dateSeparator(sample)) continue;
            expect(us === null ? null : us / 1000, `${t} as ${format.kind} ${format.order} (sample ${sample})`).toBe(
              Number.isNaN(ms) ? null : ms,
            );
          }
        }
    } finally {
      db.close();
    }
  });

  it('for separate Date and Time columns read by strptime', async () => {
    const db = await StationDb.open(':memory:');
    try {
      const cases: Array<[string, string, TimeFormat, string]> = [];
      for (const t of samples()) {
        const [date, ...rest] = t.split(' ');
        const time = rest.join(' ');
        if (!time) continue;
        for (const format of FORMATS.filter((f) => f.kind === 'text' && !f.zone)) cases.push([date, time, format, t]);
      }
      for (const [date, time, format, sample] of cases) {
        const [row] = await db.all<{ us: number | null }>(
          `SELECT ${dateAndTimeSql(literal(date), literal(time), format, sample)} AS us`,
        );
        const ms = parseTime(`${date} ${time}`, format);
        expect(row.us === null ? null : row.us / 1000, `${date} ${time} as ${format.order}`).toBe(
          Number.isNaN(ms) ? null : ms,
        );
      }
    } finally {
      db.close();
    }
  });
});
