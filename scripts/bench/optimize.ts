// npm run bench:optimize: the schedule MILP (HiGHS, in its worker) on the two sizes: the
// booster demo's 6 pumps × 24 hourly slots, on a year of minute data (the forecast backtests over
// it), and the lift demo's 8 VFD pumps × 96 quarter-hour slots. The reference in the same run is
// the greedy rule (fill in the cheapest slots, as few pumps as keep the band elsewhere): its cost
// on the same forecast and whether it keeps the band and the end level the MILP must keep; and HiGHS
// alone on the same programme (no race, no warm start, no budget), as the product solved it before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planWindow } from '../../src-main/optimize/optimize';
import { SOLVE_BUDGET_S, solveLp, solveSchedule } from '../../src-main/optimize/solve';
import { createDemoProject } from '../../src-main/project';
import type { ScheduleProblem } from '../../src-shared/optimize/problem';
import { scheduleLp } from '../../src-shared/optimize/problem';
import { greedySchedule, outcome } from '../../src-shared/optimize/schedule';

const dir = mkdtempSync(join(tmpdir(), 'pumpdeck-bench-optimize-'));

function keeps(problem: ScheduleProblem, volume: number[]): string {
  const band = volume.every((v, t) => v >= problem.volumeMin[t] - 1e-6 && v <= problem.volumeMax[t] + 1e-6);
  const end = volume[volume.length - 1];
  const endOk = problem.kind === 'booster' ? end >= problem.volumeEnd - 1e-6 : end <= problem.volumeEnd + 1e-6;
  return `${band ? 'band kept' : 'band BROKEN'}, ${endOk ? 'end kept' : 'end BROKEN'}`;
}

async function bench(
  label: string,
  project: Awaited<ReturnType<typeof createDemoProject>>,
  days: string[],
  slotMinutes: 15 | 60,
) {
  for (const at of days) {
    let t = performance.now();
    const planned = await planWindow(project.db, { at, hours: 24, slotMinutes });
    const planS = (performance.now() - t) / 1000;
    const { problem } = planned;
    const lp = scheduleLp(problem);
    t = performance.now();
    const solution = await solveSchedule(problem);
    const solveS = (performance.now() - t) / 1000;
    t = performance.now();
    const cold = await solveLp(lp);
    const coldS = (performance.now() - t) / 1000;
    const objective = solution.objective ?? Number.NaN;
    const gap = (g: number | null) => (g === null ? 'no gap' : `gap ${(g * 100).toFixed(2)} %`);
    t = performance.now();
    const greedy = greedySchedule(problem);
    const greedyMs = performance.now() - t;
    const g = outcome(problem, greedy);
    const pumps = problem.fixed.length + problem.vfd.length;
    console.log(
      `${label} ${at.slice(0, 10)}  ${pumps} pumps × ${problem.demand.length} slots  forecast+data ${planS.toFixed(2)} s (${planned.forecast.model})`,
    );
    console.log(
      `   MILP    ${solveS.toFixed(2)} s  ${solution.status.padEnd(8)} cost ${objective.toFixed(2)}  ${gap(solution.gap)}${solution.warmStarted ? ', warm-started' : ''}  (${lp.length.toLocaleString()} bytes of LP)`,
    );
    console.log(
      `   HiGHS alone ${coldS.toFixed(2)} s  ${cold.status.padEnd(8)} cost ${cold.objective?.toFixed(2) ?? '—'}  ${gap(cold.gap)}`,
    );
    console.log(
      `   greedy  ${(greedyMs / 1000).toFixed(3)} s  cost ${g.cost.toFixed(2)} (${((g.cost / objective - 1) * 100).toFixed(1)} % more), ${keeps(problem, g.volume)}`,
    );
  }
}

console.log(`budget ${SOLVE_BUDGET_S} s: past it the search returns the best schedule it holds, with its proved gap`);
let t = performance.now();
const booster = await createDemoProject({ dir: join(dir, 'booster'), days: 365, seed: 11 });
console.log(`booster demo, a year of minute data: built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
await bench('booster', booster, ['2025-12-20 00:00', '2026-01-10 00:00', '2026-02-20 00:00'], 60);
booster.db.close();
t = performance.now();
const lift = await createDemoProject({ dir: join(dir, 'lift'), days: 60, seed: 11, station: 'lift' });
console.log(`lift demo, 60 days of 15-minute data: built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
await bench('lift   ', lift, ['2025-04-20 00:00', '2025-04-25 00:00', '2025-04-28 00:00'], 15);
lift.db.close();
rmSync(dir, { recursive: true, force: true });
