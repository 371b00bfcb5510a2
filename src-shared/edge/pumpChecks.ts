import { scoreRows } from '../models/anomaly';
import { anomalyEvents, driversText } from '../models/anomalyEvents';
import { type ModelBundle, predictBundle } from '../models/bundle';
import { featureMatrix } from '../models/features';
import { type Baseline, median, type PumpReading, withEfficiency } from '../performance/deviation';
import { evaluatePump } from '../performance/evaluate';
import { describeBand, type Grade, PARAMETERS } from '../performance/grades';
import { checkParameter, classifyStatus, type PumpStatus } from '../performance/tolerance';
import { formatTimestamp } from '../time';

// What the edge runner finds at a pump on each run: the HI 14.6 check at the newest reading
// (the console's evaluation), the production model's prediction (168+ hourly rows, seed 000) and
// the anomaly detector. Each finding is a subject the runner may report.

export interface Finding {
  /** A parameter, 'model' or 'anomaly': what debounce and the sensor id are keyed by. */
  subject: string;
  status: PumpStatus;
  description: string;
  value: number;
  context: Record<string, unknown>;
  /** When it happened (naive historian time), when not the run's newest reading. */
  at?: string;
}

export interface PumpCheckResult {
  asOf: string;
  status: PumpStatus;
  deviations: Record<string, number | null>;
  prediction: { rulDays: number | null; risk: number | null; modelVersion: number } | null;
  anomaly: { score: number; flagged: boolean } | null;
  findings: Finding[];
  notes: string[];
}

/** Hourly medians of readings (the models' rows), time-ordered. */
export function hourlyMedians(readings: PumpReading[]): PumpReading[] {
  const hours = new Map<number, PumpReading[]>();
  for (const r of readings) {
    const h = Math.floor(r.t / 3_600_000) * 3_600_000;
    const rows = hours.get(h);
    if (rows) rows.push(r);
    else hours.set(h, [r]);
  }
  return [...hours.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, rows]) => {
      const out: PumpReading = { t, flow: null, head: null, power: null, efficiency: null };
      for (const p of PARAMETERS)
        out[p] = median(
          rows
            .flatMap((r) => {
              const v = r[p];
              return v === null ? [] : [v];
            })
            .sort((a, b) => a - b),
        );
      return out;
    });
}

// Long because the edge's checks in order (HI bands, model, anomaly detector), each adding its finding.
export function checkPump(
  readingsIn: PumpReading[],
  baseline: Baseline,
  grade: Grade,
  models: ModelBundle[],
  minRowsForModel: number,
): PumpCheckResult {
  const readings = withEfficiency(readingsIn, baseline);
  const evaluation = evaluatePump(readings, baseline, grade, { timelinePoints: 1 });
  const notes: string[] = [];
  const findings: Finding[] = [];
  const deviations = Object.fromEntries(evaluation.parameters.map((p) => [p.parameter, p.deviation]));
  const currentValues = Object.fromEntries(evaluation.parameters.map((p) => [p.parameter, p.current]));
  const baselineValues = Object.fromEntries(evaluation.parameters.map((p) => [p.parameter, p.baseline]));
  const common = {
    grade,
    all_deviations: deviations,
    baseline_values: baselineValues,
    current_values: currentValues,
    pump_status: evaluation.status,
  };

  for (const p of evaluation.parameters) {
    if (p.deviation === null || p.state === 'in' || p.state === 'no data') continue;
    const status = classifyStatus([checkParameter(p.parameter, p.deviation, p.band)]);
    findings.push({
      subject: p.parameter,
      status,
      description: `${p.parameter} ${p.state} its ${grade} band: ${p.deviation > 0 ? '+' : ''}${p.deviation.toFixed(1)} % (band ${describeBand(p.band)}); ${status}`,
      value: p.current ?? 0, // an out-of-band parameter has a current value
      context: {
        ...common,
        status,
        parameter: p.parameter,
        band: p.band,
        severity: p.severity,
        first_exceedance: p.firstExceedance,
      },
    });
  }

  const hourly = hourlyMedians(readings);
  let prediction: PumpCheckResult['prediction'] = null;
  if (models.length === 0) notes.push('no model in this artifact: rules and HI checks only');
  else if (hourly.length < minRowsForModel)
    notes.push(`${hourly.length} hourly rows: the model needs ${minRowsForModel}`);
  else {
    prediction = { rulDays: null, risk: null, modelVersion: models[0].version };
    for (const bundle of models) {
      const value = predictBundle(bundle, featureMatrix(hourly, bundle.baseline).slice(-1))[0];
      if (bundle.kind === 'rul') prediction.rulDays = value;
      else prediction.risk = value;
    }
    // Seed 000: report a predicted failure when RUL < 7 days with confidence > 0.7.
    const soon =
      (prediction.rulDays !== null && prediction.rulDays < 7) || (prediction.risk !== null && prediction.risk > 0.7);
    if (soon) {
      findings.push({
        subject: 'model',
        status: 'Critical',
        description:
          `predicted failure: ${prediction.rulDays !== null ? `RUL ${prediction.rulDays.toFixed(1)} days` : ''}${prediction.risk !== null ? ` risk ${(prediction.risk * 100).toFixed(0)} %` : ''}`.trim(),
        value: prediction.rulDays ?? prediction.risk ?? 0,
        context: { ...common, status: 'Critical', prediction },
      });
    }
  }

  let anomaly: PumpCheckResult['anomaly'] = null;
  const detector = models.find((m) => m.detector)?.detector;
  if (detector && hourly.length > detector.window) {
    // A reading missing some parameters is scored from the others (anomaly.ts).
    const rows = hourly.map((r) => PARAMETERS.map((p) => r[p]));
    const scored = scoreRows(detector, rows);
    const last = scored.findLast((r) => r.score !== null);
    const score = last?.score ?? null;
    anomaly = score === null ? null : { score, flagged: last?.anomaly === 1 };
    if (anomaly?.flagged && score !== null) {
      // The event it is part of: since when, and which parameters drive it (the console's words).
      const event = anomalyEvents(
        detector,
        rows,
        scored,
        hourly.map((r) => formatTimestamp(r.t)),
      ).at(-1);
      findings.push({
        subject: 'anomaly',
        status: 'Warning',
        description: `anomalous operation${event ? ` since ${event.from}` : ''}: score ${score.toFixed(2)} above ${detector.threshold.toFixed(2)}${event?.drivers.length ? `, driven by ${driversText(event.drivers)}` : ''}`,
        value: score,
        context: { ...common, status: 'Warning', threshold: detector.threshold, event },
      });
    }
  }

  return {
    asOf: evaluation.asOf ?? formatTimestamp(0),
    status: evaluation.status ?? 'Normal',
    deviations,
    prediction,
    anomaly,
    findings,
    notes,
  };
}
