// npm run bench:skab: PumpDeck's anomaly detector on SKAB valve1 with the leaderboard's protocol
// (first 400 rows of each file train, every later row is scored, counts summed over all files),
// next to Hotelling's T² run in the same process (same training rows; the alarm is the 99th
// percentile of the training T², no smoothing) and the figures the leaderboard publishes.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inverse, Matrix } from 'ml-matrix';
import { detectInFile } from '../../src-main/models/detectFiles';
import { parseWideCsv } from '../../src-shared/csv/wideTable';
import { classificationMetrics } from '../../src-shared/models/metrics';

// npm runs scripts from the repository root; the datasets sit beside it.
const DIR = join(process.cwd(), '../shared/datasets/skab/valve1');
const TRAIN = 400;

function skabScores(actual: number[], predicted: number[]) {
  const m = classificationMetrics(actual, predicted);
  return {
    f1: m.tp / (m.tp + (m.fp + m.fn) / 2),
    far: (m.fp / (m.fp + m.tn)) * 100,
    mar: (m.fn / (m.fn + m.tp)) * 100,
    rows: actual.length,
  };
}

function hotelling(rows: number[][]): number[] {
  const train = rows.slice(0, TRAIN);
  const d = train[0].length;
  const mean = Array.from({ length: d }, (_, j) => train.reduce((s, r) => s + r[j], 0) / TRAIN);
  const centred = new Matrix(train.map((r) => r.map((v, j) => v - mean[j])));
  const inv = inverse(
    centred
      .transpose()
      .mmul(centred)
      .div(TRAIN - 1),
    true,
  );
  const t2 = rows.map((r) => {
    const v = Matrix.rowVector(r.map((x, j) => x - mean[j]));
    return v.mmul(inv).mmul(v.transpose()).get(0, 0);
  });
  const ucl = [...t2.slice(0, TRAIN)].sort((a, b) => a - b)[Math.floor(0.99 * TRAIN)];
  return t2.map((v) => (v > ucl ? 1 : 0));
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.csv'))
  .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
const actual: number[] = [];
const ours: number[] = [];
const t2: number[] = [];
const started = performance.now();
let scored = 0;
for (const file of files) {
  const { results, labels } = await detectInFile(join(DIR, file), TRAIN);
  const truth = labels.anomaly;
  for (let i = TRAIN; i < results.length; i += 1) {
    actual.push(truth[i]);
    ours.push(results[i].anomaly);
  }
  scored += results.length;
}
const seconds = (performance.now() - started) / 1000;
for (const file of files) {
  const table = parseWideCsv(await readFile(join(DIR, file), 'utf8'), file);
  t2.push(...hotelling(table.rows.map((r) => r.map((v) => v ?? Number.NaN))).slice(TRAIN));
}

const row = (name: string, s: { f1: number; far: number; mar: number }) =>
  `${name.padEnd(44)} F1 ${s.f1.toFixed(3)}   FAR ${s.far.toFixed(2).padStart(6)} %   MAR ${s.mar.toFixed(2).padStart(6)} %`;
console.log(
  `SKAB valve1: ${files.length} files, ${actual.length} scored rows (${actual.filter(Boolean).length} anomalous); first ${TRAIN} rows of each file train`,
);
console.log(
  `${row('PumpDeck detector (this run)', skabScores(actual, ours))}   ${(scored / seconds / 1000).toFixed(0)} k rows/s`,
);
console.log(row("Hotelling's T², 99 % limit (this run)", skabScores(actual, t2)));
console.log(
  'published (full SKAB benchmark): Conv-AE F1 0.78, FAR 13.55 %, MAR 28.02 %; MSET 0.78, 39.73 %, 14.13 %; T²+Q 0.76; Hotelling T² 0.66, 19.21 %, 42.60 %',
);
