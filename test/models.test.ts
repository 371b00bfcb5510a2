import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../src-main/api/handlers';
import { writeRunToFailure } from '../src-main/demo/runToFailure';
import { importBaselines } from '../src-main/ingest/baselines';
import { importWideCsv } from '../src-main/ingest/pumpOperational';
import { importMaintenance } from '../src-main/models/maintenanceLog';
import { loadBundle } from '../src-main/models/registry';
import { pumpDataset, scoreModel } from '../src-main/models/train';
import { openProject, type Project } from '../src-main/project';
import { ApiClient } from '../src-shared/api/client';
import { ApiHost } from '../src-shared/api/host';
import { connectInMemory } from '../src-shared/api/inMemory';
import { type ModelBundle, predictBundle } from '../src-shared/models/bundle';
import { gaussian, seededRandom } from '../src-shared/random';
import { hasSharedDatasets, pumpdeck, SHARED_DATASETS, tempDir } from './helpers';

// Models end to end on a real DuckDB file: a pump with four runs to failure, trained in the
// worker thread through the API, the registry's promotion and rollback rules, and detect.

const dir = tempDir();
let project: Project;
let api: ApiClient;

beforeAll(async () => {
  const files = await writeRunToFailure({ out: join(dir, 'well'), days: 124, cycleDays: 30 });
  project = await openProject(join(dir, 'models.duckdb'));
  await importBaselines(project.db, files.baselines);
  await importWideCsv(project.db, files.operational, 'Well 1');
  await importMaintenance(project.db, files.maintenance);
  api = new ApiClient(connectInMemory(new ApiHost(createHandlers({ version: 't', project: () => project }))));
}, 60_000);
afterAll(() => project.db.close());

describe('training through the API', () => {
  it('trains a RUL model in the worker with progress, time-ordered holdout and metrics', async () => {
    const phases = new Set<string>();
    let trees = 0;
    const model = await api.call(
      'models.train',
      { pump: 'Well 1', kind: 'rul', trees: 60 },
      {
        onProgress: (p) => {
          phases.add(p.phase);
          if (p.unit === 'trees') trees = p.done!;
        },
      },
    );
    expect([...phases]).toEqual(['building features', 'training', 'evaluating']);
    expect(trees).toBe(60);
    expect(model).toMatchObject({ pump: 'Well 1', kind: 'rul', version: 1, stage: 'candidate' });
    expect(model.holdout.from > model.dataFrom).toBe(true);
    expect(model.testRows / (model.trainRows + model.testRows)).toBeCloseTo(0.2, 1);
    // Four cycles of wear: the last cycle's RUL is learnable from the earlier three.
    expect(model.metrics.r2).toBeGreaterThan(0.6);
    expect(model.metrics.mae).toBeLessThan(5);
    const detail = await api.call('models.detail', { pump: 'Well 1', kind: 'rul', version: 1 });
    expect(detail.evaluation.predictions).toHaveLength(model.testRows);
    expect(detail.evaluation.predictions.every((p) => p.t >= model.holdout.from)).toBe(true);
    expect(detail.evaluation.importance[0].importance).toBeGreaterThan(0);
  });

  it('trains a risk classifier with precision, recall and F1', async () => {
    const model = await api.call('models.train', { pump: 'Well 1', kind: 'risk', trees: 40 });
    expect(model.metrics).toEqual(
      expect.objectContaining({ precision: expect.any(Number), recall: expect.any(Number), f1: expect.any(Number) }),
    );
    expect(model.metrics.f1).toBeGreaterThan(0.5);
  });

  it('a cancelled training stores nothing', async () => {
    const controller = new AbortController();
    const before = (await api.call('models.list', {})).length;
    await expect(
      api.call(
        'models.train',
        { pump: 'Well 1', kind: 'rul' },
        { signal: controller.signal, onProgress: (p) => p.done === 5 && controller.abort() },
      ),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(await api.call('models.list', {})).toHaveLength(before);
  });

  it('refuses a pump without failures in its maintenance log, saying why', async () => {
    await project.db.run(
      `INSERT INTO pump_baselines SELECT 'Well 2', pump_type, horsepower, application, baseline_flow_gpm, baseline_discharge_pressure_psi, baseline_power_hp, baseline_efficiency_percent, NULL, 'test' FROM pump_baselines`,
    );
    await project.db.run(
      `INSERT INTO pump_operational SELECT 'Well 2', "Timestamp", flow, head, power, efficiency, signals, source_file FROM pump_operational WHERE "Timestamp" < '2025-01-20'`,
    );
    await expect(api.call('models.train', { pump: 'Well 2', kind: 'rul' })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('pump Well 2 has 0 labelled hours'),
    });
  });
});

describe('registry', () => {
  it('keeps the naive baseline of each model: RUL against the mean RUL of its training rows', async () => {
    const [v1] = (await api.call('models.list', { pump: 'Well 1' })).filter((m) => m.kind === 'rul');
    const { evaluation } = await api.call('models.detail', { pump: 'Well 1', kind: 'rul', version: v1.version });
    const actual = evaluation.predictions.map((p) => p.actual);
    const mean = actual.reduce((s, v) => s + v, 0) / actual.length;
    const sd = Math.sqrt(actual.reduce((s, v) => s + (v - mean) ** 2, 0) / actual.length);
    // No constant does better than the holdout's own mean: the training rows' mean is at least that far off.
    expect(v1.metrics.naive_rmse).toBeGreaterThanOrEqual(sd - 1e-9);
    expect(v1.metrics.rmse).toBeLessThan(v1.metrics.naive_rmse);
    expect(v1.metrics.failures_learned).toBeGreaterThanOrEqual(2);
  });

  it('promotes the first model that beats its naive baseline; a later one is compared only on rows neither trained on', async () => {
    const first = await api.call('models.promote', { pump: 'Well 1', kind: 'rul', version: 1 });
    expect(first).toMatchObject({ promoted: true, production: null, metric: 'rmse' });
    expect(first.reason).toMatch(
      /^no production rul model yet: v1 \(RMSE [\d.]+, the mean RUL of its training rows [\d.]+\) promoted$/,
    );
    // v2 learns from the first cycle only: its holdout lies inside v1's training rows, so there is
    // nothing fair to compare them on (v1 would be scored on rows it learned).
    const early = await api.call('models.train', { pump: 'Well 1', kind: 'rul', to: '2025-01-28', trees: 20 });
    const second = await api.call('models.promote', { pump: 'Well 1', kind: 'rul', version: early.version });
    expect(second.promoted).toBe(false);
    expect(second.production).toBeNull();
    expect(second.reason).toContain(`production v1 trained on all of v${early.version}'s holdout`);
    // v3 on all the data has the same holdout as v1: both are scored on it, and v1 never trained on it.
    const again = await api.call('models.train', { pump: 'Well 1', kind: 'rul', trees: 20 });
    const third = await api.call('models.promote', { pump: 'Well 1', kind: 'rul', version: again.version });
    const v1 = (await api.call('models.list', { pump: 'Well 1' })).find((m) => m.kind === 'rul' && m.version === 1);
    expect(third.reason).toContain(`holdout rows neither model trained on (${v1?.holdout.from} ..`);
    expect(typeof third.production).toBe('number');
    if (third.promoted) {
      // Put v1 back in production for the tests below.
      await api.call('models.rollback', { pump: 'Well 1', kind: 'rul', version: 1 });
    }
  });

  it('a model worse than its naive baseline cannot be promoted, through the API or the CLI', async () => {
    const weak = await api.call('models.train', { pump: 'Well 1', kind: 'rul', trees: 10 });
    // Its holdout scored as if the naive baseline had done better (the gate reads what training stored).
    await project.db.run(
      `UPDATE model_registry SET metrics = json_merge_patch(metrics, json_object('naive_rmse', (metrics->>'rmse')::DOUBLE / 2))
       WHERE pump = 'Well 1' AND kind = 'rul' AND version = ?`,
      [weak.version],
    );
    const refused = await api.call('models.promote', { pump: 'Well 1', kind: 'rul', version: weak.version });
    expect(refused.promoted).toBe(false);
    expect(refused.reason).toMatch(
      /^not promoted: on its holdout v\d+ RMSE [\d.]+ does not beat the mean RUL of its training rows/,
    );
    // The CLI is another process: it opens the file once this one lets go of it.
    const dbPath = project.dbPath;
    project.db.close();
    const cli = pumpdeck(
      'models',
      '--db',
      dbPath,
      '--pump',
      'Well 1',
      '--kind',
      'rul',
      '--promote',
      String(weak.version),
    );
    project = await openProject(dbPath);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain('does not beat the mean RUL of its training rows');
    const production = (await api.call('models.list', { pump: 'Well 1' })).filter(
      (m) => m.kind === 'rul' && m.stage === 'production',
    );
    expect(production.map((m) => m.version)).toEqual([1]);
  });

  it('rolls back to an earlier version, and only to an earlier one', async () => {
    await expect(api.call('models.rollback', { pump: 'Well 1', kind: 'rul', version: 1 })).rejects.toMatchObject({
      code: 'bad_input',
    });
    const v3 = await api.call('models.train', { pump: 'Well 1', kind: 'rul', trees: 20 });
    await project.db.run(
      `UPDATE model_registry SET stage = CASE WHEN version = ? THEN 'production' ELSE 'archived' END WHERE pump = 'Well 1' AND kind = 'rul' AND version IN (1, ?)`,
      [v3.version, v3.version],
    );
    const back = await api.call('models.rollback', { pump: 'Well 1', kind: 'rul', version: 1 });
    expect(back).toMatchObject({ version: 1, stage: 'production', note: `rolled back from v${v3.version}` });
    const stages = Object.fromEntries(
      (await api.call('models.list', { pump: 'Well 1' }))
        .filter((m) => m.kind === 'rul')
        .map((m) => [m.version, m.stage]),
    );
    expect(stages[v3.version]).toBe('archived');
  });

  it("predicts the pump's RUL now with the production model, with its quality beside it", async () => {
    const [prediction] = await api.call('models.predictions', {});
    expect(prediction).toMatchObject({ pump: 'Well 1', rulVersion: 1 });
    expect(prediction.rulQuality).toMatch(/^RMSE [\d.]+ d, vs naive [\d.]+ d, \d+ failures learned$/);
    // The data ends in the last hour before the fourth failure: almost nothing left.
    expect(prediction.rulDays!).toBeLessThan(3);
    expect(prediction.asOf).toBe('2025-05-03 23:00:00');
  });

  it('RUL honesty: on a pump that wears out twice as fast, the production model is far off, and the tests say how far', async () => {
    // Well 2 fails every 15 days (Well 1, which the model learned from: every 30).
    const fast = await writeRunToFailure({ out: join(dir, 'fast'), pump: 'Well 2', days: 64, cycleDays: 15, seed: 8 });
    await importBaselines(project.db, fast.baselines);
    await importWideCsv(project.db, fast.operational, 'Well 2');
    await importMaintenance(project.db, fast.maintenance);
    const bundle = await loadBundle(project.db, 'Well 1', 'rul');
    const data = await pumpDataset(project.db, 'Well 2');
    const predicted = predictBundle(
      bundle as ModelBundle,
      data.rows.map((r) => data.features[r.index]),
    );
    const actual = data.rows.map((r) => r.rul);
    const { rmse } = scoreModel('rul', actual, predicted);
    const own = (await api.call('models.list', { pump: 'Well 1' })).find((m) => m.kind === 'rul' && m.version === 1);
    // Measured: an RMSE several times its own holdout's; it reads wear as if the pump had 30-day cycles.
    expect(rmse).toBeGreaterThan(2 * (own?.metrics.rmse ?? 0));
    const bias = predicted.reduce((s, p, i) => s + p - actual[i], 0) / predicted.length;
    expect(bias).toBeGreaterThan(0); // it overestimates the time left: the dangerous way round
  });

  it('draws the anomaly score over time with detected spans', async () => {
    const timeline = await api.call('models.anomalies', { pump: 'Well 1' });
    expect(timeline.signals.length).toBeGreaterThan(0);
    expect(timeline.points.length).toBeGreaterThan(2000);
    expect(timeline.spans.length).toBeGreaterThan(0);
  });
});

describe('pumpdeck detect', () => {
  it('takes missing values and a dead signal, and prints the threshold rule it used per file', () => {
    // Three signals that move together, one that never changes, NA and empty cells scattered.
    const random = seededRandom(9);
    const lines = ['time;a;b;c;dead'];
    for (let i = 0; i < 900; i++) {
      const base = Math.sin(i / 7) + 0.1 * gaussian(random);
      const shift = i >= 700 && i < 780 ? 6 : 0; // a fault: c leaves a and b behind
      const cells = [base, 2 * base + 0.1 * gaussian(random), base + shift + 0.1 * gaussian(random), 5].map((v, k) =>
        (i + k) % 37 === 0 ? (k % 2 ? 'NA' : '') : v.toFixed(4),
      );
      lines.push(
        `2025-01-01 00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')};${cells.join(';')}`,
      );
    }
    const input = join(dir, 'gappy.csv');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const result = pumpdeck('detect', '--input', input, '--train-rows', '400', '--out', join(dir, 'gappy-out.csv'));
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/ rows anomalous \(signals a, b, c\)/);
    expect(result.out).toMatch(
      /rule: anomalous when the 30-row mean Mahalanobis distance over 3 signals exceeds [\d.]+ \(1\.25 × the largest of its training rows\); clears below [\d.]+/,
    );
    expect(result.out).toContain('note: dead: constant in the healthy period, left out');
    const flagged = readFileSync(join(dir, 'gappy-out.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[1]));
    expect(flagged.slice(720, 780).filter(Boolean).length).toBeGreaterThan(40); // the fault is found
    expect(flagged.slice(430, 690).filter(Boolean).length).toBe(0); // and nothing before it
  });

  it.skipIf(!hasSharedDatasets)(
    'scores every row of each file of a folder, keeping its layout; the label columns are ignored (SKAB data)',
    () => {
      const input = join(dir, 'skab-in');
      mkdirSync(join(input, 'valve1'), { recursive: true });
      for (const f of ['0.csv', '5.csv']) cpSync(join(SHARED_DATASETS, 'skab/valve1', f), join(input, 'valve1', f));
      const out = join(dir, 'skab-out');
      const result = pumpdeck('detect', '--input', input, '--train-rows', '400', '--out', out, '--json');
      expect(result.code).toBe(0);
      expect(readdirSync(join(out, 'valve1')).sort()).toEqual(['0.csv', '5.csv']);
      const source = readFileSync(join(input, 'valve1', '0.csv'), 'utf8')
        .trim()
        .split(/\r?\n/);
      const lines = readFileSync(join(out, 'valve1', '0.csv'), 'utf8')
        .trim()
        .split('\n');
      expect(lines[0]).toBe('datetime,anomaly,score');
      expect(lines).toHaveLength(source.length);
      expect(lines[1].split(',')[0]).toBe(source[1].split(';')[0]);
      expect(lines.slice(1).every((l) => /^[\d-]+ [\d:]+,[01],[\d.e+-]+$/.test(l))).toBe(true);
      const summary = JSON.parse(result.out) as Array<{
        used: string[];
        anomalies: number;
        events: Array<{ from: string; to: string; rows: number; drivers: Array<{ signal: string; share: number }> }>;
      }>;
      expect(summary[0].used).not.toContain('anomaly');
      expect(summary[0].used).not.toContain('Temperature');
      // The flags as events an operator reads: every flagged row in one, each with what drove it.
      const events = summary[0].events;
      expect(events.length).toBeGreaterThan(0);
      expect(events.reduce((n, e) => n + e.rows, 0)).toBe(summary[0].anomalies);
      for (const e of events) {
        expect(e.from <= e.to).toBe(true);
        expect(summary[0].used).toContain(e.drivers[0].signal);
        expect(e.drivers.reduce((a, d) => a + d.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
      }
    },
  );

  it.skipIf(!hasSharedDatasets)(
    'names the file, line and field of a bad value, and writes nothing for it (SKAB data)',
    () => {
      const input = join(dir, 'bad.csv');
      const good = readFileSync(join(SHARED_DATASETS, 'skab/valve1/0.csv'), 'utf8').split(/\r?\n/);
      good[500] = good[500].replace(/;[^;]+;/, ';oops;');
      writeFileSync(input, good.join('\n'));
      const result = pumpdeck('detect', '--input', input, '--train-rows', '400', '--out', join(dir, 'bad-out.csv'));
      expect(result.code).toBe(1);
      expect(result.err).toContain('bad.csv: line 501: field Accelerometer1RMS: not a number');
      expect(readdirSync(dir)).not.toContain('bad-out.csv');
    },
  );
});
