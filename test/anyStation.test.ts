import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSchema } from '../src-main/db/schema';
import { StationDb } from '../src-main/db/stationDb';
import { createDemo, demoStationConfig } from '../src-main/demo/createDemo';
import { parseFault } from '../src-main/demo/faults';
import { LIFT_EXPORT } from '../src-main/demo/liftDemo';
import { LIFT_TAGS, liftStationModel } from '../src-main/demo/liftSim';
import { importHistorian } from '../src-main/ingest/historianImport';
import { currentStation, readStationFile } from '../src-main/ingest/stationConfig';
import { catalogFor } from '../src-shared/alerts/catalog';
import type { StationModel } from '../src-shared/station/model';
import { DEFAULT_TAGS, PUMPS, TAG } from '../src-shared/tags';
import { pumpdeck, tempDir } from './helpers';

// Issue 15: the seed's station is one example of a station model. The same data under other tag
// names and pump ids, with a model saying which is which, gives the same tables and alerts; the
// suggestion finds a station's roles without help; a lift station's wet well reads the other way
// round; 15-minute rows weigh 15 minutes.

const dir = tempDir();
const NOW = Date.UTC(2026, 0, 1);

/** A site's names for the seed's tags: NB/PMP01/RUN_FB style, and pump ids PMP01..PMP06. */
const SITE_ID = (k: number) => `PMP0${k + 1}`;
const SITE_NAME = new Map<string, string>([
  [TAG.level, 'NB/RESERVOIR/LEVEL_CM'],
  [TAG.flow, 'NB/DISCHARGE/FLOW_M3H'],
  [TAG.dayTotal, 'NB/DISCHARGE/TOTAL_DAY_M3'],
  ...PUMPS.flatMap(
    (p, k): Array<[string, string]> => [
      [TAG.onOff(p), `NB/${SITE_ID(k)}/RUN_FB`],
      [TAG.kw(p), `NB/${SITE_ID(k)}/KW`],
      [TAG.runHours(p), `NB/${SITE_ID(k)}/RUNHRS`],
      [TAG.runMinutes(p), `NB/${SITE_ID(k)}/RUNMIN`],
    ],
  ),
]);
const siteTag = (tag: string) => SITE_NAME.get(tag) as string;
const sitePump = (pump: string | null) => (pump === null ? null : SITE_ID(PUMPS.indexOf(pump as never)));

/** The demo's model with every tag renamed and the pumps called PMP01..PMP06. */
function siteModel(): StationModel {
  const seed = demoStationConfig();
  return {
    ...seed,
    name: 'North booster',
    level: seed.level && { ...seed.level, tag: siteTag(seed.level.tag) },
    flow: seed.flow && { ...seed.flow, tag: siteTag(seed.flow.tag) },
    day_total: seed.day_total && { ...seed.day_total, tag: siteTag(seed.day_total.tag) },
    pumps: seed.pumps.map((p, k) => ({
      ...p,
      id: SITE_ID(k),
      run: { tag: siteTag(p.run.tag) },
      kw: p.kw && { ...p.kw, tag: siteTag(p.kw.tag) },
      run_hours: p.run_hours && { ...p.run_hours, tag: siteTag(p.run_hours.tag) },
      run_minutes: p.run_minutes && { ...p.run_minutes, tag: siteTag(p.run_minutes.tag) },
    })),
  };
}

async function importInto(name: string, historian: string, station: string) {
  const db = await StationDb.open(join(dir, `${name}.duckdb`));
  await ensureSchema(db);
  const summary = await importHistorian(db, historian, { station: await readStationFile(station), now: NOW });
  return { db, summary };
}

/**
 * Every row of a query with its columns renamed. Numbers keep 12 significant digits: DuckDB sums in
 * parallel, so the last bit of a mean can differ from run to run of the same import.
 */
async function tableRows(db: StationDb, sql: string, rename: (key: string) => string = (k) => k) {
  const rows = await db.all<Record<string, unknown>>(sql);
  const value = (v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v);
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [rename(k), value(v)])));
}

describe('a seed-named export renamed tag by tag, with a model that says which tag is which', () => {
  let seed: StationDb;
  let site: StationDb;
  beforeAll(async () => {
    const demo = await createDemo({
      out: join(dir, 'booster'),
      days: 9,
      seed: 4,
      format: 'wide',
      faults: ['noflow@2:08:00+20', 'overcurrent@3:09:00+15:P1', 'outage@5:10:00+30'].map(parseFault),
    });
    // Rename every column of the header; the units row and the data stay byte for byte.
    const [header, ...rest] = readFileSync(demo.historian, 'utf8').split('\r\n').join('\n').split('\n');
    const renamed = header
      .split(';')
      .map((name, i) => (i === 0 ? name : siteTag(name)))
      .join(';');
    const sitePath = join(dir, 'north_booster.csv');
    writeFileSync(sitePath, [renamed, ...rest].join('\n'));
    const modelPath = join(dir, 'north_booster.json');
    writeFileSync(modelPath, JSON.stringify(siteModel()));
    seed = (await importInto('seed-named', demo.historian, demo.station)).db;
    site = (await importInto('site-named', sitePath, modelPath)).db;
  }, 120_000);

  it('has every seed tag renamed (the test is not comparing a file with itself)', async () => {
    const columns = async (db: StationDb) =>
      (await db.all<{ c: string }>(`SELECT column_name AS c FROM (DESCRIBE readings_wide)`)).map((r) => r.c);
    const siteColumns = await columns(site);
    for (const tag of DEFAULT_TAGS) {
      expect(siteColumns).not.toContain(tag);
      expect(siteColumns).toContain(siteTag(tag));
    }
    expect(await columns(seed)).toContain(TAG.level);
  });

  it('gives the same derived columns minute by minute', async () => {
    const derived = `SELECT * FROM readings_wide ORDER BY "Timestamp"`;
    // Raw tag columns differ by name only: the derived ones (and the time and marker) must be equal.
    const pick = (rows: Record<string, unknown>[]) =>
      rows.map((r) =>
        Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('[PLC]') && !k.startsWith('NB/'))),
      );
    const a = pick(await tableRows(seed, derived));
    const b = pick(await tableRows(site, derived));
    expect(a.length).toBeGreaterThan(9 * 1400);
    expect(b).toEqual(a);
  });

  it('gives the same sessions, daily and hourly figures and pump health, per pump under its own id', async () => {
    const ids = (k: string) => PUMPS.reduce((key, p, i) => key.replace(new RegExp(`^${p}_`), `${SITE_ID(i)}_`), k);
    for (const [table, order] of [
      ['pump_sessions', 'pump, start_time'],
      ['pump_health', 'pump, date'],
      ['daily_summary', 'date'],
      ['hourly_profile', 'date, hour'],
    ]) {
      const sql = `SELECT * ${table === 'pump_sessions' ? 'EXCLUDE (id)' : ''} FROM ${table}`;
      const a = await tableRows(seed, sql, ids);
      const b = await tableRows(site, sql);
      const key = (r: Record<string, unknown>) =>
        order
          .split(', ')
          .map((c) => String(r[c]))
          .join('|');
      const mapped = a.map((r) => ('pump' in r ? { ...r, pump: sitePump(r.pump as string) } : r));
      expect(mapped.length, table).toBeGreaterThan(0);
      expect(
        b.sort((x, y) => key(x).localeCompare(key(y))),
        table,
      ).toEqual(mapped.sort((x, y) => key(x).localeCompare(key(y))));
    }
  });

  it('raises the same alert episodes (rule, pump, start, end, value)', async () => {
    const episodes = `SELECT rule, severity, pump, strftime(timestamp, '%Y-%m-%d %H:%M') AS started,
      strftime(resolved_at, '%Y-%m-%d %H:%M') AS cleared, value_at_trigger FROM alerts_log ORDER BY started, rule, pump`;
    const a = (await tableRows(seed, episodes)).map((r) => ({ ...r, pump: sitePump(r.pump as string | null) }));
    const rules = new Set(a.map((r) => (r as Record<string, unknown>).rule));
    const b = await tableRows(site, episodes);
    expect(rules.size).toBeGreaterThan(3);
    expect(b).toEqual(a);
  });

  it('names the site tags in alert messages, never the seed names', async () => {
    const messages = await site.all<{ message: string }>(`SELECT message FROM alerts_log`);
    expect(messages.some((m) => /PMP0\d/.test(m.message))).toBe(true);
    expect(messages.some((m) => /\bP[1-6]\b|HLT101|FIT101/.test(m.message))).toBe(false);
  });
});

/** The lift demo's export parsed plainly: time (ms, naive) and each column's value (null: NA). */
function readLiftCsv(path: string): { times: number[]; columns: Map<string, Array<number | null>> } {
  const [header, , ...lines] = readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  const names = header.split(';').slice(1);
  const columns = new Map(names.map((n) => [n, [] as Array<number | null>]));
  const times: number[] = [];
  for (const line of lines) {
    const [stamp, ...cells] = line.split(';');
    const [d, mo, y, h, mi] = stamp.split(/[.: ]/).map(Number);
    times.push(Date.UTC(y, mo - 1, d, h, mi));
    cells.forEach((cell, i) => {
      columns.get(names[i])?.push(cell === 'NA' ? null : Number(cell.replace(',', '.')));
    });
  }
  return { times, columns };
}

describe('the lift station demo: 8 VFD pumps, a wet well, 15-minute rows, site tag names', () => {
  let db: StationDb;
  let csv: ReturnType<typeof readLiftCsv>;
  const liftDir = join(dir, 'lift');
  beforeAll(async () => {
    const demo = await createDemo({ out: liftDir, station: 'lift', days: 28, seed: 1 });
    csv = readLiftCsv(demo.historian);
    db = (await importInto('lift', demo.historian, demo.station)).db;
  }, 120_000);

  it('stores 15-minute rows each standing for 15 minutes, and the logging gap as a gap', async () => {
    const { config } = await currentStation(db);
    expect(config.interval_min).toBe(15);
    const rows = await db.all<{ n: number; weights: number[] }>(
      `SELECT count(*)::INTEGER AS n, list(DISTINCT interval_min ORDER BY interval_min) AS weights FROM readings_wide`,
    );
    expect(rows[0].n).toBe(csv.times.length);
    expect(rows[0].weights).toEqual([15]);
    const gaps = await db.all<{ message: string }>(`SELECT message FROM alerts_log WHERE rule = 'F-02'`);
    expect(gaps.map((g) => g.message)).toEqual(['No readings for 120 min']);
  });

  it("counts each pump's hours and energy from 15-minute rows as the CSV says (computed here from the file)", async () => {
    const days = await db.all<Record<string, number | string>>(
      `SELECT strftime(date, '%Y-%m-%d') AS day, * EXCLUDE (date) FROM daily_summary ORDER BY date`,
    );
    const model = liftStationModel();
    let checked = 0;
    for (const day of days) {
      const inDay = csv.times
        .map((t, i) => [t, i] as const)
        .filter(([t]) => new Date(t).toISOString().startsWith(day.day as string));
      if (inDay.length !== 96) continue; // whole days only: the first and the gap day are partial
      let kwh = 0;
      for (const pump of model.pumps) {
        const hz = csv.columns.get(pump.run.tag) as Array<number | null>;
        const kw = csv.columns.get(pump.kw?.tag as string) as Array<number | null>;
        const hours = inDay.filter(([, i]) => (hz[i] ?? 0) > 20).length * 0.25;
        expect(day[`${pump.id}_hours_on`], `${day.day} ${pump.id}`).toBeCloseTo(hours, 6);
        kwh += inDay.reduce((a, [, i]) => a + (kw[i] ?? 0) * 0.25, 0);
      }
      expect(day.total_kwh, String(day.day)).toBeCloseTo(kwh, 3);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('records pump sessions in whole logging intervals', async () => {
    const sessions = await db.all<{ pump: string; duration_min: number }>(
      `SELECT pump, duration_min FROM pump_sessions WHERE status = 'completed'`,
    );
    expect(new Set(sessions.map((s) => s.pump)).size).toBeGreaterThanOrEqual(6);
    expect(sessions.every((s) => s.duration_min % 15 === 0)).toBe(true);
  });

  it('finds the ragged duty pump P1.3 (E-05 while it rags, cleared after its cleaning on day 20) and no VFD false alarms', async () => {
    const alerts = await db.all<{ rule: string; pump: string | null; at: string; cleared: string | null }>(
      `SELECT rule, pump, strftime(timestamp, '%Y-%m-%d') AS at, strftime(resolved_at, '%Y-%m-%d') AS cleared FROM alerts_log`,
    );
    const e05 = alerts.filter((a) => a.rule === 'E-05');
    expect(e05.map((a) => a.pump)).toEqual(['P1.3']);
    expect(e05[0].at > '2025-03-09' && e05[0].at < '2025-03-21').toBe(true);
    expect(e05[0].cleared !== null && e05[0].cleared >= '2025-03-21').toBe(true);
    // Swings, low draws and day-long runs are what a VFD does: those rules do not apply to its pumps.
    expect(alerts.filter((a) => ['A-04', 'B-05', 'E-01', 'H-05'].includes(a.rule))).toEqual([]);
  });

  it('shows each rule worded for a wet well, with what it reads and why it does (not) apply', () => {
    const catalog = catalogFor(liftStationModel());
    const byCode = new Map(catalog.map((r) => [r.code, r]));
    expect(byCode.get('D-01')).toMatchObject({
      name: 'Wet well critically high — overflow imminent',
      applicable: true,
    });
    expect(byCode.get('G-01')).toMatchObject({
      applicable: false,
      reason: 'not applicable: only for booster stations',
    });
    expect(byCode.get('C-07')).toMatchObject({ applicable: false, reason: 'not applicable: needs a day total' });
    expect(byCode.get('A-04')?.reason).toMatch(/needs a fixed-speed pump/);
    expect(byCode.get('B-01')).toMatchObject({ applicable: true, pumps: liftStationModel().pumps.map((p) => p.id) });
    expect(byCode.get('D-02')?.reads).toEqual(['a level signal']);
  });

  it('`pumpdeck station` prints the model and what does not apply; --set replaces it and rebuilds the tables', async () => {
    const path = join(dir, 'lift.duckdb');
    const before = await db.one<{ pct: number }>(`SELECT avg(hlt_pct) AS pct FROM readings_wide`);
    db.close();
    const printed = pumpdeck('station', '--db', path);
    expect(printed.code, printed.err).toBe(0);
    expect(printed.out).toMatch(/lift station, 8 pumps, logged every 15 min/);
    expect(printed.out).toMatch(/pump P2\.4 +runs when 'Pump frequency 2\.4' > 20; kW 'Pump power 2\.4' \(kW\)/);
    expect(printed.out).toMatch(/G-01 .*: not applicable: only for booster stations/);
    // A wet well 2 m deep, not 4: every level percentage doubles.
    const shallower = {
      ...liftStationModel(),
      level: { ...liftStationModel().level, max: 2, operating: { low: 0.35, high: 1.5 } },
    };
    writeFileSync(join(dir, 'shallower.json'), JSON.stringify(shallower));
    const set = pumpdeck('station', '--db', path, '--set', join(dir, 'shallower.json'), '--json');
    expect(set.code, set.err).toBe(0);
    expect(JSON.parse(set.out).level.max).toBe(2);
    db = await StationDb.open(path);
    const after = await db.one<{ pct: number }>(`SELECT avg(hlt_pct) AS pct FROM readings_wide`);
    expect(after?.pct).toBeCloseTo((before?.pct ?? 0) * 2, 6);
    expect(pumpdeck('station', '--db', join(dir, 'none.duckdb')).err).toMatch(/no such database/);
  });
});

describe('the suggested model: found from tag names, units and values, without help', () => {
  const suggestedFor = async (name: string, historian: string) => {
    const db = await StationDb.open(join(dir, `${name}.duckdb`));
    await ensureSchema(db);
    await importHistorian(db, historian, { now: NOW });
    const stored = await currentStation(db);
    db.close();
    return stored;
  };

  it("maps the booster demo to the seed's station", async () => {
    const demo = await createDemo({ out: join(dir, 'suggest-booster'), days: 3, seed: 2 });
    const { config } = await suggestedFor('suggest-booster', demo.historian);
    const seed = demoStationConfig();
    expect(config.kind).toBe('booster');
    expect(config.level?.tag).toBe(TAG.level);
    expect(config.flow?.tag).toBe(TAG.flow);
    expect(config.pumps.map((p) => [p.id, p.run.tag, p.kw?.tag])).toEqual(
      seed.pumps.map((p) => [p.id, p.run.tag, p.kw?.tag]),
    );
  });

  it('finds the lift station: 8 VFD pumps run by frequency, their power and flow, the wet well, inflow, price', async () => {
    const demo = await createDemo({ out: join(dir, 'suggest-lift'), station: 'lift', days: 10, seed: 3 });
    const stored = await suggestedFor('suggest-lift', demo.historian);
    const { config } = stored;
    const truth = liftStationModel();
    expect(config.kind).toBe('lift');
    expect(config.pumps.map((p) => ({ id: p.id, run: p.run, kw: p.kw?.tag, flow: p.flow?.tag }))).toEqual(
      truth.pumps.map((p) => ({ id: p.id, run: p.run, kw: p.kw?.tag, flow: p.flow?.tag })),
    );
    expect([config.level?.tag, config.inflow?.tag, config.flow?.tag, config.price?.tag]).toEqual([
      LIFT_TAGS.level,
      LIFT_TAGS.inflow,
      LIFT_TAGS.flow,
      LIFT_TAGS.price,
    ]);
    expect(config.interval_min).toBe(15);
    expect(stored.suggested?.some((r) => r.startsWith("pump P2.4: run 'Pump frequency 2.4' (Hz) above 20"))).toBe(true);
    expect(demo.historian.endsWith(LIFT_EXPORT)).toBe(true);
  });

  it('reads a units-row wide export with NB/PMP01/RUN_FB names: 0/1 run states, kW, a level in cm, a flow', async () => {
    // Three fixed-speed pumps filling a reservoir; pump 3 never runs in this file (its feedback stays 0).
    const header = ['Time', 'NB/RESERVOIR/LEVEL_CM', 'NB/DISCHARGE/FLOW_M3H'];
    const units = ['', 'cm', 'm3/h'];
    for (let k = 1; k <= 3; k++) {
      header.push(`NB/PMP0${k}/RUN_FB`, `NB/PMP0${k}/KW`);
      units.push('', 'kW');
    }
    const lines = [header.join(','), units.join(',')];
    let level = 200;
    for (let i = 0; i < 600; i++) {
      const on = [i % 120 < 70, i % 90 < 30, false];
      const running = on.filter(Boolean).length;
      level += running * 0.6 - 0.5;
      const time = new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString().slice(0, 16).replace('T', ' ');
      lines.push(
        [time, level.toFixed(1), (running * 95).toFixed(1), ...on.flatMap((o) => [o ? 1 : 0, o ? 28.4 : 0])].join(','),
      );
    }
    const path = join(dir, 'north_booster_units.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { config } = await suggestedFor('suggest-units', path);
    expect(config.pumps.map((p) => [p.id, p.run, p.kw])).toEqual(
      [1, 2, 3].map((k) => [`PMP0${k}`, { tag: `NB/PMP0${k}/RUN_FB` }, { tag: `NB/PMP0${k}/KW`, unit: 'kW' }]),
    );
    expect(config.level).toMatchObject({ tag: 'NB/RESERVOIR/LEVEL_CM', unit: 'cm' });
    expect(config.flow).toMatchObject({ tag: 'NB/DISCHARGE/FLOW_M3H', unit: 'm3/h' });
    expect(config.kind).toBe('booster');
  });
});
