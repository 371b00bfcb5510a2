// The pump schedule as a mixed-integer programme (issue 20), written in CPLEX LP format for HiGHS.
//
// Per slot t and pump p a binary u[p,t] says the pump runs. Fixed-speed pumps share one header: the
// station's flow when k of them run is F(k), measured (binary y[k,t] picks k; Σk·y = Σu), so the
// header's loss is in the model and the MILP stays linear. A pump on a VFD runs a share d[p,t] ≤
// u[p,t] of the slot (a level controller stops it at the stop level and starts it again) and
// delivers q[p,t] in [qmin·d, qmax·d]; its kW is convex in flow, taken as the largest of a few
// tangent lines (kW ≥ a·d + b·q for each, the perspective of a·1 + b·flow), which a minimisation
// meets exactly. The stored volume follows
// the balance of pumped flow and the demand (booster: demand drains the tank; lift: inflow fills
// the well), stays within a band per slot, and ends no worse than it began. Starts, minimum run
// and rest times and a starts limit per pump per day bound the switching. Objective: energy cost,
// plus, with `owed`, what water left past the end target costs to pump after the window, so every
// schedule is priced at equal end state (issue 31). Two more writings: `relaxed`, the programme without its
// integrality and switching rows (a lower bound on any schedule, duty cycling within a slot
// included: the hindsight bound), and `softBand`, the band as a priced slack (the schedule
// closest to feasible when the forecast leaves none).

export interface FixedPump {
  id: string;
  /** kW when running. */
  kw: number;
}

export interface VfdPump {
  id: string;
  /** Flow range when running (m³/h). */
  qmin: number;
  qmax: number;
  /** kW ≥ a + b·q for each line (convex). */
  lines: Array<{ a: number; b: number }>;
}

export interface ScheduleProblem {
  kind: 'booster' | 'lift';
  slotMinutes: number;
  /** The demand the pumps must meet, m³/h per slot (booster: drawn from the tank; lift: inflow). */
  demand: number[];
  /** Price per kWh per slot (1 everywhere when the station has none: the cost is then kWh). */
  price: number[];
  fixed: FixedPump[];
  /** Station flow (m³/h) with k fixed-speed pumps running, k = 0..maxOn. */
  stationFlow: number[];
  vfd: VfdPump[];
  /** Stored volume (m³): at the start, and the band at the end of each slot. */
  volumeStart: number;
  volumeMin: number[];
  volumeMax: number[];
  /** Booster: the volume at the end is at least this; lift: at most. */
  volumeEnd: number;
  /** At most this many pumps at once (fixed and VFD together). */
  maxOn: number;
  minRunSlots: number;
  minRestSlots: number;
  maxStartsPerDay: number;
  /** Which pumps ran in the slot before the window (ids). */
  runningBefore: string[];
  /**
   * Water left past the end target (a lift's well above it, a booster's tank below it) is pumped
   * after the window: so many m³ at so much per m³, the next day's hours cheapest first at the
   * station's rate, so the cost is convex. Without it the end target is a hard row.
   */
  owed?: Array<{ m3: number; costPerM3: number }>;
}

/** Numbers past which a programme is ill-posed for the solver (and for any station): m³, m³/h, kW, price. */
const SANE = { m3: 1e9, m3h: 1e6, kw: 1e5, price: 1e4 };

/**
 * Why a programme is ill-posed, or null: every number finite and of a physical size, the band
 * the right way round. Checked before the solver sees it (issue 35: a level of 1e308 m reached
 * HiGHS as "readModel failed").
 */
export function illPosed(problem: ScheduleProblem): string | null {
  const bad = (what: string, values: readonly number[], max: number) =>
    values.some((v) => !Number.isFinite(v) || Math.abs(v) > max) ? what : null;
  const found =
    bad(
      'the stored volume (level range and area or volume table)',
      [problem.volumeStart, problem.volumeEnd, ...problem.volumeMin, ...problem.volumeMax],
      SANE.m3,
    ) ??
    bad('the demand forecast', problem.demand, SANE.m3h) ??
    bad('the pumps’ flows', [...problem.stationFlow, ...problem.vfd.flatMap((p) => [p.qmin, p.qmax])], SANE.m3h) ??
    bad(
      'the pumps’ kW',
      [...problem.fixed.map((f) => f.kw), ...problem.vfd.flatMap((p) => p.lines.flatMap((l) => [l.a, l.b * p.qmax]))],
      SANE.kw,
    ) ??
    bad('the prices', problem.price, SANE.price);
  if (found) return `${found}: a value is not finite or not of a physical size`;
  if (problem.volumeMin.some((v, t) => v > problem.volumeMax[t]))
    return 'the level band: its low end is above its high end';
  return null;
}

/** What leaving `m3` past the end target costs: the owed segments filled cheapest first (null: more than they hold). */
export function owedCost(owed: NonNullable<ScheduleProblem['owed']>, m3: number): number | null {
  let left = Math.max(0, m3);
  let cost = 0;
  for (const segment of [...owed].sort((a, b) => a.costPerM3 - b.costPerM3)) {
    const take = Math.min(left, segment.m3);
    cost += take * segment.costPerM3;
    left -= take;
  }
  return left > 1e-6 ? null : cost;
}

/** m³ a volume at the end lies past the target: positive left to pump after the window, negative pumped ahead. */
export function pastEnd(problem: Pick<ScheduleProblem, 'kind' | 'volumeEnd'>, end: number): number {
  return problem.kind === 'booster' ? problem.volumeEnd - end : end - problem.volumeEnd;
}

export const u = (p: number, t: number) => `u_${p}_${t}`;
const y = (k: number, t: number) => `y_${k}_${t}`;
export const q = (p: number, t: number) => `q_${p}_${t}`;
const w = (p: number, t: number) => `w_${p}_${t}`;
export const d = (p: number, t: number) => `d_${p}_${t}`;
const s = (p: number, t: number) => `s_${p}_${t}`;
const e = (p: number, t: number) => `e_${p}_${t}`;
const v = (t: number) => `v_${t}`;
const o = (i: number) => `o_${i}`;
const lo = (t: number) => `lo_${t}`;
const hi = (t: number) => `hi_${t}`;

/** A number as LP text: fixed point, no exponent. */
const n = (x: number) => {
  const r = Math.round(x * 1e6) / 1e6;
  return r.toFixed(6).replace(/\.?0+$/, '') || '0';
};
/** "+ 3 x" / "- 3 x" terms. */
const term = (c: number, name: string) => (c >= 0 ? `+ ${n(c)} ${name}` : `- ${n(-c)} ${name}`);

/** The schedule in a solution's columns: which pump runs in which slot, and each VFD's flow. */
export function scheduleOf(
  problem: ScheduleProblem,
  columns: Record<string, number>,
): { on: boolean[][]; vfdFlow: number[][]; duty: number[][] } {
  const slots = [...problem.demand.keys()];
  const F = problem.fixed.length;
  return {
    on: pumpIds(problem).map((_, p) => slots.map((t) => columns[u(p, t)] > 0.5)),
    vfdFlow: problem.vfd.map((_, j) => slots.map((t) => columns[q(F + j, t)] ?? 0)),
    duty: problem.vfd.map((_, j) => slots.map((t) => Math.min(1, Math.max(0, columns[d(F + j, t)] ?? 1)))),
  };
}

/** Pumps in one list: the fixed-speed ones first, then the VFDs (u's index p follows it). */
export function pumpIds(problem: ScheduleProblem): string[] {
  return [...problem.fixed.map((f) => f.id), ...problem.vfd.map((p) => p.id)];
}

/** Two writings of the same programme (the same columns, the same schedules). */
export interface LpOptions {
  /**
   * The same programme with fewer choices, whose answer is a feasible start for the full one: pumps
   * switch only on the hour, and fixed-speed pumps run in merit order (the cheapest in kW first),
   * which leaves their near-identical combinations no symmetry to search through.
   */
  restricted?: boolean;
  /**
   * Run and rest times as one row per pump and slot instead of one per pair of slots: a tighter
   * relaxation, faster on some programmes and slower on others (bench:optimize), so the search
   * races both writings.
   */
  aggregated?: boolean;
  /**
   * No integrality, no starts, run or rest rows: a pump may run part of a slot (as a controller
   * stopping it at the stop level does) and switch freely. Its optimum is no more than any
   * schedule's cost: the bound a hindsight figure must be.
   */
  relaxed?: boolean;
  /** The band as slack priced at this much per m³ outside it (for the schedule closest to feasible). */
  softBand?: number;
}

/** The programme in CPLEX LP text. */
// Long because it writes every constraint family of the programme in one place, in order.
export function scheduleLp(problem: ScheduleProblem, options: LpOptions = {}): string {
  const T = problem.demand.length;
  const F = problem.fixed.length;
  const P = F + problem.vfd.length;
  const K = Math.min(problem.maxOn, F, problem.stationFlow.length - 1);
  const dt = problem.slotMinutes / 60;
  const sign = problem.kind === 'booster' ? 1 : -1; // pumped flow fills a tank, empties a well
  const ids = pumpIds(problem);
  const before = ids.map((id) => problem.runningBefore.includes(id));
  const rows: string[] = [];
  const add = (name: string, text: string) => rows.push(` ${name}: ${text}`);

  const objective: string[] = [];
  for (let t = 0; t < T; t++) {
    const c = problem.price[t] * dt;
    for (const [p, f] of problem.fixed.entries()) objective.push(term(c * f.kw, u(p, t)));
    for (let j = 0; j < problem.vfd.length; j++) objective.push(term(c, w(F + j, t)));
    if (options.softBand) objective.push(term(options.softBand, lo(t)), term(options.softBand, hi(t)));
  }
  const owed = problem.owed ?? [];
  for (const [i, segment] of owed.entries()) objective.push(term(segment.costPerM3, o(i)));

  for (let t = 0; t < T; t++) {
    if (F > 0) {
      add(
        `count_${t}`,
        `${problem.fixed.map((_, p) => `+ ${u(p, t)}`).join(' ')} ${[...Array(K + 1).keys()].map((k) => term(-k, y(k, t))).join(' ')} = 0`,
      );
      add(`one_${t}`, `${[...Array(K + 1).keys()].map((k) => `+ ${y(k, t)}`).join(' ')} = 1`);
    }
    add(`max_on_${t}`, `${ids.map((_, p) => `+ ${u(p, t)}`).join(' ')} <= ${problem.maxOn}`);
    problem.vfd.forEach((pump, j) => {
      const p = F + j;
      add(`duty_${p}_${t}`, `${d(p, t)} - ${u(p, t)} <= 0`);
      add(`qmax_${p}_${t}`, `${q(p, t)} ${term(-pump.qmax, d(p, t))} <= 0`);
      add(`qmin_${p}_${t}`, `${q(p, t)} ${term(-pump.qmin, d(p, t))} >= 0`);
      for (const [l, line] of pump.lines.entries())
        add(`kw_${p}_${t}_${l}`, `${w(p, t)} ${term(-line.a, d(p, t))} ${term(-line.b, q(p, t))} >= 0`);
    });
    // Balance: v_t − v_{t−1} − sign·dt·(pumped) = −sign·dt·demand_t.
    const pumped = [
      ...(F > 0 ? [...Array(K + 1).keys()].map((k) => term(-sign * dt * problem.stationFlow[k], y(k, t))) : []),
      ...problem.vfd.map((_, j) => term(-sign * dt, q(F + j, t))),
    ].join(' ');
    const previous = t === 0 ? '' : ` - ${v(t - 1)}`;
    const rhs = -sign * dt * problem.demand[t] + (t === 0 ? problem.volumeStart : 0);
    add(`balance_${t}`, `${v(t)}${previous} ${pumped} = ${n(rhs)}`);

    if (options.softBand) {
      add(`band_lo_${t}`, `${v(t)} + ${lo(t)} >= ${n(problem.volumeMin[t])}`);
      add(`band_hi_${t}`, `${v(t)} - ${hi(t)} <= ${n(problem.volumeMax[t])}`);
    }
    for (let p = 0; p < P && !options.relaxed; p++) {
      const was = t === 0 ? null : u(p, t - 1);
      const wasOn = t === 0 ? (before[p] ? 1 : 0) : 0;
      if (options.aggregated) {
        // s − e = u_t − u_{t−1}; Σ starts in the last minRun slots ≤ u_t; Σ stops in the last
        // minRest slots ≤ 1 − u_t: one row each (the min-up/down polytope's facets).
        add(`switch_${p}_${t}`, `${s(p, t)} - ${e(p, t)} - ${u(p, t)}${was ? ` + ${was}` : ''} = ${-wasOn}`);
        const recent = (name: (p: number, t: number) => string, slots: number) =>
          [...Array(Math.min(slots, t + 1)).keys()].map((k) => `+ ${name(p, t - k)}`).join(' ');
        if (problem.minRunSlots > 1) add(`run_${p}_${t}`, `${recent(s, problem.minRunSlots)} - ${u(p, t)} <= 0`);
        add(`rest_${p}_${t}`, `${recent(e, Math.max(1, problem.minRestSlots))} + ${u(p, t)} <= 1`);
        continue;
      }
      // Starts and stops: s ≥ u_t − u_{t−1}, e ≥ u_{t−1} − u_t.
      add(`start_${p}_${t}`, `${s(p, t)} - ${u(p, t)}${was ? ` + ${was}` : ''} >= ${-wasOn}`);
      add(`stop_${p}_${t}`, `${e(p, t)} + ${u(p, t)}${was ? ` - ${was}` : ''} >= ${wasOn}`);
      // A pump started within the last minRun slots still runs; one stopped within minRest still rests.
      for (let k = 1; k < problem.minRunSlots && t - k >= 0; k++)
        add(`run_${p}_${t}_${k}`, `${u(p, t)} - ${s(p, t - k)} >= 0`);
      for (let k = 1; k < problem.minRestSlots && t - k >= 0; k++)
        add(`rest_${p}_${t}_${k}`, `${u(p, t)} + ${e(p, t - k)} <= 1`);
    }
  }
  const perDay = Math.max(1, Math.round((24 * 60) / problem.slotMinutes));
  for (let p = 0; p < P && !options.relaxed; p++)
    for (let d = 0; d * perDay < T; d++) {
      const slots = [...Array(Math.min(perDay, T - d * perDay)).keys()].map((k) => `+ ${s(p, d * perDay + k)}`);
      add(`starts_${p}_${d}`, `${slots.join(' ')} <= ${problem.maxStartsPerDay}`);
    }
  if (options.restricted) {
    const perHour = Math.max(1, Math.round(60 / problem.slotMinutes));
    for (let p = 0; p < P; p++)
      for (let t = 0; t + 1 < T; t++)
        if ((t + 1) % perHour !== 0) add(`hold_${p}_${t}`, `${u(p, t)} - ${u(p, t + 1)} = 0`);
    const merit = [...problem.fixed.keys()].sort((a, b) => problem.fixed[a].kw - problem.fixed[b].kw);
    for (let k = 0; k + 1 < merit.length; k++)
      for (let t = 0; t < T; t++) add(`merit_${k}_${t}`, `${u(merit[k], t)} - ${u(merit[k + 1], t)} >= 0`);
  }
  // At the end: no worse than the target, or the water past it owed to the hours after the window
  // (with the band's slack, the end's too: what the pumps cannot reach).
  const toward = problem.kind === 'booster' ? '+' : '-';
  const past = [...owed.map((_, i) => o(i)), ...(options.softBand ? [lo(T)] : [])]
    .map((x) => ` ${toward} ${x}`)
    .join('');
  add('end', `${v(T - 1)}${past} ${problem.kind === 'booster' ? '>=' : '<='} ${n(problem.volumeEnd)}`);
  if (options.softBand) objective.push(term(options.softBand, lo(T)));

  const bounds: string[] = [];
  const binaries: string[] = [];
  for (let t = 0; t < T; t++) {
    // With the band's slack the volume is free: a forecast past every pump's reach shows as a
    // shortfall under the band, which the slack's price keeps as small as the pumps can.
    bounds.push(
      options.softBand ? ` ${v(t)} free` : ` ${n(problem.volumeMin[t])} <= ${v(t)} <= ${n(problem.volumeMax[t])}`,
    );
    if (options.softBand) bounds.push(` ${lo(t)} >= 0`, ` ${hi(t)} >= 0`);
    for (let p = 0; p < P; p++) {
      if (options.relaxed) bounds.push(` 0 <= ${u(p, t)} <= 1`);
      else {
        binaries.push(u(p, t));
        bounds.push(` 0 <= ${s(p, t)} <= 1`, ` 0 <= ${e(p, t)} <= 1`);
      }
    }
    for (const [j, pump] of problem.vfd.entries())
      bounds.push(` 0 <= ${q(F + j, t)} <= ${n(pump.qmax)}`, ` ${w(F + j, t)} >= 0`, ` 0 <= ${d(F + j, t)} <= 1`);
    if (F > 0)
      for (let k = 0; k <= K; k++) {
        if (options.relaxed) bounds.push(` 0 <= ${y(k, t)} <= 1`);
        else binaries.push(y(k, t));
      }
  }
  for (const [i, segment] of owed.entries()) bounds.push(` 0 <= ${o(i)} <= ${n(segment.m3)}`);
  if (options.softBand) bounds.push(` ${lo(T)} >= 0`);
  return [
    'Minimize',
    ` obj: ${objective.join(' ') || '0 v_0'}`,
    'Subject To',
    ...rows,
    'Bounds',
    ...bounds,
    ...(binaries.length ? ['Binary', ...chunk(binaries, 12).map((line) => ` ${line.join(' ')}`)] : []),
    'End',
    '',
  ].join('\n');
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
