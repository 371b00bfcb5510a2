// npm run bench:train: a year of hourly readings of a pump with runs to failure (seed 000 files),
// its 94 features, and a 100-tree RUL forest trained in the worker thread as the console does;
// then prediction time per row. The reference in the same run is ml-random-forest (the library
// the stack first named), which tries a split at every change of the target: both grow 10 trees
// on the same 1,000 rows, since ml-random-forest needs minutes per tree on a year.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomForestRegression } from 'ml-random-forest';
import { writeRunToFailure } from '../../src-main/demo/runToFailure';
import { importBaselines } from '../../src-main/ingest/baselines';
import { importWideCsv } from '../../src-main/ingest/pumpOperational';
import { importMaintenance } from '../../src-main/models/maintenanceLog';
import { pumpDataset, trainModel } from '../../src-main/models/train';
import { openProject } from '../../src-main/project';
import { predictBundle } from '../../src-shared/models/bundle';
import { FEATURE_NAMES } from '../../src-shared/models/features';
import { Forest } from '../../src-shared/models/forest';

const dir = mkdtempSync(join(tmpdir(), 'pumpdeck-bench-train-'));
const files = await writeRunToFailure({ out: join(dir, 'well'), days: 365, cycleDays: 45 });
const project = await openProject(join(dir, 'train.duckdb'));
await importBaselines(project.db, files.baselines);
await importWideCsv(project.db, files.operational, 'Well 1');
await importMaintenance(project.db, files.maintenance);

let t = performance.now();
const data = await pumpDataset(project.db, 'Well 1');
const featureSeconds = (performance.now() - t) / 1000;
t = performance.now();
const trained = await trainModel(project.db, { pump: 'Well 1', kind: 'rul', trees: 100 });
const trainSeconds = (performance.now() - t) / 1000;
const rows = data.features.slice(-2000);
t = performance.now();
predictBundle({ ...trained.bundle, version: 1 }, rows);
const predictMs = (performance.now() - t) / rows.length;

console.log(
  `a year of hourly readings: ${data.readings.length} hours, ${data.rows.length} labelled (${files.failures} failures), ${FEATURE_NAMES.length} features`,
);
console.log(`features (stream over the year)      ${featureSeconds.toFixed(2)} s`);
console.log(
  `training, 100 trees, worker thread   ${trainSeconds.toFixed(2)} s   (features, split, forest, evaluation; ${trained.trainRows} training rows)`,
);
console.log(`prediction                           ${(predictMs * 1000).toFixed(0)} µs per row`);
console.log(
  `holdout metrics                      MAE ${trained.metrics.mae.toFixed(2)} d, RMSE ${trained.metrics.rmse.toFixed(2)} d, R² ${trained.metrics.r2.toFixed(3)}`,
);
console.log(`model JSON                           ${(JSON.stringify(trained.bundle).length / 1e6).toFixed(2)} MB`);

const X = data.rows.slice(0, 1000).map((r) => data.features[r.index]);
const y = data.rows.slice(0, 1000).map((r) => r.rul);
t = performance.now();
Forest.train('regression', X, y, { trees: 10, maxFeatures: 0.33, maxDepth: 10, minLeaf: 8, seed: 1 });
const ours = (performance.now() - t) / 1000;
t = performance.now();
new RandomForestRegression({
  nEstimators: 10,
  maxFeatures: 0.33,
  replacement: true,
  useSampleBagging: true,
  noOOB: true,
  seed: 1,
  treeOptions: { maxDepth: 10, minNumSamples: 8 },
}).train(X, y);
const reference = (performance.now() - t) / 1000;
console.log(
  `\n10 trees on the same 1,000 rows: PumpDeck forest ${ours.toFixed(2)} s, reference ml-random-forest ${reference.toFixed(2)} s (${(reference / ours).toFixed(0)}x)`,
);
project.db.close();
rmSync(dir, { recursive: true, force: true });
