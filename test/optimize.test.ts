import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { writeMeta } from '../src-main/db/schema';
import { armaxFit } from '../src-main/forecast/armax';
import { productionForecaster, retrainIfDue, runForecast, setRetrainOnImport } from '../src-main/forecast/forecast';
import { currentStation } from '../src-main/ingest/stationConfig';
import { planWindow, runOptimization } from '../src-main/optimize/optimize';
import { solveLp, solveSchedule } from '../src-main/optimize/solve';
import { backtest } from '../src-shared/forecast/backtest';
import { errorDrift, PSI_WARNING, psi } from '../src-shared/forecast/drift';
import { forecastFrom, makeForecaster, sarimaxForecaster, seasonalNaive } from '../src-shared/forecast/forecasters';
import {
  owedCost,
  pastEnd,
  pumpIds,
  type ScheduleProblem,
  scheduleLp,
  scheduleOf,
  u,
} from '../src-shared/optimize/problem';
import { greedySchedule, outcome, type Schedule } from '../src-shared/optimize/schedule';
import { CURRENCY_UNNAMED, costUnit, priceCurrency, unitFactor } from '../src-shared/station/units';
import { demoStations } from './demoStations';
import { REPO, tempDir } from './helpers';

// Issue 20: the forecast beats the seasonal-naive baseline on origins never used to choose it; the
// MILP equals a brute-force optimum on a tiny case; on both demo stations the schedule for a past
// day keeps every constraint, and replayed against the demand that came holds the band and ends no
// worse than the station did; on the booster (with its tariff) it costs at least 10 % less.

const dir = tempDir();
const stations = demoStations(dir);
const DAY = '2025-04-05 00:00';

/** Every schedule of a tiny problem, the cheapest that keeps every constraint (and `allowed`), or null. */
function bruteForce(
  problem: ScheduleProblem,
  allowed: (schedule: Schedule) => boolean = () => true,
): { cost: number; schedule: Schedule } | null {
  const P = pumpIds(problem).length;
  const T = problem.demand.length;
  let best: { cost: number; schedule: Schedule } | null = null;
  for (let mask = 0; mask < 2 ** (P * T); mask++) {
    const on = Array.from({ length: P }, (_, p) =>
      Array.from({ length: T }, (_, t) => ((mask >> (p * T + t)) & 1) === 1),
    );
    const schedule = { on, vfdFlow: [] };
    if (!keepsRules(problem, schedule) || !allowed(schedule)) continue;
    const result = outcome(problem, schedule);
    if (best === null || result.cost < best.cost - 1e-9) best = { cost: result.cost, schedule };
  }
  return best;
}

/** m³: HiGHS meets a row to its feasibility tolerance (a quarter-hour plan on the band's edge lands within 1e-5). */
const VOLUME_TOLERANCE = 1e-4;

/** The programme's constraints, checked on a schedule independently of the LP text. */
/** A schedule's cost at equal end state: its energy cost plus what the water past the end costs after the window. */
const costAtEqualEnd = (problem: ScheduleProblem, schedule: Schedule) => {
  const { cost, volume } = outcome(problem, schedule);
  const past = Math.max(0, pastEnd(problem, volume[volume.length - 1]));
  return cost + (problem.owed ? (owedCost(problem.owed, past) ?? 0) : 0);
};

function keepsRules(problem: ScheduleProblem, schedule: Schedule): boolean {
  const ids = pumpIds(problem);
  const T = problem.demand.length;
  const { volume } = outcome(problem, schedule);
  for (let t = 0; t < T; t++) {
    if (volume[t] < problem.volumeMin[t] - VOLUME_TOLERANCE || volume[t] > problem.volumeMax[t] + VOLUME_TOLERANCE)
      return false;
    if (schedule.on.filter((row) => row[t]).length > problem.maxOn) return false;
  }
  // The end no worse than its target, or the water past it owed to the hours after the window.
  const past = pastEnd(problem, volume[T - 1]);
  if (past > VOLUME_TOLERANCE && (!problem.owed || owedCost(problem.owed, past) === null)) return false;
  for (const [p, id] of ids.entries()) {
    const row = schedule.on[p];
    const was = (t: number) => (t === 0 ? problem.runningBefore.includes(id) : row[t - 1]);
    let starts = 0;
    for (let t = 0; t < T; t++) {
      if (row[t] && !was(t)) {
        starts++;
        for (let k = 1; k < problem.minRunSlots && t + k < T; k++) if (!row[t + k]) return false;
      }
      if (!row[t] && was(t)) for (let k = 1; k < problem.minRestSlots && t + k < T; k++) if (row[t + k]) return false;
    }
    if (starts > problem.maxStartsPerDay) return false;
  }
  return true;
}

const tiny = (over: Partial<ScheduleProblem> = {}): ScheduleProblem => ({
  kind: 'booster',
  slotMinutes: 60,
  demand: [100, 140, 160, 90],
  price: [0.1, 0.3, 0.3, 0.1],
  fixed: [
    { id: 'A', kw: 30 },
    { id: 'B', kw: 26 },
  ],
  stationFlow: [0, 120, 220],
  vfd: [],
  volumeStart: 300,
  volumeMin: [150, 150, 150, 150],
  volumeMax: [500, 500, 500, 500],
  volumeEnd: 300,
  maxOn: 2,
  minRunSlots: 2,
  minRestSlots: 1,
  maxStartsPerDay: 2,
  runningBefore: [],
  ...over,
});

describe('the schedule MILP', () => {
  it('equals the brute-force optimum on 2 pumps × 4 slots, with and without run-time and start limits, in both writings', async () => {
    for (const problem of [
      tiny(),
      tiny({ minRunSlots: 1, maxStartsPerDay: 4 }),
      tiny({ runningBefore: ['A'], maxStartsPerDay: 1, volumeStart: 200 }),
      tiny({ maxOn: 1, demand: [80, 100, 120, 60] }),
    ]) {
      const best = bruteForce(problem);
      expect(best).not.toBeNull();
      // Both writings of the run and rest rows are the same programme.
      for (const aggregated of [false, true]) {
        const solution = await solveLp(scheduleLp(problem, { aggregated }), { gap: 0 });
        expect(solution.status).toBe('optimal');
        expect(solution.objective).toBeCloseTo(best?.cost ?? Number.NaN, 6);
        const schedule = {
          on: pumpIds(problem).map((_, p) => [0, 1, 2, 3].map((t) => solution.columns[u(p, t)] > 0.5)),
          vfdFlow: [],
        };
        expect(keepsRules(problem, schedule)).toBe(true);
      }
    }
  });

  it('with quarter-hour slots the warm-started race finds the optimum; its start switches on the hour, in merit order', async () => {
    const problem = tiny({
      slotMinutes: 15,
      demand: [100, 140, 160, 90, 80, 150, 170, 90],
      price: [0.1, 0.3, 0.1, 0.3, 0.3, 0.1, 0.3, 0.1],
      volumeStart: 200,
      volumeMin: new Array(8).fill(150),
      volumeMax: new Array(8).fill(300),
      volumeEnd: 200,
      maxStartsPerDay: 3,
    });
    const best = bruteForce(problem);
    // The restricted programme: every pump switches only on the hour, and A (30 kW) only with B (26 kW).
    const onTheHour = (s: Schedule) => s.on.every((row) => row.every((on, t) => t % 4 === 0 || on === row[t - 1]));
    const inMerit = (s: Schedule) => s.on[0].every((on, t) => !on || s.on[1][t]);
    const restricted = bruteForce(problem, (s) => onTheHour(s) && inMerit(s));
    if (!best || !restricted) return expect.unreachable('both programmes have schedules');
    expect(restricted.cost).toBeGreaterThan(best.cost + 1e-3); // the full search has work to do
    for (const aggregated of [false, true]) {
      const warm = await solveLp(scheduleLp(problem, { restricted: true, aggregated }), { gap: 0 });
      expect(warm.objective).toBeCloseTo(restricted.cost, 6);
    }
    const solution = await solveSchedule(problem, { gap: 0 });
    expect(solution.status).toBe('optimal');
    expect(solution.objective).toBeCloseTo(best.cost, 6);
    expect(solution.gap).toBeLessThan(1e-6);
    expect(keepsRules(problem, scheduleOf(problem, solution.columns))).toBe(true);
  });

  it('past its budget the search returns the schedule it holds, every constraint kept, with the gap it proved', async () => {
    // The lift's quarter-hour day: HiGHS alone often needs many seconds for a first schedule.
    const { problem } = await planWindow(stations.lift.db, { at: DAY, hours: 24, slotMinutes: 15 });
    const phases: string[] = [];
    const solution = await solveSchedule(problem, { budgetS: 0, onProgress: (phase) => phases.push(phase) });
    expect(['optimal', 'feasible']).toContain(solution.status);
    expect(solution.gap).toBeGreaterThanOrEqual(0);
    const schedule = scheduleOf(problem, solution.columns);
    expect(keepsRules(problem, schedule)).toBe(true);
    // The LP text's coefficients carry six decimals; the objective prices the water left past the end.
    expect(costAtEqualEnd(problem, schedule)).toBeCloseTo(solution.objective as number, 3);
    expect(phases.length).toBeGreaterThan(0);
  });

  it('a cancel during the solve ends it as cancelled and keeps no run', async () => {
    const before = await stations.lift.db.single<{ n: number }>('SELECT count(*)::INTEGER AS n FROM optimization_runs');
    const controller = new AbortController();
    const phases: string[] = [];
    const run = runOptimization(stations.lift.db, {
      at: DAY,
      hours: 24,
      slotMinutes: 15,
      signal: controller.signal,
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.phase.startsWith('solving the schedule')) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(phases.some((p) => p.startsWith('solving the schedule'))).toBe(true);
    const after = await stations.lift.db.single<{ n: number }>('SELECT count(*)::INTEGER AS n FROM optimization_runs');
    expect(after.n).toBe(before.n);
  });

  it('says infeasible when no schedule exists (the brute force agrees)', async () => {
    const problem = tiny({ demand: [300, 300, 300, 300], maxOn: 1 });
    expect(bruteForce(problem)).toBeNull();
    expect((await solveLp(scheduleLp(problem), { gap: 0 })).status).toBe('infeasible');
  });

  it('a VFD pump delivers what the well needs on convex kW segments', async () => {
    const problem = tiny({
      kind: 'lift',
      demand: [150, 150, 150, 150],
      fixed: [],
      stationFlow: [0],
      vfd: [
        {
          id: 'V',
          qmin: 100,
          qmax: 300,
          lines: [
            { a: 5, b: 0.08 },
            { a: -10, b: 0.15 },
          ],
        },
      ],
      volumeStart: 100,
      volumeMin: [20, 20, 20, 20],
      volumeMax: [180, 180, 180, 180],
      volumeEnd: 100,
      maxOn: 1,
      minRunSlots: 1,
      maxStartsPerDay: 4,
      price: [0.1, 0.1, 0.1, 0.1],
    });
    const solution = await solveLp(scheduleLp(problem), { gap: 0 });
    expect(solution.status).toBe('optimal');
    const schedule = scheduleOf(problem, solution.columns);
    expect(keepsRules(problem, schedule)).toBe(true);
    // The kW it paid is the convex curve's at the speed it chose, over the share of each hour it ran
    // (no slack in the segments).
    expect(outcome(problem, schedule).cost).toBeCloseTo(solution.objective as number, 6);
    // It runs at the curve's best point part of each hour rather than slower all of it.
    for (let t = 0; t < 4; t++) expect(schedule.vfdFlow[0][t] / schedule.duty[0][t]).toBeCloseTo(15 / 0.07, 3);
    // 600 m³ must be pumped; no flow does it for less than the curve's best kWh per m³ (at the
    // segments' crossing, 214.3 m³/h), and pumping 150 m³/h flat costs more than the optimum.
    const best = (-10 + 0.15 * (15 / 0.07)) / (15 / 0.07);
    expect(solution.objective).toBeGreaterThanOrEqual(600 * best * 0.1 - 1e-6);
    expect(solution.objective).toBeLessThan(4 * (5 + 0.08 * 150) * 0.1);
  });
});

/** The CLI as a user runs it. */
const run = (args: string[]) => promisify(execFile)(join(REPO, 'bin/pumpdeck'), args, { maxBuffer: 1 << 26 });

describe('the forecast registry and retraining on import (issue 20)', () => {
  it('keeps production until a candidate beats it on the same origins, journals each decision, retrains weekly', async () => {
    const db = stations.booster.db;
    const first = await runForecast(db, {});
    expect(first.registry).toMatchObject({ promoted: true, productionRmse: null });
    expect(first.model).toBe(first.registry?.production);
    const again = await runForecast(db, {});
    expect(again.registry?.promoted).toBe(false);
    expect(again.model).toBe(first.model);
    // A production model the candidate beats on the same origins (the baseline) is replaced.
    await writeMeta(db, 'forecast_production', {
      model: 'seasonal-naive',
      rmse: 99,
      promotedAt: '2025-01-01 00:00:00',
      trainedThrough: '2025-01-01 00:00:00',
    });
    const decision = await retrainIfDue(db);
    expect(decision).toMatchObject({ promoted: true, production: first.model });
    expect(decision?.candidateRmse).toBeLessThan(decision?.productionRmse ?? 0);
    // Not due again until a week of new data has come in; never when the setting is off.
    expect(await retrainIfDue(db)).toBeNull();
    const journal = await db.all<{ summary: string }>(
      `SELECT summary::VARCHAR AS summary FROM import_log WHERE kind = 'forecast' ORDER BY imported_at`,
    );
    expect(journal.map((j) => JSON.parse(j.summary).promoted)).toEqual([true, false, true]);
    await setRetrainOnImport(db, false);
    await writeMeta(db, 'forecast_production', {
      ...(await productionForecaster(db)),
      trainedThrough: '2025-01-01 00:00:00',
    });
    expect(await retrainIfDue(db)).toBeNull();
    await setRetrainOnImport(db, true);
  });

  it('the CLI retrains after an import once, then says nothing until a week of new data', async () => {
    const project = join(dir, 'retrain.duckdb');
    const demo = join(dir, 'retrain-demo');
    await run(['demo', '--out', demo, '--days', '30', '--seed', '4']);
    const first = await run([
      'ingest',
      '--db',
      project,
      '--historian',
      join(demo, 'historian.csv'),
      '--station',
      join(demo, 'station.json'),
    ]);
    expect(first.stdout).toMatch(/^forecast retrained: first model: /m);
    const again = await run(['ingest', '--db', project, '--historian', join(demo, 'historian.csv')]);
    expect(again.stdout).not.toMatch(/forecast retrained/);
  });
});

describe('the forecast', () => {
  it.each([
    ['booster', () => stations.booster],
    ['lift', () => stations.lift],
  ])('%s: the chosen model beats the seasonal-naive baseline on origins it was not chosen on', async (_, project) => {
    const result = await runForecast(project().db, { at: DAY, hours: 24 });
    expect(result.points).toHaveLength(24);
    expect(result.points[0].time).toBe('2025-04-05 00:00:00');
    expect(result.backtest).not.toBeNull();
    const bt = result.backtest!;
    expect(bt.origins).toBe(14);
    expect(bt.rmse).toBeLessThan(bt.baseline_rmse);
    expect(result.model).not.toBe('seasonal-naive');
    // Actuals beside the forecast, and the run kept with every model's figures.
    expect(result.points.every((p) => p.actual !== null)).toBe(true);
    const rows = await project().db.all<{ model: string; chosen: boolean; rmse_val: number; params: string }>(
      `SELECT model, chosen, rmse_val, params::VARCHAR AS params FROM model_performance WHERE origin = '2025-04-05 00:00:00' ORDER BY run_at DESC, model LIMIT 4`,
    );
    expect(rows.map((r) => r.model).sort()).toEqual(['forest', 'sarimax', 'seasonal-naive', 'weekday-profile']);
    // Each model's settings with its figures: SARIMAX's order and regressor, the forest's parameters.
    expect(JSON.parse(rows.find((r) => r.model === 'sarimax')?.params ?? '{}')).toMatchObject({
      order: { p: 2, d: 0, q: 1 },
      regressor: 'weekday profile',
    });
    expect(JSON.parse(rows.find((r) => r.model === 'forest')?.params ?? '{}')).toMatchObject({ trees: 60 });
    expect(result.fallback).toBeNull();
    expect(rows.find((r) => r.chosen)?.model).toBe(result.model);
  });

  it("forecasts the level under the station's own control, backtested on its own series", async () => {
    const result = await runForecast(stations.booster.db, { at: DAY, hours: 24 });
    const level = result.level;
    if (!level) return expect.unreachable('the booster has a level and its volume');
    // The booster's control fills the tank off-peak and draws it down in the peak, day after day:
    // a pattern the chosen model learns better than yesterday's hour.
    expect(level.rmse).toBeLessThanOrEqual(level.baseline_rmse);
    for (const p of result.points) {
      expect(p.level).toBeGreaterThanOrEqual(0);
      expect(p.level).toBeLessThanOrEqual(100);
    }
    // The actual level beside it is the tank's level at the start of the hour, from the database
    // (a cylindrical tank: % of the volume is % of the level range).
    const { config } = await currentStation(stations.booster.db);
    const tank = config.level!;
    const [first] = await stations.booster.db.all<{ level: number }>(
      `SELECT arg_min("${tank.tag}", "Timestamp") AS level FROM readings_wide
       WHERE "Timestamp" >= '2025-04-05 00:00:00' AND "Timestamp" < '2025-04-05 01:00:00' AND "${tank.tag}" IS NOT NULL`,
    );
    expect(result.points[0].actual_level).toBeCloseTo((100 * (first.level - tank.min)) / (tank.max - tank.min), 6);
    // The optimizer plans its own level: its forecast skips this one.
    const planned = await planWindow(stations.booster.db, { at: DAY, hours: 24 });
    expect(planned.forecast.level).toBeNull();
    expect(planned.forecast.points[0].level).toBeNull();
  });

  it('SARIMAX: the profile with ARMA errors beats the profile alone where the errors persist', async () => {
    // A weekly shape plus AR(1) errors (φ 0.95): the profile cannot know this week's offset, the ARMA errors can.
    let seed = 11;
    const noise = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    let error = 0;
    const y = Array.from({ length: 40 * 24 }, (_, i) => {
      error = 0.95 * error + 8 * noise();
      const hour = i % 24;
      const weekday = Math.floor(i / 24) % 7;
      return 150 + 60 * Math.sin((2 * Math.PI * (hour - 6)) / 24) + (weekday >= 5 ? -25 : 0) + error;
    });
    const series = { start: Date.UTC(2025, 0, 6), y };
    const tested = await backtest(series, 40 * 24, 24, { armax: armaxFit });
    const scored = (m: string) => tested?.scoring.find((s) => s.model === m)?.rmse ?? Number.NaN;
    expect(scored('sarimax')).toBeLessThan(scored('weekday-profile'));
    expect(scored('sarimax')).toBeLessThan(scored('seasonal-naive'));
  });

  it('SARIMAX: a fit that diverges or fails falls back to the weekday profile, and says so', () => {
    const y = Array.from({ length: 30 * 24 }, (_, i) => 100 + 30 * Math.sin((2 * Math.PI * (i % 24)) / 24));
    const series = { start: Date.UTC(2025, 0, 6), y };
    const profile = forecastFrom(makeForecaster('weekday-profile'), series, 29 * 24, 24);
    for (const [fit, why] of [
      [() => null, 'failed to fit'],
      [(_: number[], __: number[], future: number[]) => future.map(() => 1e12), 'diverged'],
    ] as const) {
      const forecaster = sarimaxForecaster(fit);
      expect(forecastFrom(forecaster, series, 29 * 24, 24)).toEqual(profile);
      expect(forecaster.fallback).toBe(why);
    }
    // Under a week to learn from (the lags need eight days first): the profile, said.
    const young = sarimaxForecaster((_, __, future) => future);
    forecastFrom(young, series, 10 * 24, 24);
    expect(young.fallback).toMatch(/under a week/);
    const sane = sarimaxForecaster((_, __, future) => future.map((x) => x + 1));
    expect(forecastFrom(sane, series, 29 * 24, 24)[0]).toBeCloseTo(profile[0] + 1, 9);
    expect(sane.fallback).toBeNull();
  });

  it('watches drift: the last week against the learning window (PSI), and the error per origin', async () => {
    const result = await runForecast(stations.booster.db, { at: DAY, hours: 24 });
    const drift = result.drift!;
    // The demo's demand keeps its shape: no input drift, no error drift.
    expect(drift.psi).toBeLessThan(PSI_WARNING);
    expect(drift.psi_warning).toBe(false);
    expect(drift.error?.by_origin).toHaveLength(14);
    expect(drift.error?.by_origin.at(-1)?.origin).toBe('2025-04-04 00:00:00');
    const again = errorDrift(drift.error!.by_origin.map((o) => o.rmse));
    expect(again?.recent).toBeCloseTo(drift.error!.recent_rmse, 9);
    expect(drift.error?.warning).toBe(again?.warning);
  });

  it('PSI: about 0 for the same distribution, past the warning for a shifted one', () => {
    const random = (seed: number) => () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const r = random(7);
    const reference = Array.from({ length: 2000 }, () => 100 + 40 * r());
    expect(
      psi(
        reference,
        Array.from({ length: 168 }, () => 100 + 40 * r()),
      ),
    ).toBeLessThan(0.1);
    expect(
      psi(
        reference,
        Array.from({ length: 168 }, () => 125 + 40 * r()),
      ),
    ).toBeGreaterThan(PSI_WARNING);
    expect(errorDrift([10, 11, 9, 10, 10, 20, 22, 19])?.warning).toBe(true);
    expect(errorDrift([10, 11, 9, 10, 10, 11, 9, 10])?.warning).toBe(false);
  });

  it('scores only hours after each origin, trained on hours before it (a leak would make the naive model perfect)', async () => {
    // A series that repeats every 24 h plus a step on the last day: the naive model's error is the step, exactly.
    const y = Array.from(
      { length: 40 * 24 },
      (_, i) => 100 + 20 * Math.sin((2 * Math.PI * (i % 24)) / 24) + (i >= 39 * 24 ? 10 : 0),
    );
    const series = { start: Date.UTC(2025, 0, 1), y };
    const forecast = forecastFrom(seasonalNaive(), series, 39 * 24, 24);
    for (const [h, p] of forecast.entries()) expect(y[39 * 24 + h] - p).toBeCloseTo(10, 9);
    const tested = await backtest(series, 40 * 24, 24);
    expect(tested?.scoreOrigins.at(-1)).toBe(39 * 24);
    expect(tested?.baselineRmse).toBeGreaterThan(0);
  });
});

describe('the greedy heuristic', () => {
  it('the greedy heuristic keeps the band too but costs more than the MILP', async () => {
    const problem = tiny({
      demand: [100, 140, 160, 90, 80, 150, 170, 90],
      price: [0.1, 0.3, 0.3, 0.1, 0.1, 0.3, 0.3, 0.1],
      volumeMin: new Array(8).fill(150),
      volumeMax: new Array(8).fill(500),
      minRunSlots: 1,
      maxStartsPerDay: 8,
    });
    const greedy = outcome(problem, greedySchedule(problem));
    const solution = await solveLp(scheduleLp(problem), { gap: 0 });
    expect(solution.objective).toBeLessThanOrEqual(greedy.cost + 1e-9);
  });
});

describe("a price tag's unit", () => {
  it('names the currency the costs are in, and takes the price to it per kWh', () => {
    expect([priceCurrency('EUR/MWh'), unitFactor('price', 'EUR/MWh')]).toEqual(['EUR', 0.001]);
    expect([priceCurrency('€/kWh'), unitFactor('price', '€/kWh')]).toEqual(['€', 1]);
    expect(priceCurrency('$ / kWh')).toBe('$');
    // Cents of an unnamed currency: that currency per kWh, unnamed.
    expect([priceCurrency('c/kWh'), unitFactor('price', 'c/kWh')]).toEqual([null, 0.01]);
    expect(priceCurrency(undefined)).toBeNull();
    expect(priceCurrency('kW')).toBeNull();
    // What costs are counted in: the currency, else the price tag's own units, else kWh.
    expect(costUnit('EUR', [0.1, 0.2])).toBe('EUR');
    expect(costUnit(null, [0.1, 0.2])).toBe(CURRENCY_UNNAMED);
    expect(costUnit(null, [1, 1])).toBe('kWh');
  });
});
