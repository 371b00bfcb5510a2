import { inverse, Matrix } from 'ml-matrix';

/**
 * Hotelling's T² with the 99th percentile of its training rows as the limit: the textbook
 * reference beside the detectors. Rows with a missing value are not flagged.
 */
export function hotelling(rows: ReadonlyArray<ReadonlyArray<number | null>>, train: number): number[] {
  const complete = rows.slice(0, train).filter((r) => r.every((v) => v !== null && Number.isFinite(v))) as number[][];
  const d = complete[0].length;
  const mean = Array.from({ length: d }, (_, j) => complete.reduce((s, r) => s + r[j], 0) / complete.length);
  const centred = new Matrix(complete.map((r) => r.map((v, j) => v - mean[j])));
  const inv = inverse(
    centred
      .transpose()
      .mmul(centred)
      .div(complete.length - 1),
    true,
  );
  const t2 = (r: ReadonlyArray<number | null>) => {
    if (r.some((v) => v === null || !Number.isFinite(v))) return null;
    const v = Matrix.rowVector(r.map((x, j) => (x as number) - mean[j]));
    return v.mmul(inv).mmul(v.transpose()).get(0, 0);
  };
  const training = complete.map(t2).sort((a, b) => (a as number) - (b as number)) as number[];
  const limit = training[Math.floor(0.99 * training.length)];
  return rows.map((r) => {
    const v = t2(r);
    return v !== null && v > limit ? 1 : 0;
  });
}
