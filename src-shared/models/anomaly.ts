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
  /** The shrunk correlation itself: a row missing some signals is scored from the others. */
  correlation?: number[][];
  window: number;
  threshold: number;
  release: number;
  /** The threshold over the largest training score (absent in detectors fitted before it was kept). */
  thresholdFactor?: number;
  trainRows: number;
  /** Columns left out, and why (slow, constant, mostly missing). */
  notes?: string[];
}

/** A row of signals: null where the value is missing. */
export type SignalRow = ReadonlyArray<number | null>;

const std = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, v.length - 1));
};

/**
 * Each present used signal's term of a row's Mahalanobis distance, z_i · (P z)_i (they sum to
 * the distance over the present signals), with the precision P of the present ones (their own
 * block of the correlation, inverted; the marginal distribution). Null when none is present (or
 * some are missing and the detector predates missing-value support).
 */
function distanceTerms(
  det: Omit<DetectorJson, 'threshold' | 'release'>,
  row: SignalRow,
  cache: Map<string, number[][]>,
): { present: number[]; terms: number[] } | null {
  const present = det.used
    .map((c, k) => (row[c] === null || row[c] === undefined || Number.isNaN(row[c]) ? -1 : k))
    .filter((k) => k >= 0);
  if (present.length === 0) return null;
  let precision = det.precision;
  if (present.length < det.used.length) {
    if (!det.correlation) return null;
    const key = present.join(',');
    let sub = cache.get(key);
    if (!sub) {
      sub = inverse(
        new Matrix(present.map((i) => present.map((j) => (det.correlation as number[][])[i][j]))),
      ).to2DArray();
      cache.set(key, sub);
    }
    precision = sub;
  }
  const z = present.map((k) => ((row[det.used[k]] as number) - det.mean[k]) / det.std[k]);
  const terms = z.map((zi, i) => {
    let s = 0;
    for (let j = 0; j < z.length; j += 1) s += precision[i][j] * z[j];
    return zi * s;
  });
  return { present, terms };
}

/**
 * The Mahalanobis distance of a row over the used signals it has. With some missing, the distance
 * over the present ones is scaled by used / present, so its expectation stays that of a full row.
 * Null when none is present (or the detector predates missing-value support).
 */
function distance(
  det: Omit<DetectorJson, 'threshold' | 'release'>,
  row: SignalRow,
  cache: Map<string, number[][]>,
): number | null {
  const parts = distanceTerms(det, row, cache);
  if (!parts) return null;
  const scaled = (parts.terms.reduce((a, b) => a + b, 0) * det.used.length) / parts.present.length;
  return Number.isFinite(scaled) ? scaled : 0;
}

/**
 * Each used signal's share of these rows' distance (the sum of its terms over the rows, negative
 * terms counted as none): which signals drove an anomaly, largest first.
 */
export function signalShares(det: DetectorJson, rows: readonly SignalRow[]): Array<{ signal: string; share: number }> {
  const cache = new Map<string, number[][]>();
  const totals = det.used.map(() => 0);
  for (const row of rows) {
    const parts = distanceTerms(det, row, cache);
    parts?.present.forEach((k, i) => {
      totals[k] += Math.max(0, parts.terms[i]);
    });
  }
  const sum = totals.reduce((a, b) => a + b, 0);
  return det.used
    .map((c, k) => ({ signal: det.columns[c], share: sum > 0 ? totals[k] / sum : 0 }))
    .sort((a, b) => b.share - a.share);
}

/** Scores rows one at a time (the edge runner's way; batch scoring runs the same). */
export class AnomalyScorer {
  private recent: number[] = [];
  private sum = 0;
  private on = false;
  private readonly subsets = new Map<string, number[][]>();

  constructor(
    private readonly det: Omit<DetectorJson, 'threshold' | 'release'> & { threshold: number; release: number },
  ) {}

  /** A row with no used signal is unscored (score null) and leaves the alarm as it was. */
  push(row: SignalRow): { score: number | null; anomaly: 0 | 1 } {
    const d = distance(this.det, row, this.subsets);
    if (d === null) return { score: null, anomaly: this.on ? 1 : 0 };
    this.recent.push(d);
    this.sum += d;
    if (this.recent.length > this.det.window) this.sum -= this.recent.shift() as number;
    const score = this.sum / this.recent.length;
    // The first rows, before the window is full, are a warm-up: never flagged.
    const warm = this.recent.length === this.det.window;
    this.on = warm && (this.on ? score > this.det.release : score > this.det.threshold);
    return { score, anomaly: this.on ? 1 : 0 };
  }
}

/** A column with more than this share of its training values missing is left out. */
const MAX_MISSING_SHARE = 0.5;

/** The fewest healthy rows, every kept signal present, a detector is fitted on. */
export function minimumHealthyRows(settings = DETECTOR_SETTINGS): number {
  return Math.max(20, settings.window + 5);
}

export function fitDetector(rows: SignalRow[], columns: string[], settings = DETECTOR_SETTINGS): DetectorJson {
  const minimum = minimumHealthyRows(settings);
  const notes: string[] = [];
  const sparse = columns.map((_, c) => rows.filter((r) => r[c] === null).length > MAX_MISSING_SHARE * rows.length);
  sparse.forEach((s, c) => {
    if (s) notes.push(`${columns[c]}: mostly missing in the healthy period, left out`);
  });
  // Fitted on the rows that have every signal kept.
  const complete = rows.filter((r) => columns.every((_, c) => sparse[c] || r[c] !== null)) as number[][];
  if (complete.length < minimum)
    throw new Error(
      `a healthy period of at least ${minimum} rows with every signal is needed (got ${complete.length})`,
    );
  const all = columns.map((_, c) => complete.map((r) => r[c]));
  const spread = all.map(std);
  const steps = all.map((v) => std(v.slice(1).map((x, i) => x - v[i])));
  const candidates = columns.map((_, c) => c).filter((c) => !sparse[c]);
  for (const c of candidates)
    if (!(spread[c] > 0)) notes.push(`${columns[c]}: constant in the healthy period, left out`);
  let used = candidates.filter((c) => spread[c] > 0 && steps[c] >= settings.minStepRatio * spread[c]);
  if (used.length === 0) used = candidates.filter((c) => spread[c] > 0);
  else
    for (const c of candidates)
      if (spread[c] > 0 && !used.includes(c)) notes.push(`${columns[c]}: a slow signal, left out`);
  if (used.length === 0) throw new Error('every signal is constant or missing in the healthy period');
  const mean = used.map((c) => all[c].reduce((a, b) => a + b, 0) / complete.length);
  const scale = used.map((c) => spread[c]);
  const z = new Matrix(complete.map((r) => used.map((c, k) => (r[c] - mean[k]) / scale[k])));
  const corr = z
    .transpose()
    .mmul(z)
    .div(complete.length - 1);
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
    correlation: corr.to2DArray(),
    window: settings.window,
    threshold: Infinity,
    release: Infinity,
    trainRows: rows.length,
    notes,
  };
  const scorer = new AnomalyScorer(base);
  const healthy = complete
    .map((r) => scorer.push(r).score)
    .slice(settings.window)
    .filter((x): x is number => x !== null);
  const peak = Math.max(...healthy);
  return {
    ...base,
    threshold: peak * settings.thresholdFactor,
    release: peak * settings.thresholdFactor * settings.releaseFactor,
    thresholdFactor: settings.thresholdFactor,
  };
}

/** The detector's alarm rule in words, for the CLI and the docs: what is measured, and against what. */
export function thresholdRule(det: DetectorJson): string {
  const n = (x: number) => Number(x.toPrecision(4));
  const factor =
    det.thresholdFactor === undefined ? '' : ` (${det.thresholdFactor} × the largest of its training rows)`;
  return `anomalous when the ${det.window}-row mean Mahalanobis distance over ${det.used.length} signals exceeds ${n(det.threshold)}${factor}; clears below ${n(det.release)}`;
}

export function scoreRows(
  det: DetectorJson,
  rows: readonly SignalRow[],
): Array<{ score: number | null; anomaly: 0 | 1 }> {
  const scorer = new AnomalyScorer(det);
  return rows.map((r) => scorer.push(r));
}
