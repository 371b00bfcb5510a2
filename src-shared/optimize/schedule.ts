import { pumpIds, type ScheduleProblem } from './problem';

// A schedule (which pump runs in which slot, and a VFD's flow) and what it does: the station's
// flow, power and stored volume per slot, its energy and cost. The same arithmetic scores the
// MILP's answer, the greedy heuristic's, and a replay of either against the demand that came.

export interface Schedule {
  /** on[p][t], pumps in pumpIds order. */
  on: boolean[][];
  /** VFD flow (m³/h) per VFD pump and slot, averaged over the slot; 0 when off. */
  vfdFlow: number[][];
  /** Share of the slot a VFD pump runs (a controller stopping it at the stop level); 1 when absent. */
  duty?: number[][];
  /** Share of each slot the station's running pumps run at all (an interlock stopped them in it); 1 when absent. */
  scale?: number[];
}

export interface ScheduleOutcome {
  flow: number[];
  kw: number[];
  /** Volume at the end of each slot (m³). */
  volume: number[];
  kwh: number;
  cost: number;
  starts: number;
}

export function vfdKw(lines: Array<{ a: number; b: number }>, flow: number): number {
  return Math.max(0, ...lines.map((l) => l.a + l.b * flow));
}

/** What `schedule` does against `demand` (the forecast, or the demand that came). */
export function outcome(problem: ScheduleProblem, schedule: Schedule, demand = problem.demand): ScheduleOutcome {
  const F = problem.fixed.length;
  const dt = problem.slotMinutes / 60;
  const sign = problem.kind === 'booster' ? 1 : -1;
  const ids = pumpIds(problem);
  const flow: number[] = [];
  const kw: number[] = [];
  const volume: number[] = [];
  let stored = problem.volumeStart;
  let kwh = 0;
  let cost = 0;
  let starts = 0;
  for (let t = 0; t < demand.length; t++) {
    const running = problem.fixed.filter((_, p) => schedule.on[p][t]);
    const k = Math.min(running.length, problem.stationFlow.length - 1);
    let q = F > 0 ? problem.stationFlow[k] : 0;
    let power = running.reduce((sum, pump) => sum + pump.kw, 0);
    problem.vfd.forEach((pump, j) => {
      if (!schedule.on[F + j][t]) return;
      const duty = schedule.duty?.[j][t] ?? 1;
      q += schedule.vfdFlow[j][t];
      if (duty > 0) power += vfdKw(pump.lines, schedule.vfdFlow[j][t] / duty) * duty;
    });
    ids.forEach((id, p) => {
      const was = t === 0 ? problem.runningBefore.includes(id) : schedule.on[p][t - 1];
      if (schedule.on[p][t] && !was) starts++;
    });
    const share = schedule.scale?.[t] ?? 1;
    q *= share;
    power *= share;
    stored += sign * dt * (q - demand[t]);
    flow.push(q);
    kw.push(power);
    volume.push(stored);
    kwh += power * dt;
    cost += power * dt * problem.price[t];
  }
  return { flow, kw, volume, kwh, cost, starts };
}

/**
 * The rule a level-controlled station with a tariff would follow, for comparison: in the cheapest
 * slots of the window run as many pumps as keep the volume within its band, elsewhere as few.
 * It ignores starts and run times; the bench reports its cost and time beside the MILP's.
 */
export function greedySchedule(problem: ScheduleProblem): Schedule {
  const T = problem.demand.length;
  const F = problem.fixed.length;
  const P = F + problem.vfd.length;
  const dt = problem.slotMinutes / 60;
  const sign = problem.kind === 'booster' ? 1 : -1;
  const cheapest = Math.min(...problem.price);
  const on = Array.from({ length: P }, () => new Array<boolean>(T).fill(false));
  const vfdFlow = problem.vfd.map(() => new Array<number>(T).fill(0));
  // Fixed pumps by kW (cheapest first), then VFDs at full flow.
  const order = [...problem.fixed.map((f, p) => ({ p, kw: f.kw }))].sort((a, b) => a.kw - b.kw).map((x) => x.p);
  const options = Math.min(problem.maxOn, P);
  const flowWith = (n: number) => {
    const fixed = Math.min(n, F);
    const vfd = problem.vfd.slice(0, Math.max(0, n - F)).reduce((sum, pump) => sum + pump.qmax, 0);
    return (F > 0 ? problem.stationFlow[Math.min(fixed, problem.stationFlow.length - 1)] : 0) + vfd;
  };
  // How far the slots after t can still move the volume toward the end target, all pumps on (booster)
  // or off (lift): a slot may not leave the volume where the end can no longer be reached.
  const catchUp = new Array<number>(T + 1).fill(0);
  for (let t = T - 1; t >= 0; t--) {
    const move = problem.kind === 'booster' ? flowWith(options) - problem.demand[t] : problem.demand[t];
    catchUp[t] = catchUp[t + 1] + Math.max(0, move * dt);
  }
  let stored = problem.volumeStart;
  for (let t = 0; t < T; t++) {
    const next = (n: number) => stored + sign * dt * (flowWith(n) - problem.demand[t]);
    const reachable = (n: number) =>
      problem.kind === 'booster'
        ? next(n) + catchUp[t + 1] >= problem.volumeEnd
        : next(n) - catchUp[t + 1] <= problem.volumeEnd;
    const fits = (n: number) => next(n) >= problem.volumeMin[t] && next(n) <= problem.volumeMax[t] && reachable(n);
    const feasible = [...Array(options + 1).keys()].filter(fits);
    const cheap = problem.price[t] <= cheapest + 1e-9;
    const fillTank = cheap === (problem.kind === 'booster');
    let n = feasible.length
      ? fillTank
        ? feasible[feasible.length - 1]
        : feasible[0]
      : // None fits: the one that lands nearest the band.
        [...Array(options + 1).keys()].sort((a, b) => distance(next(a), problem, t) - distance(next(b), problem, t))[0];
    n = Math.max(0, Math.min(options, n));
    for (let k = 0; k < n; k++) {
      const p = k < F ? order[k] : k;
      on[p][t] = true;
      if (p >= F) vfdFlow[p - F][t] = problem.vfd[p - F].qmax;
    }
    stored = next(n);
  }
  return { on, vfdFlow };
}

function distance(volume: number, problem: ScheduleProblem, t: number): number {
  return Math.max(0, problem.volumeMin[t] - volume, volume - problem.volumeMax[t]);
}
