import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSchema } from '../src-main/db/schema';
import { StationDb } from '../src-main/db/stationDb';
import {
  TUNNEL_TAGS,
  type TunnelRow,
  tunnelColumns,
  tunnelCsv,
  tunnelRows,
  tunnelStationModel,
} from '../src-main/demo/tunnelDemo';
import { importHistorian } from '../src-main/ingest/historianImport';
import { currentStation } from '../src-main/ingest/stationConfig';
import { runOptimization } from '../src-main/optimize/optimize';
import { alarmKpis } from '../src-main/queries/alerts';
import { collectFindings } from '../src-main/report/findings';
import { recommendations } from '../src-main/report/recommendations';
import type { StationInput } from '../src-shared/station/parse';
import { stationInput } from '../src-shared/station/parse';
import { formatTimestamp } from '../src-shared/time';
import { pumpdeck, tempDir } from './helpers';

// True on a real station (issue 30): a tunnel lift station logged as 15-minute averages, emptied
// to its stop level every night in the cheapest hours of a c/kWh spot price, is healthy: it raises
// no CRITICAL and at most a few HIGH episodes in two weeks, with the model PumpDeck suggests and
// with the engineer's. Faults written into the same averages are still caught, each by its rule.

const dir = tempDir();
const NOW = Date.UTC(2026, 0, 1);
const START = '2025-11-03';
const DAYS = 16;
const COLUMNS = tunnelColumns();
const col = (tag: string) => COLUMNS.indexOf(tag);
const hz = (pump: string) => col(TUNNEL_TAGS.hz(pump));
const kw = (pump: string) => col(TUNNEL_TAGS.kw(pump));
const PUMPS = tunnelStationModel().pumps.map((p) => p.id);

let healthy: TunnelRow[];

beforeAll(() => {
  healthy = [...tunnelRows({ days: DAYS, seed: 1, start: START })];
});

/** Imports rows as the tunnel's export, with the model given (or none: the suggestion). */
async function importRows(name: string, rows: TunnelRow[], station?: StationInput) {
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, tunnelCsv(rows));
  const db = await StationDb.open(join(dir, `${name}.duckdb`));
  await ensureSchema(db);
  const summary = await importHistorian(db, file, { now: NOW, station });
  return { db, summary };
}

const given = () => stationInput(tunnelStationModel(), 'station.json');

/** The report's recommendations for all the data. */
async function advice(db: StationDb): Promise<string[]> {
  const range = await db.one<{ from: string; to: string }>(
    `SELECT strftime(min(date), '%Y-%m-%d') AS "from", strftime(max(date), '%Y-%m-%d') AS "to" FROM readings_wide`,
  );
  const findings = await collectFindings(db, {}, { from: range?.from ?? '', to: range?.to ?? '' });
  return recommendations(findings).map((r) => r.text);
}

async function episodes(db: StationDb) {
  return db.all<{ rule: string; severity: string; pump: string | null; at: string; message: string }>(
    `SELECT rule, severity, pump, strftime(timestamp, '%Y-%m-%d %H:%M') AS at, message FROM alerts_log ORDER BY timestamp`,
  );
}

describe('a healthy tunnel lift station, 16 days of 15-minute averages', () => {
  for (const [name, model] of [
    ['the suggested model', undefined],
    ["the engineer's model", given],
  ] as const)
    it(`with ${name}: no CRITICAL, at most a few HIGH; rates in real time`, async () => {
      const { db, summary } = await importRows(`healthy-${model ? 'given' : 'suggested'}`, healthy, model?.());
      const all = await episodes(db);
      expect(all.filter((a) => a.severity === 'CRITICAL')).toEqual([]);
      expect(all.filter((a) => a.severity === 'HIGH').length).toBeLessThanOrEqual(3);
      // A row is 15 minutes: 16 days are 16 days, whatever the rows.
      expect(summary.loggedMinutes).toBe(DAYS * 1440);
      const kpis = await alarmKpis(db);
      expect(kpis.loggedMinutes).toBe(DAYS * 1440);
      expect(kpis.perDay).toBeCloseTo(all.length / DAYS, 9);
      expect(kpis.perTenMinutes).toBeCloseTo(all.length / ((DAYS * 1440) / 10), 9);
      db.close();
    });

  it('the suggestion reads the station as its engineer would: c/kWh, no rating for the idle pump, its own band', async () => {
    const { db } = await importRows('suggested', healthy);
    const model = (await currentStation(db)).config;
    expect(model.kind).toBe('lift');
    expect(model.interval_min).toBe(15);
    expect(model.price?.unit).toBe('c/kWh');
    expect(model.pumps.find((p) => p.id === 'P8')?.rated_kw).toBeUndefined();
    expect(model.pumps.find((p) => p.id === 'P1')?.rated_kw).toBeGreaterThan(350);
    // Its top is not in the data (the highest level is about 5.2 m): a round figure above it, proposed.
    expect(model.level?.max).toBe(8);
    expect(model.level?.operating).toMatchObject({ low: 0.2, stop: 0.2, daily_cycle: true, proposed: true });
    expect(model.level?.operating?.high).toBeCloseTo(5.2, 6);
    db.close();
  });
});

/** A copy of the healthy rows with `patch` applied to rows from..to (inclusive). */
function patched(from: number, to: number, patch: (values: number[], i: number) => void): TunnelRow[] {
  return healthy.map((row, i) => {
    if (i < from || i > to) return row;
    const values = [...row.values];
    patch(values, i - from);
    return { start: row.start, values };
  });
}

/** The first row index from which `length` rows all satisfy `test`. */
function findRows(test: (values: number[]) => boolean, length: number, after = 96): number {
  for (let i = after; i + length < healthy.length; i++)
    if (healthy.slice(i, i + length).every((r) => test(r.values))) return i;
  throw new Error('no such rows in the healthy data');
}

const running = (v: number[], pump: string) => v[hz(pump)] >= 49;

describe('faults written into the 15-minute averages are still caught', () => {
  it('a pump running at speed and drawing no power for an hour: B-01 (tripped)', async () => {
    const at = findRows((v) => running(v, 'P3'), 4);
    const { db } = await importRows(
      'trip',
      patched(at, at + 3, (v) => (v[kw('P3')] = 0)),
      given(),
    );
    const raised = (await episodes(db)).filter((a) => a.severity !== 'INFO');
    expect(raised.map((a) => [a.rule, a.pump])).toEqual([['B-01', 'P3']]);
    expect(raised[0].at).toBe(formatTimestamp(healthy[at].start).slice(0, 16));
    db.close();
  });

  it('the idle pump drawing 300 kW with no speed at all for an hour while no pump moves water: B-06 and G-02', async () => {
    const at = findRows((v) => PUMPS.every((p) => v[hz(p)] === 0), 4);
    const { db } = await importRows(
      'contactor',
      patched(at, at + 3, (v) => (v[kw('P8')] = 300)),
      given(),
    );
    const raised = (await episodes(db)).filter((a) => a.severity !== 'INFO');
    expect(raised.map((a) => [a.rule, a.pump])).toContainEqual(['B-06', 'P8']);
    // The same fault as the station sees it: energy drawn with no flow (the scenario suite pairs them alike).
    expect(raised.filter((a) => a.rule !== 'B-06').map((a) => a.rule)).toEqual(['G-02']);
    db.close();
  });

  it('every running pump stopping in the same minute, the tunnel rising: A-01 (outage), then A-03 when power is back', async () => {
    // Six pumps at full speed emptying the tunnel; they all stop 7 minutes into a quarter hour.
    const at = findRows((v) => PUMPS.filter((p) => running(v, p)).length >= 5, 10);
    const rows = patched(at, at + 8, (v, j) => {
      const share = j === 0 ? 7 / 15 : 0;
      for (const p of PUMPS) {
        v[hz(p)] *= share;
        v[kw(p)] *= share;
      }
      v[col(TUNNEL_TAGS.flow)] *= share;
      v[col(TUNNEL_TAGS.level)] = healthy[at].values[col(TUNNEL_TAGS.level)] + 0.1 * j;
    });
    const { db } = await importRows('outage', rows, given());
    const all = await episodes(db);
    expect(all.filter((a) => a.severity === 'CRITICAL').map((a) => [a.rule, a.at])).toEqual([
      ['A-01', formatTimestamp(healthy[at + 1].start).slice(0, 16)],
    ]);
    expect(all.map((a) => a.rule)).toContain('A-03');
    db.close();
  });

  it('a planned stop of the same pumps, one every two minutes, is no outage', async () => {
    const at = findRows((v) => PUMPS.filter((p) => running(v, p)).length >= 5, 10);
    const rows = patched(at, at + 8, (v, j) => {
      PUMPS.filter((p) => running(healthy[at].values, p)).forEach((p, n) => {
        const share = j === 0 ? Math.min(1, (1 + 2 * n) / 15) : 0;
        v[hz(p)] *= share;
        v[kw(p)] *= share;
      });
      v[col(TUNNEL_TAGS.level)] = healthy[at].values[col(TUNNEL_TAGS.level)] + 0.1 * j;
    });
    const { db } = await importRows('planned-stop', rows, given());
    expect((await episodes(db)).filter((a) => a.rule === 'A-01')).toEqual([]);
    db.close();
  });

  it('the outlet meter reading -150 m³/h (beyond its zero): F-05', async () => {
    const at = findRows((v) => PUMPS.every((p) => v[hz(p)] === 0), 2);
    const { db } = await importRows(
      'meter',
      patched(at, at + 1, (v) => (v[col(TUNNEL_TAGS.flow)] = -150)),
      given(),
    );
    expect((await episodes(db)).map((a) => a.rule)).toEqual(['F-05']);
    db.close();
  });

  it('the tunnel rising past its band toward the top with pumps running: D-01, then D-03', async () => {
    const at = findRows((v) => PUMPS.filter((p) => running(v, p)).length >= 2, 8);
    const rows = patched(at, at + 7, (v, j) => (v[col(TUNNEL_TAGS.level)] = 6.2 + 0.2 * j));
    const { db } = await importRows('overflow', rows, given());
    const rules = (await episodes(db)).map((a) => a.rule);
    expect(rules).toEqual(expect.arrayContaining(['D-01', 'D-03']));
    db.close();
  });
});

describe('a pump that wears on a station without per-pump meters (issue 30, E-05)', () => {
  it('35 % of its flow per kWh lost over 12 days: E-05 for that pump only; pump_health reads the same estimate', async () => {
    const wear = { pump: 'P2', fromDay: 6, days: 12, loss: 0.35 };
    const rows = [...tunnelRows({ days: 26, seed: 2, start: START, wear })];
    const { db } = await importRows('wear', rows, given());
    const e05 = (await episodes(db)).filter((a) => a.rule === 'E-05');
    expect(e05.map((a) => a.pump)).toEqual(['P2']);
    // Raised while it wears, not before: the day its m³/kWh fell under 80 % of its best week.
    expect(e05[0].at >= '2025-11-15').toBe(true);
    const estimates = await db.all<{ pump: string; date: string; m3: number; ratio: number | null }>(
      `SELECT pump, strftime(date, '%Y-%m-%d') AS date, m3_per_kwh AS m3, ratio_to_best AS ratio FROM pump_efficiency ORDER BY date`,
    );
    const p2 = estimates.filter((e) => e.pump === 'P2');
    const before = p2.filter((e) => e.date < '2025-11-09');
    const last = p2.at(-1);
    // At like head its flow per kWh falls by about the loss (the tunnel's level swings 5 m every day):
    // the last week's window lies wholly after the wear.
    expect((last?.m3 ?? 0) / (before.reduce((s, e) => s + e.m3, 0) / before.length)).toBeCloseTo(0.65, 1);
    for (const pump of ['P1', 'P3', 'P4', 'P5', 'P6', 'P7'])
      expect(estimates.filter((e) => e.pump === pump).at(-1)?.ratio).toBeGreaterThan(0.9);
    // pump_health holds the same number for each pump and day: one estimator, read by both.
    const mismatched = await db.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM pump_health h JOIN pump_efficiency e USING (date, pump)
       WHERE h.avg_flow_per_kwh IS DISTINCT FROM e.m3_per_kwh`,
    );
    expect(mismatched?.n).toBe(0);
    // The report recommends checking that pump, and says it compared at the same level and speed.
    const pumpAdvice = (await advice(db)).filter((t) => /energy per m³/.test(t));
    expect(pumpAdvice).toEqual([expect.stringMatching(/^Pump P2 uses .* same level and speed/)]);
    db.close();
  });

  it('the healthy station raises no E-05, and its report recommends no pump check', async () => {
    const { db } = await importRows('healthy-e05', healthy, given());
    expect((await episodes(db)).filter((a) => a.rule === 'E-05' || a.rule === 'G-03')).toEqual([]);
    expect((await advice(db)).filter((t) => /energy per m³/.test(t))).toEqual([]);
    db.close();
  });
});

describe('the model through the CLI, as an engineer feeds it back', () => {
  it('`station --suggest` and the stored model agree; `station --json` goes back through `--set` unchanged', async () => {
    const { db } = await importRows('cli-model', healthy);
    const stored = (await currentStation(db)).config;
    db.close();
    const path = join(dir, 'cli-model.duckdb');
    const suggested = pumpdeck('station', '--db', path, '--suggest', '--json');
    expect(suggested.code, suggested.err).toBe(0);
    // The same interval, budget, ratings, band and units as the model the import stored.
    expect(JSON.parse(suggested.out).input.model).toEqual(stored);
    const printed = pumpdeck('station', '--db', path, '--json');
    expect(printed.code, printed.err).toBe(0);
    const file = join(dir, 'station-back.json');
    writeFileSync(file, printed.out);
    const set = pumpdeck('station', '--db', path, '--set', file, '--json');
    expect(set.code, set.err).toBe(0);
    expect(JSON.parse(set.out)).toEqual(JSON.parse(printed.out));
  });
});

describe('the schedule on a tunnel-sized store with a tenfold price swing (issue 31)', () => {
  it('shifts pumping into cheap hours, and the closed-loop replay proves it: savings at equal end state, under the bound', async () => {
    const { db } = await importRows('schedule', healthy, given());
    const result = await runOptimization(db, { at: `2025-11-12 00:00`, hours: 24 });
    db.close();
    const prices = result.slots.map((s) => s.price);
    expect(Math.max(...prices) / Math.min(...prices)).toBeGreaterThanOrEqual(10);
    const replay = result.replay;
    if (!replay || result.actual_cost === null || result.actual_kwh === null || !result.hindsight)
      return expect.unreachable('a past window is replayed and bounded');
    // What each kWh cost: the replay pays less per kWh than the station did (it pumped in cheaper hours).
    const stationPerKwh = result.actual_cost / result.actual_kwh;
    expect(replay.cost / replay.kwh).toBeLessThan(0.95 * stationPerKwh);
    expect(replay.held_band).toBe(true);
    expect(replay.plans).toBe(24);
    expect(result.savings_pct).toBeGreaterThan(0);
    expect(result.savings_pct!).toBeLessThanOrEqual(result.hindsight.savings_pct + 1e-6);
    expect(result.capture_pct).toBeGreaterThanOrEqual(70);
  }, 120_000);
});

describe("questions in the station's own words (issue 31)", () => {
  it('its tag names and its limits: when the tunnel last reached its stop level, the price it paid', async () => {
    const { db } = await importRows('ask', healthy, given());
    const level = `"${TUNNEL_TAGS.level}"`;
    // The last time the level went under the stop level (0.3 m), walked row by row here.
    const rows = await db.all<{ t: string; v: number }>(
      `SELECT strftime("Timestamp", '%Y-%m-%d %H:%M') AS t, ${level} AS v FROM readings_wide WHERE v IS NOT NULL ORDER BY "Timestamp"`,
    );
    const starts = rows.filter((r, i) => r.v < 0.3 && (i === 0 || rows[i - 1].v >= 0.3)).map((r) => r.t);
    const [paid] = await db.all<{ paid: number; mean: number }>(
      `SELECT sum(kw * p) / sum(kw) AS paid, avg(p) AS mean FROM (
         SELECT list_sum([${PUMPS.map((p) => `"${TUNNEL_TAGS.kw(p)}"`).join(', ')}]) AS kw, "${TUNNEL_TAGS.price}" AS p
         FROM readings_wide WHERE "Timestamp"::DATE BETWEEN '2025-11-12' AND '2025-11-18') WHERE kw IS NOT NULL AND p IS NOT NULL`,
    );
    db.close();
    const ask = (question: string) => {
      const run = pumpdeck('ask', '--db', join(dir, 'ask.duckdb'), '--offline', '--json', question);
      expect(run.code, `${question}: ${run.out}${run.err}`).toBe(0);
      return JSON.parse(run.out) as { answer: string; intent: string };
    };
    // Daily by design: the tunnel is emptied to its stop level every night.
    expect(starts.length).toBeGreaterThanOrEqual(DAYS - 1);
    const stop = ask(`when did ${TUNNEL_TAGS.level} last reach its stop level`);
    expect(stop.intent).toBe('signal-when');
    expect(stop.answer).toMatch(
      new RegExp(
        `^The wet well level \\(${TUNNEL_TAGS.level}\\) last went below its stop level \\(0\\.30 m\\) at ${starts[starts.length - 1]} and stayed below for \\d+ min, down to 0\\.\\d\\d m \\(15-minute rows\\); ${starts.length} times in all the data\\.$`,
      ),
    );
    // Every row of the tunnel's export is 15 minutes: the kWh-weighted price is the kW-weighted one.
    const price = ask('average price paid from 2025-11-12 to 2025-11-18');
    expect(price.answer).toMatch(
      new RegExp(
        `^The pumps paid ${paid.paid.toFixed(2)} c/kWh on average 2025-11-12 to 2025-11-18, .* the price averaged ${paid.mean.toFixed(2)} c/kWh`,
      ),
    );
    // It empties in the cheap hours: it pays less than the average price.
    expect(paid.paid).toBeLessThan(paid.mean);
  });
});
