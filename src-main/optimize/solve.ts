import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../src-shared/api/errors';
import { type ScheduleProblem, scheduleLp } from '../../src-shared/optimize/problem';
import { builtFile } from '../builtFile';
import { wasmApi } from './wasm';

// Solves an LP-format model with HiGHS in a worker thread (src-main/optimize/solveWorker.ts).

export interface LpSolution {
  /** optimal: within the gap asked; feasible: a schedule, stopped by the budget or the time limit. */
  status: 'optimal' | 'feasible' | 'infeasible' | 'unsolved';
  objective: number | null;
  /** The relative gap HiGHS proved between the schedule and the best possible (null without one). */
  gap: number | null;
  columns: Record<string, number>;
  /** Whether the warm-start model's answer was taken as the MIP start. */
  warmStarted: boolean;
}

export interface SolveOptions {
  timeLimitS?: number;
  gap?: number;
  /** Past this many seconds the search returns the best schedule it holds (if it holds one). */
  budgetS?: number;
  /**
   * Instead of a budget in seconds, one in branch-and-bound nodes: the same schedule whatever else
   * the machine is doing (the replay's re-plans: a claim must not depend on the machine's load).
   */
  maxNodes?: number;
  /**
   * A second racer: the same programme written as `lp` (the same columns), searched from the
   * answer of `startLp`, a restriction of it whose answer is feasible for it.
   */
  second?: { lp: string; startLp: string };
  signal?: AbortSignal;
  onProgress?: (phase: string) => void;
}

/** Seconds a search without a schedule goes on before giving up. */
export const SOLVE_TIME_LIMIT_S = 30;

/** What the worker is given (workerData). */
export interface SolveRequest {
  lp: string;
  /** HiGHS compiled once per process (a WebAssembly.Module): a worker instantiates it instead of compiling 3.5 MB again. */
  wasm?: object;
  warmLp?: string;
  budgetS?: number;
  maxNodes?: number;
  options: { time_limit: number; mip_rel_gap: number; mip_heuristic_effort: number; output_flag: boolean };
}

export type WorkerMessage =
  | ({ type: 'done' } & LpSolution)
  /** gap: of the schedule the worker holds, null while it holds none. */
  | { type: 'progress'; gap: number | null }
  | { type: 'error'; message: string };

/** One HiGHS worker: its answer, and the gap of the schedule it holds (null: none yet). */
interface Running {
  answer: Promise<LpSolution>;
  gap: () => number | null;
  stop: () => void;
}

let compiled: Promise<object | undefined> | null = null;

/** HiGHS's WebAssembly, compiled once (undefined: the worker loads it itself). */
function highsWasm(): Promise<object | undefined> {
  compiled ??= readFile(join(dirname(createRequire(import.meta.url).resolve('highs')), 'highs.wasm'))
    .then((bytes) => wasmApi.compile(bytes))
    .catch(() => undefined);
  return compiled;
}

function startWorker(request: SolveRequest, onProgress: () => void): Running {
  const worker = new Worker(builtFile('worker/solve.mjs', 'the optimizer worker'), { workerData: request });
  let gap: number | null = null;
  const answer = new Promise<LpSolution>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') {
        gap = m.gap;
        onProgress();
        return;
      }
      void worker.terminate();
      if (m.type === 'error') reject(new Error(`HiGHS: ${m.message}`));
      else
        resolve({
          status: m.status,
          objective: m.objective,
          gap: m.gap,
          columns: m.columns,
          warmStarted: m.warmStarted,
        });
    });
    worker.on('error', reject);
    worker.on('exit', () => reject(new ApiError('cancelled', 'the optimization was cancelled')));
  });
  return { answer, gap: () => gap, stop: () => void worker.terminate() };
}

const proved = (s: LpSolution) => s.status === 'optimal' || s.status === 'infeasible';

/** The better of two answers: a proof first, then the cheaper schedule. */
function better(a: LpSolution, b: LpSolution): LpSolution {
  if (proved(a) !== proved(b)) return proved(a) ? a : b;
  return (b.objective ?? Number.POSITIVE_INFINITY) < (a.objective ?? Number.POSITIVE_INFINITY) ? b : a;
}

/**
 * Solves `lp`. With a second writing two workers race on the machine's two cores (solveWorker.ts).
 * A proof (optimal within the gap, or infeasible) from either ends both; a schedule returned past
 * the budget is taken once the other worker has answered too or holds none.
 */
// Long because it starts the racers, reports their progress and settles the race in one place.
export async function solveLp(lp: string, options: SolveOptions = {}): Promise<LpSolution> {
  if (options.signal?.aborted) return Promise.reject(new ApiError('cancelled', 'the optimization was cancelled'));
  const request: SolveRequest = {
    lp,
    budgetS: options.maxNodes === undefined ? options.budgetS : undefined,
    maxNodes: options.maxNodes,
    // A 1 % gap: a schedule within 1 % of the optimum, found in seconds rather than minutes
    // (measured in bench:optimize); more heuristic effort finds good schedules sooner.
    options: {
      time_limit: options.timeLimitS ?? SOLVE_TIME_LIMIT_S,
      mip_rel_gap: options.gap ?? 0.01,
      mip_heuristic_effort: 0.3,
      output_flag: false,
    },
  };
  const progress = () => {
    const gaps = racers.map((r) => r.gap()).filter((g): g is number => g !== null);
    options.onProgress?.(
      gaps.length ? `searching (within ${(Math.min(...gaps) * 100).toFixed(1)} % of the best possible)` : 'searching',
    );
  };
  request.wasm = await highsWasm();
  const racers: Running[] = [
    startWorker(request, progress),
    ...(options.second
      ? [startWorker({ ...request, lp: options.second.lp, warmLp: options.second.startLp }, progress)]
      : []),
  ];
  return new Promise<LpSolution>((resolve, reject) => {
    const answers = new Map<number, LpSolution>();
    const failures: unknown[] = [];
    const pending = new Set(racers.keys());
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', abort);
      for (const racer of racers) racer.stop();
      outcome();
    };
    const abort = () => settle(() => reject(new ApiError('cancelled', 'the optimization was cancelled')));
    options.signal?.addEventListener('abort', abort, { once: true });
    const decide = () => {
      const got = [...answers.values()];
      const best = got.length ? got.reduce(better) : null;
      const othersHold = [...pending].some((i) => racers[i].gap() !== null);
      if (best && (proved(best) || pending.size === 0 || (best.status === 'feasible' && !othersHold)))
        settle(() => resolve(best));
      else if (!best && pending.size === 0) settle(() => reject(failures[0]));
    };
    racers.forEach((racer, i) => {
      racer.answer.then(
        (answer) => {
          answers.set(i, answer);
          pending.delete(i);
          decide();
        },
        (error: unknown) => {
          failures.push(error);
          pending.delete(i);
          decide();
        },
      );
    });
  });
}

/**
 * Seconds after which the schedule search returns the best schedule it holds, with its proved gap
 * (measured in bench:optimize: the 1 % gap is usually proved sooner; some quarter-hour days take 30 s).
 */
export const SOLVE_BUDGET_S = 4;

/**
 * The schedule programme, solved. With sub-hourly slots HiGHS alone can take many seconds to find
 * a first schedule (bench:optimize), so a second racer solves the programme with fewer choices
 * (pumps switching on the hour, fixed-speed pumps in merit order) first and searches from its
 * schedule, on the other writing of the run and rest rows (which is faster varies by day).
 */
export function solveSchedule(
  problem: ScheduleProblem,
  options: Omit<SolveOptions, 'second'> = {},
): Promise<LpSolution> {
  return solveLp(scheduleLp(problem), {
    budgetS: SOLVE_BUDGET_S,
    ...options,
    // Hourly programmes race nothing: there HiGHS's time goes to proving the bound, not to finding a
    // schedule, and two racers on two cores each ran slower than one alone (bench:optimize).
    second:
      problem.slotMinutes < 60
        ? {
            lp: scheduleLp(problem, { aggregated: true }),
            startLp: scheduleLp(problem, { restricted: true, aggregated: true }),
          }
        : undefined,
  });
}
