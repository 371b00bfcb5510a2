import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DBFFile } from 'dbffile';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLogFile, readTagMap } from '../src-edge/readLogs';
import { ensureSchema } from '../src-main/db/schema';
import { ident, StationDb } from '../src-main/db/stationDb';
import { importHistorian } from '../src-main/ingest/historianImport';
import { currentStation } from '../src-main/ingest/stationConfig';
import { plausibleRange } from '../src-shared/historian/sampleCode';
import { formatTimestamp } from '../src-shared/time';
import { pumpdeck, tempDir } from './helpers';

// Not every log is a pump station (issue 30): an RSView32 datalog of a control loop, 28 analog
// tags and no pump, logged every 10 seconds, as the native dBase file with its dBase tag table,
// as the same converted to CSV (dates YYYYMMDD, the time in its own column), and as a wide CSV
// with a YYYYMMDD date column and an HHMMSS time column. Each opens, charts what it has, runs the
// rules that apply and says which tables stay empty and why. A dBase file whose header's record
// count disagrees with the file is read for the records it holds, and says what was wrong.

const dir = tempDir();
const NOW = Date.UTC(2026, 0, 1);
const T0 = Date.UTC(2025, 2, 3, 6, 0, 0);
const STEPS = 3 * 360; // three hours of 10-second samples

/** Four PID loops (PV, SP, OUT each), a few analog inputs: 28 tags, none of them a pump. */
const LOOPS = ['FIC101', 'TIC201', 'PIC301', 'LIC401'];
const TAGS = [
  ...LOOPS.flatMap((loop) => ['PV', 'SP', 'OUT'].map((part) => `[PLC]${loop}.${part}`)),
  ...Array.from({ length: 16 }, (_, k) => `[PLC]AI_${String(k + 1).padStart(2, '0')}`),
];
const INDEX = new Map(TAGS.map((t, k) => [t, k]));

/** A deterministic value: a set point with a step, a PV following it, an output, slow analogs. */
function sampleValue(tag: string, step: number): number {
  const k = INDEX.get(tag) as number;
  const sp = 50 + 10 * Math.floor(k / 3) + (step > STEPS / 2 ? 5 : 0);
  if (tag.endsWith('.SP')) return sp;
  if (tag.endsWith('.PV')) return Math.round((sp + 2 * Math.sin(step / 37 + k)) * 1000) / 1000;
  if (tag.endsWith('.OUT')) return Math.round((40 + 20 * Math.sin(step / 53 + k)) * 100) / 100;
  return Math.round((k * 3.3 + Math.cos(step / 101 + k)) * 1000) / 1000;
}

const clockOf = (ms: number) => formatTimestamp(ms).slice(11);
const ymd = (ms: number) => formatTimestamp(ms).slice(0, 10).replaceAll('-', '');
const dbfDate = (ms: number) => new Date(Math.floor(ms / 86_400_000) * 86_400_000);

/** The last value of each tag in each minute: what every reader must land. */
function expectedMinutes(): Map<number, Map<string, number>> {
  const minutes = new Map<number, Map<string, number>>();
  for (let i = 0; i < STEPS; i++) {
    const ms = T0 + i * 10_000;
    const minute = Math.floor(ms / 60_000) * 60_000;
    const row = minutes.get(minute) ?? new Map<string, number>();
    for (const tag of TAGS) row.set(tag, sampleValue(tag, i));
    minutes.set(minute, row);
  }
  return minutes;
}

const folder = join(dir, 'loop');
const dbfLog = join(folder, '25030306(Float).DBF');
const dbfTags = join(folder, '25030306(Tagname).DBF');
const csvLog = join(folder, 'loop_float.csv');
const csvTags = join(folder, 'loop_tagname.csv');
const wideCsv = join(folder, 'loop_wide.csv');

async function writeDbfLog(path: string): Promise<void> {
  const log = await DBFFile.create(path, [
    { name: 'Date', type: 'D', size: 8 },
    { name: 'Time', type: 'C', size: 8 },
    { name: 'Millitm', type: 'N', size: 3, decimalPlaces: 0 },
    { name: 'TagIndex', type: 'N', size: 5, decimalPlaces: 0 },
    { name: 'Value', type: 'F', size: 17, decimalPlaces: 6 },
    { name: 'Status', type: 'C', size: 1 },
    { name: 'Marker', type: 'C', size: 1 },
  ]);
  const records = [];
  for (let i = 0; i < STEPS; i++) {
    const ms = T0 + i * 10_000;
    for (const tag of TAGS)
      records.push({
        Date: dbfDate(ms),
        Time: clockOf(ms),
        Millitm: 0,
        TagIndex: INDEX.get(tag),
        Value: sampleValue(tag, i),
        Status: '',
        Marker: i === 0 ? 'B' : '',
      });
  }
  await log.appendRecords(records);
}

/** A copy of a dBase file whose header says `count` records (bytes 4-7), whatever the file holds. */
function withHeaderCount(source: string, target: string, count: number, extra: Uint8Array = new Uint8Array()): void {
  writeFileSync(target, Buffer.concat([readFileSync(source), extra]));
  const fd = openSync(target, 'r+');
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(count, 0);
  writeSync(fd, bytes, 0, 4, 4);
  closeSync(fd);
}

async function openProject(name: string): Promise<StationDb> {
  const db = await StationDb.open(join(dir, `${name}.duckdb`));
  await ensureSchema(db);
  return db;
}

/** The minutes readings_wide holds for the tags, against the expected ones. */
async function expectMinutes(db: StationDb): Promise<void> {
  const want = expectedMinutes();
  const rows = await db.all<Record<string, number>>(
    `SELECT epoch_ms("Timestamp")::DOUBLE AS t, ${TAGS.map((t, k) => `${ident(t)} AS v${k}`).join(', ')} FROM readings_wide ORDER BY 1`,
  );
  expect(rows.map((r) => r.t)).toEqual([...want.keys()]);
  for (const row of rows)
    for (const [k, tag] of TAGS.entries()) expect(row[`v${k}`], tag).toBe(want.get(row.t)?.get(tag));
}

beforeAll(async () => {
  mkdirSync(folder, { recursive: true });
  const tagTable = await DBFFile.create(dbfTags, [
    { name: 'Tagname', type: 'C', size: 255 },
    { name: 'TTagIndex', type: 'N', size: 5, decimalPlaces: 0 },
    { name: 'TagType', type: 'C', size: 1 },
    { name: 'TagDataTyp', type: 'C', size: 1 },
  ]);
  await tagTable.appendRecords(
    TAGS.map((t) => ({ Tagname: t, TTagIndex: INDEX.get(t), TagType: 'A', TagDataTyp: 'F' })),
  );
  await writeDbfLog(dbfLog);
  // The same log as a converter writes it to CSV: the dBase date as YYYYMMDD, the time beside it.
  const lines = ['Date,Time,Millitm,TagIndex,Value,Status,Marker'];
  for (let i = 0; i < STEPS; i++) {
    const ms = T0 + i * 10_000;
    for (const tag of TAGS)
      lines.push(`${ymd(ms)},${clockOf(ms)},0,${INDEX.get(tag)},${sampleValue(tag, i)},,${i === 0 ? 'B' : ''}`);
  }
  writeFileSync(csvLog, `${lines.join('\n')}\n`);
  writeFileSync(
    csvTags,
    `TagName,TTagIndex,TagType,TagDataType\n${TAGS.map((t) => `${t},${INDEX.get(t)},A,Float`).join('\n')}\n`,
  );
  // A wide export of the same loop: a YYYYMMDD column and an HHMMSS column, a column per tag.
  const wide = [`Date,Time,${TAGS.join(',')}`];
  for (let i = 0; i < STEPS; i++) {
    const ms = T0 + i * 10_000;
    wide.push(`${ymd(ms)},${clockOf(ms).replaceAll(':', '')},${TAGS.map((t) => sampleValue(t, i)).join(',')}`);
  }
  writeFileSync(wideCsv, `${wide.join('\n')}\n`);
}, 60_000);

describe('a control loop log with no pump', () => {
  it('opens as the native dBase log with its dBase tag table: every value lands, pump tables empty and said why', async () => {
    const db = await openProject('loop-dbf');
    const summary = await importHistorian(db, dbfLog, { now: NOW });
    expect(summary.samplesRead).toBe(STEPS * TAGS.length);
    expect(summary.tagTable?.found).toBe(true);
    await expectMinutes(db);
    const station = (await currentStation(db)).config;
    expect(station.pumps).toEqual([]);
    expect(summary.tables.pump_sessions).toBe(0);
    expect(summary.emptyTables).toMatchObject({
      pump_sessions: expect.stringMatching(/no pump/),
      pump_health: expect.stringMatching(/no pump/),
    });
    expect(summary.tables.hourly_profile).toBeGreaterThan(0);
    db.close();
  });

  it('opens as CSV with YYYYMMDD dates and its tag table, the same minutes', async () => {
    const db = await openProject('loop-csv');
    const summary = await importHistorian(db, csvLog, { now: NOW, tagTable: csvTags });
    expect(summary.samplesRead).toBe(STEPS * TAGS.length);
    await expectMinutes(db);
    db.close();
  });

  it('opens as a wide CSV whose date (YYYYMMDD) and time (HHMMSS) are columns of their own', async () => {
    const db = await openProject('loop-wide');
    const summary = await importHistorian(db, wideCsv, { now: NOW });
    expect(summary.layout).toBe('wide');
    await expectMinutes(db);
    db.close();
  });

  it('the edge reader gives the same minutes from the dBase log and the CSV', async () => {
    const want = expectedMinutes();
    for (const [file, tags] of [
      [dbfLog, dbfTags],
      [csvLog, csvTags],
    ]) {
      const frame = await readLogFile(file, plausibleRange(NOW), await readTagMap(tags));
      expect(Array.from(frame.times)).toEqual([...want.keys()]);
      const column = frame.values[frame.tags.indexOf('[PLC]TIC201.PV')];
      expect(Array.from(column)).toEqual([...want.values()].map((m) => m.get('[PLC]TIC201.PV')));
    }
  });

  it('runs the rules that apply (data quality) and charts a tag over the CLI', async () => {
    const db = join(dir, 'loop-cli.duckdb');
    const ingest = pumpdeck('ingest', '--db', db, '--historian', dbfLog, '--json');
    expect(ingest.code, ingest.err).toBe(0);
    const summary = JSON.parse(ingest.out);
    expect(summary.emptyTables.pump_sessions).toMatch(/no pump/);
    const said = pumpdeck('ingest', '--db', join(dir, 'loop-cli-2.duckdb'), '--historian', dbfLog);
    expect(said.out).toMatch(/: 3 h of 1-minute rows, 2025-03-03 06:00:00 \.\. 2025-03-03 08:59:00/);
    expect(said.out).toMatch(/note: pump_sessions is empty: no pump in the station model/);
    const station = pumpdeck('station', '--db', db);
    expect(station.code, station.err).toBe(0);
    expect(station.out).toMatch(/no pumps/);
    const alerts = pumpdeck('alerts', '--db', db, '--kpis', '--json');
    expect(alerts.code, alerts.err).toBe(0);
    expect(JSON.parse(alerts.out).alerts).toBe(0);
  });
});

describe('a 3-tag and a 300-tag export with no pump', () => {
  for (const count of [3, 300]) {
    it(`${count} tags open`, async () => {
      const tags = Array.from({ length: count }, (_, k) => `AI_${String(k).padStart(3, '0')}`);
      const lines = [`Timestamp;${tags.join(';')}`];
      for (let i = 0; i < 120; i++)
        lines.push(`${formatTimestamp(T0 + i * 60_000)};${tags.map((_, k) => (k + i / 10).toFixed(1)).join(';')}`);
      const file = join(dir, `tags${count}.csv`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const db = await openProject(`tags${count}`);
      const summary = await importHistorian(db, file, { now: NOW });
      expect(summary.minutes).toBe(120);
      expect(summary.tags).toBe(count);
      db.close();
    });
  }
});

describe("a dBase log whose header's record count disagrees with the file", () => {
  const records = STEPS * TAGS.length;
  const cases: Array<[string, number, Uint8Array, RegExp]> = [
    [
      'says more records than the file holds (a log cut short)',
      records + 5000,
      Buffer.alloc(0),
      /says \d[\d,]* records; the file holds 30,240/,
    ],
    [
      'says fewer (a header not updated while logging)',
      1000,
      Buffer.alloc(0),
      /says 1,000 records; the file holds 30,240/,
    ],
    ['says none', 0, Buffer.alloc(0), /says 0 records; the file holds 30,240/],
    ['ends in part of a record', records, Buffer.from('2025030306:00:00  0'), /part of a record/],
  ];
  for (const [what, count, extra, said] of cases)
    it(`${what}: its records are read and the summary says what was wrong`, async () => {
      const file = join(folder, `bad-${count}-${extra.length}(Float).DBF`);
      withHeaderCount(dbfLog, file, count, extra);
      const db = await openProject(`bad-${count}-${extra.length}`);
      const summary = await importHistorian(db, file, { now: NOW, tagTable: dbfTags });
      expect(summary.samplesRead).toBe(records);
      expect(summary.warnings.join('\n')).toMatch(said);
      await expectMinutes(db);
      db.close();
      const frame = await readLogFile(file, plausibleRange(NOW), await readTagMap(dbfTags));
      expect(frame.times.length).toBe(expectedMinutes().size);
    });
});

describe('every page of the console on a log with no pump', () => {
  // What the pages call, in memory through the one handler table: each answers, none throws.
  const CALLS: Array<[string, Record<string, unknown>]> = [
    ['station.config', {}],
    ['station.overview', {}],
    ['station.series', { tags: ['[PLC]TIC201.PV', '[PLC]TIC201.SP'], lastHours: 24, width: 200 }],
    ['analytics.columns', {}],
    ['analytics.daily', {}],
    ['alerts.list', {}],
    ['alerts.kpis', {}],
    ['alerts.catalog', {}],
    ['performance.fleet', {}],
    ['performance.stationPumps', {}],
    ['models.predictions', {}],
    ['sql.schema', {}],
    ['ask.question', { question: 'highest TIC201.PV' }],
    ['report.preview', {}],
    // What needs a pump or a level refuses in words (bad_input), never as an internal error.
    ['forecast.run', {}],
    ['optimize.run', {}],
    ['report.build', { format: 'zip' }],
  ];
  it('answers each read call', async () => {
    const { createHandlers } = await import('../src-main/api/handlers');
    const { ApiHost } = await import('../src-shared/api/host');
    const { connectInMemory } = await import('../src-shared/api/inMemory');
    const { ApiClient } = await import('../src-shared/api/client');
    const { openProject: open } = await import('../src-main/project');
    const project = await open(join(dir, 'loop-pages.duckdb'));
    await importHistorian(project.db, dbfLog, { now: NOW });
    const internal: string[] = [];
    const host = new ApiHost(createHandlers({ version: 'test', project: () => project }), (error, method) =>
      internal.push(`${method}: ${(error as Error).stack}`),
    );
    const client = new ApiClient(connectInMemory(host));
    const failures: string[] = [];
    for (const [method, params] of CALLS)
      await client
        .call(method as never, params as never)
        .catch((e: Error & { code?: string }) => e.code !== 'bad_input' && failures.push(`${method}: ${e.message}`));
    expect(failures, internal.join('\n')).toEqual([]);
    // Logged every 10 seconds: each minute's last sample, three hours in real time, whatever the samples.
    const overview = (await client.call('station.overview', {})) as {
      dataRange: { loggedMinutes: number; rows: number };
    };
    expect(overview.dataRange).toMatchObject({ rows: 180, loggedMinutes: 180 });
    const kpis = (await client.call('alerts.kpis', {})) as { loggedMinutes: number };
    expect(kpis.loggedMinutes).toBe(180);
    const series = (await client.call('station.series', { tags: ['[PLC]TIC201.PV'], lastHours: 24, width: 200 })) as {
      series: Array<{ points: unknown[] }>;
    };
    expect(JSON.stringify(series)).toContain('TIC201');
    project.db.close();
  });
});
