// Model metrics: MAE, RMSE, R² for regression; precision, recall, F1 for classification.

export interface RegressionMetrics {
  mae: number;
  rmse: number;
  r2: number;
  n: number;
}

export interface ClassificationMetrics {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function regressionMetrics(actual: number[], predicted: number[]): RegressionMetrics {
  const n = actual.length;
  const mean = actual.reduce((a, b) => a + b, 0) / n;
  let abs = 0;
  let sq = 0;
  let tot = 0;
  actual.forEach((y, i) => {
    abs += Math.abs(y - predicted[i]);
    sq += (y - predicted[i]) ** 2;
    tot += (y - mean) ** 2;
  });
  return { mae: abs / n, rmse: Math.sqrt(sq / n), r2: tot > 0 ? 1 - sq / tot : 0, n };
}

export function classificationMetrics(actual: number[], predicted: number[]): ClassificationMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  actual.forEach((y, i) => {
    const p = predicted[i];
    if (p && y) tp += 1;
    else if (p) fp += 1;
    else if (y) fn += 1;
    else tn += 1;
  });
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    accuracy: (tp + tn) / Math.max(1, actual.length),
    tp,
    fp,
    fn,
    tn,
  };
}
