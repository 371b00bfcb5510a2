// StandardScaler as seed 000 uses it: each feature to zero mean and unit variance over the
// training rows; a constant feature keeps scale 1. Saved with the model as JSON.

export interface ScalerJson {
  mean: number[];
  scale: number[];
}

export function fitScaler(rows: number[][]): ScalerJson {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j += 1) mean[j] += r[j] / n;
  const scale = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j += 1) scale[j] += (r[j] - mean[j]) ** 2 / n;
  return { mean, scale: scale.map((v) => (v > 1e-24 ? Math.sqrt(v) : 1)) };
}

export function transform(scaler: ScalerJson, rows: number[][]): number[][] {
  return rows.map((r) => r.map((v, j) => (v - scaler.mean[j]) / scaler.scale[j]));
}
