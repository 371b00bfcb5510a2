import type { ModelKind } from './bundle';

// The naive baselines a model must beat on data it never trained on (docs/models.md, issue 19):
// for remaining useful life, the training rows' mean RUL predicted for every hour; for failure
// risk, "always about to fail" (the best F1 a model-free rule gets). A model that does not beat
// its baseline on its holdout never reaches production.

/** The metric that decides, and which way is better. */
export const DECIDING_METRIC = { rul: 'rmse', risk: 'f1' } as const;

export function better(kind: ModelKind, a: number, b: number): boolean {
  return kind === 'rul' ? a < b : a > b;
}

/** The naive predictions for `holdoutCount` rows, from the training targets only. */
export function naivePredictions(kind: ModelKind, trainTargets: number[], holdoutCount: number): number[] {
  if (kind === 'risk') return new Array(holdoutCount).fill(1);
  const mean = trainTargets.reduce((s, v) => s + v, 0) / Math.max(1, trainTargets.length);
  return new Array(holdoutCount).fill(mean);
}

/** The words for the baseline, for reasons and badges. */
export const NAIVE_NAME = { rul: 'the mean RUL of its training rows', risk: '"always about to fail"' } as const;

/** What the registry keeps of a model's holdout: its metrics, the naive baseline's, failures learned. */
interface Scored {
  kind: ModelKind;
  metrics: Record<string, number>;
}

/** Whether a model beat its naive baseline on its holdout (false for models trained before the comparison). */
export function beatsNaive(model: Scored): boolean {
  const metric = DECIDING_METRIC[model.kind];
  const naive = model.metrics[`naive_${metric}`];
  return naive !== undefined && better(model.kind, model.metrics[metric], naive);
}

/** A model's quality in a few words, for badges: "RMSE 4.2 d vs naive 9.1 d, 3 failures learned". */
export function qualityText(model: Scored): string {
  const metric = DECIDING_METRIC[model.kind];
  const value = model.metrics[metric];
  const naive = model.metrics[`naive_${metric}`];
  const unit = model.kind === 'rul' ? ' d' : '';
  const digits = model.kind === 'rul' ? 1 : 2;
  const failures = model.metrics.failures_learned;
  return [
    `${metric.toUpperCase()} ${value?.toFixed(digits) ?? '—'}${unit}`,
    naive === undefined ? 'no naive comparison' : `vs naive ${naive.toFixed(digits)}${unit}`,
    failures === undefined ? null : `${failures} failure${failures === 1 ? '' : 's'} learned`,
  ]
    .filter(Boolean)
    .join(', ');
}
