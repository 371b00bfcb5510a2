import type { Baseline } from '../performance/deviation';
import type { DetectorJson } from './anomaly';
import { FEATURE_NAMES } from './features';
import { Forest, type ForestJson } from './forest';
import type { LabelOptions } from './labels';
import { type ScalerJson, transform } from './scaler';

// A trained model as the registry stores it and an edge artifact carries it: the forest, the
// scaler and feature list it was trained with, its label settings, the baseline its features
// are computed against, and the pump's anomaly detector.

export type ModelKind = 'rul' | 'risk';

export interface ModelBundle {
  format: 'pumpdeck-model/1';
  kind: ModelKind;
  pump: string;
  version: number;
  features: string[];
  scaler: ScalerJson;
  forest: ForestJson;
  labels: Required<LabelOptions>;
  baseline: Baseline;
  /** Readings are hourly medians (see docs/models.md). */
  resample: 'hourly';
  detector: DetectorJson | null;
}

/** RUL in days (never below 0) or the probability of failing within the horizon. */
export function predictBundle(bundle: ModelBundle, featureRows: number[][]): number[] {
  if (bundle.features.length !== FEATURE_NAMES.length || bundle.features.some((f, i) => f !== FEATURE_NAMES[i])) {
    throw new Error(`model ${bundle.pump} v${bundle.version} was trained on other features; retrain it`);
  }
  const values = Forest.load(bundle.forest).predict(transform(bundle.scaler, featureRows));
  return bundle.kind === 'rul' ? values.map((v) => Math.max(0, v)) : values;
}
