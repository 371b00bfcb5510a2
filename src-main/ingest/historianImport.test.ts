import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedInput } from '../../src-shared/station/parse';
import { tempDir } from '../../test/helpers';
import { stationDifferences, stationFingerprint } from '../../test/stationHash';
import { ensureSchema } from '../db/schema';
import { StationDb } from '../db/stationDb';
import { createDemo } from '../demo/createDemo';
import { importHistorian } from './historianImport';

const dir = tempDir();
const STATION = seedInput({ hlt_physical_max: 500 });
let n = 0;
async function freshDb(): Promise<StationDb> {
  const db = await StationDb.open(join(dir, `t${++n}.duckdb`));
  await ensureSchema(db);
  return db;
}
function csv(name: string, lines: string[], header = 'Timestamp,Marker,TagIndex,Value'): string {
  const path = join(dir, name);
  writeFileSync(path, `${[header, ...lines].join('\n')}\n`);
  return path;
}
/** A file with exactly these contents. */
function written(name: string, contents: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
}
const row = (db: StationDb, sql: string) => db.all<Record<string, unknown>>(sql);

describe('seed 002 §3 rules', () => {
  let db: StationDb;
  beforeAll(async () => (db = await freshDb()));
  afterAll(() => db.close());

  it('keeps markers blank, B and S, drops E, floors to the minute, the last sample of a tag-minute wins', async () => {
    const file = csv('rules.csv', [
      '2025-03-01 00:00:02,B,2,300.5',
      '2025-03-01 00:00:45,,1,120',
      '2025-03-01 00:01:50,,2,302',
      '2025-03-01 00:01:05,S,2,301',
      '2025-03-01 00:01:59,E,2,999',
      '2025-03-01 00:02:00,,3,1',
    ]);
    const summary = await importHistorian(db, file, { station: STATION });
    expect(summary).toMatchObject({
      rowsRead: 6,
      samplesKept: 5,
      minutes: 3,
      first: '2025-03-01 00:00:00',
      last: '2025-03-01 00:02:00',
    });
    expect(summary.dropped).toEqual({ ended: 1, marker: 0, status: {}, nonFinite: 0, superseded: 1 });
    expect(
      await row(
        db,
        `SELECT strftime("Timestamp", '%H:%M:%S') AS t, "Marker" AS m, "[PLC]HLT101.OUTPUT" AS level, "[PLC]FIT101_HR.PER_HR" AS flow, "[PLC]P1.ONOFF" AS p1 FROM readings_wide ORDER BY 1`,
      ),
    ).toEqual([
      { t: '00:00:00', m: 'B', level: 300.5, flow: 120, p1: null },
      { t: '00:01:00', m: 'S', level: 302, flow: null, p1: null },
      { t: '00:02:00', m: 'S', level: null, flow: null, p1: 1 },
    ]);
  });

  it('reads a marker written in lower case or with spaces as its letter; an unknown one is dropped as such', async () => {
    const own = await freshDb();
    const file = csv('markers.csv', [
      '2025-03-01 00:00:02, b ,2,300.5',
      '2025-03-01 00:01:05,s,2,301',
      '2025-03-01 00:01:59, e,2,999',
      '2025-03-01 00:02:00,x,2,5',
      '2025-03-01 00:02:30,"",2,302',
    ]);
    const summary = await importHistorian(own, file, { station: STATION, allowDrops: true });
    expect(summary.dropped).toMatchObject({ ended: 1, marker: 1 });
    expect(
      await row(
        own,
        `SELECT strftime("Timestamp", '%H:%M') AS t, "Marker" AS m, "[PLC]HLT101.OUTPUT" AS level FROM readings_wide ORDER BY 1`,
      ),
    ).toEqual([
      { t: '00:00', m: 'B', level: 300.5 },
      { t: '00:01', m: 'S', level: 301 },
      { t: '00:02', m: 'S', level: 302 },
    ]);
    own.close();
  });

  it("ends a pump's session at a step over 5 minutes or a row it is off, not at a shorter gap", async () => {
    const own = await freshDb();
    // P1 (tag 3) runs 00:00-00:09, no rows 00:10-00:12, runs 00:13-00:19 (one run: a 4-minute
    // step); no rows 00:20-00:29 (an 11-minute step ends it); runs 00:30-00:34, is off at 00:35,
    // runs 00:36-00:40; off to 00:50.
    const on = (from: number, to: number, value: number) =>
      Array.from(
        { length: to - from + 1 },
        (_, i) => `2025-03-01 00:${String(from + i).padStart(2, '0')}:00,,3,${value}`,
      );
    const file = csv('sessions.csv', [
      ...on(0, 9, 1),
      ...on(13, 19, 1),
      ...on(30, 34, 1),
      ...on(35, 35, 0),
      ...on(36, 40, 1),
      ...on(41, 50, 0),
    ]);
    await importHistorian(own, file, { station: STATION });
    expect(
      await row(
        own,
        `SELECT strftime(start_time, '%H:%M') AS start, strftime(end_time, '%H:%M') AS "end", duration_min FROM pump_sessions WHERE pump = 'P1' ORDER BY start_time`,
      ),
    ).toEqual([
      { start: '00:00', end: '00:20', duration_min: 20 },
      { start: '00:30', end: '00:35', duration_min: 5 },
      { start: '00:36', end: '00:41', duration_min: 5 },
    ]);
    own.close();
  });

  it('stores Timestamp as TIMESTAMP and raw tag names as column names', async () => {
    const types = await row(
      db,
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'readings_wide' AND column_name IN ('Timestamp', '[PLC]HLT101.OUTPUT', 'date', 'flag_short_cycle') ORDER BY 1`,
    );
    expect(types).toEqual([
      { column_name: 'Timestamp', data_type: 'TIMESTAMP' },
      { column_name: '[PLC]HLT101.OUTPUT', data_type: 'DOUBLE' },
      { column_name: 'date', data_type: 'DATE' },
      { column_name: 'flag_short_cycle', data_type: 'INTEGER' },
    ]);
  });
});

describe('derived columns (seed 002 §7.2-7.5)', () => {
  let db: StationDb;
  beforeAll(async () => {
    db = await freshDb();
    // Sunday 2025-03-02, 06:58 .. 07:03 with a gap at 07:01; two pumps on, flow and level moving.
    const lines: string[] = [];
    const minutes = ['06:58', '06:59', '07:00', '07:02', '07:03'];
    minutes.forEach((m, i) => {
      lines.push(`2025-03-02 ${m}:00,S,1,${100 + 10 * i}`, `2025-03-02 ${m}:00,S,2,${250 + i}`);
      lines.push(
        `2025-03-02 ${m}:00,S,3,1`,
        `2025-03-02 ${m}:00,S,4,1`,
        `2025-03-02 ${m}:00,S,9,30`,
        `2025-03-02 ${m}:00,S,10,20`,
      );
    });
    await importHistorian(db, csv('derived.csv', lines), { station: STATION });
  });
  afterAll(() => db.close());

  it('computes time features, pump counts, power and ratios', async () => {
    const rows = await row(
      db,
      `SELECT strftime("Timestamp", '%H:%M') AS t, date::VARCHAR AS date, hour, day_of_week, is_weekend, is_peak_hour, pumps_on_count, total_kw, flow_per_pump, energy_per_flow, hlt_pct FROM readings_wide ORDER BY 1`,
    );
    expect(rows[0]).toEqual({
      t: '06:58',
      date: '2025-03-02',
      hour: 6,
      day_of_week: 0,
      is_weekend: 1,
      is_peak_hour: 1,
      pumps_on_count: 2,
      total_kw: 50,
      flow_per_pump: 50,
      energy_per_flow: 0.5,
      hlt_pct: 50,
    });
  });

  it('differences are against the previous minute, NULL across a gap', async () => {
    const rows = await row(
      db,
      `SELECT strftime("Timestamp", '%H:%M') AS t, hlt_diff, flow_diff FROM readings_wide ORDER BY 1`,
    );
    expect(rows).toEqual([
      { t: '06:58', hlt_diff: null, flow_diff: null },
      { t: '06:59', hlt_diff: 1, flow_diff: 10 },
      { t: '07:00', hlt_diff: 1, flow_diff: 10 },
      { t: '07:02', hlt_diff: null, flow_diff: null },
      { t: '07:03', hlt_diff: 1, flow_diff: 10 },
    ]);
  });

  it('flow_z_score uses the samples of the last 60 minutes by time; flow_slope_10 is per minute', async () => {
    const [last] = await row(
      db,
      `SELECT flow_z_score, flow_slope_10 FROM readings_wide ORDER BY "Timestamp" DESC LIMIT 1`,
    );
    const flows = [100, 110, 120, 130, 140];
    const mean = flows.reduce((a, b) => a + b) / 5;
    const sd = Math.sqrt(flows.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    expect(last.flow_z_score).toBeCloseTo((140 - mean) / sd, 6);
    // Flow rises 10 per sample; by time 06:58..07:03 the samples are not evenly spaced.
    const t = [0, 1, 2, 4, 5];
    const tm = t.reduce((a, b) => a + b) / 5;
    const slope = t.reduce((a, x, i) => a + (x - tm) * (flows[i] - mean), 0) / t.reduce((a, x) => a + (x - tm) ** 2, 0);
    expect(last.flow_slope_10).toBeCloseTo(slope, 6);
  });
});

describe('flags', () => {
  it('zero flow with a pump on for more than 2 minutes, short cycling, overrun, peak-hour waste, tank low/overflow', async () => {
    const db = await freshDb();
    const lines: string[] = [];
    const at = (m: number) => {
      const d = new Date(Date.UTC(2025, 2, 3, 0, 0) + m * 60000).toISOString();
      return `${d.slice(0, 10)} ${d.slice(11, 19)}`;
    };
    // 22 hours of P1 running, with no flow in minutes 10-13, tank high (460 of 500) and rising; P2 cycling in hour 2.
    for (let m = 0; m < 22 * 60; m++) {
      const p2 = m >= 120 && m < 180 && m % 10 < 2 ? 1 : 0;
      lines.push(
        `${at(m)},S,1,${m >= 10 && m < 14 ? 0 : 90}`,
        `${at(m)},S,2,${400 + m / 20}`,
        `${at(m)},S,3,1`,
        `${at(m)},S,4,${p2}`,
        `${at(m)},S,9,30`,
      );
    }
    await importHistorian(db, csv('flags.csv', lines), { station: STATION });
    const flags = await row(
      db,
      `SELECT min("Timestamp") FILTER (WHERE flag_zero_flow_pump_on = 1)::VARCHAR AS zero_from, count(*) FILTER (WHERE flag_zero_flow_pump_on = 1) AS zero_n,
              min("Timestamp") FILTER (WHERE flag_short_cycle = 1)::VARCHAR AS short_from,
              min("Timestamp") FILTER (WHERE flag_pump_overrun = 1)::VARCHAR AS overrun_from,
              min("Timestamp") FILTER (WHERE flag_peak_hour_waste = 1)::VARCHAR AS waste_from,
              min("Timestamp") FILTER (WHERE flag_hlt_overflow_risk = 1)::VARCHAR AS overflow_from, sum(flag_hlt_critical_low) AS low
       FROM readings_wide`,
    );
    expect(flags[0]).toEqual({
      zero_from: '2025-03-03 00:12:00', // zero since 00:10, "for > 2 min"
      zero_n: 2,
      short_from: '2025-03-03 02:40:00', // the 5th start within 60 minutes
      overrun_from: '2025-03-03 20:00:00', // 1200 minutes of running reached at 20:00, more after
      waste_from: '2025-03-03 06:00:00', // peak tariff, tank above 80 %, pumps on
      overflow_from: '2025-03-03 16:41:00', // above 90 % (450 cm, minute 1001) and rising
      low: 0,
    });
    db.close();
  });
});

describe('append, overlap and re-import', () => {
  let whole: StationDb;
  let parts: StationDb;
  let files: { all: string; first: string; second: string; overlap: string };
  beforeAll(async () => {
    const demo = await createDemo({ out: join(dir, 'demo4'), days: 4, seed: 21 });
    const lines = readFileSync(demo.historian, 'utf8').trim().split('\n');
    const header = lines[0];
    const body = lines.slice(1);
    const before = (day: string) => body.filter((l) => l < day);
    const from = (day: string) => body.filter((l) => l >= day);
    // The split falls inside pump sessions; the 02 Mar rows go in both overlapping files.
    files = {
      all: demo.historian,
      first: csv('first.csv', before('2025-03-03 05:07'), header),
      second: csv('second.csv', from('2025-03-03 05:07'), header),
      overlap: csv(
        'overlap.csv',
        from('2025-03-02').filter((l) => l < '2025-03-04'),
        header,
      ),
    };
    whole = await freshDb();
    parts = await freshDb();
    await importHistorian(whole, files.all, { station: STATION });
  });
  afterAll(() => {
    whole.close();
    parts.close();
  });

  it('importing the next part appends, joining sessions across the boundary: the same tables as one import', async () => {
    await importHistorian(parts, files.first, { station: STATION });
    const second = await importHistorian(parts, files.second, { station: STATION });
    expect(second.updatedMinutes).toBe(0);
    expect(await stationDifferences(parts, whole)).toEqual([]);
  });

  it('a file whose days are out of order gives the tables of the ordered file', async () => {
    // The alert engine starts on the first days while the file is read; a day that turns up
    // again later makes it start over from the whole data.
    const lines = readFileSync(files.all, 'utf8').trim().split('\n');
    const body = lines.slice(1);
    const shuffled = [...body.filter((l) => l >= '2025-03-02'), ...body.filter((l) => l < '2025-03-02')];
    const db = await freshDb();
    await importHistorian(db, csv('shuffled.csv', shuffled, lines[0]), { station: STATION });
    expect(await stationDifferences(whole, db)).toEqual([]);
    db.close();
  });

  it('re-importing an identical or overlapping file changes nothing', async () => {
    const before = await stationFingerprint(whole);
    const again = await importHistorian(whole, files.all, { station: STATION });
    expect(again).toMatchObject({ newMinutes: 0, updatedMinutes: 4 * 1440 });
    expect(await stationFingerprint(whole)).toEqual(before);
    await importHistorian(whole, files.overlap, { station: STATION });
    expect(await stationFingerprint(whole)).toEqual(before);
    const [dupes] = await row(whole, `SELECT count(*) - count(DISTINCT "Timestamp") AS n FROM readings_wide`);
    expect(dupes.n).toBe(0);
  });

  it('a session running at the end of the data is kept as running', async () => {
    const running = await row(
      whole,
      `SELECT pump, end_time, status, duration_min FROM pump_sessions WHERE status = 'running'`,
    );
    const last = await row(
      whole,
      `SELECT ${['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map((p) => `"[PLC]${p}.ONOFF" AS ${p}`).join(', ')} FROM readings_wide ORDER BY "Timestamp" DESC LIMIT 1`,
    );
    const onAtEnd = Object.entries(last[0])
      .filter(([, v]) => v === 1)
      .map(([p]) => p);
    expect(running.map((r) => r.pump).sort()).toEqual(onAtEnd.sort());
    expect(running.every((r) => r.end_time === null && (r.duration_min as number) > 0)).toBe(true);
  });
});

describe('bad input: a clear error naming file, line and field; every table unchanged', () => {
  let db: StationDb;
  let before: Record<string, string>;
  beforeAll(async () => {
    db = await freshDb();
    await importHistorian(db, csv('good.csv', ['2025-03-01 00:00:00,B,2,300', '2025-03-01 00:01:00,S,2,301']), {
      station: STATION,
    });
    before = await stationFingerprint(db);
  });
  afterAll(() => db.close());

  const cases: Array<[string, () => string, RegExp]> = [
    [
      'a non-numeric value',
      () => csv('nan.csv', ['2025-03-01 00:02:00,S,2,300', '2025-03-01 00:03:00,S,2,abc']),
      /^nan\.csv: line 3: field Value: cannot read 'abc' as a number$/,
    ],
    [
      'an unparseable time',
      () => csv('time.csv', ['2025-03-01 00:02:00,S,2,300', '03/01/2025 0:3,S,2,301']),
      /^time\.csv: line 3: field Timestamp: cannot read '03\/01\/2025 0:3' as a ymd date and time$/,
    ],
    [
      'a missing column',
      () => csv('cols.csv', ['2025-03-01 00:02:00,S,2'], 'Timestamp,Marker,TagIndex'),
      /^cols\.csv: line 1: unknown layout .*missing column Value /,
    ],
    [
      'an unknown TagIndex without a tag table',
      () => csv('tag.csv', ['2025-03-01 00:02:00,S,2,300', '2025-03-01 00:02:00,S,27,1']),
      /^tag\.csv: line 3: field TagIndex: unknown tag index '27' \(no tag table: the default order has 0-26\)$/,
    ],
    ['an empty file', () => written('empty.csv', ''), /^empty\.csv: the file is empty$/],
    ['a header without rows', () => csv('header.csv', []), /^header\.csv: line 2: no data rows/],
    [
      'a truncated last line',
      () => csv('cut.csv', ['2025-03-01 00:02:00,S,2,300', '2025-03-01 00:03:00,S,2']),
      /^cut\.csv: line 3: 3 fields where the header has 4 \(a truncated line\?\)/,
    ],
    [
      'a binary file',
      () => written('bin.csv', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 1, 2])),
      /^bin\.csv: not a text CSV \(binary data at byte 4\)$/,
    ],
  ];
  it.each(cases)('%s', async (_label, make, message) => {
    const error = await importHistorian(db, make(), { station: STATION }).catch((e) => e);
    expect(error).toMatchObject({ code: 'bad_input' });
    expect(error.message).toMatch(message);
    expect(await stationFingerprint(db)).toEqual(before);
  });

  it('quality problems normal in historian data are counted, not fatal', async () => {
    const ft = csv(
      'quality.csv',
      [
        '3/1/2025,00:05:00,0,2,302,,S',
        '3/1/2025,00:05:00,500,2,0,E,S',
        '3/1/2025,00:06:00,0,2,303,*,S',
        '3/1/2025,00:09:00,0,2,304,,S',
        '3/1/2025,00:09:00,0,1,5,U,S',
      ],
      'Date,Time,Millitm,TagIndex,Value,Status,Marker',
    );
    const summary = await importHistorian(db, ft, { station: STATION, dateOrder: 'mdy', allowDrops: true });
    expect(summary.dropped.status).toEqual({ E: 1, U: 1, '*': 1 });
    expect(summary).toMatchObject({ rowsRead: 5, samplesKept: 2, minutes: 2, gaps: 1, gapMinutes: 3, dropShare: 0.6 });
    expect(summary.warnings).toEqual(
      expect.arrayContaining([
        '60 % of the samples were dropped: 1 by Status E (communication error), 1 by Status U (uninitialised), 1 by Status * (bad quality)',
        expect.stringMatching(/1 gaps/),
      ]),
    );
  });

  it('an import next to stored minutes keeps their markers and values (they are read back and rewritten)', async () => {
    const fresh = await freshDb();
    await importHistorian(
      fresh,
      csv('m1.csv', ['2025-03-01 00:00:00,S,2,300', '2025-03-01 00:01:00,B,2,301.25', '2025-03-01 00:02:00,S,2,302']),
      { station: STATION },
    );
    await importHistorian(fresh, csv('m2.csv', ['2025-03-01 00:02:00,S,1,90', '2025-03-01 00:03:00,B,2,303']), {
      station: STATION,
    });
    expect(
      await row(
        fresh,
        `SELECT strftime("Timestamp", '%H:%M') AS t, "Marker" AS m, "[PLC]HLT101.OUTPUT" AS level, "[PLC]FIT101_HR.PER_HR" AS flow, hlt_diff FROM readings_wide ORDER BY 1`,
      ),
    ).toEqual([
      { t: '00:00', m: 'S', level: 300, flow: null, hlt_diff: null },
      { t: '00:01', m: 'B', level: 301.25, flow: null, hlt_diff: 1.25 },
      { t: '00:02', m: 'S', level: 302, flow: 90, hlt_diff: 0.75 },
      { t: '00:03', m: 'B', level: 303, flow: null, hlt_diff: 1 },
    ]);
    fresh.close();
  });

  it('a file whose every sample is bad-quality imports no minute and says why', async () => {
    const fresh = await freshDb();
    const ft = csv(
      'allbad.csv',
      ['3/1/2025,00:05:00,0,2,302,E,S', '3/1/2025,00:06:00,0,2,303,U,S'],
      'Date,Time,Millitm,TagIndex,Value,Status,Marker',
    );
    await expect(importHistorian(fresh, ft, { station: STATION, dateOrder: 'mdy' })).rejects.toMatchObject({
      message: expect.stringMatching(
        /^allbad\.csv: 100 % of the samples would be dropped \(1 by Status E \(communication error\), 1 by Status U \(uninitialised\)\); nothing was imported/,
      ),
      details: { needsChoice: 'allowDrops' },
    });
    const summary = await importHistorian(fresh, ft, { station: STATION, dateOrder: 'mdy', allowDrops: true });
    expect(summary).toMatchObject({ rowsRead: 2, samplesKept: 0, minutes: 0, first: null, last: null });
    expect(summary.dropped.status).toEqual({ E: 1, U: 1 });
    expect(summary.tables.readings_wide).toBe(0);
    fresh.close();
  });
});

describe('FactoryTalk / RSView32 layout', () => {
  it('with its tag table gives the seed import, but for the samples its Status marks bad', async () => {
    const ft = await createDemo({ out: join(dir, 'ft'), days: 2, seed: 4, format: 'factorytalk', start: '2025-03-14' });
    const seed = await createDemo({ out: join(dir, 'seed'), days: 2, seed: 4, start: '2025-03-14' });
    const a = await freshDb();
    const b = await freshDb();
    const summary = await importHistorian(a, ft.historian, { tagTable: ft.tagTable!, station: STATION });
    await importHistorian(b, seed.historian, { station: STATION });
    expect(summary.dropped.status).toEqual({ E: 2 });
    const diff = async (db: StationDb, other: string) =>
      db.all(
        `SELECT count(*) AS n FROM readings_wide x JOIN (SELECT * FROM ${other}) y USING ("Timestamp") WHERE x."[PLC]HLT101.OUTPUT" <> y."[PLC]HLT101.OUTPUT" OR x."[PLC]P01C.RMIN" <> y."[PLC]P01C.RMIN"`,
      );
    await b.run(`ATTACH '${a.path}' AS ft (READ_ONLY)`).catch(async () => {
      a.close();
      await b.run(`ATTACH '${a.path}' AS ft (READ_ONLY)`);
    });
    expect(await diff(b, 'ft.readings_wide')).toEqual([{ n: 0 }]);
    const flowNulls = await b.all(
      `SELECT strftime("Timestamp", '%H:%M') AS t FROM ft.readings_wide WHERE "[PLC]FIT101_HR.PER_HR" IS NULL`,
    );
    expect(flowNulls).toEqual([{ t: '03:17' }, { t: '03:17' }]);
    b.close();
  });

  it('asks for the date order when every date could be either, and reads it from the whole file when one decides', async () => {
    const db = await freshDb();
    const header = 'Date,Time,Millitm,TagIndex,Value,Status,Marker';
    const ambiguous = csv('ambiguous.csv', ['3/4/2025,00:00:00,0,2,300,,B'], header);
    await expect(importHistorian(db, ambiguous, { station: STATION })).rejects.toMatchObject({
      details: { needsChoice: 'dateOrder' },
    });
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `3/4/2025,00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},0,2,300,,S`,
    );
    const decided = csv('decided.csv', [...rows, '25/4/2025,00:00:00,0,2,301,,S'], header);
    const summary = await importHistorian(db, decided, { station: STATION });
    expect(summary.first).toBe('2025-04-03 00:00:00');
    expect(summary.last).toBe('2025-04-25 00:00:00');
    db.close();
  });
});

describe('long imports', () => {
  it('report progress and can be cancelled, leaving every table as it was', async () => {
    const demo = await createDemo({ out: join(dir, 'cancel'), days: 20, seed: 5 });
    const db = await freshDb();
    const before = await stationFingerprint(db);
    const controller = new AbortController();
    const phases: string[] = [];
    const error = await importHistorian(db, demo.historian, {
      station: STATION,
      signal: controller.signal,
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.phase === 'deriving' || p.phase === 'merging' || (p.fraction ?? 0) > 0.05) controller.abort();
      },
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(phases[0]).toBe('reading');
    expect(await stationFingerprint(db)).toEqual(before);
    const summary = await importHistorian(db, demo.historian, { station: STATION });
    expect(summary.minutes).toBe(20 * 1440);
    db.close();
  });
});
