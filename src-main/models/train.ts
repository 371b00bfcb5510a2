import { Worker } from 'node:worker_threads';
import type { ModelEvaluation, ModelSummary, Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { type DetectorJson, fitDetector } from '../../src-shared/models/anomaly';
import type { ModelBundle, ModelKind } from '../../src-shared/models/bundle';
import { FEATURE_NAMES, featureMatrix } from '../../src-shared/models/features';
import {
  DEFAULT_FOREST,
  Forest,
  type ForestJson,
  type ForestKind,
  type ForestParams,
} from '../../src-shared/models/forest';
import { type LabelOptions, labelAt, type MaintenanceEvent, timeOrderedSplit } from '../../src-shared/models/labels';
import { classificationMetrics, regressionMetrics } from '../../src-shared/models/metrics';
import { DECIDING_METRIC, naivePredictions } from '../../src-shared/models/naive';
import { fitScaler, transform } from '../../src-shared/models/scaler';
import { baselineValues } from '../../src-shared/performance/baselineRecord';
import { type Baseline, type PumpReading, withEfficiency } from '../../src-shared/performance/deviation';
import { PARAMETERS } from '../../src-shared/performance/grades';
import { clearOfMaintenance } from '../../src-shared/performance/quietestPeriod';
import { DAY_MS, formatTimestamp, HOUR_MS } from '../../src-shared/time';
import { builtFile } from '../builtFile';
import type { StationDb } from '../db/stationDb';
import { pumpReadings, requireBaseline } from '../performance/pumpPerformance';
import { maintenanceEvents } from './maintenanceLog';

// Seed 000 PredictiveModel.train_failure_predictor, done properly: features by time windows,
// labels from the maintenance log, a time-ordered split (the seed's random split leaks the
// future), the forest grown in a worker thread with progress and cancel.

export const LABELS: Required<LabelOptions> = { capDays: 90, horizonDays: 7 };

/** A pump's readings as hourly medians (models see hourly rows whatever the logging rate). */
export function hourlyReadings(db: StationDb, pump: string, from?: string, to?: string): Promise<PumpReading[]> {
  return pumpReadings(db, pump, from, to, true);
}

export interface Dataset {
  baseline: Baseline;
  readings: PumpReading[];
  /** Features of every reading (windows need the history). */
  features: number[][];
  /** Readings with a label, in time order. */
  rows: Array<{ index: number; t: number; rul: number; risk: 0 | 1 }>;
  /** The pump's logged maintenance (the labels; the detector's healthy rows keep clear of it). */
  events: MaintenanceEvent[];
}

export async function pumpDataset(db: StationDb, pump: string, from?: string, to?: string): Promise<Dataset> {
  const baseline = baselineValues(await requireBaseline(db, pump));
  const readings = withEfficiency(await hourlyReadings(db, pump, from, to), baseline);
  const events = await maintenanceEvents(db, pump);
  const end = readings[readings.length - 1]?.t ?? 0;
  const rows = readings.flatMap((r, index) => {
    const label = labelAt(r.t, events, end, LABELS);
    return label ? [{ index, t: r.t, rul: label.rulDays, risk: label.failsWithin }] : [];
  });
  return { baseline, readings, features: featureMatrix(readings, baseline), rows, events };
}

/**
 * The pump's anomaly detector on flow, head, power and efficiency (those it logs), fitted on its
 * healthy period: the baseline's period when the baseline was taken from one, else the first 14
 * days; when that period is too short to fit on (a proposed week at full speed), every reading
 * clear of the logged maintenance (src-shared/performance/quietestPeriod.ts).
 */
export function fitPumpDetector(
  readings: PumpReading[],
  baselineSource: string | null,
  events: MaintenanceEvent[] = [],
): DetectorJson | null {
  const period = /^period (\S+) \.\. (\S+)$/.exec(baselineSource ?? '');
  const start = readings[0]?.t ?? 0;
  const healthy = readings.filter((r) =>
    period
      ? formatTimestamp(r.t).slice(0, 10) >= period[1] && formatTimestamp(r.t).slice(0, 10) <= period[2]
      : r.t < start + 14 * DAY_MS,
  );
  return (
    fitOn(healthy) ?? (period ? fitOn(readings.filter((r) => clearOfMaintenance(r.t, r.t + HOUR_MS, events))) : null)
  );
}

function fitOn(readings: PumpReading[]): DetectorJson | null {
  const rows = readings.map((r) => PARAMETERS.map((p) => r[p]));
  try {
    return fitDetector(
      rows.filter((r) => r.some((v) => v !== null)),
      [...PARAMETERS],
    );
  } catch {
    return null;
  }
}

/** Grows the forest in a worker thread; aborting the signal terminates the worker. */
export function trainInWorker(
  kind: ForestKind,
  X: number[][],
  y: number[],
  params: ForestParams,
  onTrees: (trees: number) => void,
  signal?: AbortSignal,
): Promise<ForestJson> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ApiError('cancelled', 'training was cancelled'));
    const worker = new Worker(builtFile('worker/train.mjs', 'the training worker'), {
      workerData: { kind, X, y, params },
    });
    const abort = () => {
      void worker.terminate();
      reject(new ApiError('cancelled', 'training was cancelled'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', (message: { type: 'progress'; trees: number } | { type: 'done'; forest: ForestJson }) => {
      if (message.type === 'progress') onTrees(message.trees);
      else {
        signal?.removeEventListener('abort', abort);
        void worker.terminate();
        resolve(message.forest);
      }
    });
    worker.on('error', (error) => {
      signal?.removeEventListener('abort', abort);
      reject(error);
    });
  });
}

export interface TrainRequest {
  pump: string;
  kind: ModelKind;
  from?: string;
  to?: string;
  trees?: number;
  holdout?: number;
}

/** What training gives the registry: the bundle, the registry row's data and the holdout evaluation. */
export type TrainedModel = Pick<
  ModelSummary,
  'dataFrom' | 'dataTo' | 'trainRows' | 'testRows' | 'holdout' | 'params' | 'metrics'
> & {
  bundle: Omit<ModelBundle, 'version'>;
  evaluation: ModelEvaluation;
};

/** Scores a model on rows of a dataset: RMSE and friends for RUL, F1 and friends for risk. */
export function scoreModel(kind: ModelKind, actual: number[], predicted: number[]): Record<string, number> {
  if (kind === 'rul') return { ...regressionMetrics(actual, predicted) };
  const m = classificationMetrics(
    actual,
    predicted.map((p) => (p >= 0.5 ? 1 : 0)),
  );
  return { precision: m.precision, recall: m.recall, f1: m.f1, accuracy: m.accuracy, n: actual.length };
}

// Long because training reads as one story: dataset, split, scaling, forest, holdout, naive baseline, detector.
export async function trainModel(
  db: StationDb,
  request: TrainRequest,
  options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<TrainedModel> {
  const { signal, onProgress } = options;
  onProgress?.({ phase: 'building features', fraction: null });
  const data = await pumpDataset(db, request.pump, request.from, request.to);
  const distinct = new Set(data.rows.map((r) => (request.kind === 'rul' ? r.rul : r.risk)));
  if (data.rows.length < 48 || distinct.size < 2) {
    throw new ApiError(
      'bad_input',
      `pump ${request.pump} has ${data.rows.length} labelled hours${distinct.size < 2 ? ' and one label value' : ''}: a model needs at least 48 hours before a failure in the maintenance log (or data running on past the ${LABELS.capDays}-day cap)`,
    );
  }
  const { train, test } = timeOrderedSplit(data.rows, request.holdout ?? 0.2);
  const featuresOf = (rows: typeof train) => rows.map((r) => data.features[r.index]);
  const target = (rows: typeof train) => rows.map((r) => (request.kind === 'rul' ? r.rul : r.risk));
  const scaler = fitScaler(featuresOf(train));
  const params = { ...DEFAULT_FOREST, trees: request.trees ?? DEFAULT_FOREST.trees };
  const forestJson = await trainInWorker(
    request.kind === 'rul' ? 'regression' : 'classification',
    transform(scaler, featuresOf(train)),
    target(train),
    params,
    (trees) =>
      onProgress?.({
        phase: 'training',
        fraction: trees / params.trees,
        done: trees,
        total: params.trees,
        unit: 'trees',
      }),
    signal,
  );
  onProgress?.({ phase: 'evaluating', fraction: null });
  const forest = Forest.load(forestJson);
  const predicted = forest
    .predict(transform(scaler, featuresOf(test)))
    .map((v) => (request.kind === 'rul' ? Math.max(0, v) : v));
  const actual = target(test);
  const importance = forest
    .importance()
    .map((importance, i) => ({ feature: FEATURE_NAMES[i], importance }))
    .sort((a, b) => b.importance - a.importance)
    .slice(0, 20);
  const baseline = await requireBaseline(db, request.pump);
  const ts = (t: number) => formatTimestamp(t);
  // The naive baseline on the same holdout, and how many failures the training rows saw.
  const metric = DECIDING_METRIC[request.kind];
  const naive = scoreModel(request.kind, actual, naivePredictions(request.kind, target(train), test.length))[metric];
  // A failure is learned from when a training row is labelled by it (its next failure, within the cap).
  const failuresLearned = new Set(
    train.filter((r) => r.rul < LABELS.capDays).map((r) => Math.round((r.t + r.rul * 86_400_000) / 3_600_000)),
  ).size;
  return {
    bundle: {
      format: 'pumpdeck-model/1',
      kind: request.kind,
      pump: request.pump,
      features: [...FEATURE_NAMES],
      scaler,
      forest: forestJson,
      labels: LABELS,
      baseline: data.baseline,
      resample: 'hourly',
      detector: fitPumpDetector(data.readings, baseline.source, data.events),
    },
    dataFrom: ts(data.readings[0].t),
    dataTo: ts(data.readings[data.readings.length - 1].t),
    trainRows: train.length,
    testRows: test.length,
    holdout: { from: ts(test[0].t), to: ts(test[test.length - 1].t) },
    params,
    metrics: {
      ...scoreModel(request.kind, actual, predicted),
      [`naive_${metric}`]: naive,
      failures_learned: failuresLearned,
    },
    evaluation: {
      predictions: test.map((r, i) => ({ t: ts(r.t), actual: actual[i], predicted: predicted[i] })),
      importance,
    },
  };
}
