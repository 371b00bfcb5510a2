import type { Baseline, PumpReading } from '../performance/deviation';
import { PARAMETERS, type Parameter } from '../performance/grades';
import { HOUR_MS } from '../time';

// Seed 000's engineered features (PredictiveModel.engineer_features, FeatureEngineer), defined
// once as a list with names and meaning, computed over *time* windows (24 h and 168 h), and the
// same whether computed in one batch or one reading at a time (the edge runner streams).

export const WINDOWS = [
  { name: '24h', ms: 24 * HOUR_MS },
  { name: '168h', ms: 168 * HOUR_MS },
] as const;
const STATS = ['mean', 'std', 'min', 'max'] as const;

export interface FeatureDefinition {
  name: string;
  doc: string;
}

function definitions(): FeatureDefinition[] {
  const list: FeatureDefinition[] = [];
  for (const p of PARAMETERS) {
    list.push({ name: `${p}`, doc: `${p} now` });
    list.push({ name: `${p}_dev`, doc: `${p} deviation from the baseline now, %` });
  }
  for (const w of WINDOWS) {
    for (const p of PARAMETERS) {
      for (const s of STATS) list.push({ name: `${p}_${s}_${w.name}`, doc: `${s} of ${p} over the last ${w.name}` });
      // The same statistics of the deviation: unit-free, so they mean the same on any pump size.
      for (const s of STATS)
        list.push({ name: `${p}_dev_${s}_${w.name}`, doc: `${s} of the ${p} deviation (%) over the last ${w.name}` });
      list.push({ name: `${p}_slope_${w.name}`, doc: `least-squares slope of ${p} over the last ${w.name}, per hour` });
      list.push({
        name: `${p}_accel_${w.name}`,
        doc: `${p}_slope_${w.name} now minus its value ${w.name} earlier (change of trend)`,
      });
    }
  }
  list.push(
    { name: 'hour_of_day', doc: 'hour of the day, 0-23 (historian local time)' },
    { name: 'day_of_week', doc: 'day of the week, 0 = Sunday' },
    { name: 'is_weekend', doc: '1 on Saturday and Sunday' },
    { name: 'flow_x_head', doc: 'flow × head: hydraulic power up to a constant' },
    { name: 'power_per_flow', doc: 'power / flow: specific energy up to a constant' },
    { name: 'efficiency_proxy', doc: 'flow × head / power, relative to the baseline (1 = as commissioned)' },
  );
  return list;
}

/** Every feature, in the order of the vectors. */
export const FEATURES: readonly FeatureDefinition[] = definitions();
export const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);

/** A sliding time window over one signal: sums for mean/std/slope, monotonic deques for min/max. */
class WindowStats {
  private t: number[] = [];
  private v: number[] = [];
  private head = 0;
  private minQ: number[] = [];
  private maxQ: number[] = [];
  private n = 0;
  private s = 0;
  private ss = 0;
  private st = 0;
  private stt = 0;
  private stv = 0;

  constructor(
    private readonly span: number,
    /** Times are measured from here, in hours, to keep the sums small. */
    private readonly origin: number,
  ) {}

  push(time: number, value: number): void {
    const x = (time - this.origin) / HOUR_MS;
    this.t.push(time);
    this.v.push(value);
    this.n += 1;
    this.s += value;
    this.ss += value * value;
    this.st += x;
    this.stt += x * x;
    this.stv += x * value;
    const i = this.t.length - 1;
    while (this.minQ.length && this.v[this.minQ[this.minQ.length - 1]] >= value) this.minQ.pop();
    this.minQ.push(i);
    while (this.maxQ.length && this.v[this.maxQ[this.maxQ.length - 1]] <= value) this.maxQ.pop();
    this.maxQ.push(i);
    // The window is (time − span, time].
    while (this.t[this.head] <= time - this.span) {
      const old = this.v[this.head];
      const ox = (this.t[this.head] - this.origin) / HOUR_MS;
      this.n -= 1;
      this.s -= old;
      this.ss -= old * old;
      this.st -= ox;
      this.stt -= ox * ox;
      this.stv -= ox * old;
      if (this.minQ[0] === this.head) this.minQ.shift();
      if (this.maxQ[0] === this.head) this.maxQ.shift();
      this.head += 1;
    }
    if (this.head > 4096) this.compact();
  }

  private compact(): void {
    this.t = this.t.slice(this.head);
    this.v = this.v.slice(this.head);
    this.minQ = this.minQ.map((i) => i - this.head);
    this.maxQ = this.maxQ.map((i) => i - this.head);
    this.head = 0;
  }

  stats(): { mean: number; std: number; min: number; max: number; slope: number } {
    const n = this.n;
    const mean = this.s / n;
    const variance = n > 1 ? Math.max(0, (this.ss - n * mean * mean) / (n - 1)) : 0;
    const sxx = this.stt - (this.st * this.st) / n;
    const slope = n > 1 && sxx > 1e-12 ? (this.stv - (this.st * this.s) / n) / sxx : 0;
    return { mean, std: Math.sqrt(variance), min: this.v[this.minQ[0]], max: this.v[this.maxQ[0]], slope };
  }
}

/**
 * Features one reading at a time. Readings must come in time order; a parameter missing from
 * a reading keeps its last value (so windows stay defined).
 */
export class FeatureStream {
  private windows: Map<string, WindowStats> | null = null;
  private last: Record<Parameter, number> = { flow: 0, head: 0, power: 0, efficiency: 0 };
  /** Past slopes per feature name, to find the one a window earlier (acceleration). */
  private slopes = new Map<string, Array<{ t: number; slope: number }>>();

  private readonly baseline: Record<Parameter, number>;

  constructor(baseline: Baseline) {
    this.baseline = featureBaseline(baseline);
  }

  push(reading: PumpReading): number[] {
    if (!this.windows) {
      this.windows = new Map();
      for (const w of WINDOWS)
        for (const p of PARAMETERS) this.windows.set(`${p}_${w.name}`, new WindowStats(w.ms, reading.t));
      for (const p of PARAMETERS) this.last[p] = reading[p] ?? this.baseline[p];
    }
    for (const p of PARAMETERS) {
      const v = reading[p];
      if (v !== null && Number.isFinite(v)) this.last[p] = v;
    }
    const out: number[] = [];
    const dev = (p: Parameter, v: number) => ((v - this.baseline[p]) / this.baseline[p]) * 100;
    for (const p of PARAMETERS) out.push(this.last[p], dev(p, this.last[p]));
    for (const w of WINDOWS) {
      for (const p of PARAMETERS) {
        // biome-ignore lint/style/noNonNullAssertion: the constructor made a window for every parameter and width
        const win = this.windows.get(`${p}_${w.name}`)!;
        win.push(reading.t, this.last[p]);
        const s = win.stats();
        const b = this.baseline[p];
        out.push(s.mean, s.std, s.min, s.max);
        out.push(dev(p, s.mean), (s.std / b) * 100, dev(p, s.min), dev(p, s.max));
        out.push(s.slope, this.acceleration(`${p}_${w.name}`, reading.t, s.slope, w.ms));
      }
    }
    const d = new Date(reading.t);
    const day = d.getUTCDay();
    const { flow, head, power } = this.last;
    const b = this.baseline;
    out.push(
      d.getUTCHours(),
      day,
      day === 0 || day === 6 ? 1 : 0,
      flow * head,
      flow > 0 ? power / flow : 0,
      power > 0 ? (flow * head) / power / ((b.flow * b.head) / b.power) : 0,
    );
    return out;
  }

  /** Slope now minus the slope at the latest reading at least one window earlier (0 before that). */
  private acceleration(key: string, t: number, slope: number, span: number): number {
    const history = this.slopes.get(key) ?? [];
    this.slopes.set(key, history);
    history.push({ t, slope });
    let earlier: number | null = null;
    while (history.length > 1 && history[1].t <= t - span) history.shift();
    if (history[0].t <= t - span) earlier = history[0].slope;
    return earlier === null ? 0 : slope - earlier;
  }
}

/**
 * The baseline the features divide by. A parameter the station does not log (a lift station's
 * head, so its efficiency) has no baseline: it stands at 1 and its readings are null, so its
 * features are constant (never split on) and flow·head/power reads as flow per kW against the
 * baseline's, which is what such a station can tell.
 */
function featureBaseline(baseline: Baseline): Record<Parameter, number> {
  return {
    flow: baseline.flow,
    head: baseline.head ?? 1,
    power: baseline.power,
    efficiency: baseline.efficiency ?? 1,
  };
}

/** Features of every reading: the stream run over the whole series. */
export function featureMatrix(readings: PumpReading[], baseline: Baseline): number[][] {
  const stream = new FeatureStream(baseline);
  return readings.map((r) => stream.push(r));
}

/**
 * The same features computed directly from each reading's window (a second, independent
 * implementation: the test that batch and stream agree compares the two).
 */
export function featureMatrixDirect(readings: PumpReading[], reference: Baseline): number[][] {
  const baseline = featureBaseline(reference);
  const filled: Array<Record<Parameter, number> & { t: number }> = [];
  let last: Record<Parameter, number> | null = null;
  for (const r of readings) {
    const first = Object.fromEntries(PARAMETERS.map((p) => [p, r[p] ?? baseline[p]])) as Record<Parameter, number>;
    const now: Record<Parameter, number> = { ...(last ?? first) };
    for (const p of PARAMETERS) {
      const v = r[p];
      if (v !== null && Number.isFinite(v)) now[p] = v;
    }
    filled.push({ ...now, t: r.t });
    last = now;
  }
  const origin = readings[0]?.t ?? 0;
  const slopeAt = (i: number, p: Parameter, span: number) => {
    const rows = filled.filter((x) => x.t > filled[i].t - span && x.t <= filled[i].t);
    const xs = rows.map((x) => (x.t - origin) / HOUR_MS);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = rows.reduce((a, x) => a + x[p], 0) / rows.length;
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    return rows.length > 1 && sxx > 1e-12 ? xs.reduce((a, x, k) => a + (x - mx) * (rows[k][p] - my), 0) / sxx : 0;
  };
  return filled.map((row, i) => {
    const out: number[] = [];
    const dev = (p: Parameter, v: number) => ((v - baseline[p]) / baseline[p]) * 100;
    for (const p of PARAMETERS) out.push(row[p], dev(p, row[p]));
    for (const w of WINDOWS) {
      const rows = filled.filter((x) => x.t > row.t - w.ms && x.t <= row.t);
      for (const p of PARAMETERS) {
        const v = rows.map((x) => x[p]);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const std = v.length > 1 ? Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / (v.length - 1)) : 0;
        const min = Math.min(...v);
        const max = Math.max(...v);
        const b = baseline[p];
        out.push(mean, std, min, max, dev(p, mean), (std / b) * 100, dev(p, min), dev(p, max));
        const slope = slopeAt(i, p, w.ms);
        let j = -1;
        for (let k = i; k >= 0; k -= 1)
          if (filled[k].t <= row.t - w.ms) {
            j = k;
            break;
          }
        out.push(slope, j < 0 ? 0 : slope - slopeAt(j, p, w.ms));
      }
    }
    const d = new Date(row.t);
    const day = d.getUTCDay();
    out.push(
      d.getUTCHours(),
      day,
      day === 0 || day === 6 ? 1 : 0,
      row.flow * row.head,
      row.flow > 0 ? row.power / row.flow : 0,
      row.power > 0 ? (row.flow * row.head) / row.power / ((baseline.flow * baseline.head) / baseline.power) : 0,
    );
    return out;
  });
}
