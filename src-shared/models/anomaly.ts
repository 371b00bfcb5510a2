import { inverse, Matrix } from 'ml-matrix';

// Anomaly detection for multivariate sensor data without failure labels. Fit on a healthy
// period: standardise each signal, leave out the slow ones, and take the Mahalanobis distance
// of each row from the healthy rows (covariance shrunk toward the identity). The distance is
// averaged over a trailing window; a row is anomalous when that average crosses 1.25 × the
// largest one seen in the healthy period, and stays so until it falls below 0.8 of that
// (hysteresis, as an alarm deadband). One method and one set of settings for every file.

export const DETECTOR_SETTINGS = {
  /** Covariance shrinkage toward the identity (the healthy period is short). */
  shrinkage: 0.1,
  /**
   * A signal whose step-to-step changes are small next to its spread (std of first differences
   * < 0.9 × std; lag-1 autocorrelation above about 0.6) wanders slowly, like a temperature: a
   * short healthy period cannot show its normal range, so it is left out.
   */
  minStepRatio: 0.9,
  /** Rows in the trailing average of the distance. */
  window: 30,
  /** Alarm threshold over the largest averaged distance of the healthy period. */
  thresholdFactor: 1.25,
  /** The alarm clears below this share of the threshold. */
  releaseFactor: 0.8,
};

export interface DetectorJson {
  kind: 'mahalanobis';
  columns: string[];
  /** Indexes of the columns used. */
  used: number[];
  mean: number[];
  std: number[];
  /** Inverse of the shrunk correlation matrix of the used columns. */
  precision: number[][];
  window: number;
  threshold: number;
  release: number;
  trainRows: number;
}

const std = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, v.length - 1));
};

function distance(det: Pick<DetectorJson, 'used' | 'mean' | 'std' | 'precision'>, row: number[]): number {
  const z = det.used.map((c, k) => (row[c] - det.mean[k]) / det.std[k]);
  let d = 0;
  for (let i = 0; i < z.length; i += 1) {
    let s = 0;
    for (let j = 0; j < z.length; j += 1) s += det.precision[i][j] * z[j];
    d += z[i] * s;
  }
  return Number.isFinite(d) ? d : 0;
}

/** Scores rows one at a time (the edge runner's way; batch scoring runs the same). */
export class AnomalyScorer {
  private recent: number[] = [];
  private sum = 0;
  private on = false;

  constructor(private readonly det: DetectorJson) {}

  push(row: number[]): { score: number; anomaly: 0 | 1 } {
    const d = distance(this.det, row);
    this.recent.push(d);
    this.sum += d;
    if (this.recent.length > this.det.window) this.sum -= this.recent.shift()!;
    const score = this.sum / this.recent.length;
    // The first rows, before the window is full, are a warm-up: never flagged.
    const warm = this.recent.length === this.det.window;
    this.on = warm && (this.on ? score > this.det.release : score > this.det.threshold);
    return { score, anomaly: this.on ? 1 : 0 };
  }
}

export function fitDetector(rows: number[][], columns: string[], settings = DETECTOR_SETTINGS): DetectorJson {
  if (rows.length < Math.max(20, settings.window + 5))
    throw new Error(
      `a healthy period of at least ${Math.max(20, settings.window + 5)} rows is needed (got ${rows.length})`,
    );
  const all = columns.map((_, c) => rows.map((r) => r[c]));
  const spread = all.map(std);
  const steps = all.map((v) => std(v.slice(1).map((x, i) => x - v[i])));
  let used = columns.map((_, c) => c).filter((c) => spread[c] > 0 && steps[c] >= settings.minStepRatio * spread[c]);
  if (used.length === 0) used = columns.map((_, c) => c).filter((c) => spread[c] > 0);
  const mean = used.map((c) => all[c].reduce((a, b) => a + b, 0) / rows.length);
  const scale = used.map((c) => spread[c]);
  const z = new Matrix(rows.map((r) => used.map((c, k) => (r[c] - mean[k]) / scale[k])));
  const corr = z
    .transpose()
    .mmul(z)
    .div(rows.length - 1);
  for (let i = 0; i < used.length; i += 1)
    for (let j = 0; j < used.length; j += 1)
      corr.set(i, j, corr.get(i, j) * (1 - settings.shrinkage) + (i === j ? settings.shrinkage : 0));
  const base = {
    kind: 'mahalanobis' as const,
    columns,
    used,
    mean,
    std: scale,
    precision: inverse(corr).to2DArray(),
    window: settings.window,
    threshold: Infinity,
    release: Infinity,
    trainRows: rows.length,
  };
  const scorer = new AnomalyScorer(base);
  const healthy = rows.map((r) => scorer.push(r).score).slice(settings.window);
  const peak = Math.max(...healthy);
  return {
    ...base,
    threshold: peak * settings.thresholdFactor,
    release: peak * settings.thresholdFactor * settings.releaseFactor,
  };
}

export function scoreRows(det: DetectorJson, rows: number[][]): Array<{ score: number; anomaly: 0 | 1 }> {
  const scorer = new AnomalyScorer(det);
  return rows.map((r) => scorer.push(r));
}
