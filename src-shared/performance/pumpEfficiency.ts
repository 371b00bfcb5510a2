import { LuDecomposition, Matrix } from 'ml-matrix';
import { leastSquaresSlope } from './trend';

// Each pump's flow per kWh, from one estimator (issue 30: E-05, G-03, pump_health, the Pumps page
// and the report read these numbers, and only these). Where a pump has its own flow meter its
// flow is its meter's; else the station meter sees the running pumps together, and each pump's
// flow comes from least squares over the rows (seed 000 has per-pump meters; most stations don't):
//
//   station flow ≈ Σ q_i·s_i·(1 + β_speed·(speed_i − 1) + β_head·(level − ref)) + Σ_n c_n·[n pumps on]
//
// s_i is the share of the row pump i ran (1 or 0 on minute data). The flow a pump delivers, and
// the power it draws, follow the head it pumps against and its speed: a lift pump lower in its
// wet well lifts more and delivers less per kWh. Energy per m³ compared across levels says
// nothing of wear. So q_i is the pump's flow at a reference level (the middle of the station's
// operating band) and full speed; its kW alike, from its own power over the rows it ran:
//
//   pump kW ≈ p_i·s_i + γ_speed·s_i·(speed_i − 1) + γ_speed²·s_i·(speed_i − 1)² + γ_head·s_i·(level − ref)
//
// and q_i / p_i is its m³/kWh at like head and speed. The head and speed effects are shares of a
// pump's flow, one for all the station's pumps (a big pump loses more m³/h per metre than a small
// one, the same part of its flow): fitted by re-weighting with the pumps' flows until they settle.
// The c_n absorb what pumps lose together in a header. A VFD slowed against a high static head
// delivers far less, and not in a line: the station meter's rows serve only where every running
// pump runs at full speed (a station that empties or fills at full speed covers its levels so); a
// pump with a meter of its own serves at any speed, its flow and power each with a quadratic in it. Each day a pump's figures come from the shortest window ending that day (1, 3 or 7 days)
// in which its flow and power are known to within half a percent (their standard errors): a day
// alone where its meter, or the day's mix of pumps, tells it; a week where its pumps often run
// together. A pump needs an hour of running in the window. Now is the median of its last three
// estimates; its reference the best mean of 7 consecutive estimates in the last 90 days (a mean
// that falls with it as it wears is no reference); with under a week of estimates the data is too
// short to judge wear.

export const WINDOW_DAYS = 7;
/** The windows tried, shortest first. */
const WINDOWS = [1, 3, WINDOW_DAYS];
/**
 * A window shorter than a week serves when the pump's flow and power are known to within this
 * share (one standard error; strict, as the rows of a coarse log are not independent of each other).
 */
const PRECISION = 0.005;
const HISTORY_DAYS = 90;
/** A pump needs this many running minutes in a window to be estimated. */
const MIN_RUN_MINUTES = 60;
/** A pump within this share of its full speed runs at full speed. */
export const FULL_SPEED = -0.05;
/** A window is estimated when at least this many of its days have rows. */
const MIN_DAYS = Math.ceil(WINDOW_DAYS / 2);
/** Fewer estimates than this (a week) are too short to judge wear against a reference. */
export const MIN_ESTIMATES = 7;

/** One row as the estimator reads it, every value in one unit (flow m³/h, kW). */
export interface EfficiencyRow {
  /** Minutes the row stands for. */
  weight: number;
  /** Per pump, the share of the row it ran (0..1). */
  shares: ArrayLike<number>;
  /** Per pump, its speed over full speed, minus 1 (0 for a fixed-speed pump or an unknown speed). */
  speedDev: ArrayLike<number>;
  /** The station's flow (its meter, else the pumps' meters summed); null when missing. */
  flow: number | null;
  pumpFlow: ArrayLike<number | null>;
  kw: ArrayLike<number | null>;
  /** The level minus the reference level; null when missing (or the station has no level: always 0). */
  levelDev: number | null;
}

/** Weighted least-squares sums Σ w·x·xᵀ, Σ w·x·y, Σ w·y² and Σ w, flattened. */
interface Sums {
  gram: number[];
  xy: number[];
  yy: number;
  w: number;
  rows: number;
}

const emptySums = (n: number): Sums => ({
  gram: new Array(n * n).fill(0),
  xy: new Array(n).fill(0),
  yy: 0,
  w: 0,
  rows: 0,
});

function addRow(s: Sums, x: readonly number[], y: number, w: number): void {
  const n = s.xy.length;
  s.yy += w * y * y;
  s.w += w;
  s.rows += 1;
  for (let a = 0; a < n; a++) {
    const wa = w * x[a];
    if (wa === 0) continue;
    s.xy[a] += wa * y;
    for (let b = 0; b < n; b++) s.gram[a * n + b] += wa * x[b];
  }
}

function addSums(target: Sums, from: Sums): void {
  for (let i = 0; i < target.gram.length; i++) target.gram[i] += from.gram[i];
  for (let i = 0; i < target.xy.length; i++) target.xy[i] += from.xy[i];
  target.yy += from.yy;
  target.w += from.w;
  target.rows += from.rows;
}

/** A fit: the coefficients, and each one's standard error (from the residuals, per row). */
interface Fit {
  coef: number[];
  se: number[];
}

/**
 * The coefficients of the regressors in `use` (the others held at 0), with a ridge on `shaped`
 * (the head, speed and header terms: a shape, not a pump's own flow) so a window in which the
 * level or speed hardly varies leaves them near 0 instead of singular. Null when singular. The
 * standard errors take the weighted residual variance per row (a row weighs its minutes).
 */
function solve(s: Sums, regressors: number[], shaped: Set<number>): Fit | null {
  const n = s.xy.length;
  // A regressor that never varies from 0 in the window (no level, a fixed speed) is left out.
  const use = regressors.filter((i) => s.gram[i * n + i] > 0);
  if (use.length === 0 || s.rows <= use.length) return null;
  const gram = new Matrix(
    use.map((a) => use.map((b) => s.gram[a * n + b] * (a === b && shaped.has(a) ? 1 + 1e-4 : 1))),
  );
  const lu = new LuDecomposition(gram);
  if (lu.isSingular()) return null;
  const q = lu.solve(Matrix.columnVector(use.map((i) => s.xy[i])));
  const inverse = lu.solve(Matrix.eye(use.length));
  const beta = use.map((_, k) => q.get(k, 0));
  // Residual sum of squares: Σwy² − 2βᵀ(Σwxy) + βᵀ(Σwxxᵀ)β.
  let ssr = s.yy;
  use.forEach((a, i) => {
    ssr -= 2 * beta[i] * s.xy[a];
    use.forEach((b, j) => {
      ssr += beta[i] * beta[j] * s.gram[a * n + b];
    });
  });
  const perWeight = Math.max(0, ssr) / s.w;
  const meanWeight = s.w / s.rows;
  const variance = (perWeight * meanWeight * s.rows) / (s.rows - use.length);
  const coef = new Array<number>(n).fill(0);
  const se = new Array<number>(n).fill(Number.POSITIVE_INFINITY);
  use.forEach((i, k) => {
    coef[i] = beta[k];
    se[i] = Math.sqrt(Math.max(0, variance * inverse.get(k, k)));
  });
  return { coef, se };
}

/** One day's sums: the station regression, each pump's power (and own meter) regression, its running minutes. */
interface DaySums {
  day: number;
  station: Sums;
  power: Sums[];
  own: Array<Sums | null>;
  runMinutes: number[];
}

/** A pump's estimate for `day` (an epoch day), from the shortest window ending it that tells. */
export interface PumpEfficiencyDay {
  day: number;
  pump: number;
  /** Flow (m³/h) and power (kW) while running, at the reference level and full speed. */
  flow: number;
  kw: number;
  /** m³/kWh at like head and speed. */
  m3PerKwh: number;
  /** Now (the median of the last 3 estimates) against the best mean of 7 consecutive ones in the last 90 days; null: too short to judge. */
  ratio: number | null;
  /** Least-squares slope of m³/kWh per day over the last 7 estimates (5 at least, within 28 days). */
  slope: number | null;
  /** Running minutes in the window its figures come from. */
  runMinutes: number;
}

export interface EfficiencyOptions {
  pumps: number;
  /** Pumps with a flow meter of their own. */
  ownMeter: boolean[];
}

/** A pump's own regressions (its power; its flow with a meter): share, × speed, × speed², × head. */
const PUMP_TERMS = 4;
const PUMP_COLUMNS = [0, 1, 2, 3];
const PUMP_SHAPES = new Set([1, 2, 3]);

/**
 * Column layout of the station sums: each pump's share, share × head, share × speed, then
 * [n pumps on] for n ≥ 2. The fit folds the head and speed columns into one each (foldStation).
 */
function stationLayout(pumps: number) {
  return {
    head: (k: number) => pumps + k,
    speed: (k: number) => 2 * pumps + k,
    header: (n: number) => 3 * pumps + n - 2,
    size: 3 * pumps + Math.max(0, pumps - 1),
  };
}

/**
 * The station sums with each pump's head and speed columns folded into one each, pump k weighing
 * `weights[k]` (its flow relative to the others): columns pumps' shares, head, speed, headers.
 */
function foldStation(s: Sums, pumps: number, weights: number[]): Sums {
  const layout = stationLayout(pumps);
  const n = layout.size;
  const m = pumps + 2 + Math.max(0, pumps - 1);
  // t[i] lists (source column, factor) pairs making folded column i.
  const t: Array<Array<[number, number]>> = [];
  for (let k = 0; k < pumps; k++) t.push([[k, 1]]);
  t.push(weights.map((w, k): [number, number] => [layout.head(k), w]));
  t.push(weights.map((w, k): [number, number] => [layout.speed(k), w]));
  for (let c = 2; c <= pumps; c++) t.push([[layout.header(c), 1]]);
  const folded = emptySums(m);
  for (let i = 0; i < m; i++) {
    for (const [a, fa] of t[i]) folded.xy[i] += fa * s.xy[a];
    for (let j = 0; j < m; j++) {
      let v = 0;
      for (const [a, fa] of t[i]) for (const [b, fb] of t[j]) v += fa * fb * s.gram[a * n + b];
      folded.gram[i * m + j] = v;
    }
  }
  folded.yy = s.yy;
  folded.w = s.w;
  folded.rows = s.rows;
  return folded;
}

/** The station regression: the pumps' flows with shared relative head and speed effects (three re-weightings). */
function fitStation(s: Sums, pumps: number): Fit | null {
  const m = pumps + 2 + Math.max(0, pumps - 1);
  const shaped = new Set([...Array(m).keys()].filter((i) => i >= pumps));
  let weights = new Array<number>(pumps).fill(1);
  let fit: Fit | null = null;
  for (let round = 0; round < 3; round++) {
    fit = solve(foldStation(s, pumps, weights), [...Array(m).keys()], shaped);
    const flows = fit?.coef.slice(0, pumps) ?? [];
    const known = flows.filter((q) => q > 0);
    if (!fit || known.length === 0) return fit;
    const mean = known.reduce((a, b) => a + b, 0) / known.length;
    weights = flows.map((q) => (q > 0 ? q / mean : 1));
  }
  return fit;
}

/**
 * The estimator as a stream: rows in time order, a day's estimates when the day ends. Bounded
 * state (the window's day sums and 90 days of estimates), plain JSON, so the edge runner keeps it
 * for years across runs and the console's engine writes what it computes to pump_health.
 */
export class PumpEfficiencyEstimator {
  private days: DaySums[] = [];
  /** Per pump, its estimates of the last 90 days. */
  private history: Array<Array<{ day: number; m3PerKwh: number }>>;
  private readonly layout: ReturnType<typeof stationLayout>;

  constructor(private readonly options: EfficiencyOptions) {
    this.layout = stationLayout(options.pumps);
    this.history = Array.from({ length: options.pumps }, () => []);
  }

  private dayFor(day: number): DaySums {
    const last = this.days.at(-1);
    if (last && last.day === day) return last;
    const pumps = this.options.pumps;
    const sums: DaySums = {
      day,
      station: emptySums(this.layout.size),
      power: Array.from({ length: pumps }, () => emptySums(PUMP_TERMS)),
      own: this.options.ownMeter.map((own) => (own ? emptySums(PUMP_TERMS) : null)),
      runMinutes: new Array(pumps).fill(0),
    };
    this.days.push(sums);
    while (this.days.length && this.days[0].day <= day - WINDOW_DAYS) this.days.shift();
    return sums;
  }

  /** Adds a row of day `day` (an epoch day; days in order). */
  add(day: number, row: EfficiencyRow): void {
    const sums = this.dayFor(day);
    const { pumps } = this.options;
    const w = row.weight;
    if (w <= 0) return;
    const head = row.levelDev ?? 0;
    let running = 0;
    let any = false;
    for (let k = 0; k < pumps; k++) {
      const s = row.shares[k];
      if (!(s > 0)) continue;
      any = true;
      if (s >= 0.5) running++;
      sums.runMinutes[k] += w * s;
      const dev = row.speedDev[k];
      const own = sums.own[k];
      // Without a meter of its own, a pump's power pairs with the station meter's rows: full speed only.
      if (!own && dev < FULL_SPEED) continue;
      const x = [s, s * dev, s * dev * dev, s * head];
      const kw = row.kw[k];
      if (kw !== null) addRow(sums.power[k], x, kw, w);
      const q = row.pumpFlow[k];
      if (own && q !== null) addRow(own, x, q, w);
    }
    // Rows with no pump running say nothing of a pump's flow (a meter's zero is no estimate); nor do
    // rows with a pump slowed down (see above).
    if (!any || row.flow === null || row.levelDev === null) return;
    for (let k = 0; k < pumps; k++) if (row.shares[k] > 0 && row.speedDev[k] < FULL_SPEED) return;
    const x = new Array<number>(this.layout.size).fill(0);
    for (let k = 0; k < pumps; k++) {
      const s = row.shares[k];
      if (!(s > 0)) continue;
      x[k] = s;
      x[this.layout.head(k)] = s * head;
      x[this.layout.speed(k)] = s * row.speedDev[k];
    }
    if (running >= 2) x[this.layout.header(running)] = 1;
    addRow(sums.station, x, row.flow, w);
  }

  /** The regressions over the days of the `days`-day window ending `day`. */
  private windowFits(day: number, days: number) {
    const { pumps, ownMeter } = this.options;
    const inWindow = this.days.filter((d) => d.day > day - days && d.day <= day);
    const station = emptySums(this.layout.size);
    const power = Array.from({ length: pumps }, () => emptySums(PUMP_TERMS));
    const own = ownMeter.map((o) => (o ? emptySums(PUMP_TERMS) : null));
    const minutes = new Array<number>(pumps).fill(0);
    for (const d of inWindow) {
      addSums(station, d.station);
      d.power.forEach((p, k) => {
        addSums(power[k], p);
      });
      d.own.forEach((o, k) => {
        const target = own[k];
        if (o && target) addSums(target, o);
      });
      d.runMinutes.forEach((m, k) => {
        minutes[k] += m;
      });
    }
    return {
      daysWithRows: inWindow.length,
      flows: fitStation(station, pumps),
      own: own.map((o) => (o ? solve(o, PUMP_COLUMNS, PUMP_SHAPES) : null)),
      power: power.map((p) => solve(p, PUMP_COLUMNS, PUMP_SHAPES)),
      minutes,
    };
  }

  /**
   * Each pump's estimate for `day` (the last day added, complete): from the shortest window ending
   * it in which its flow and power are known to within PRECISION, kept in the pump's history (a day
   * estimated again replaces itself). Pumps that ran too little, or cannot be told apart, get none.
   */
  closeDay(day: number): PumpEfficiencyDay[] {
    const fits = WINDOWS.map((days) => ({ days, ...this.windowFits(day, days) }));
    const out: PumpEfficiencyDay[] = [];
    for (let k = 0; k < this.options.pumps; k++) {
      let chosen: { flow: number; kw: number; minutes: number } | null = null;
      for (const fit of fits) {
        // The week's window stands for the week only with half its days logged.
        if (fit.days === WINDOW_DAYS && fit.daysWithRows < MIN_DAYS) continue;
        if (fit.minutes[k] < MIN_RUN_MINUTES) continue;
        const flowFit = fit.own[k] ?? fit.flows;
        const powerFit = fit.power[k];
        const q = flowFit?.coef[fit.own[k] ? 0 : k];
        const qSe = flowFit?.se[fit.own[k] ? 0 : k];
        const p = powerFit?.coef[0];
        const pSe = powerFit?.se[0];
        if (q === undefined || p === undefined || qSe === undefined || pSe === undefined || !(q > 0) || !(p > 0))
          continue;
        const precise = qSe <= PRECISION * q && pSe <= PRECISION * p;
        if (precise || fit.days === WINDOW_DAYS) chosen = { flow: q, kw: p, minutes: fit.minutes[k] };
        if (chosen) break;
      }
      if (!chosen) continue;
      const m3PerKwh = chosen.flow / chosen.kw;
      const history = this.history[k].filter((h) => h.day !== day && h.day > day - HISTORY_DAYS);
      history.push({ day, m3PerKwh });
      this.history[k] = history;
      out.push({
        day,
        pump: k,
        flow: chosen.flow,
        kw: chosen.kw,
        m3PerKwh,
        runMinutes: chosen.minutes,
        ...judged(history),
      });
    }
    return out;
  }

  snapshot(): EfficiencySnapshot {
    return { version: 1, days: structuredClone(this.days), history: structuredClone(this.history) };
  }

  restore(snapshot: EfficiencySnapshot): void {
    if (snapshot.version !== 1) throw new Error(`unknown efficiency snapshot version: ${snapshot.version}`);
    this.days = structuredClone(snapshot.days);
    this.history = structuredClone(snapshot.history);
  }
}

/** The estimator's state as JSON. */
export interface EfficiencySnapshot {
  version: 1;
  days: DaySums[];
  history: Array<Array<{ day: number; m3PerKwh: number }>>;
}

/** A pump's estimates now against its reference, and their weekly trend; nulls while the data is too short. */
function judged(history: Array<{ day: number; m3PerKwh: number }>): { ratio: number | null; slope: number | null } {
  const latest = history[history.length - 1];
  const values = history.map((h) => h.m3PerKwh);
  let best = 0;
  for (let i = MIN_ESTIMATES; i <= values.length; i++)
    best = Math.max(best, values.slice(i - MIN_ESTIMATES, i).reduce((a, b) => a + b, 0) / MIN_ESTIMATES);
  const now = [...values.slice(-3)].sort((a, b) => a - b)[Math.floor(Math.min(3, values.length) / 2)];
  const ratio = history.length >= MIN_ESTIMATES && best > 0 ? now / best : null;
  const week = history.filter((h) => h.day > latest.day - 28).slice(-WINDOW_DAYS);
  const slope = week.length >= 5 ? leastSquaresSlope(week.map((h) => ({ x: h.day, y: h.m3PerKwh }))) : null;
  return { ratio, slope };
}
