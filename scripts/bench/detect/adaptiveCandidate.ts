import { inverse, Matrix } from 'ml-matrix';
import type { SignalRow } from '../../../src-shared/models/anomaly';
import { median } from '../../../src-shared/performance/deviation';

// A candidate detector under evaluation (issue 32), not yet the product's: it follows a plant.
// Robust per-signal scaling (median, 1.4826·MAD), the correlation of the clipped z-scores shrunk
// toward the identity, and a centre that keeps learning on rows judged normal (an exponential
// mean with a half-life in rows; a flagged row teaches nothing), re-seeded after a long gap; the
// Mahalanobis distance over the signals present, averaged over a window; the threshold a factor
// over a quantile of the training scores, with the same deadband as the shipped detector.

export interface AdaptiveSettings {
  window: number;
  quantile: number;
  factor: number;
  /** Half-life of the centre's learning, in rows (0: it does not learn). */
  halfLife: number;
}

const SHRINKAGE = 0.1;
const RELEASE = 0.8;
/** Rows without any signal after which the centre is re-seeded on what the plant reads now. */
const GAP_ROWS = 60;

const medianOf = (v: number[]) => median([...v].sort((a, b) => a - b)) ?? Number.NaN;
const isValue = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

interface Fitted {
  used: number[];
  centre: number[];
  scale: number[];
  correlation: number[][];
  precision: number[][];
  settings: AdaptiveSettings;
  threshold: number;
}

function fitStatistics(rows: SignalRow[], settings: AdaptiveSettings): Fitted {
  const columns = Array.from({ length: rows[0].length }, (_, c) => rows.map((r) => r[c]).filter(isValue));
  const used = columns.flatMap((v, c) => (v.length > rows.length / 2 && new Set(v).size > 1 ? [c] : []));
  const centre = used.map((c) => medianOf(columns[c]));
  const scale = used.map((c, k) => {
    const mad = 1.4826 * medianOf(columns[c].map((x) => Math.abs(x - centre[k])));
    const mean = columns[c].reduce((a, b) => a + b, 0) / columns[c].length;
    const sd = Math.sqrt(columns[c].reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, columns[c].length - 1));
    return Math.max(mad, 0.1 * sd, 1e-9); // a quantised signal can have a MAD of 0
  });
  const z = rows
    .filter((r) => used.every((c) => isValue(r[c])))
    .map((r) => used.map((c, k) => Math.max(-4, Math.min(4, ((r[c] as number) - centre[k]) / scale[k]))));
  const mean = used.map((_, k) => z.reduce((a, r) => a + r[k], 0) / z.length);
  const cov = used.map((_, i) =>
    used.map((_, j) => z.reduce((a, r) => a + (r[i] - mean[i]) * (r[j] - mean[j]), 0) / Math.max(1, z.length - 1)),
  );
  const sd = used.map((_, i) => Math.sqrt(cov[i][i]) || 1);
  const correlation = cov.map((row, i) =>
    row.map((v, j) => (v / (sd[i] * sd[j])) * (1 - SHRINKAGE) + (i === j ? SHRINKAGE : 0)),
  );
  return {
    used,
    centre,
    scale,
    correlation,
    precision: inverse(new Matrix(correlation)).to2DArray(),
    settings,
    threshold: Number.POSITIVE_INFINITY,
  };
}

export function fitAdaptive(rows: SignalRow[], settings: AdaptiveSettings): Fitted {
  const fitted = fitStatistics(rows, settings);
  const scorer = new AdaptiveScorer(fitted);
  const scores = rows
    .map((r) => scorer.push(r).score)
    .slice(settings.window)
    .filter(isValue)
    .sort((a, b) => a - b);
  const q = scores[Math.min(scores.length - 1, Math.floor(settings.quantile * scores.length))];
  return { ...fitted, threshold: q * settings.factor };
}

export class AdaptiveScorer {
  private readonly centre: number[];
  private readonly rate: number;
  private recent: number[] = [];
  private sum = 0;
  private on = false;
  private missing = 0;
  private readonly subsets = new Map<string, number[][]>();

  constructor(private readonly det: Fitted) {
    this.centre = [...det.centre];
    this.rate = det.settings.halfLife > 0 ? 1 - 2 ** (-1 / det.settings.halfLife) : 0;
  }

  push(row: SignalRow): { score: number | null; anomaly: 0 | 1 } {
    const { used, scale, settings } = this.det;
    const present = used.flatMap((c, k) => (isValue(row[c]) ? [k] : []));
    if (present.length === 0) {
      this.missing += 1;
      return { score: null, anomaly: this.on ? 1 : 0 };
    }
    if (this.missing >= GAP_ROWS) {
      for (const k of present) this.centre[k] = row[used[k]] as number;
      [this.recent, this.sum, this.on] = [[], 0, false];
    }
    this.missing = 0;
    const precision = present.length === used.length ? this.det.precision : this.subset(present);
    const z = present.map((k) => ((row[used[k]] as number) - this.centre[k]) / scale[k]);
    let d = 0;
    for (let i = 0; i < z.length; i += 1) for (let j = 0; j < z.length; j += 1) d += z[i] * precision[i][j] * z[j];
    d = (d * used.length) / present.length;
    this.recent.push(d);
    this.sum += d;
    if (this.recent.length > settings.window) this.sum -= this.recent.shift() as number;
    const score = this.sum / this.recent.length;
    const warm = this.recent.length === settings.window;
    this.on = warm && score > (this.on ? this.det.threshold * RELEASE : this.det.threshold);
    if (!this.on) for (const k of present) this.centre[k] += this.rate * ((row[used[k]] as number) - this.centre[k]);
    return { score, anomaly: this.on ? 1 : 0 };
  }

  private subset(present: number[]): number[][] {
    const key = present.join(',');
    let sub = this.subsets.get(key);
    if (!sub) {
      sub = inverse(new Matrix(present.map((i) => present.map((j) => this.det.correlation[i][j])))).to2DArray();
      this.subsets.set(key, sub);
    }
    return sub;
  }
}
