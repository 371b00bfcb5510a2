import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { listModels, promoteModel, rollbackModel, saveModel } from '../../models/registry';
import { trainModel } from '../../models/train';
import { openProject } from '../../project';
import {
  type Command,
  checkTimeOptions,
  intOption,
  parseCommandArgs,
  printed,
  progressPrinter,
  UsageError,
} from '../command';

function kindOption(value: string | undefined): 'rul' | 'risk' {
  if (value === undefined || value === 'rul' || value === 'risk') return value ?? 'rul';
  throw new UsageError(`invalid --kind: ${value} (rul or risk)`);
}

export const trainCommand: Command = {
  name: 'train',
  usage: `Usage: pumpdeck train --db FILE --pump ID [--kind rul|risk] [--from T] [--to T] [--trees N] [--json]

Builds the features of the pump's hourly readings (docs/models.md), labels them from the
maintenance log (RUL in days before a failure, capped at 90; risk = fails within 7 days), trains
a random forest in a worker thread on the earlier 80 % and tests it on the later 20 % (time order,
never shuffled), and saves it to the registry as a candidate. --json prints its version, data
range and metrics (MAE, RMSE, R² or precision, recall, F1). Promote it with pumpdeck models.`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      pump: { type: 'string' },
      kind: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      trees: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.db) throw new UsageError('--db FILE is required');
    if (!values.pump) throw new UsageError('--pump ID is required');
    const kind = kindOption(values.kind);
    checkTimeOptions(values, ['from', 'to']);
    const trees = intOption(values.trees, 'trees', [10, 500]);
    const path = resolve(values.db);
    if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
    const project = await openProject(path);
    const progress = progressPrinter('train');
    try {
      const trained = await trainModel(
        project.db,
        { pump: values.pump, kind, from: values.from, to: values.to, trees },
        { onProgress: progress },
      );
      progress.end();
      const model = await saveModel(project.db, trained, new Date());
      if (values.json) console.log(JSON.stringify(model, null, 2));
      else
        console.log(
          `${model.pump} ${model.kind} v${model.version} (${model.stage}): ${Object.entries(model.metrics)
            .map(([k, v]) => `${k} ${Number(v.toFixed(4))}`)
            .join(
              ', ',
            )}; trained on ${model.trainRows} hours, tested on ${model.testRows} (${model.holdout.from} .. ${model.holdout.to})`,
        );
      return 0;
    } finally {
      project.db.close();
    }
  },
};

export const modelsCommand: Command = {
  name: 'models',
  usage: `Usage: pumpdeck models --db FILE [--pump ID] [--json]
       pumpdeck models --db FILE --pump ID --kind rul|risk --promote VERSION [--json]
       pumpdeck models --db FILE --pump ID --kind rul|risk --rollback VERSION [--json]

--promote scores the candidate and the production model on the candidate's holdout and
promotes it only when it is better (RMSE for RUL, F1 for risk); exit code 1 when it is not.
--rollback makes an earlier version the production model again.`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      pump: { type: 'string' },
      kind: { type: 'string' },
      promote: { type: 'string' },
      rollback: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.db) throw new UsageError('--db FILE is required');
    const promote = intOption(values.promote, 'promote', [1, 1_000_000]);
    const rollback = intOption(values.rollback, 'rollback', [1, 1_000_000]);
    const pump = values.pump;
    if ((promote || rollback) && (!pump || !values.kind))
      throw new UsageError('--promote and --rollback need --pump and --kind');
    const project = await openProject(resolve(values.db));
    try {
      const kind = kindOption(values.kind);
      if (promote && pump) {
        const result = await promoteModel(project.db, pump, kind, promote, new Date());
        console.log(values.json ? JSON.stringify(result, null, 2) : result.reason);
        return result.promoted ? 0 : 1;
      }
      if (rollback && pump) {
        const model = await rollbackModel(project.db, pump, kind, rollback, new Date());
        console.log(
          values.json
            ? JSON.stringify(model, null, 2)
            : `${model.pump} ${model.kind} v${model.version} is the production model again`,
        );
        return 0;
      }
      const models = await listModels(project.db, values.pump);
      if (values.json) console.log(JSON.stringify(models, null, 2));
      else if (models.length === 0) console.log('(no models)');
      else
        for (const m of models)
          console.log(
            `${m.pump.padEnd(8)} ${m.kind.padEnd(4)} v${String(m.version).padEnd(3)} ${m.stage.padEnd(10)} ${m.createdAt}  ${Object.entries(
              m.metrics,
            )
              .map(([k, v]) => `${k} ${Number(v.toFixed(4))}`)
              .join(', ')}`,
          );
      return 0;
    } finally {
      project.db.close();
    }
  },
};
