import { ApiError } from '../../../src-shared/api/errors';
import type { Handlers } from '../../../src-shared/api/host';
import { anomalyTimeline } from '../../models/anomalyTimeline';
import {
  currentPredictions,
  getModel,
  listModels,
  modelEvaluation,
  promoteModel,
  rollbackModel,
  saveModel,
} from '../../models/registry';
import { trainModel } from '../../models/train';

import type { HandlerScope } from './scope';

/** Model training, the registry and predictions. */
export function modelHandlers({ requireProject, changed }: HandlerScope) {
  return {
    'models.train': async (request, { signal, progress }) => {
      const db = requireProject().db;
      const trained = await trainModel(db, request, { signal, onProgress: progress });
      const model = await saveModel(db, trained, new Date());
      changed(['model_registry']);
      return model;
    },
    'models.list': async ({ pump }) => listModels(requireProject().db, pump),
    'models.detail': async ({ pump, kind, version }) => {
      const db = requireProject().db;
      const model = await getModel(db, pump, kind, version);
      if (!model) throw new ApiError('not_found', `no ${kind} model v${version} for pump ${pump}`);
      return { model, evaluation: await modelEvaluation(db, pump, kind, version) };
    },
    'models.promote': async ({ pump, kind, version }) => {
      const result = await promoteModel(requireProject().db, pump, kind, version, new Date());
      if (result.promoted) changed(['model_registry']);
      return result;
    },
    'models.rollback': async ({ pump, kind, version }) => {
      const model = await rollbackModel(requireProject().db, pump, kind, version, new Date());
      changed(['model_registry']);
      return model;
    },
    'models.predictions': async () => currentPredictions(requireProject().db),
    'models.anomalies': async ({ pump, from, to }) => anomalyTimeline(requireProject().db, pump, from, to),
  } satisfies Partial<Handlers>;
}
