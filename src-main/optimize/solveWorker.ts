import { parentPort, workerData } from 'node:worker_threads';
import highsLoader from 'highs';
import type { SolveRequest, WorkerMessage } from './solve';
import { wasmApi } from './wasm';

// The MILP worker (out/worker/solve.mjs): HiGHS's run() blocks its thread, so it runs here and the
// console stays responsive; the main side cancels by terminating the worker.
//
// With a warm-start model (the same programme with coarser switching) the search has three steps,
// each one HiGHS solve: the warm model gives a first schedule; the full model's LP relaxation gives
// a bound; the full model with every binary the relaxation and the schedule agree on held fixed
// (RINS) improves the schedule. Then the full search starts from the best schedule. Past the
// budget it stops as soon as it holds a schedule and reports the gap proved; without one it goes on
// to the time limit. (HiGHS runs RINS too, but only after its root cuts, which on the quarter-hour
// programmes take seconds and barely move the bound: measured in bench:optimize.)

const request = workerData as SolveRequest;
const port = parentPort;
if (!port) throw new Error('solve.mjs runs as a worker thread');
const post = (message: WorkerMessage) => port.postMessage(message);
// The module compiled once by the main side, when it sent one: instantiating it takes milliseconds
// where compiling took some 200 ms a solve (the replay solves dozens).
const compiled = request.wasm;
const highs = await highsLoader(
  (compiled
    ? {
        // Emscripten's hook: instantiate the given module, hand the instance back.
        instantiateWasm: (imports: object, receive: (instance: object) => void) => {
          void wasmApi.instantiate(compiled, imports).then(receive);
          return {};
        },
      }
    : undefined) as Parameters<typeof highsLoader>[0],
);
const { callbackType, modelStatus } = highs.constants;
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const timeLeft = () => Math.max(0.5, request.options.time_limit - elapsed());
/** HiGHS's primal_solution_status for a feasible point. */
const FEASIBLE_POINT = 2;
/** A binary whose relaxed value is this close to the schedule's is held in the RINS step. */
const AGREE = 0.1;

type Model = ReturnType<typeof highs.createModel>;
interface Point {
  values: Float64Array;
  objective: number;
}

/** An info value, or null where HiGHS has none (an LP has no MIP gap). */
function infoNumber(model: Model, name: string): number | null {
  try {
    const value = Number(model.info.get(name));
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

const feasible = (model: Model) => infoNumber(model, 'primal_solution_status') === FEASIBLE_POINT;

function run(model: Model, timeLimit: number, callbacks?: Parameters<Model['run']>[0]) {
  model.zeroAllClocks();
  model.options.set('time_limit', Math.max(0.1, timeLimit));
  // A budget in nodes (the replay's re-plans) makes the answer the same on a busy machine.
  if (request.maxNodes !== undefined) model.options.set('mip_max_nodes', request.maxNodes);
  return model.run(callbacks);
}

/** The warm model's schedule, in the full model's column order (the same names). */
function warmStart(full: Model): Point | null {
  if (!request.warmLp) return null;
  post({ type: 'progress', gap: null });
  const warm = highs.createModel({ format: 'lp', data: request.warmLp });
  try {
    warm.options.set(request.options);
    // Not bounded by the budget: the budget stops a search that holds a schedule, and this is how
    // this worker gets one.
    run(warm, timeLeft() / 2);
    if (!feasible(warm)) return null;
    const values = new Float64Array(full.getDimensions().numCols);
    const own = warm.getSolution().colValue;
    for (let i = 0; i < own.length; i++) values[full.getColByName(warm.getColName(i))] = own[i];
    return { values, objective: warm.getObjectiveValue() };
  } finally {
    warm.dispose();
  }
}

/** The LP relaxation's bound and point; the model's integrality is restored. */
function relaxation(model: Model, integer: number[]): { bound: number; values: Float64Array } | null {
  model.clearIntegrality();
  try {
    const result = run(model, timeLeft());
    return result.modelStatus === modelStatus.optimal
      ? { bound: model.getObjectiveValue(), values: model.getSolution().colValue }
      : null;
  } finally {
    for (const i of integer) model.changeColIntegrality(i, highs.constants.variableType.integer);
  }
}

/**
 * RINS: the full model with the binaries the relaxation agrees with held at the schedule's values
 * (every integer column of the programme is a binary, so its bounds go back to 0..1).
 */
function rins(model: Model, integer: number[], start: Point, relaxed: Float64Array): Point {
  const held = integer.filter((i) => Math.abs(relaxed[i] - start.values[i]) < AGREE);
  for (const i of held) model.changeColBounds(i, Math.round(start.values[i]), Math.round(start.values[i]));
  try {
    model.setSolution({ colValue: start.values });
    run(model, request.budgetS === undefined ? timeLeft() : Math.min(timeLeft(), request.budgetS - elapsed()));
    const objective = model.getObjectiveValue();
    return feasible(model) && objective < start.objective ? { values: model.getSolution().colValue, objective } : start;
  } finally {
    for (const i of held) model.changeColBounds(i, 0, 1);
  }
}

// Long because it runs the steps in order, each with its own time and its answer's bookkeeping.
function solve(): Extract<WorkerMessage, { type: 'done' }> {
  const model = highs.createModel({ format: 'lp', data: request.lp });
  try {
    model.options.set(request.options);
    const { numCols } = model.getDimensions();
    const integer = [...Array(numCols).keys()].filter(
      (i) => model.getColIntegrality(i) === highs.constants.variableType.integer,
    );
    let start = warmStart(model);
    let bound = Number.NEGATIVE_INFINITY;
    if (start && integer.length) {
      const relaxed = relaxation(model, integer);
      if (relaxed) {
        bound = relaxed.bound;
        start = rins(model, integer, start, relaxed.values);
      }
    }
    const gapOf = (objective: number) => (objective - bound) / Math.max(1e-9, Math.abs(objective));
    let status: Extract<WorkerMessage, { type: 'done' }>['status'];
    let best: Point | null = start;
    if (start && gapOf(start.objective) <= request.options.mip_rel_gap) status = 'optimal';
    else {
      if (start) model.setSolution({ colValue: start.values });
      let reported = 0;
      const result = run(model, timeLeft(), {
        [callbackType.mipInterrupt]: (event) => {
          const incumbent = event.data.objective_function_value;
          const holds = incumbent !== undefined && Number.isFinite(incumbent);
          if (elapsed() - reported > 0.25) {
            reported = elapsed();
            post({ type: 'progress', gap: holds ? (event.data.mip_gap ?? null) : null });
          }
          if (holds && request.budgetS !== undefined && elapsed() > request.budgetS) event.interrupt();
        },
      });
      bound = Math.max(bound, infoNumber(model, 'mip_dual_bound') ?? bound);
      if (feasible(model)) best = { values: model.getSolution().colValue, objective: model.getObjectiveValue() };
      status =
        result.modelStatus === modelStatus.optimal
          ? 'optimal'
          : result.modelStatus === modelStatus.infeasible
            ? 'infeasible'
            : best
              ? 'feasible'
              : 'unsolved';
    }
    const names = best ? [...Array(numCols).keys()].map((i) => model.getColName(i)) : [];
    const gap = best && Number.isFinite(bound) ? Math.max(0, gapOf(best.objective)) : null;
    return {
      type: 'done',
      status,
      objective: best?.objective ?? null,
      gap: best && integer.length === 0 ? 0 : gap,
      columns: best ? Object.fromEntries(names.map((name, i) => [name, best.values[i]])) : {},
      warmStarted: start !== null,
    };
  } finally {
    model.dispose();
  }
}

try {
  post(solve());
} catch (error) {
  post({ type: 'error', message: (error as Error).message });
}
