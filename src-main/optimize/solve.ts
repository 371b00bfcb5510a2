import { Worker } from 'node:worker_threads';
import { ApiError } from '../../src-shared/api/errors';
import { builtFile } from '../builtFile';

// Solves an LP-format model with HiGHS in a worker thread (src-main/optimize/solveWorker.ts).

export interface LpSolution {
  /** HiGHS's model status: 'Optimal', 'Infeasible', 'Time limit reached', … */
  status: string;
  objective: number;
  columns: Record<string, number>;
}

export function solveLp(
  lp: string,
  options: { timeLimitS?: number; gap?: number; signal?: AbortSignal } = {},
): Promise<LpSolution> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new ApiError('cancelled', 'the optimization was cancelled'));
    const worker = new Worker(builtFile('worker/solve.mjs', 'the optimizer worker'), {
      workerData: {
        lp,
        // A 1 % gap: a schedule within 1 % of the optimum, found in seconds rather than minutes
        // (measured in bench:optimize); more heuristic effort finds good schedules sooner.
        options: {
          time_limit: options.timeLimitS ?? 30,
          mip_rel_gap: options.gap ?? 0.01,
          mip_heuristic_effort: 0.3,
          output_flag: false,
        },
      },
    });
    const finish = () => {
      options.signal?.removeEventListener('abort', abort);
      void worker.terminate();
    };
    const abort = () => {
      finish();
      reject(new ApiError('cancelled', 'the optimization was cancelled'));
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', (m: ({ type: 'done' } & LpSolution) | { type: 'error'; message: string }) => {
      finish();
      if (m.type === 'error') reject(new Error(`HiGHS: ${m.message}`));
      else resolve({ status: m.status, objective: m.objective, columns: m.columns });
    });
    worker.on('error', (error) => {
      finish();
      reject(error);
    });
  });
}
