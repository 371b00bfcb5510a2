import type {
  ModelEvaluation,
  ModelStage,
  ModelSummary,
  Promotion,
  PumpPrediction,
} from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { type ModelBundle, type ModelKind, predictBundle } from '../../src-shared/models/bundle';
import { featureMatrix } from '../../src-shared/models/features';
import { better, DECIDING_METRIC, NAIVE_NAME, qualityText } from '../../src-shared/models/naive';
import { withEfficiency } from '../../src-shared/performance/deviation';
import { addDays, formatTimestamp, parseTimestamp } from '../../src-shared/time';
import type { StationDb } from '../db/stationDb';
import { pumpReadingsRelation } from '../performance/pumpReadingsSource';
import { hourlyReadings, pumpDataset, scoreModel, type TrainedModel } from './train';

// The model registry in DuckDB (seed 002's MLflow registry, without a server): every trained
// model with its data range, parameters and metrics. A candidate becomes the production model
// only when it beats the current one on the same holdout; any earlier version can be restored.

const TS = (c: string) => `strftime(${c}, '%Y-%m-%d %H:%M:%S')`;
const SUMMARY = `pump, kind, version, ${TS('created_at')} AS createdAt, stage, ${TS('data_from')} AS dataFrom, ${TS('data_to')} AS dataTo,
  train_rows AS trainRows, test_rows AS testRows, ${TS('holdout_from')} AS holdoutFrom, ${TS('holdout_to')} AS holdoutTo,
  params::VARCHAR AS params, metrics::VARCHAR AS metrics, ${TS('promoted_at')} AS promotedAt, note`;

function summary(row: Record<string, unknown>): ModelSummary {
  return {
    pump: row.pump as string,
    kind: row.kind as ModelKind,
    version: row.version as number,
    createdAt: row.createdAt as string,
    stage: row.stage as ModelStage,
    dataFrom: row.dataFrom as string,
    dataTo: row.dataTo as string,
    trainRows: row.trainRows as number,
    testRows: row.testRows as number,
    holdout: { from: row.holdoutFrom as string, to: row.holdoutTo as string },
    params: JSON.parse(row.params as string),
    metrics: JSON.parse(row.metrics as string),
    promotedAt: (row.promotedAt as string | null) ?? null,
    note: (row.note as string | null) ?? null,
  };
}

export async function saveModel(db: StationDb, trained: TrainedModel, now: Date): Promise<ModelSummary> {
  const { pump, kind } = trained.bundle;
  return db.isolated(async (db) => {
    const next =
      ((
        await db.one<{ v: number | null }>(`SELECT max(version) AS v FROM model_registry WHERE pump = ? AND kind = ?`, [
          pump,
          kind,
        ])
      )?.v ?? 0) + 1;
    const bundle: ModelBundle = { ...trained.bundle, version: next };
    await db.run(
      `INSERT INTO model_registry VALUES (?, ?, ?, ?::TIMESTAMP, 'candidate', ?::TIMESTAMP, ?::TIMESTAMP, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?::JSON, ?::JSON, ?::JSON, ?::JSON, NULL, NULL)`,
      [
        pump,
        kind,
        next,
        formatTimestamp(now.getTime()),
        trained.dataFrom,
        trained.dataTo,
        trained.trainRows,
        trained.testRows,
        trained.holdout.from,
        trained.holdout.to,
        JSON.stringify(trained.params),
        JSON.stringify(trained.metrics),
        JSON.stringify(trained.evaluation),
        JSON.stringify(bundle),
      ],
    );
    return theModel(db, pump, kind, next);
  });
}

export async function listModels(db: StationDb, pump?: string): Promise<ModelSummary[]> {
  const rows = await db.all(
    `SELECT ${SUMMARY} FROM model_registry WHERE ($pump IS NULL OR pump = $pump) ORDER BY pump, kind, version DESC`,
    { pump: pump ?? null },
  );
  return rows.map(summary);
}

export async function getModel(
  db: StationDb,
  pump: string,
  kind: ModelKind,
  version: number,
): Promise<ModelSummary | undefined> {
  const row = await db.one(`SELECT ${SUMMARY} FROM model_registry WHERE pump = ? AND kind = ? AND version = ?`, [
    pump,
    kind,
    version,
  ]);
  return row ? summary(row) : undefined;
}

/** A model that must exist (just written, or checked before): not_found otherwise. */
async function theModel(db: StationDb, pump: string, kind: ModelKind, version: number): Promise<ModelSummary> {
  const model = await getModel(db, pump, kind, version);
  if (!model) throw new ApiError('not_found', `no ${kind} model v${version} for pump ${pump}`);
  return model;
}

export async function modelEvaluation(
  db: StationDb,
  pump: string,
  kind: ModelKind,
  version: number,
): Promise<ModelEvaluation> {
  const row = await db.one<{ e: string }>(
    `SELECT evaluation::VARCHAR AS e FROM model_registry WHERE pump = ? AND kind = ? AND version = ?`,
    [pump, kind, version],
  );
  if (!row) throw new ApiError('not_found', `no ${kind} model v${version} for pump ${pump}`);
  return JSON.parse(row.e);
}

/** A model's bundle: the given version, or the production one. */
export async function loadBundle(
  db: StationDb,
  pump: string,
  kind: ModelKind,
  version?: number,
): Promise<ModelBundle | null> {
  const row = await db.one<{ m: string }>(
    `SELECT model::VARCHAR AS m FROM model_registry WHERE pump = $pump AND kind = $kind AND ($version IS NULL AND stage = 'production' OR version = $version)`,
    { pump, kind, version: version ?? null },
  );
  return row ? (JSON.parse(row.m) as ModelBundle) : null;
}

async function setProduction(
  db: StationDb,
  pump: string,
  kind: ModelKind,
  version: number,
  now: Date,
  note: string,
): Promise<void> {
  await db.isolated(async (db) => {
    await db.run(`UPDATE model_registry SET stage = 'archived' WHERE pump = ? AND kind = ? AND stage = 'production'`, [
      pump,
      kind,
    ]);
    await db.run(
      `UPDATE model_registry SET stage = 'production', promoted_at = ?::TIMESTAMP, note = ? WHERE pump = ? AND kind = ? AND version = ?`,
      [formatTimestamp(now.getTime()), note, pump, kind, version],
    );
  });
}

/**
 * Promotion gates (issue 19): the candidate must beat its naive baseline on its holdout (rows it
 * never trained on), and the production model on the holdout rows neither trained on (the
 * incumbent trained on everything before its own holdout began). A candidate that fails stays a
 * candidate, with the reason.
 */
export async function promoteModel(
  db: StationDb,
  pump: string,
  kind: ModelKind,
  version: number,
  now: Date,
): Promise<Promotion> {
  const model = await getModel(db, pump, kind, version);
  if (!model) throw new ApiError('not_found', `no ${kind} model v${version} for pump ${pump}`);
  if (model.stage === 'production')
    throw new ApiError('bad_input', `${kind} model v${version} of pump ${pump} is already the production model`);
  const metric = DECIDING_METRIC[kind];
  const name = metric.toUpperCase();
  const candidate = await loadBundle(db, pump, kind, version);
  if (!candidate) throw new ApiError('not_found', `no ${kind} model v${version} for pump ${pump}`);
  const outcome = (promoted: boolean, reason: string, production: number | null, productionVersion: number | null) => ({
    promoted,
    metric,
    candidate: model.metrics[metric],
    naive: model.metrics[`naive_${metric}`] ?? null,
    production,
    productionVersion,
    holdout: model.holdout,
    reason,
  });
  const naive = model.metrics[`naive_${metric}`];
  if (naive === undefined || !better(kind, model.metrics[metric], naive)) {
    const reason =
      naive === undefined
        ? `v${version} was trained before models were compared with a naive baseline: retrain it`
        : `not promoted: on its holdout v${version} ${name} ${model.metrics[metric].toFixed(3)} does not beat ${NAIVE_NAME[kind]} (${name} ${naive.toFixed(3)})`;
    return { ...outcome(false, reason, null, null), model };
  }
  const currentSummary = (await listModels(db, pump)).find((m) => m.kind === kind && m.stage === 'production');
  const current = currentSummary ? await loadBundle(db, pump, kind) : null;
  let production: number | null = null;
  let promoted = true;
  let reason = `no production ${kind} model yet: v${version} (${name} ${model.metrics[metric].toFixed(3)}, ${NAIVE_NAME[kind]} ${naive.toFixed(3)}) promoted`;
  if (currentSummary && current) {
    // Score both on the candidate's holdout rows the incumbent never trained on.
    const data = await pumpDataset(db, pump);
    const [from, to] = [parseTimestamp(model.holdout.from), parseTimestamp(model.holdout.to)];
    const unseen = Math.max(from, parseTimestamp(currentSummary.holdout.from));
    const rows = data.rows.filter((r) => r.t >= unseen && r.t <= to);
    if (rows.length === 0)
      return {
        ...outcome(
          false,
          `not promoted: production v${currentSummary.version} trained on all of v${version}'s holdout (${model.holdout.from} .. ${model.holdout.to}): no rows neither saw to compare them on`,
          null,
          currentSummary.version,
        ),
        model,
      };
    const actual = rows.map((r) => (kind === 'rul' ? r.rul : r.risk));
    const X = rows.map((r) => data.features[r.index]);
    const score = (bundle: ModelBundle) => scoreModel(kind, actual, predictBundle(bundle, X))[metric];
    const candidateScore = score(candidate);
    production = score(current);
    promoted = better(kind, candidateScore, production);
    reason = `on ${rows.length} holdout rows neither model trained on (${formatTimestamp(unseen)} .. ${model.holdout.to}): v${version} ${name} ${candidateScore.toFixed(3)} against production v${currentSummary.version} ${name} ${production.toFixed(3)}; ${NAIVE_NAME[kind]} ${naive.toFixed(3)}: ${promoted ? 'promoted' : `not promoted (${metric === 'rmse' ? 'lower' : 'higher'} is better)`}`;
  }
  if (promoted) await setProduction(db, pump, kind, version, now, reason);
  return {
    ...outcome(promoted, reason, production, currentSummary?.version ?? null),
    model: await theModel(db, pump, kind, version),
  };
}

/** Makes an earlier version the production model again, without a comparison (the engineer's call). */
export async function rollbackModel(
  db: StationDb,
  pump: string,
  kind: ModelKind,
  version: number,
  now: Date,
): Promise<ModelSummary> {
  const model = await getModel(db, pump, kind, version);
  if (!model) throw new ApiError('not_found', `no ${kind} model v${version} for pump ${pump}`);
  const current = await loadBundle(db, pump, kind);
  if (!current) throw new ApiError('bad_input', `pump ${pump} has no production ${kind} model to roll back from`);
  if (version >= current.version)
    throw new ApiError(
      'bad_input',
      `roll back goes to an earlier version than production v${current.version}; promote v${version} instead`,
    );
  await setProduction(db, pump, kind, version, now, `rolled back from v${current.version}`);
  return theModel(db, pump, kind, version);
}

/** The production models' view of each pump at its newest reading. */
export async function currentPredictions(db: StationDb): Promise<PumpPrediction[]> {
  const pumps = await db.all<{ pump: string }>(
    `SELECT DISTINCT pump FROM model_registry WHERE stage = 'production' ORDER BY pump`,
  );
  const out: PumpPrediction[] = [];
  for (const { pump } of pumps) {
    const last = await db.one<{ t: string | null }>(
      `SELECT strftime(max(ts), '%Y-%m-%d') AS t FROM ${await pumpReadingsRelation(db, pump)}`,
    );
    if (!last?.t) continue;
    // 15 days of history: the 168-hour windows and their change a window earlier.
    const raw = await hourlyReadings(db, pump, addDays(last.t, -15));
    const prediction: PumpPrediction = {
      pump,
      asOf: formatTimestamp(raw[raw.length - 1].t),
      rulDays: null,
      rulVersion: null,
      risk: null,
      riskVersion: null,
      horizonDays: null,
      rulQuality: null,
      riskQuality: null,
    };
    const summaries = await listModels(db, pump);
    for (const kind of ['rul', 'risk'] as const) {
      const bundle = await loadBundle(db, pump, kind);
      if (!bundle) continue;
      // Features against the baseline the model was trained with.
      const value = predictBundle(
        bundle,
        featureMatrix(withEfficiency(raw, bundle.baseline), bundle.baseline).slice(-1),
      )[0];
      const summary = summaries.find((m) => m.kind === kind && m.version === bundle.version);
      const quality = summary ? qualityText(summary) : null;
      if (kind === 'rul')
        Object.assign(prediction, { rulDays: value, rulVersion: bundle.version, rulQuality: quality });
      else
        Object.assign(prediction, {
          risk: value,
          riskVersion: bundle.version,
          horizonDays: bundle.labels.horizonDays,
          riskQuality: quality,
        });
    }
    out.push(prediction);
  }
  return out;
}
