import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { parseWideCsv } from '../../src-shared/csv/wideTable';
import {
  DETECTOR_SETTINGS,
  type DetectorJson,
  fitDetector,
  type SignalRow,
  scoreRows,
  thresholdRule,
} from '../../src-shared/models/anomaly';
import { type AnomalyEvent, anomalyEvents } from '../../src-shared/models/anomalyEvents';
import { checkOutput, checkOutputFolder, writeOutputData } from '../files/outputFile';

// `pumpdeck detect`: fit the anomaly detector on the first N rows of each wide CSV and write, for
// every row, the time, 0/1 and the score. A folder is processed recursively, keeping its layout.

export interface DetectionSummary {
  input: string;
  output: string;
  rows: number;
  anomalies: number;
  used: string[];
  threshold: number;
  /** The alarm rule in words, and the signals left out with why. */
  rule: string;
  notes: string[];
  /** The flags merged into events, with the signals that drove each. */
  events: AnomalyEvent[];
}

export interface FileDetection {
  detector: DetectorJson;
  times: string[];
  /** score null: a row with none of the signals used (every one missing). */
  results: Array<{ score: number | null; anomaly: 0 | 1 }>;
  rows: SignalRow[];
  labels: Record<string, number[]>;
}

/** Reads one file, fits on its first `trainRows` rows and scores them all. */
export async function detectInFile(
  path: string,
  trainRows: number,
  settings: typeof DETECTOR_SETTINGS = DETECTOR_SETTINGS,
): Promise<FileDetection> {
  const table = parseWideCsv(await readFile(path, 'utf8'), basename(path));
  if (table.rows.length <= trainRows)
    throw new ApiError(
      'bad_input',
      `${basename(path)}: ${table.rows.length} rows, not more than the ${trainRows} training rows`,
    );
  let detector: DetectorJson;
  try {
    detector = fitDetector(table.rows.slice(0, trainRows), table.columns, settings);
  } catch (error) {
    throw new ApiError('bad_input', `${basename(path)}: ${(error as Error).message}`);
  }
  return {
    detector,
    times: table.times,
    rows: table.rows,
    results: scoreRows(detector, table.rows),
    labels: table.labels,
  };
}

async function csvFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((e) =>
        e.isDirectory()
          ? csvFiles(join(dir, e.name))
          : Promise.resolve(e.name.toLowerCase().endsWith('.csv') ? [join(dir, e.name)] : []),
      ),
  );
  return nested.flat();
}

/**
 * Runs detection on a file or a folder; every output is checked before any work (no file replaced
 * unless `force`, never an input or a database) and written whole (temp file, then rename).
 */
export async function detectTree(
  input: string,
  output: string,
  trainRows: number,
  options: { force?: boolean } = {},
): Promise<DetectionSummary[]> {
  const isDir = (await stat(input)).isDirectory();
  const files = isDir ? await csvFiles(input) : [input];
  if (files.length === 0) throw new ApiError('bad_input', `${input}: no .csv files`);
  const outputs = files.map((file) => (isDir ? join(output, relative(input, file)) : output));
  const guard = { force: options.force, protect: files };
  if (isDir) {
    // The tree under --out is PumpDeck's to make; --out itself must be a folder or in one that exists.
    await checkOutputFolder(output, { force: true });
    for (const out of outputs) await mkdir(dirname(out), { recursive: true });
  }
  for (const out of outputs) await checkOutput(out, guard);
  const summaries: DetectionSummary[] = [];
  for (const [k, file] of files.entries()) {
    const out = outputs[k];
    const { detector, times, results, rows } = await detectInFile(file, trainRows);
    const lines = [
      'datetime,anomaly,score',
      ...results.map((r, i) => `${times[i]},${r.anomaly},${r.score === null ? '' : Number(r.score.toPrecision(6))}`),
    ];
    await writeOutputData(out, `${lines.join('\n')}\n`, guard);
    summaries.push({
      input: file,
      output: out,
      rows: results.length,
      anomalies: results.filter((r) => r.anomaly).length,
      used: detector.used.map((c) => detector.columns[c]),
      threshold: detector.threshold,
      rule: thresholdRule(detector),
      notes: detector.notes ?? [],
      events: anomalyEvents(detector, rows, results, times),
    });
  }
  return summaries;
}
