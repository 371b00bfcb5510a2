import type { ForecastResult, OptimizeResult, Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { pumpIds, type ScheduleProblem, scheduleOf } from '../../src-shared/optimize/problem';
import { outcome, type Schedule } from '../../src-shared/optimize/schedule';
import { DEFAULT_BAND_PCT, levelBands } from '../../src-shared/station/levelBands';
import { isPeakHour, type StationModel } from '../../src-shared/station/model';
import { priceCurrency } from '../../src-shared/station/units';
import { formatTimestamp, HOUR_MS } from '../../src-shared/time';
import type { StationDb } from '../db/stationDb';
import { forecastOf, originIndex } from '../forecast/forecast';
import { type StationHours, stationHours } from '../forecast/stationHours';
import { pumpBehaviour } from './pumpBehaviour';
import { SOLVE_TIME_LIMIT_S, solveSchedule } from './solve';

// `pumpdeck optimize` and the Schedule panel (issue 20): the cheapest pump schedule for the next
// hours against the forecast demand, with the station's band kept with a margin for the
// forecast's error, and (for a past window) what the station did and a replay of the schedule
// against the demand that came. Each run is kept in optimization_runs.

/** Margin for forecast error: this many backtest RMSEs of stored volume, growing as √hours (chosen a priori). */
const Z = 1.5;

export interface OptimizeRequest {
  at?: string;
  hours?: number;
  slotMinutes?: 15 | 30 | 60;
  minRunMinutes?: number;
  minRestMinutes?: number;
  maxStartsPerDay?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** Price per kWh for each hour from `origin`: the price tag's where logged (past the data, the same hour of its last day), else the tariff, else 1 (kWh). */
function prices(
  model: StationModel,
  hours: StationHours,
  origin: number,
  count: number,
): { price: number[]; currency: string | null } {
  const logged = (i: number) => {
    for (let j = i; j >= 0; j -= 24) if (hours.price[j] != null) return hours.price[j] as number;
    return null;
  };
  const price = [...Array(count).keys()].map((h) => {
    const i = origin + h;
    if (model.price) return logged(i) ?? 1;
    const hour = new Date(hours.series.start + i * HOUR_MS).getUTCHours();
    if (model.tariff) return isPeakHour(model, hour) ? model.tariff.peak : model.tariff.offpeak;
    return 1;
  });
  return { price, currency: model.price ? priceCurrency(model.price.unit) : (model.tariff?.currency ?? null) };
}

const volumeAt = (hours: StationHours, i: number): number | null => {
  for (let j = Math.min(i, hours.volume.length - 1); j >= Math.max(0, i - 3); j--)
    if (hours.volume[j] != null) return hours.volume[j];
  return null;
};

/** The programme for a window, with what reading its answer needs. */
export interface PlannedWindow {
  problem: ScheduleProblem;
  data: StationHours;
  forecast: ForecastResult;
  origin: number;
  hoursAhead: number;
  perHour: number;
  band: [number, number];
  hourPrice: number[];
  currency: string | null;
  actualEnd: number | null;
  /** For a past window: the same programme on the demand that came, without the forecast margin. */
  hindsight: ScheduleProblem | null;
}

type Progressed = (fraction: number, phase: string) => void;

// Long because it assembles the programme from the forecast, the pumps, the band and the prices.
export async function planWindow(
  db: StationDb,
  request: OptimizeRequest,
  progress: Progressed = () => {},
): Promise<PlannedWindow> {
  const hoursAhead = request.hours ?? 24;
  const slotMinutes = request.slotMinutes ?? 60;
  const perHour = 60 / slotMinutes;
  const data = await stationHours(db);
  const { model } = data;
  progress(0.05, 'forecasting demand');
  const forecast = await forecastOf(db, data, {
    at: request.at,
    hours: hoursAhead,
    // The schedule plans its own level trajectory.
    level: false,
    signal: request.signal,
    onProgress: (p) => progress(0.05 + 0.45 * (p.fraction ?? 0), 'forecasting demand'),
  });
  const origin = originIndex(data, request.at);
  const start = volumeAt(data, origin);
  if (start === null)
    throw new ApiError('bad_input', `no level reading at ${forecast.origin}: the window needs its starting level`);
  const bands = levelBands(model);
  const band: [number, number] = bands ? [bands.lowPct, bands.highPct] : DEFAULT_BAND_PCT;
  const [vmin, vmax] = [(band[0] / 100) * data.capacity, (band[1] / 100) * data.capacity];

  progress(0.55, 'measuring the pumps');
  const pumps = await pumpBehaviour(db, model, forecast.origin);
  if (pumps.fixed.length + pumps.vfd.length === 0)
    throw new ApiError('bad_input', 'no pump has run in the 30 days before the window');
  const { price: hourPrice, currency } = prices(model, data, origin, hoursAhead);
  const slots = hoursAhead * perHour;
  const dt = slotMinutes / 60;
  const rmse = forecast.backtest?.rmse ?? 0;
  const lift = model.kind === 'lift';
  // A booster's tank drifts with the forecast's error as it accumulates; a lift station's VFDs follow
  // the level (the replay's controller), so its plan needs no margin.
  const margin = (t: number) => (lift ? 0 : Math.min((vmax - vmin) / 2 - 1e-3, Z * rmse * Math.sqrt((t + 1) * dt)));
  const actualEnd = volumeAt(data, origin + hoursAhead);
  const endTarget = lift ? Math.min(start, actualEnd ?? start) : Math.max(start, actualEnd ?? start);
  const T = slots - 1;
  const problem: ScheduleProblem = {
    kind: lift ? 'lift' : 'booster',
    slotMinutes,
    demand: [...Array(slots).keys()].map((t) => forecast.points[Math.floor(t / perHour)].flow),
    price: [...Array(slots).keys()].map((t) => hourPrice[Math.floor(t / perHour)]),
    fixed: pumps.fixed,
    stationFlow: pumps.stationFlow,
    vfd: pumps.vfd,
    volumeStart: start,
    volumeMin: [...Array(slots).keys()].map((t) => vmin + margin(t)),
    volumeMax: [...Array(slots).keys()].map((t) => vmax - margin(t)),
    volumeEnd: lift
      ? Math.max(vmin + margin(T), endTarget - margin(T))
      : Math.min(vmax - margin(T), endTarget + margin(T)),
    maxOn: pumps.maxOn,
    minRunSlots: Math.ceil((request.minRunMinutes ?? 30) / slotMinutes),
    minRestSlots: Math.ceil((request.minRestMinutes ?? 15) / slotMinutes),
    maxStartsPerDay: request.maxStartsPerDay ?? 6,
    runningBefore: pumps.runningBefore,
  };
  const actualDemand = [...Array(slots).keys()].map((t) => data.series.y[origin + Math.floor(t / perHour)]);
  const hindsight: ScheduleProblem | null = actualDemand.every((d) => d !== null && d !== undefined)
    ? {
        ...problem,
        demand: actualDemand as number[],
        volumeMin: problem.volumeMin.map(() => vmin),
        volumeMax: problem.volumeMax.map(() => vmax),
        volumeEnd: lift ? Math.max(vmin, endTarget) : Math.min(vmax, endTarget),
      }
    : null;
  return { problem, data, forecast, origin, hoursAhead, perHour, band, hourPrice, currency, actualEnd, hindsight };
}

export type { OptimizeResult };

// Long because it reads back every figure of the answer: the plan, what the station did, the replay.
export async function runOptimization(db: StationDb, request: OptimizeRequest = {}): Promise<OptimizeResult> {
  const progress: Progressed = (fraction, phase) => request.onProgress?.({ phase, fraction });
  const planned = await planWindow(db, request, progress);
  const { problem, data, forecast, origin, hoursAhead, band, hourPrice, currency, actualEnd } = planned;
  const { slotMinutes } = problem;
  const lift = problem.kind === 'lift';
  const pct = (volume: number) => (volume / data.capacity) * 100;
  progress(0.6, 'solving the schedule');
  const started = performance.now();
  const solution = await solveSchedule(problem, {
    signal: request.signal,
    onProgress: (phase) => progress(0.6, `solving the schedule: ${phase}`),
  });
  const solveS = (performance.now() - started) / 1000;
  const ids = pumpIds(problem);
  const actualDemand = planned.hindsight?.demand ?? null;
  const actualKwh = sumKnown([...Array(hoursAhead).keys()].map((h) => data.kwh[origin + h]));
  const actualCost = sumKnown(
    [...Array(hoursAhead).keys()].map((h) =>
      data.kwh[origin + h] == null ? null : (data.kwh[origin + h] as number) * hourPrice[h],
    ),
  );
  const hindsight =
    planned.hindsight && actualCost ? await hindsightOptimum(planned.hindsight, actualCost, request, progress) : null;
  const base = {
    origin: forecast.origin,
    slotMinutes,
    currency,
    band_pct: band,
    actual_kwh: actualKwh,
    actual_cost: actualCost,
    forecast: { model: forecast.model, backtest: forecast.backtest },
    solve_s: solveS,
    gap_pct: solution.gap === null ? null : solution.gap * 100,
    hindsight,
  };
  let result: OptimizeResult;
  if (solution.status !== 'optimal' && solution.status !== 'feasible') {
    result = {
      ...base,
      status: 'infeasible',
      reason:
        solution.status === 'unsolved'
          ? `no schedule was found within the ${SOLVE_TIME_LIMIT_S} s limit (none was proved impossible either); try hourly slots or a shorter window`
          : infeasibleReason(problem, problem.maxOn),
      slots: [],
      kwh: 0,
      cost: 0,
      savings_pct: null,
      replay: null,
    };
  } else {
    const schedule: Schedule = scheduleOf(problem, solution.columns);
    const plan = outcome(problem, schedule);
    const replay =
      actualDemand && actualEnd !== null ? replayed(problem, schedule, actualDemand, lift, pct, band, actualEnd) : null;
    result = {
      ...base,
      status: solution.status,
      reason: null,
      slots: plan.flow.map((flow, t) => ({
        time: formatTimestamp(data.series.start + origin * HOUR_MS + t * slotMinutes * 60_000),
        pumps: Object.fromEntries(ids.map((id, p) => [id, schedule.on[p][t] ? 1 : 0])) as Record<string, 0 | 1>,
        flow,
        kw: plan.kw[t],
        level: pct(plan.volume[t]),
        demand: problem.demand[t],
        price: problem.price[t],
      })),
      kwh: plan.kwh,
      cost: plan.cost,
      // Against what the station did: the schedule's cost as replayed on the demand that came, with
      // the water it leaves owed to the next day.
      savings_pct: actualCost ? (1 - (replay ? replay.cost + replay.owed_cost : plan.cost) / actualCost) * 100 : null,
      replay,
    };
  }
  await db.run(
    `INSERT INTO optimization_runs VALUES (now()::TIMESTAMP, ?::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      result.origin,
      hoursAhead,
      slotMinutes,
      forecast.model,
      result.status,
      result.kwh,
      result.cost,
      result.actual_kwh,
      result.actual_cost,
      result.savings_pct,
      result.solve_s,
      JSON.stringify(result),
    ],
  );
  progress(1, 'done');
  return result;
}

/**
 * The best any schedule could have done in a past window: the programme on the demand that came,
 * without the forecast's margin (issue 20: the closer the savings come to it, the better).
 */
async function hindsightOptimum(
  problem: ScheduleProblem,
  actualCost: number,
  request: OptimizeRequest,
  progress: Progressed,
): Promise<OptimizeResult['hindsight']> {
  progress(0.85, 'solving the hindsight optimum');
  const solution = await solveSchedule(problem, { signal: request.signal });
  if (solution.status !== 'optimal' && solution.status !== 'feasible') return null;
  const { cost, kwh } = outcome(problem, scheduleOf(problem, solution.columns));
  return { cost, kwh, savings_pct: (1 - cost / actualCost) * 100, gap_pct: (solution.gap ?? 0) * 100 };
}

function sumKnown(values: Array<number | null | undefined>): number | null {
  if (values.some((v) => v === null || v === undefined)) return null;
  return (values as number[]).reduce((a, b) => a + b, 0);
}

/**
 * A plan may sit on its band's edge, met to the solver's tolerance and the LP text's six decimals;
 * a replay tracking it lands within a millionth of the volume. A thousandth of a percent of the
 * level (0.04 mm in a 4 m well) is no breach.
 */
const LEVEL_TOLERANCE_PCT = 1e-3;

/**
 * The schedule against the demand that came. A booster's pumps run as planned (open loop); a lift
 * station's VFDs follow the level within their flow range, as its controller would.
 */
function replayed(
  problem: ScheduleProblem,
  schedule: Schedule,
  demand: number[],
  lift: boolean,
  pct: (v: number) => number,
  band: [number, number],
  actualEnd: number,
): NonNullable<OptimizeResult['replay']> {
  const played = lift && problem.vfd.length ? levelControlled(problem, schedule, demand) : schedule;
  const { volume, kwh, cost, flow } = outcome(problem, played, demand);
  const levels = volume.map(pct);
  const end = levels[levels.length - 1];
  const actualEndPct = pct(actualEnd);
  // Water left unpumped against the station's own end (a booster's tank emptier, a lift's well
  // fuller) is owed to tomorrow: charged at the schedule's own average cost per m³ pumped.
  const endVolume = volume[volume.length - 1];
  const owedM3 = Math.max(0, lift ? endVolume - actualEnd : actualEnd - endVolume);
  const pumpedM3 = flow.reduce((a, f) => a + (f * problem.slotMinutes) / 60, 0);
  const owedCost = pumpedM3 > 0 ? (owedM3 * cost) / pumpedM3 : 0;
  return {
    level: levels,
    min_pct: Math.min(...levels),
    max_pct: Math.max(...levels),
    held_band: levels.every((l) => l >= band[0] - LEVEL_TOLERANCE_PCT && l <= band[1] + LEVEL_TOLERANCE_PCT),
    end_pct: end,
    actual_end_pct: actualEndPct,
    ends_no_worse: lift ? end <= actualEndPct + LEVEL_TOLERANCE_PCT : end >= actualEndPct - LEVEL_TOLERANCE_PCT,
    kwh,
    cost,
    owed_m3: owedM3,
    owed_cost: owedCost,
  };
}

/**
 * A lift station's replay: the planned pumps run, and their VFDs deliver the inflow plus what brings
 * the well back to the plan, within their flow range; below the range they run part of the slot
 * (the controller stops them at the stop level and starts them again).
 */
function levelControlled(problem: ScheduleProblem, schedule: Schedule, demand: number[]): Schedule {
  const F = problem.fixed.length;
  const dt = problem.slotMinutes / 60;
  const plan = outcome(problem, schedule).volume;
  const vfdFlow = problem.vfd.map(() => new Array<number>(demand.length).fill(0));
  const duty = problem.vfd.map(() => new Array<number>(demand.length).fill(1));
  const fixedFlow = outcome(problem, { on: schedule.on.map((row) => row.map((on, p) => on && p < F)), vfdFlow }).flow;
  let stored = problem.volumeStart;
  for (let t = 0; t < demand.length; t++) {
    const running = problem.vfd.map((_, j) => schedule.on[F + j][t]);
    const lo = problem.vfd.reduce((s, p, j) => s + (running[j] ? p.qmin : 0), 0);
    const hi = problem.vfd.reduce((s, p, j) => s + (running[j] ? p.qmax : 0), 0);
    const wanted = demand[t] - fixedFlow[t] + (stored - plan[t]) / dt;
    const total = Math.max(0, Math.min(hi, wanted));
    const share = total >= lo ? 1 : lo > 0 ? total / lo : 0;
    problem.vfd.forEach((p, j) => {
      if (!running[j]) return;
      duty[j][t] = share;
      const speedFlow = hi > lo && total >= lo ? p.qmin + ((total - lo) * (p.qmax - p.qmin)) / (hi - lo) : p.qmin;
      vfdFlow[j][t] = speedFlow * share;
    });
    stored += dt * (demand[t] - fixedFlow[t] - total);
  }
  return { on: schedule.on, vfdFlow, duty };
}

/** Which constraint cannot be met, in words. */
function infeasibleReason(problem: ScheduleProblem, maxOn: number): string {
  const dt = problem.slotMinutes / 60;
  const most =
    (problem.stationFlow[Math.min(maxOn, problem.stationFlow.length - 1)] ?? 0) +
    problem.vfd.reduce((s, p) => s + p.qmax, 0);
  const peak = Math.max(...problem.demand);
  if (problem.kind === 'booster' && most < peak) {
    const short = problem.demand.reduce((s, d) => s + Math.max(0, d - most) * dt, 0);
    if (problem.volumeStart - short < problem.volumeMin[problem.demand.length - 1])
      return `the demand (up to ${peak.toFixed(0)} m³/h) exceeds what ${maxOn} pumps deliver (${most.toFixed(0)} m³/h) for longer than the tank's band can cover`;
  }
  if (problem.kind === 'booster' && problem.volumeStart < problem.volumeMin[0])
    return 'the tank starts below its band (with the forecast margin): the first hours cannot be within it';
  if (problem.kind === 'lift' && problem.volumeStart > problem.volumeMax[0])
    return 'the wet well starts above its band (with the forecast margin)';
  return 'the band, the end level, the starts limit and the run and rest times cannot all be met in this window; widen the band or allow more starts';
}
