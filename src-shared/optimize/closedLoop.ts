import { owedCost, pastEnd, pumpIds, type ScheduleProblem } from './problem';
import { outcome, type Schedule } from './schedule';

// A schedule replayed as a station would run it (issue 31): closed loop. At each re-plan (every
// hour) the demand is forecast again from what was known then, the programme is solved again from
// the level the replay has reached, and its first hour is run against the demand that came, with
// the station's interlocks: a wet well's pumps stop at its low level and every pump starts at its
// high level (a tank's the other way round). What it leaves past the station's own end is pumped
// after the window (the programme's owed segments), so it is priced at equal end state. Pure: the
// planner and the forecast are given.

export interface ClosedLoopInputs {
  /** The window's programme: its slots, prices, pumps, band, start, end target and owed segments. */
  problem: ScheduleProblem;
  /** The demand that came, per slot. */
  actual: number[];
  /** The demand of the slots from `slot` to the window's end, forecast with what was known at `slot`. */
  forecastFrom: (slot: number) => Promise<number[]> | number[];
  /** The schedule for a programme; `fallback` when no schedule held the band and the closest was taken. */
  plan: (problem: ScheduleProblem) => Promise<{ schedule: Schedule; fallback: boolean } | null>;
  /** Slots between two plans (an hour). */
  every: number;
  /** The interlocks as volumes (m³): the band's ends. */
  low: number;
  high: number;
}

export interface ClosedLoopResult {
  /** What ran, slot by slot (the share of a slot its pumps ran in `scale`). */
  schedule: Schedule;
  volume: number[];
  flow: number[];
  kwh: number;
  cost: number;
  /** m³ left past the end target, and what pumping them after the window costs (null: more than the next day can pump). */
  owedM3: number;
  owedCost: number | null;
  plans: number;
  /** Plans that found no schedule holding the band with the forecast and took the closest. */
  fallbacks: number;
  /** Slots in which an interlock stopped pumps or started more. */
  interlocked: number;
}

/** The sub-programme from `slot` to the end, from the replay's state, on a new forecast. */
function remaining(problem: ScheduleProblem, slot: number, volume: number, running: string[], demand: number[]) {
  return {
    ...problem,
    demand,
    price: problem.price.slice(slot),
    volumeStart: volume,
    volumeMin: problem.volumeMin.slice(slot),
    volumeMax: problem.volumeMax.slice(slot),
    runningBefore: running,
  };
}

/** One slot of `schedule` (slot 0 of it) from `volume` against `demand`: its flow and end volume. */
function slotOf(
  problem: ScheduleProblem,
  schedule: Schedule,
  t: number,
  volume: number,
  running: string[],
  demand: number,
) {
  const one: ScheduleProblem = {
    ...problem,
    demand: [demand],
    price: [problem.price[t]],
    volumeStart: volume,
    runningBefore: running,
  };
  const result = outcome(one, schedule);
  return { flow: result.flow[0], volume: result.volume[0] };
}

// Long because each slot runs the plan, then each interlock in turn, in one place.
export async function closedLoop(inputs: ClosedLoopInputs): Promise<ClosedLoopResult> {
  const { problem, actual, every } = inputs;
  const T = actual.length;
  const F = problem.fixed.length;
  const ids = pumpIds(problem);
  const P = ids.length;
  const lift = problem.kind === 'lift';
  const on = ids.map(() => new Array<boolean>(T).fill(false));
  const vfdFlow = problem.vfd.map(() => new Array<number>(T).fill(0));
  const duty = problem.vfd.map(() => new Array<number>(T).fill(1));
  const scale = new Array<number>(T).fill(1);
  let volume = problem.volumeStart;
  let running = [...problem.runningBefore];
  let plans = 0;
  let fallbacks = 0;
  let interlocked = 0;
  for (let k = 0; k < T; k += every) {
    const sub = remaining(problem, k, volume, running, await inputs.forecastFrom(k));
    const planned = await inputs.plan(sub);
    plans++;
    if (planned?.fallback) fallbacks++;
    // The level the plan expects at the end of each slot (on its forecast): what the VFDs follow.
    const path = planned ? outcome(sub, planned.schedule).volume : null;
    for (let t = k; t < Math.min(T, k + every); t++) {
      // The plan's slot (none: the pumps running go on as they are).
      const slot: Schedule = planned
        ? {
            on: planned.schedule.on.map((row) => [row[t - k]]),
            vfdFlow: planned.schedule.vfdFlow.map((row) => [row[t - k]]),
            duty: planned.schedule.duty?.map((row) => [row[t - k]]),
          }
        : {
            on: ids.map((id) => [running.includes(id)]),
            vfdFlow: problem.vfd.map((pump, j) => [running.includes(ids[F + j]) ? pump.qmax : 0]),
          };
      if (path) followLevel(problem, slot, volume, path[t - k], actual[t]);
      let next = slotOf(problem, slot, t, volume, running, actual[t]);
      // A plan may sit on the band's edge (met to the solver's tolerance): a thousandth of the band past it is no breach.
      const tolerance = 1e-3 * (inputs.high - inputs.low);
      const tooFull = (v: number) => (lift ? v > inputs.high + tolerance : v < inputs.low - tolerance);
      const tooEmpty = (v: number) => (lift ? v < inputs.low - tolerance : v > inputs.high + tolerance);
      // The far end of the band: the running pumps go to full speed, then every pump the station
      // may run starts, the largest first.
      if (tooFull(next.volume) && problem.vfd.some((pump, j) => slot.on[F + j][0] && slot.vfdFlow[j][0] < pump.qmax)) {
        problem.vfd.forEach((pump, j) => {
          if (!slot.on[F + j][0]) return;
          slot.vfdFlow[j][0] = pump.qmax;
          if (slot.duty) slot.duty[j][0] = 1;
        });
        next = slotOf(problem, slot, t, volume, running, actual[t]);
        interlocked++;
      }
      if (tooFull(next.volume)) {
        const off = [...Array(P).keys()].filter((p) => !slot.on[p][0]);
        for (const p of off.sort((a, b) => capacity(problem, b) - capacity(problem, a))) {
          if (!tooFull(next.volume) || slot.on.filter((row) => row[0]).length >= problem.maxOn) break;
          slot.on[p][0] = true;
          if (p >= F) {
            slot.vfdFlow[p - F][0] = problem.vfd[p - F].qmax;
            if (slot.duty) slot.duty[p - F][0] = 1;
          }
          next = slotOf(problem, slot, t, volume, running, actual[t]);
          interlocked++;
        }
      }
      // The near end: the pumps stop there, for the rest of the slot.
      if (tooEmpty(next.volume) && next.flow > 0) {
        // Room to the end of the band plus what comes in (lift) or goes out (booster) in the slot,
        // over what the pumps move in a whole slot.
        const dt = problem.slotMinutes / 60;
        const room = lift ? volume - inputs.low : inputs.high - volume;
        const share = (room + dt * actual[t]) / (dt * next.flow);
        slot.scale = [Math.min(1, Math.max(0, share))];
        next = slotOf(problem, slot, t, volume, running, actual[t]);
        interlocked++;
      }
      for (let p = 0; p < P; p++) on[p][t] = slot.on[p][0];
      for (let j = 0; j < problem.vfd.length; j++) {
        vfdFlow[j][t] = slot.vfdFlow[j][0];
        duty[j][t] = slot.duty?.[j][0] ?? 1;
      }
      scale[t] = slot.scale?.[0] ?? 1;
      volume = next.volume;
      running = ids.filter((_, p) => on[p][t] && scale[t] > 0);
    }
  }
  const schedule: Schedule = { on, vfdFlow, duty, scale };
  const played = outcome(problem, schedule, actual);
  const owedM3 = Math.max(0, pastEnd(problem, played.volume[T - 1] ?? problem.volumeStart));
  return {
    schedule,
    volume: played.volume,
    flow: played.flow,
    kwh: played.kwh,
    cost: played.cost,
    owedM3,
    owedCost: problem.owed ? owedCost(problem.owed, owedM3) : owedM3 > 1e-6 ? null : 0,
    plans,
    fallbacks,
    interlocked,
  };
}

/**
 * The level controller: the running VFD pumps deliver what brings the store to the plan's level at
 * the end of the slot (the demand that came plus the difference). At the speeds the plan chose they
 * run the share of the slot that takes (stopped at the stop level, started again); past a whole slot
 * they speed up, to their full flow.
 */
function followLevel(problem: ScheduleProblem, slot: Schedule, volume: number, target: number, demand: number): void {
  const F = problem.fixed.length;
  const running = problem.vfd.map((_, j) => slot.on[F + j][0]);
  if (!running.some(Boolean)) return;
  const dt = problem.slotMinutes / 60;
  const fixedOnly: Schedule = { on: slot.on.map((row, p) => [row[0] && p < F]), vfdFlow: slot.vfdFlow.map(() => [0]) };
  const fixed = outcome({ ...problem, demand: [demand], price: [0], volumeStart: volume }, fixedOnly).flow[0];
  const wanted = Math.max(0, demand + (problem.kind === 'lift' ? volume - target : target - volume) / dt - fixed);
  // Each running pump's planned speed, as the flow it delivers while it runs.
  const rate = problem.vfd.map((p, j) => {
    if (!running[j]) return 0;
    const share = slot.duty?.[j][0] ?? 1;
    return share > 1e-9 ? Math.max(p.qmin, slot.vfdFlow[j][0] / share) : p.qmin;
  });
  const planned = rate.reduce((a, b) => a + b, 0);
  const most = problem.vfd.reduce((s, p, j) => s + (running[j] ? p.qmax : 0), 0);
  const share = planned > 0 ? Math.min(1, wanted / planned) : 0;
  // Past the planned speeds: each pump a like part of the way to its full flow.
  const up = wanted > planned && most > planned ? Math.min(1, (wanted - planned) / (most - planned)) : 0;
  slot.duty = problem.vfd.map(() => [1]);
  problem.vfd.forEach((p, j) => {
    if (!running[j]) return;
    (slot.duty as number[][])[j][0] = share;
    slot.vfdFlow[j][0] = (rate[j] + up * (p.qmax - rate[j])) * share;
  });
}

/** A pump's flow at full speed (a fixed-speed pump: what it adds to the station alone). */
function capacity(problem: ScheduleProblem, p: number): number {
  const F = problem.fixed.length;
  return p >= F ? problem.vfd[p - F].qmax : (problem.stationFlow[1] ?? 0);
}
