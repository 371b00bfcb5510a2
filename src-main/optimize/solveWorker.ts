import { parentPort, workerData } from 'node:worker_threads';
import highsLoader from 'highs';

// The MILP worker (out/worker/solve.mjs): HiGHS's solve() blocks its thread, so it runs here and
// the console stays responsive; the main side cancels by terminating the worker.

const { lp, options } = workerData as { lp: string; options: Record<string, number | boolean | string> };
const port = parentPort;
if (!port) throw new Error('solve.mjs runs as a worker thread');
const highs = await highsLoader();
try {
  const result = highs.solve(lp, options);
  const columns: Record<string, number> = {};
  for (const [name, column] of Object.entries(result.Columns))
    columns[name] = (column as { Primal?: number }).Primal ?? 0;
  port.postMessage({ type: 'done', status: result.Status, objective: result.ObjectiveValue, columns });
} catch (error) {
  port.postMessage({ type: 'error', message: (error as Error).message });
}
