import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers';
import { StationDb } from '../db/stationDb';
import { ingestSeedHistorian } from './narrowHistorian';

const dir = tempDir();
let db: StationDb;

function csv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, ['Timestamp,Marker,TagIndex,Value', ...lines].join('\n') + '\n');
  return path;
}

const snapshot = () => db.all(`SELECT * FROM readings_wide ORDER BY "Timestamp"`);

beforeAll(async () => {
  db = await StationDb.open(join(dir, 'station.duckdb'));
});
afterAll(() => db.close());

describe('seed-layout historian ingest', () => {
  it('keeps markers B and S, floors to the minute, and the last sample of a tag-minute wins', async () => {
    const file = csv('a.csv', [
      '2025-03-01 00:00:02,B,2,300.5',
      '2025-03-01 00:00:45,S,1,120',
      '2025-03-01 00:01:05,S,2,301',
      '2025-03-01 00:01:50,S,2,302',
      '2025-03-01 00:01:59,E,2,999',
      '2025-03-01 00:02:00,S,3,1',
    ]);
    const summary = await ingestSeedHistorian(db, file);
    expect(summary).toMatchObject({ rowsRead: 6, rowsKept: 5, minutes: 3, first: '2025-03-01 00:00:00', last: '2025-03-01 00:02:00' });
    const rows = await db.all<Record<string, unknown>>(
      `SELECT strftime("Timestamp", '%H:%M:%S') AS t, "Marker" AS m, "[PLC]HLT101.OUTPUT" AS level, "[PLC]FIT101_HR.PER_HR" AS flow, "[PLC]P1.ONOFF" AS p1 FROM readings_wide ORDER BY 1`,
    );
    expect(rows).toEqual([
      { t: '00:00:00', m: 'B', level: 300.5, flow: 120, p1: null },
      { t: '00:01:00', m: 'S', level: 302, flow: null, p1: null },
      { t: '00:02:00', m: 'S', level: null, flow: null, p1: 1 },
    ]);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await snapshot();
    await ingestSeedHistorian(db, join(dir, 'a.csv'));
    expect(await snapshot()).toEqual(before);
  });

  it('a non-numeric value fails with the file named and leaves the table as it was', async () => {
    const before = await snapshot();
    const file = csv('bad.csv', ['2025-03-01 00:03:00,S,2,300', '2025-03-01 00:04:00,S,2,abc']);
    await expect(ingestSeedHistorian(db, file)).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('bad.csv') });
    expect(await snapshot()).toEqual(before);
  });

  it('an unparseable time fails and leaves the table as it was', async () => {
    const before = await snapshot();
    const file = csv('badtime.csv', ['2025-03-01 00:05:00,S,2,300', '03/01/2025 00:06,S,2,301']);
    await expect(ingestSeedHistorian(db, file)).rejects.toMatchObject({ code: 'bad_input' });
    expect(await snapshot()).toEqual(before);
  });
});
