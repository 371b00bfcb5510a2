import { LuDecomposition, Matrix } from 'ml-matrix';
import { addDays } from '../time';
import { linearTrend } from './trend';

// Specific energy (kWh per m³) of each station pump, whose only signals are on/off and kW. The
// station flow meter sees the running pumps together, so each pump's flow is estimated by least
// squares over the pump combinations in a rolling window of days:
//   flow(minute) ≈ Σ_i q_i · on_i(minute) + Σ_k c_k · [k pumps on](minute)
// The c_k (k ≥ 2) absorb what pumps lose when they share a header; the q_i are each pump's own
// flow. Pumps that only ever run together cannot be told apart; such windows are skipped.

/**
 * Per-day sums over the day's minutes with a flow reading (from readings_wide). The regressors x
 * are the pumps' on/off states (first, one per pump) followed by the combination columns.
 */
export interface DailyPumpSums {
  date: string;
  /** Σ x_a·x_b; for two pumps, the minutes they ran together (a = b: the minutes a ran). */
  together: number[][];
  /** Σ x_a·flow. */
  flowWhenOn: number[];
  /** Σ on_i·kW_i, per pump. */
  kwWhenOn: number[];
}

/**
 * A day's minutes with a flow reading that had one combination of pumps running: which ran, how
 * many the station counted (pumps_on_count), and sums weighted by the minutes each row stands for.
 */
export interface PumpCombination {
  date: string;
  on: boolean[];
  pumpsOn: number | null;
  minutes: number;
  /** Σ flow · minutes. */
  flow: number;
  /** Per pump, Σ kW · minutes (a missing kW counts 0). */
  kw: number[];
}

/**
 * The per-day sums from the day's pump combinations (rows of one date together, dates in order):
 * a day has a few dozen combinations, so DuckDB groups the minutes by them and the Gram matrix
 * of the regressors is built here, instead of a sum per matrix entry over every minute.
 */
export function dailySumsOf(combinations: PumpCombination[], pumps: number): DailyPumpSums[] {
  const regressors = pumps + Math.max(0, pumps - 1);
  const days: DailyPumpSums[] = [];
  const x = new Array<number>(regressors);
  for (const c of combinations) {
    let day = days[days.length - 1];
    if (!day || day.date !== c.date) {
      day = {
        date: c.date,
        together: Array.from({ length: regressors }, () => new Array<number>(regressors).fill(0)),
        flowWhenOn: new Array<number>(regressors).fill(0),
        kwWhenOn: new Array<number>(pumps).fill(0),
      };
      days.push(day);
    }
    // The pumps' run states, then "k pumps on" for k = 2..N.
    for (let i = 0; i < pumps; i++) x[i] = c.on[i] ? 1 : 0;
    for (let k = 2; k <= pumps; k++) x[pumps + k - 2] = c.pumpsOn === k ? 1 : 0;
    for (let a = 0; a < regressors; a++) {
      if (x[a] === 0) continue;
      for (let b = 0; b < regressors; b++) day.together[a][b] += x[b] * c.minutes;
      day.flowWhenOn[a] += c.flow;
    }
    for (let i = 0; i < pumps; i++) if (x[i]) day.kwWhenOn[i] += c.kw[i];
  }
  return days;
}

export interface PumpSpecificEnergyDay {
  date: string;
  /** Estimated flow of this pump while it runs (station flow units, per hour). */
  flow: number;
  /** Its mean power while running (kW). */
  kw: number;
  /** kW / flow: kWh per m³ when flow is in m³/h. */
  specificEnergy: number;
  /** Change against the pump's own reference period, in %. */
  changePct: number | null;
}

export interface PumpSpecificEnergy {
  pump: string;
  /** Mean specific energy over the pump's first `referenceDays` estimated days. */
  reference: number | null;
  referencePeriod: { from: string; to: string } | null;
  current: number | null;
  changePct: number | null;
  /** Slope of changePct over the last `trendDays` days, % per week, with its 95 % interval. */
  trendPerWeek: number | null;
  trendPerWeekLow: number | null;
  trendPerWeekHigh: number | null;
  days: PumpSpecificEnergyDay[];
}

export interface SpecificEnergyOptions {
  windowDays?: number;
  referenceDays?: number;
  trendDays?: number;
  /** A pump needs this many running minutes in the window to be estimated. */
  minMinutes?: number;
}

function addInto(target: DailyPumpSums, day: DailyPumpSums, sign: 1 | -1): void {
  day.together.forEach((row, i) => {
    row.forEach((v, j) => {
      target.together[i][j] += sign * v;
    });
  });
  day.flowWhenOn.forEach((v, i) => {
    target.flowWhenOn[i] += sign * v;
  });
  day.kwWhenOn.forEach((v, i) => {
    target.kwWhenOn[i] += sign * v;
  });
}

/**
 * Solves the normal equations over the regressors seen for at least `minMinutes`; returns the
 * pumps' flows (the first `pumps` coefficients), null where they cannot be told apart.
 */
export function estimatePumpFlows(sums: DailyPumpSums, pumps: number, minMinutes: number): Array<number | null> {
  const active = sums.together.map((_, i) => i).filter((i) => sums.together[i][i] >= minMinutes);
  const out: Array<number | null> = sums.kwWhenOn.slice(0, pumps).map(() => null);
  if (!active.some((i) => i < pumps)) return out;
  const gram = new Matrix(active.map((i) => active.map((j) => sums.together[i][j])));
  const lu = new LuDecomposition(gram);
  if (lu.isSingular()) return out;
  const q = lu.solve(Matrix.columnVector(active.map((i) => sums.flowWhenOn[i])));
  active.forEach((i, k) => {
    if (i < pumps) out[i] = q.get(k, 0);
  });
  return out;
}

export function specificEnergyByPump(
  pumps: readonly string[],
  days: DailyPumpSums[],
  options: SpecificEnergyOptions = {},
): PumpSpecificEnergy[] {
  const windowDays = options.windowDays ?? 7;
  const referenceDays = options.referenceDays ?? 14;
  const trendDays = options.trendDays ?? 28;
  const minMinutes = options.minMinutes ?? 60;
  const regressors = days[0]?.flowWhenOn.length ?? pumps.length;
  const zeros = (n: number) => new Array<number>(n).fill(0);
  const inWindow: DailyPumpSums = {
    date: '',
    together: zeros(regressors).map(() => zeros(regressors)),
    flowWhenOn: zeros(regressors),
    kwWhenOn: zeros(pumps.length),
  };
  const perPump: PumpSpecificEnergyDay[][] = pumps.map(() => []);
  // The window is calendar days [D − windowDays + 1, D]; a day is estimated when at least half of
  // them have data, so the result for a day does not depend on where the data starts.
  const minDays = Math.ceil(windowDays / 2);
  let oldest = 0;
  days.forEach((day, d) => {
    addInto(inWindow, day, 1);
    const start = addDays(day.date, 1 - windowDays);
    while (days[oldest].date < start) addInto(inWindow, days[oldest++], -1);
    if (d - oldest + 1 < minDays) return;
    const flows = estimatePumpFlows(inWindow, pumps.length, minMinutes);
    flows.forEach((q, i) => {
      const minutes = inWindow.together[i][i];
      if (q === null || q <= 0 || minutes < minMinutes) return;
      const kw = inWindow.kwWhenOn[i] / minutes;
      perPump[i].push({ date: day.date, flow: q, kw, specificEnergy: kw / q, changePct: null });
    });
  });
  return pumps.map((pump, i) => {
    const series = perPump[i];
    const referenceRows = series.slice(0, referenceDays);
    const reference = referenceRows.length
      ? referenceRows.reduce((s, r) => s + r.specificEnergy, 0) / referenceRows.length
      : null;
    for (const row of series) row.changePct = reference ? ((row.specificEnergy - reference) / reference) * 100 : null;
    const recent = series.slice(-trendDays);
    const trend = linearTrend(
      recent.map((r) => ({ x: Date.parse(`${r.date}T00:00:00Z`) / 86_400_000, y: r.changePct ?? 0 })),
    );
    const last = series[series.length - 1];
    return {
      pump,
      reference,
      referencePeriod: referenceRows.length
        ? { from: referenceRows[0].date, to: referenceRows[referenceRows.length - 1].date }
        : null,
      current: last?.specificEnergy ?? null,
      changePct: last?.changePct ?? null,
      trendPerWeek: trend ? trend.slopePerDay * 7 : null,
      trendPerWeekLow: trend ? trend.slopeLow * 7 : null,
      trendPerWeekHigh: trend ? trend.slopeHigh * 7 : null,
      days: series,
    };
  });
}
