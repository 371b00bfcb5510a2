import type { ForecastResult, OptimizeResult, Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { forecastFrom, makeForecaster } from '../../src-shared/forecast/forecasters';
import { type ClosedLoopResult, closedLoop } from '../../src-shared/optimize/closedLoop';
import {
  d,
  illPosed,
  pumpIds,
  q,
  type ScheduleProblem,
  scheduleLp,
  scheduleOf,
  u,
} from '../../src-shared/optimize/problem';
import { greedySchedule, outcome, type Schedule, vfdKw } from '../../src-shared/optimize/schedule';
import { DEFAULT_BAND_PCT, levelBands } from '../../src-shared/station/levelBands';
import { isPeakHour, type StationModel } from '../../src-shared/station/model';
import { priceCurrency } from '../../src-shared/station/units';
import { formatTimestamp, HOUR_MS } from '../../src-shared/time';
import type { StationDb } from '../db/stationDb';
import { armaxFit } from '../forecast/armax';
import { forecastOf, originIndex } from '../forecast/forecast';
import { type StationHours, stationHours } from '../forecast/stationHours';
import { pumpBehaviour } from './pumpBehaviour';
import { SOLVE_BUDGET_S, solveLp, solveSchedule } from './solve';

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

/**
 * What water left past the end target costs to pump after the window: each of the next day's
 * hours (its real prices, or the last day's where not yet known) at the station's full rate and
 * kWh per m³, cheapest first, as an operator catching up would. Convex, so plans, the replay and
 * the bound all price the end alike and a replay never beats the bound by owing.
 */
function owedSegments(problem: ScheduleProblem, following: number[]): NonNullable<ScheduleProblem['owed']> {
  const maxFixed = Math.min(problem.maxOn, problem.fixed.length, problem.stationFlow.length - 1);
  const fixedKw = [...problem.fixed]
    .sort((a, b) => a.kw - b.kw)
    .slice(0, maxFixed)
    .reduce((s, f) => s + f.kw, 0);
  const vfds = problem.vfd.slice(0, Math.max(0, problem.maxOn - maxFixed));
  const rate = (problem.stationFlow[maxFixed] ?? 0) + vfds.reduce((s, p) => s + p.qmax, 0);
  const kw = fixedKw + vfds.reduce((s, p) => s + vfdKw(p.lines, p.qmax), 0);
  if (!(rate > 0)) return [];
  return following.map((price) => ({ m3: rate, costPerM3: (price * kw) / rate }));
}

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
  // Water left past the end is pumped after the window: the next day's hours, cheapest first.
  problem.owed = owedSegments(problem, prices(model, data, origin + hoursAhead, 24).price);
  const wrong = illPosed(problem);
  if (wrong)
    throw new ApiError('bad_input', `the station model makes the schedule ill-posed: ${wrong} (check station.json)`);
  const actualDemand = [...Array(slots).keys()].map((t) => data.series.y[origin + Math.floor(t / perHour)]);
  // On the demand that came, at equal end state: the station's own end (what the replay is held to).
  const hindsight: ScheduleProblem | null =
    actualDemand.every((d) => d !== null && d !== undefined) && actualEnd !== null
      ? {
          ...problem,
          demand: actualDemand as number[],
          volumeMin: problem.volumeMin.map(() => vmin),
          volumeMax: problem.volumeMax.map(() => vmax),
          volumeEnd: Math.min(vmax, Math.max(vmin, actualEnd)),
        }
      : null;
  return { problem, data, forecast, origin, hoursAhead, perHour, band, hourPrice, currency, actualEnd, hindsight };
}

export type { OptimizeResult };

/** Slots between two plans of the closed-loop replay: an hour. */
const REPLAN_MINUTES = 60;
/**
 * Branch-and-bound nodes each re-plan of the replay may search (the first plan has the full
 * budget): a budget in work, not seconds, so the replay, and the saving it proves, is the same on
 * a busy machine (a 1 s budget under load gave a worse replay than on an idle machine).
 */
const REPLAN_NODES = 300;

// Long because it reads back every figure of the answer: the plan, what the station did, the replay, the bound.
export async function runOptimization(db: StationDb, request: OptimizeRequest = {}): Promise<OptimizeResult> {
  const progress: Progressed = (fraction, phase) => request.onProgress?.({ phase, fraction });
  const planned = await planWindow(db, request, progress);
  const { problem, data, forecast, origin, hoursAhead, band, hourPrice, currency, actualEnd } = planned;
  const { slotMinutes } = problem;
  const pct = (volume: number) => (volume / data.capacity) * 100;
  progress(0.6, 'solving the schedule');
  const started = performance.now();
  const planAt = await planSchedule(problem, {
    signal: request.signal,
    onProgress: (phase) => progress(0.6, `solving the schedule: ${phase}`),
  });
  const solveS = (performance.now() - started) / 1000;
  const ids = pumpIds(problem);
  const actualKwh = sumKnown([...Array(hoursAhead).keys()].map((h) => data.kwh[origin + h]));
  const actualCost = sumKnown(
    [...Array(hoursAhead).keys()].map((h) =>
      data.kwh[origin + h] == null ? null : (data.kwh[origin + h] as number) * hourPrice[h],
    ),
  );
  const base = {
    origin: forecast.origin,
    slotMinutes,
    currency,
    band_pct: band,
    actual_kwh: actualKwh,
    actual_cost: actualCost,
    forecast: { model: forecast.model, backtest: forecast.backtest },
    solve_s: solveS,
  };
  let result: OptimizeResult;
  if (!planAt) {
    result = {
      ...base,
      status: 'infeasible',
      reason: infeasibleReason(problem, problem.maxOn),
      slots: [],
      kwh: 0,
      cost: 0,
      gap_pct: null,
      savings_pct: null,
      savings_note: null,
      capture_pct: null,
      replay: null,
      hindsight: null,
    };
  } else {
    const plan = outcome(problem, planAt.schedule);
    const past = planned.hindsight && actualCost && actualEnd !== null ? planned.hindsight : null;
    const replay = past ? await replayClosedLoop(planned, past, request, progress) : null;
    const hindsight = past && actualCost ? await hindsightBound(past, actualCost, progress) : null;
    const claim = replay && actualCost ? savingsClaim(replay, actualCost, band, pct) : null;
    result = {
      ...base,
      status: planAt.fallback ? 'fallback' : planAt.status,
      reason: planAt.fallback
        ? `no schedule holds the band ${band.map((b) => b.toFixed(0)).join('-')} % on this forecast: the one closest to it is shown (${infeasibleReason(problem, problem.maxOn)})`
        : null,
      slots: plan.flow.map((flow, t) => ({
        time: formatTimestamp(data.series.start + origin * HOUR_MS + t * slotMinutes * 60_000),
        pumps: Object.fromEntries(ids.map((id, p) => [id, planAt.schedule.on[p][t] ? 1 : 0])) as Record<string, 0 | 1>,
        flow,
        kw: plan.kw[t],
        level: pct(plan.volume[t]),
        demand: problem.demand[t],
        price: problem.price[t],
      })),
      kwh: plan.kwh,
      cost: plan.cost,
      gap_pct: planAt.gap === null ? null : planAt.gap * 100,
      savings_pct: claim?.savings ?? null,
      savings_note: claim?.note ?? null,
      capture_pct:
        claim?.savings != null && hindsight && hindsight.savings_pct > 0
          ? (claim.savings / hindsight.savings_pct) * 100
          : null,
      replay: replay && actualEnd !== null ? replayFigures(replay, pct, band, actualEnd, past?.kind === 'lift') : null,
      hindsight,
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
 * A schedule for a programme: the MILP's (water left past the end priced as owed); where none holds
 * the band on this forecast, the closest one (`fallback`: the band as a priced slack).
 */
export async function planSchedule(
  problem: ScheduleProblem,
  options: { signal?: AbortSignal; onProgress?: (phase: string) => void; budgetS?: number; maxNodes?: number },
): Promise<{ schedule: Schedule; status: 'optimal' | 'feasible'; gap: number | null; fallback: boolean } | null> {
  const solution = await solveSchedule(problem, {
    ...options,
    ...(options.budgetS ? { budgetS: options.budgetS } : {}),
  });
  if (solution.status === 'optimal' || solution.status === 'feasible')
    return {
      schedule: scheduleOf(problem, solution.columns),
      status: solution.status,
      gap: solution.gap,
      fallback: false,
    };
  if (solution.status === 'unsolved')
    return { schedule: greedySchedule(problem), status: 'feasible', gap: null, fallback: true };
  // No schedule within the band on this forecast: the band as a slack priced far above any energy.
  const penalty =
    1e3 *
    Math.max(1, ...problem.price) *
    Math.max(1, ...problem.fixed.map((f) => f.kw), ...problem.vfd.map((p) => vfdKw(p.lines, p.qmax)));
  const closest = await solveLp(scheduleLp(problem, { softBand: penalty }), {
    signal: options.signal,
    budgetS: options.budgetS ?? SOLVE_BUDGET_S,
    maxNodes: options.maxNodes,
  });
  if (closest.status !== 'optimal' && closest.status !== 'feasible') return null;
  return { schedule: scheduleOf(problem, closest.columns), status: 'feasible', gap: closest.gap, fallback: true };
}

/** The window replayed closed loop: re-forecast and re-planned every hour, run on the demand that came. */
async function replayClosedLoop(
  planned: PlannedWindow,
  past: ScheduleProblem,
  request: OptimizeRequest,
  progress: Progressed,
): Promise<ClosedLoopResult> {
  const { data, forecast, origin, perHour, hoursAhead } = planned;
  const actual = past.demand;
  const every = Math.max(1, Math.round(REPLAN_MINUTES / past.slotMinutes));
  const forecaster = makeForecaster(forecast.model, armaxFit);
  const [low, high] = planned.band.map((b) => (b / 100) * data.capacity);
  return closedLoop({
    // The window as the bound sees it (the band itself, the station's own end, the same owed
    // prices); each plan's demand is its own forecast.
    problem: past,
    actual,
    every,
    low,
    high,
    forecastFrom: (slot) => {
      const hour = Math.floor(slot / perHour);
      progress(0.65 + (0.2 * slot) / actual.length, 'replaying the window closed loop');
      const hourly = forecastFrom(forecaster, data.series, origin + hour, hoursAhead - hour);
      return [...Array(actual.length - slot).keys()].map((k) => hourly[Math.floor((slot + k) / perHour) - hour]);
    },
    plan: async (sub) => {
      if (request.signal?.aborted) throw new ApiError('cancelled', 'the optimization was cancelled');
      const found = await planSchedule(sub, { signal: request.signal, maxNodes: REPLAN_NODES });
      return found && { schedule: found.schedule, fallback: found.fallback };
    },
  });
}

/** The bound a past window's savings answer to: the relaxed programme on the demand that came. */
async function hindsightBound(
  problem: ScheduleProblem,
  actualCost: number,
  progress: Progressed,
): Promise<OptimizeResult['hindsight']> {
  progress(0.9, 'bounding the savings (the demand known in advance)');
  const solution = await solveLp(scheduleLp(problem, { relaxed: true }), { gap: 0 });
  if (solution.status !== 'optimal' || solution.objective === null) return null;
  const kwh = energyOfRelaxed(problem, solution.columns);
  return { cost: solution.objective, kwh, savings_pct: (1 - solution.objective / actualCost) * 100 };
}

/** The energy of a relaxed solution: each pump's kW over the share of each slot it runs. */
function energyOfRelaxed(problem: ScheduleProblem, columns: Record<string, number>): number {
  const F = problem.fixed.length;
  const dt = problem.slotMinutes / 60;
  let kwh = 0;
  for (let t = 0; t < problem.demand.length; t++) {
    problem.fixed.forEach((f, p) => {
      kwh += (columns[u(p, t)] ?? 0) * f.kw * dt;
    });
    problem.vfd.forEach((pump, j) => {
      const share = columns[d(F + j, t)] ?? 0;
      if (share > 1e-9) kwh += share * vfdKw(pump.lines, (columns[q(F + j, t)] ?? 0) / share) * dt;
    });
  }
  return kwh;
}

/**
 * What the replay saved, at equal end state: its cost plus what pumping the water it left past the
 * station's own end costs after the window. None is claimed for a replay that left the band (the
 * interlocks could not hold it: the pumps were short of the inflow) or left more than a day can pump.
 */
function savingsClaim(
  replay: ClosedLoopResult,
  actualCost: number,
  band: [number, number],
  pct: (v: number) => number,
): { savings: number | null; note: string | null } {
  const levels = replay.volume.map(pct);
  if (levels.some((l) => l < band[0] - LEVEL_TOLERANCE_PCT || l > band[1] + LEVEL_TOLERANCE_PCT))
    return {
      savings: null,
      note: `the replay left the band (${Math.min(...levels).toFixed(1)}-${Math.max(...levels).toFixed(1)} %): the pumps could not hold it, so no saving is claimed`,
    };
  if (replay.owedCost === null)
    return {
      savings: null,
      note: `the replay left ${replay.owedM3.toFixed(0)} m³ more than the next day can pump: no saving is claimed`,
    };
  return { savings: (1 - (replay.cost + replay.owedCost) / actualCost) * 100, note: null };
}

function replayFigures(
  replay: ClosedLoopResult,
  pct: (v: number) => number,
  band: [number, number],
  actualEnd: number,
  lift: boolean,
): NonNullable<OptimizeResult['replay']> {
  const levels = replay.volume.map(pct);
  const end = levels[levels.length - 1];
  const actualEndPct = pct(actualEnd);
  return {
    level: levels,
    min_pct: Math.min(...levels),
    max_pct: Math.max(...levels),
    held_band: levels.every((l) => l >= band[0] - LEVEL_TOLERANCE_PCT && l <= band[1] + LEVEL_TOLERANCE_PCT),
    end_pct: end,
    actual_end_pct: actualEndPct,
    ends_no_worse: lift ? end <= actualEndPct + LEVEL_TOLERANCE_PCT : end >= actualEndPct - LEVEL_TOLERANCE_PCT,
    kwh: replay.kwh,
    cost: replay.cost,
    owed_m3: replay.owedM3,
    owed_cost: replay.owedCost,
    plans: replay.plans,
    fallbacks: replay.fallbacks,
    interlocked: replay.interlocked,
  };
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
  if (problem.kind === 'lift' && most < peak)
    return `the forecast inflow (up to ${peak.toFixed(0)} m³/h) exceeds what ${maxOn} pumps deliver (${most.toFixed(0)} m³/h)`;
  if (problem.kind === 'booster' && problem.volumeStart < problem.volumeMin[0])
    return 'the tank starts below its band (with the forecast margin): the first hours cannot be within it';
  if (problem.kind === 'lift' && problem.volumeStart > problem.volumeMax[0])
    return 'the wet well starts above its band (with the forecast margin)';
  return 'the band, the end level, the starts limit and the run and rest times cannot all be met in this window; widen the band or allow more starts';
}
