import { describe, expect, it } from 'vitest';
import type { Baseline, PumpReading } from '../performance/deviation';
import { gaussian, seededRandom } from '../random';
import { parseTimestamp } from '../time';
import { AnomalyScorer, fitDetector, scoreRows } from './anomaly';
import { FEATURE_NAMES, FEATURES, FeatureStream, featureMatrix, featureMatrixDirect } from './features';
import { Forest } from './forest';
import { labelAt, type MaintenanceEvent, timeOrderedSplit } from './labels';
import { classificationMetrics, regressionMetrics } from './metrics';
import { fitScaler, transform } from './scaler';

const BASELINE: Baseline = { flow: 400, head: 110, power: 40, efficiency: 70 };
const T0 = parseTimestamp('2025-03-01 00:00');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const reading = (hours: number, flow: number, extra: Partial<PumpReading> = {}): PumpReading => ({
  t: T0 + hours * HOUR,
  flow,
  head: 110,
  power: 40,
  efficiency: 70,
  ...extra,
});
const feature = (row: number[], name: string) => row[FEATURE_NAMES.indexOf(name)];

describe('features', () => {
  it("has seed 000's 64+ features, each named and documented once", () => {
    expect(FEATURES.length).toBeGreaterThanOrEqual(64);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURES.length);
    expect(FEATURES.every((f) => f.doc.length > 5)).toBe(true);
  });

  it('uses time windows, not row counts: hand-computed 24 h statistics over irregular readings', () => {
    // Readings at 0 h, 10 h, 20 h, 30 h: at 30 h the 24 h window (6 h, 30 h] holds 10, 20 and 30 h.
    const rows = featureMatrix([reading(0, 100), reading(10, 200), reading(20, 300), reading(30, 600)], BASELINE);
    const last = rows[3];
    expect(feature(last, 'flow_mean_24h')).toBeCloseTo((200 + 300 + 600) / 3, 10);
    expect(feature(last, 'flow_min_24h')).toBe(200);
    expect(feature(last, 'flow_max_24h')).toBe(600);
    expect(feature(last, 'flow_std_24h')).toBeCloseTo(
      Math.sqrt(((200 - 366.6667) ** 2 + (300 - 366.6667) ** 2 + (600 - 366.6667) ** 2) / 2),
      3,
    );
    // slope of (10, 200), (20, 300), (30, 600) per hour: 20
    expect(feature(last, 'flow_slope_24h')).toBeCloseTo(20, 10);
    // the 168 h window holds all four
    expect(feature(last, 'flow_mean_168h')).toBeCloseTo(300, 10);
    expect(feature(last, 'flow_dev_mean_168h')).toBeCloseTo(-25, 10);
    expect(feature(last, 'flow_dev')).toBeCloseTo(50, 10);
    // 2025-03-02 06:00 is a Sunday
    expect(feature(last, 'hour_of_day')).toBe(6);
    expect(feature(last, 'day_of_week')).toBe(0);
    expect(feature(last, 'is_weekend')).toBe(1);
  });

  it('acceleration: the slope now minus the slope a window earlier', () => {
    const rows = Array.from({ length: 80 }, (_, h) => reading(h, 100 + (h < 40 ? h : 40 + 3 * (h - 40))));
    const m = featureMatrix(rows, BASELINE);
    expect(feature(m[79], 'flow_slope_24h')).toBeCloseTo(3, 10);
    expect(feature(m[79], 'flow_accel_24h')).toBeCloseTo(3 - feature(m[55], 'flow_slope_24h'), 10);
    expect(feature(m[10], 'flow_accel_24h')).toBe(0); // no reading a window earlier yet
  });

  it('gives the same values one reading at a time as computed directly from each window', () => {
    const random = seededRandom(9);
    let t = 0;
    const rows: PumpReading[] = [];
    for (let i = 0; i < 600; i += 1) {
      t += 0.5 + random() * 1.5; // irregular spacing, 0.5 to 2 hours
      rows.push(
        reading(t, 400 + 10 * gaussian(random) - i * 0.05, {
          power: 40 + gaussian(random),
          efficiency: i % 50 === 7 ? null : 70 + gaussian(random),
        }),
      );
    }
    const direct = featureMatrixDirect(rows, BASELINE);
    const stream = new FeatureStream(BASELINE);
    rows.forEach((r, i) => {
      const incremental = stream.push(r);
      incremental.forEach((v, j) => {
        expect(v, `${FEATURE_NAMES[j]} at ${i}`).toBeCloseTo(direct[i][j], 6);
      });
    });
  });
});

describe('labels', () => {
  const events: MaintenanceEvent[] = [
    { pump: 'P1', t: T0 + 20 * DAY, kind: 'failure' },
    { pump: 'P1', t: T0 + 22 * DAY, kind: 'repair' },
    { pump: 'P1', t: T0 + 30 * DAY, kind: 'failure' },
  ];
  const end = T0 + 200 * DAY;

  it('RUL is the days to the next failure, capped; risk is a failure within the horizon', () => {
    expect(labelAt(T0, events, end)).toEqual({ rulDays: 20, failsWithin: 0 });
    expect(labelAt(T0 + 14 * DAY, events, end)).toEqual({ rulDays: 6, failsWithin: 1 });
    expect(labelAt(T0 + 25 * DAY, events, end)).toEqual({ rulDays: 5, failsWithin: 1 });
    expect(labelAt(T0, [{ pump: 'P1', t: T0 + 150 * DAY, kind: 'failure' }], end, { capDays: 90 })).toEqual({
      rulDays: 90,
      failsWithin: 0,
    });
  });

  it('no label while the pump is down, nor after the last failure when the future is unknown', () => {
    expect(labelAt(T0 + 21 * DAY, events, end)).toBeNull();
    expect(labelAt(T0 + 150 * DAY, events, end)).toBeNull(); // failed at 30 d, never repaired
    expect(labelAt(T0 + 50 * DAY, [], T0 + 100 * DAY, { capDays: 90 })).toBeNull(); // 50 days left < cap
    expect(labelAt(T0 + 5 * DAY, [], T0 + 100 * DAY, { capDays: 90 })).toEqual({ rulDays: 90, failsWithin: 0 });
  });

  it('splits in time order: every test row comes after every training row', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ t: i }));
    const { train, test } = timeOrderedSplit(rows, 0.2);
    expect(train).toHaveLength(80);
    expect(test).toHaveLength(20);
    expect(Math.max(...train.map((r) => r.t))).toBeLessThan(Math.min(...test.map((r) => r.t)));
  });
});

describe('forest, scaler and metrics', () => {
  const random = seededRandom(5);
  const X = Array.from({ length: 1500 }, () => Array.from({ length: 6 }, () => random() * 10));
  const y = X.map((r) => 3 * r[0] + (r[1] > 5 ? 10 : 0) + gaussian(random) * 0.5);

  it('learns a regression and finds the features that matter', () => {
    const forest = Forest.train('regression', X.slice(0, 1200), y.slice(0, 1200), {
      trees: 40,
      maxFeatures: 0.5,
      maxDepth: 10,
      minLeaf: 5,
      seed: 1,
    });
    const m = regressionMetrics(y.slice(1200), forest.predict(X.slice(1200)));
    expect(m.r2).toBeGreaterThan(0.9);
    const importance = forest.importance();
    expect(importance[0] + importance[1]).toBeGreaterThan(0.9);
    // JSON round trip predicts the same
    expect(Forest.load(JSON.parse(JSON.stringify(forest.toJSON()))).predict(X.slice(0, 5))).toEqual(
      forest.predict(X.slice(0, 5)),
    );
  });

  it('classifies with probabilities, reports progress and stops on request', () => {
    const labels = X.map((r) => (r[2] > 6 ? 1 : 0));
    const seen: number[] = [];
    const forest = Forest.train(
      'classification',
      X,
      labels,
      { trees: 20, maxFeatures: 0.5, maxDepth: 6, minLeaf: 5, seed: 2 },
      (t) => seen.push(t),
    );
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const p = forest.predict([
      [0, 0, 9, 0, 0, 0],
      [0, 0, 1, 0, 0, 0],
    ]);
    expect(p[0]).toBeGreaterThan(0.9);
    expect(p[1]).toBeLessThan(0.1);
    let n = 0;
    expect(() => Forest.train('classification', X, labels, undefined, undefined, () => ++n > 3)).toThrow(
      'training stopped',
    );
  });

  it('scaler and metrics, by hand', () => {
    const s = fitScaler([
      [1, 5],
      [3, 5],
    ]);
    expect(s).toEqual({ mean: [2, 5], scale: [1, 1] });
    expect(transform(s, [[3, 7]])).toEqual([[1, 2]]);
    expect(regressionMetrics([1, 2, 3], [1, 2, 5])).toMatchObject({ mae: 2 / 3, rmse: Math.sqrt(4 / 3) });
    expect(classificationMetrics([1, 1, 0, 0], [1, 0, 1, 0])).toMatchObject({
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      tp: 1,
      fp: 1,
      fn: 1,
      tn: 1,
    });
  });
});

describe('anomaly detector', () => {
  const random = seededRandom(11);
  // Two noisy signals and a slowly drifting temperature; from row 300 on, signal 0 drops.
  const rows = Array.from({ length: 600 }, (_, i) => [
    100 + gaussian(random) - (i >= 300 && i < 450 ? 6 : 0),
    50 + gaussian(random),
    20 + i * 0.05 + 0.01 * gaussian(random),
  ]);

  it('leaves out the slow signal and flags the drop, not the drift', () => {
    const det = fitDetector(rows.slice(0, 200), ['flow', 'current', 'temperature']);
    expect(det.used.map((c) => det.columns[c])).toEqual(['flow', 'current']);
    const flags = scoreRows(det, rows).map((r) => r.anomaly);
    expect(flags.slice(0, 300).filter(Boolean).length).toBe(0);
    expect(flags.slice(340, 450).every(Boolean)).toBe(true);
    expect(flags.slice(520).filter(Boolean).length).toBe(0);
  });

  it('scores the same one row at a time', () => {
    const det = fitDetector(rows.slice(0, 200), ['a', 'b', 'c']);
    const scorer = new AnomalyScorer(det);
    const batch = scoreRows(det, rows);
    rows.forEach((r, i) => {
      expect(scorer.push(r)).toEqual(batch[i]);
    });
  });
});
