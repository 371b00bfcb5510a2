import { describe, expect, it } from 'vitest';
import { fitDetector } from '../models/anomaly';
import type { ModelBundle } from '../models/bundle';
import { FEATURE_NAMES, featureMatrix } from '../models/features';
import { Forest } from '../models/forest';
import { fitScaler } from '../models/scaler';
import type { Baseline, PumpReading } from '../performance/deviation';
import { PARAMETERS } from '../performance/grades';
import { gaussian, seededRandom } from '../random';
import { HOUR_MS, parseTimestamp } from '../time';
import { checkPump } from './pumpChecks';

// The edge runner's anomaly finding (issue 32): an event, with since when and what drives it.

const BASELINE = { flow: 400, head: 110, power: 38, efficiency: 70 } satisfies Baseline;
const START = parseTimestamp('2025-03-01 00:00');

function hourly(hours: number, seed: number): PumpReading[] {
  const random = seededRandom(seed);
  return Array.from({ length: hours }, (_, i) => {
    const a = gaussian(random);
    return {
      t: START + i * HOUR_MS,
      flow: BASELINE.flow * (1 + 0.01 * a),
      head: BASELINE.head * (1 + 0.005 * gaussian(random)),
      power: BASELINE.power * (1 + 0.01 * a + 0.002 * gaussian(random)),
      efficiency: BASELINE.efficiency * (1 + 0.004 * gaussian(random)),
    };
  });
}

/** A real, small model bundle carrying a detector fitted on the first two weeks. */
function bundle(readings: PumpReading[]): ModelBundle {
  const X = featureMatrix(readings.slice(0, 200), BASELINE);
  const scaler = fitScaler(X);
  const forest = Forest.train(
    'regression',
    X,
    X.map((_, i) => 30 - i / 24),
    { trees: 3, maxFeatures: 0.33, maxDepth: 4, minLeaf: 8, seed: 1 },
  );
  return {
    format: 'pumpdeck-model/1',
    kind: 'rul',
    pump: 'P1',
    version: 1,
    features: [...FEATURE_NAMES],
    scaler,
    forest: forest.toJSON(),
    labels: { capDays: 90, horizonDays: 7 },
    baseline: BASELINE,
    resample: 'hourly',
    detector: fitDetector(
      readings.slice(0, 14 * 24).map((r) => PARAMETERS.map((p) => r[p])),
      [...PARAMETERS],
    ),
  };
}

describe("the edge runner's anomaly finding", () => {
  it('says since when the pump is anomalous and which parameters drive it; a healthy pump has none', () => {
    const readings = hourly(30 * 24, 3);
    const model = bundle(readings);
    const healthy = checkPump(readings, BASELINE, '2B', [model], 10_000);
    expect(healthy.findings.filter((f) => f.subject === 'anomaly')).toEqual([]);
    // From hour 650 power draws 6 % more at the same flow (its tie to flow broken).
    const faulty = readings.map((r, i) => (i >= 650 && r.power !== null ? { ...r, power: r.power * 1.06 } : r));
    const finding = checkPump(faulty, BASELINE, '2B', [model], 10_000).findings.find((f) => f.subject === 'anomaly');
    expect(finding?.description).toMatch(
      /^anomalous operation since 2025-03-2[78] \d\d:00:00: score [\d.]+ above [\d.]+, driven by power \d+ %/,
    );
    const event = finding?.context.event as { drivers: Array<{ signal: string }> } | undefined;
    expect(event?.drivers[0].signal).toBe('power');
  });
});
