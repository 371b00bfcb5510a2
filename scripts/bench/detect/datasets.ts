import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

// The detector's development data (issue 32), each with its training rows and its labels:
// SKAB valve1 (16 files, the first 400 rows train), NAB's six real series (the first 15 %, NAB's
// probationary period) and GECCO 2017 (a real utility's 3 months of 1-minute water quality; the
// first 10 days train). Scored by row (F1, false and missed alarm rates) and by event run (hit when
// any of its rows is flagged).

export interface Series {
  name: string;
  group: 'skab' | 'nab' | 'gecco';
  columns: string[];
  rows: Array<Array<number | null>>;
  truth: number[];
  /** Rows that train; the rest are scored. */
  train: number;
  /** Minutes of each row from the first (GECCO's months). */
  minute?: (i: number) => number;
}

const DATA = join(process.cwd(), '../shared/datasets');
const value = (s: string | undefined) => {
  if (s === undefined || s === '' || s === 'NA') return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
};

export function skabValve1(): Series[] {
  const dir = join(DATA, 'skab/valve1');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
    .map((file) => skabFile(join(dir, file), `SKAB valve1/${file}`));
}

/** A SKAB file: datetime; 8 signals; anomaly; changepoint. */
export function skabFile(path: string, name: string): Series {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const cells = lines.slice(1).map((l) => l.split(';'));
  return {
    name,
    group: 'skab',
    columns: lines[0].split(';').slice(1, 9),
    rows: cells.map((c) => c.slice(1, 9).map(value)),
    truth: cells.map((c) => (Number(c[9]) ? 1 : 0)),
    train: 400,
  };
}

export function nabSeries(): Series[] {
  const windows = JSON.parse(readFileSync(join(DATA, 'nab/windows.json'), 'utf8')) as Record<
    string,
    Array<[string, string]>
  >;
  const ms = (t: string) => Date.parse(`${t.replace(' ', 'T').slice(0, 19)}Z`);
  return Object.entries(windows).map(([file, spans]) => {
    const cells = readFileSync(join(DATA, 'nab', file), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const bounds = spans.map(([a, b]) => [ms(a), ms(b)]);
    return {
      name: `NAB ${file.replace('.csv', '')}`,
      group: 'nab' as const,
      columns: ['value'],
      rows: cells.map((c) => [value(c[1])]),
      truth: cells.map((c) => (bounds.some(([a, b]) => ms(c[0]) >= a && ms(c[0]) <= b) ? 1 : 0)),
      train: Math.round(cells.length * 0.15),
    };
  });
}

export function gecco2017(): Series {
  const text = gunzipSync(readFileSync(join(DATA, 'gecco2017/gecco2017_water_quality_training.csv.gz'))).toString();
  const lines = text.trim().split('\n');
  const cells = lines.slice(1).map((l) => l.split(','));
  return {
    name: 'GECCO 2017',
    group: 'gecco',
    columns: lines[0]
      .split(',')
      .slice(1, 10)
      .map((c) => c.replaceAll('"', '')),
    rows: cells.map((c) => c.slice(1, 10).map(value)),
    truth: cells.map((c) => (c[10]?.includes('TRUE') ? 1 : 0)),
    train: 10 * 1440,
    minute: (i) => i,
  };
}

/** Row and event counts of flags against the truth over rows [from, to). */
export function counts(truth: number[], flags: ArrayLike<number>, from: number, to: number) {
  let [tp, fp, fn, tn, runs, hit] = [0, 0, 0, 0, 0, 0];
  let runHit = false;
  for (let i = from; i < to; i += 1) {
    const [a, p] = [truth[i], flags[i]];
    if (a && p) tp += 1;
    else if (p) fp += 1;
    else if (a) fn += 1;
    else tn += 1;
    if (!a) continue;
    if (i === from || !truth[i - 1]) [runs, runHit] = [runs + 1, false];
    runHit ||= p === 1;
    if ((i === to - 1 || !truth[i + 1]) && runHit) hit += 1;
  }
  return { tp, fp, fn, tn, runs, hit };
}

export type Counts = ReturnType<typeof counts>;

export function pooled(all: Counts[]) {
  const t = all.reduce(
    (a, b) => ({
      tp: a.tp + b.tp,
      fp: a.fp + b.fp,
      fn: a.fn + b.fn,
      tn: a.tn + b.tn,
      runs: a.runs + b.runs,
      hit: a.hit + b.hit,
    }),
    { tp: 0, fp: 0, fn: 0, tn: 0, runs: 0, hit: 0 },
  );
  return {
    f1: t.tp / (t.tp + (t.fp + t.fn) / 2 || 1),
    far: (100 * t.fp) / Math.max(1, t.fp + t.tn),
    mar: (100 * t.fn) / Math.max(1, t.fn + t.tp),
    hit: t.hit,
    runs: t.runs,
  };
}
