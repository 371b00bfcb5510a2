import type { ForecastRun } from '../../../src-shared/api/contract';
import type { Handlers } from '../../../src-shared/api/host';
import { runForecast } from '../../forecast/forecast';
import { runOptimization } from '../../optimize/optimize';
import type { HandlerScope } from './scope';

/** Forecast and schedule (issue 20): long calls with progress and cancel. */
export function planningHandlers({ requireProject, changed }: HandlerScope) {
  return {
    'forecast.run': async ({ at, hours }, { signal, progress }) => {
      const result = await runForecast(requireProject().db, { at, hours, signal, onProgress: progress });
      changed(['model_performance']);
      return result;
    },
    'forecast.performance': async ({ limit }) =>
      requireProject().db.all<ForecastRun & Record<string, unknown>>(
        `SELECT strftime(run_at, '%Y-%m-%d %H:%M:%S') AS "runAt", strftime(origin, '%Y-%m-%d %H:%M:%S') AS origin,
                model, chosen, rmse_val AS rmse, mae_val AS mae
         FROM model_performance WHERE purpose = 'forecast' ORDER BY run_at DESC, model LIMIT ?`,
        [limit],
      ),
    'optimize.run': async (request, { signal, progress }) => {
      const result = await runOptimization(requireProject().db, { ...request, signal, onProgress: progress });
      changed(['optimization_runs', 'model_performance']);
      return result;
    },
  } satisfies Partial<Handlers>;
}
