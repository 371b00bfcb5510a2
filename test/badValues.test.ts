import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLogFile } from '../src-edge/readLogs';
import { ensureSchema } from '../src-main/db/schema';
import { StationDb } from '../src-main/db/stationDb';
import { demoStationConfig } from '../src-main/demo/createDemo';
import { demoReadings } from '../src-main/demo/demoReadings';
import { importHistorian } from '../src-main/ingest/historianImport';
import { addMaintenance, importMaintenance, listMaintenance } from '../src-main/models/maintenanceLog';
import { evaluateAlerts } from '../src-shared/alerts/engine';
import { plausibleRange } from '../src-shared/historian/sampleCode';
import { seedInput } from '../src-shared/station/parse';
import { tempDir } from './helpers';

// Issue 16, "bad values that slip in": each probe as the issue states it, against the console's
// import (and the edge runner's reader where it reads the same file). A refused file names its
// line and field and leaves every table as it was; nothing is dropped without being counted.

const dir = tempDir();
const NOW = Date.UTC(2026, 0, 1);
const STATION = seedInput({ hlt_physical_max: 500 });

/** An hour of the seed's narrow layout (27 tags a minute), with `bad` lines inserted after line 501. */
function narrowFile(name: string, bad: string[]): string {
  const rows: string[] = [];
  for (let m = 0; m < 60; m++)
    for (let t = 0; t < 27; t++)
      rows.push(`2025-03-01 00:${String(m).padStart(2, '0')}:00,S,${t},${(t * 1.5).toFixed(1)}`);
  const path = join(dir, `${name}.csv`);
  writeFileSync(
    path,
    ['Timestamp,Marker,TagIndex,Value', ...rows.slice(0, 500), ...bad, ...rows.slice(500)].join('\n'),
  );
  return path;
}

let n = 0;
async function freshDb(): Promise<StationDb> {
  const db = await StationDb.open(join(dir, `db-${n++}.duckdb`));
  await ensureSchema(db);
  return db;
}

/** Imports into a fresh project; returns the error's message (or null) and how many rows landed. */
async function tryImport(path: string): Promise<{ error: string | null; rows: number }> {
  const db = await freshDb();
  const error = await importHistorian(db, path, { station: STATION, now: NOW }).then(
    () => null,
    (e: Error) => e.message,
  );
  const rows = (await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM readings_wide'))?.n ?? -1;
  db.close();
  return { error, rows };
}

describe('values a file must not slip in', () => {
  it.each([
    [
      'tag index 2.5',
      ['2025-03-01 00:18:00,S,2.5,1'],
      "line 502: field TagIndex: '2.5' is not a tag index (a whole number)",
    ],
    ['tag index 1e308', ['2025-03-01 00:18:00,S,1e308,1'], "line 502: field TagIndex: unknown tag index '1e308'"],
    [
      'year 9999',
      ['9999-03-01 00:18:00,S,2,1'],
      "line 502: field Timestamp: '9999-03-01 00:18:00' is outside the plausible range (1990-01-01 to 2026-01-02)",
    ],
    ['year 0001', ['0001-03-01 00:18:00,S,2,1'], "line 502: field Timestamp: cannot read '0001-03-01 00:18:00'"],
    [
      'year 2200',
      ['2200-03-01 00:18:00,S,2,1'],
      "line 502: field Timestamp: '2200-03-01 00:18:00' is outside the plausible range",
    ],
    [
      'year 1900',
      ['1900-03-01 00:18:00,S,2,1'],
      "line 502: field Timestamp: '1900-03-01 00:18:00' is outside the plausible range",
    ],
    [
      'a 30 MB line',
      [`2025-03-01 00:18:00,S,2,${'1'.repeat(30_000_000)}`],
      'line 502: 28.6 MB long, over the 2.0 MB a line may have',
    ],
  ])('%s is refused with its line and field; no table changes', async (name, bad, message) => {
    const result = await tryImport(narrowFile(name.replace(/\W+/g, '-'), bad));
    expect(result.error).toContain(message);
    expect(result.rows).toBe(0);
  });

  it.each([
    ['year 9999', '9999-03-01 00:18:00,S,2,1'],
    ['tag index 2.5', '2025-03-01 00:18:00,S,2.5,1'],
  ])('the edge reader refuses %s too, naming the line', async (name, bad) => {
    const path = narrowFile(`edge-${name.replace(/\W+/g, '-')}`, [bad]);
    await expect(readLogFile(path, plausibleRange(NOW), null)).rejects.toThrow(/line 502/);
  });

  it('Infinity, -inf and 1e309 are missing values, counted in the summary; 1e308 is a value', async () => {
    const path = narrowFile('inf', [
      '2025-03-01 00:18:00,S,2,Infinity',
      '2025-03-01 00:19:00,S,3,-inf',
      '2025-03-01 00:19:00,S,4,1e309',
    ]);
    const db = await freshDb();
    const summary = await importHistorian(db, path, { station: STATION, now: NOW });
    expect(summary.dropped.nonFinite).toBe(3);
    expect(summary.warnings.join(' ')).toMatch(/3 samples were dropped: 3 by an infinite value/);
    const inf = await db.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM readings_wide WHERE isinf(total_kw) OR isinf("[PLC]HLT101.OUTPUT")`,
    );
    expect(inf?.n).toBe(0);
    db.close();
  });

  it('the same tag-minute twice is said in the summary, not only in --json', async () => {
    const path = narrowFile('twice', ['2025-03-01 00:10:00,S,2,99', '2025-03-01 00:10:30,S,2,98']);
    const db = await freshDb();
    const summary = await importHistorian(db, path, { station: STATION, now: NOW });
    expect(summary.warnings).toContain('2 samples shared a tag-minute with a later one: the minute keeps the last');
    const kept = await db.one<{ v: number }>(
      `SELECT "[PLC]HLT101.OUTPUT" AS v FROM readings_wide WHERE "Timestamp" = '2025-03-01 00:10:00'`,
    );
    expect(kept?.v).toBe(98);
    db.close();
  });
});

describe('a malformed row deep in a long file (issue 22)', () => {
  it('is named by its line, past the 20,480 rows DuckDB would have sniffed', async () => {
    const rows: string[] = ['Date,Time,Millitm,TagIndex,Value,Status,Marker'];
    for (let i = 0; rows.length <= 60_000; i++) {
      const minute = Math.floor(i / 27);
      const time = `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
      rows.push(`1/${13 + Math.floor(minute / 1440)}/2025,${time},0,${i % 27},${i % 97},,`);
    }
    rows.splice(50_000, 0, 'not,a,valid,row');
    const path = join(dir, 'deep.csv');
    writeFileSync(path, `${rows.join('\n')}\n`);
    const result = await tryImport(path);
    expect(result.error).toMatch(/^deep\.csv: line 50001: 4 fields where the header has 7/);
    expect(result.error?.split('\n')).toHaveLength(1);
    expect(result.rows).toBe(0);
  });
});

describe('memory follows the samples, not the span', () => {
  it('a sparse 20-year file (2,000 samples) imports in under 500 MB', async () => {
    const lines = ['Timestamp,Marker,TagIndex,Value'];
    const first = Date.UTC(2006, 0, 1);
    const span = Date.UTC(2025, 11, 31) - first;
    for (let i = 0; i < 2000; i++) {
      const at = new Date(first + Math.floor((span * i) / 2000 / 60_000) * 60_000).toISOString();
      lines.push(`${at.slice(0, 10)} ${at.slice(11, 19)},S,${i % 27},${i}`);
    }
    const path = join(dir, 'sparse.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const db = await freshDb();
    const summary = await importHistorian(db, path, { station: STATION, now: NOW });
    expect(summary.minutes).toBe(2000);
    // This test file's process: vitest itself, then the import (peak resident memory).
    expect(process.resourceUsage().maxRSS / 1024).toBeLessThan(500);
    db.close();
  }, 120_000);
});

describe('the maintenance log', () => {
  let db: StationDb;
  beforeAll(async () => {
    db = await freshDb();
    await importHistorian(db, narrowFile('for-maintenance', []), { station: STATION, now: NOW });
  });

  it.each([
    ['pump,date,kind\nP4,2025-13-40,failure\n', "line 2: field date: not a date: '2025-13-40'"],
    ['pump,date,kind\nP4,2025-02-29 10:00,failure\n', "line 2: field date: not a date: '2025-02-29 10:00'"],
    [
      'pump,date,kind\nP1,2025-03-01,repair\nP99,2025-03-02,failure\n',
      "line 3: field pump: 'P99' is not a pump of this station (P1, P2",
    ],
  ])('refuses %j with line and field, storing nothing', async (text, message) => {
    const path = join(dir, `maintenance-${n++}.csv`);
    writeFileSync(path, text);
    await expect(importMaintenance(db, path)).rejects.toThrow(message);
    expect(await listMaintenance(db)).toEqual([]);
  });

  it('a missing file is named, not a glob error', async () => {
    await expect(importMaintenance(db, join(dir, 'nowhere.csv'))).rejects.toThrow(/^nowhere\.csv: no such file$/);
  });

  it('an entry for a pump the station lacks is refused in the console too', async () => {
    await expect(addMaintenance(db, { pump: 'P99', at: '2025-03-01', kind: 'failure', note: null })).rejects.toThrow(
      /field pump: 'P99' is not a pump of this station/,
    );
  });
});

describe('a missing reading is not zero in the rules', () => {
  it('FIT101 missing for 5 minutes while pumps run raises no B-03 (no flow): the gap is not a blockage', () => {
    const readings = demoReadings({ days: 2, seed: 1, start: '2025-03-01' });
    const i = readings.findIndex((r, j) => j > 600 && r.on.filter(Boolean).length >= 2);
    const gap = readings.map((r, j) => (j >= i && j < i + 5 ? { ...r, flow: null } : r));
    const zero = readings.map((r, j) => (j >= i && j < i + 5 ? { ...r, flow: 0 } : r));
    const station = demoStationConfig();
    expect(evaluateAlerts(gap, station).filter((a) => a.rule === 'B-03')).toEqual([]);
    // The same minutes with the flow reading 0 are a blockage: the test can tell them apart.
    expect(evaluateAlerts(zero, station).filter((a) => a.rule === 'B-03')).toHaveLength(1);
  });
});

describe('daylight saving: the station clock skips an hour in spring and repeats one in autumn', () => {
  const HELSINKI = { ...STATION, model: { ...STATION.model, timezone: 'Europe/Helsinki' } };
  /** Six hours of minutes from 00:00 of `day`, as the historian PC's wall clock logged them. */
  function clockFile(name: string, day: string, hours: (h: number) => number) {
    const rows: string[] = [];
    for (let h = 0; h < 6; h++)
      for (let pass = 0; pass < hours(h); pass++)
        for (let m = 0; m < 60; m++)
          for (let t = 0; t < 27; t++)
            rows.push(`${day} 0${h}:${String(m).padStart(2, '0')}:00,S,${t},${t === 2 ? 200 + pass : t < 3 ? 100 : 0}`);
    const path = join(dir, `${name}.csv`);
    writeFileSync(path, ['Timestamp,Marker,TagIndex,Value', ...rows].join('\n'));
    return path;
  }
  const importWith = async (path: string, station: typeof STATION) => {
    const db = await freshDb();
    const summary = await importHistorian(db, path, { station, now: NOW });
    const gaps = await db.all<{ rule: string }>(`SELECT rule FROM alerts_log WHERE rule IN ('F-01', 'F-02')`);
    db.close();
    return { summary, gaps: gaps.map((g) => g.rule) };
  };

  it('spring (2025-03-30, 03:00-03:59 never happens): with the time zone no gap; without it, named as a likely clock change', async () => {
    const path = clockFile('spring', '2025-03-30', (h) => (h === 3 ? 0 : 1));
    const zoned = await importWith(path, HELSINKI);
    expect(zoned.summary.gaps).toBe(0);
    expect(zoned.summary.warnings.join(' ')).not.toMatch(/gap|clock/);
    expect(zoned.gaps).toEqual([]);
    const naive = await importWith(path, STATION);
    expect(naive.summary.gaps).toBe(1);
    expect(naive.summary.warnings).toContain(
      "no rows 2025-03-30 03:00-03:59: a clock put forward (daylight saving beginning?); give the station's time zone (station.json timezone) and it is not a gap",
    );
    expect(naive.gaps).toEqual(['F-02']);
  });

  it('autumn (2025-10-26, 03:00-03:59 twice): named, with the time zone as the clock going back', async () => {
    const path = clockFile('autumn', '2025-10-26', (h) => (h === 3 ? 2 : 1));
    const zoned = await importWith(path, HELSINKI);
    expect(zoned.summary.warnings).toContain(
      '2025-10-26 03:00-03:59 was logged twice: the clock went back an hour (Europe/Helsinki); the later pass is kept, the earlier one replaced',
    );
    const naive = await importWith(path, STATION);
    expect(naive.summary.warnings.join(' ')).toMatch(
      /2025-10-26 03:00-03:59 was logged twice \(a clock put back, daylight saving ending\? or rows written twice\)/,
    );
    // Any other hour logged once: no such warning.
    const plain = await importWith(
      clockFile('plain', '2025-10-20', () => 1),
      HELSINKI,
    );
    expect(plain.summary.warnings.join(' ')).not.toMatch(/twice/);
  });
});
