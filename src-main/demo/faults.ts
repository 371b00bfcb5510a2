import { ApiError } from '../../src-shared/api/errors';
import { isPumpId, PUMPS, type PumpId } from '../../src-shared/tags';

// Faults injected into the demo station's historian values, so every alert rule can be shown to
// fire on a real export: `kind@DAY:HH:MM+MINUTES[:PUMP]`, e.g. `trip@2:03:10+12:P3` = pump P3
// trips on day 2 at 03:10 for 12 minutes. Values are in DEFAULT_TAGS order.

const DAY_TOTAL = 0;
const FLOW = 1;
const LEVEL = 2;
const ON = (k: number) => 3 + k;
const KW = (k: number) => 9 + k;

export interface FaultRow {
  time: number;
  values: number[];
}

interface FaultKind {
  needsPump: boolean;
  /**
   * What the fault implies of the pumps: `pump` its pump was commanded on (a trip or an overcurrent
   * of a stopped pump is no fault), a number: at least that many pumps run (a closed discharge with
   * nothing running shows nothing). Pumps that are off then are started for the fault (P1 first),
   * with their normal power and flow.
   */
  running?: 'pump' | number;
  help: string;
  /** Changes one minute in place; `m` is the minute of the fault (0-based). */
  apply(row: FaultRow, k: number, m: number, state: { frozen?: number }): void;
  /** The fault removes its rows (a logging gap). */
  drops?: boolean;
}

const running = (v: number[]) => PUMPS.map((_, k) => k).filter((k) => v[ON(k)] === 1);

/** Starts pump k for the fault: commanded on, its normal power, its share of flow. */
function startPump(v: number[], k: number): void {
  if (v[ON(k)] === 1) return;
  v[ON(k)] = 1;
  v[KW(k)] = 29;
  v[FLOW] += 85;
}

export const FAULT_KINDS: Record<string, FaultKind> = {
  trip: {
    needsPump: true,
    running: 'pump',
    help: 'pump commanded ON draws 0 kW and adds no flow (B-01)',
    apply: ({ values: v }, k) => {
      if (v[ON(k)] === 1) {
        v[FLOW] *= 1 - 1 / running(v).length;
        v[KW(k)] = 0;
      }
    },
  },
  circuit: {
    needsPump: false,
    running: 2,
    help: 'all but one running pump lose power (A-02)',
    apply: ({ values: v }) => {
      const r = running(v);
      r.slice(1).forEach((k) => {
        v[KW(k)] = 0;
      });
      v[FLOW] *= 1 / Math.max(1, r.length);
    },
  },
  alltrip: {
    needsPump: false,
    running: 1,
    help: 'every commanded pump draws 0 kW, no flow (B-07)',
    apply: ({ values: v }) => {
      running(v).forEach((k) => {
        v[KW(k)] = 0;
      });
      v[FLOW] = 0;
    },
  },
  outage: {
    needsPump: false,
    help: 'supply lost: every pump off, 0 kW, no flow, the tank drains 2.5 units/min (A-01, H-01, A-03 after)',
    apply: ({ values: v }, _k, m) => {
      for (let k = 0; k < PUMPS.length; k++) {
        v[ON(k)] = 0;
        v[KW(k)] = 0;
      }
      v[FLOW] = 0;
      v[LEVEL] -= 2.5 * (m + 1);
    },
  },
  noflow: {
    needsPump: false,
    running: 1,
    help: 'discharge closed: pumps run at normal power, FIT101 reads 0 (B-02 alone, B-03 for two or more)',
    apply: ({ values: v }) => {
      v[FLOW] = 0;
    },
  },
  overcurrent: {
    needsPump: true,
    running: 'pump',
    help: 'pump draws 1.75 × its power, about 1.4 × rated (B-04)',
    apply: ({ values: v }, k) => {
      v[KW(k)] *= 1.75;
    },
  },
  underload: {
    needsPump: true,
    running: 'pump',
    help: 'pump draws 30 % of rated power (B-05)',
    apply: ({ values: v }, k) => {
      if (v[ON(k)] === 1) v[KW(k)] = 37 * 0.3;
    },
  },
  contactor: {
    needsPump: true,
    help: 'pump commanded OFF keeps drawing 25 kW (B-06)',
    apply: ({ values: v }, k) => {
      if (v[ON(k)] === 0) v[KW(k)] = 25;
    },
  },
  fluctuate: {
    needsPump: true,
    running: 'pump',
    help: 'pump power swings ±40 % minute to minute (A-04)',
    apply: ({ values: v }, k, m) => {
      if (v[ON(k)] === 1) v[KW(k)] *= m % 2 ? 1.4 : 0.7;
    },
  },
  backflow: {
    needsPump: false,
    help: 'flow of 6 with every pump off (C-01, C-05 and H-04 at night)',
    apply: ({ values: v }) => {
      if (running(v).length === 0) v[FLOW] = 6;
    },
  },
  spike: {
    needsPump: false,
    running: 1,
    help: 'flow reads 2.2 × what the pumps deliver (C-02)',
    apply: ({ values: v }) => {
      v[FLOW] *= 2.2;
    },
  },
  crash: {
    needsPump: false,
    running: 1,
    help: 'flow falls to 30 % at normal pump power (C-03)',
    apply: ({ values: v }) => {
      v[FLOW] *= 0.3;
    },
  },
  flowstuck: {
    needsPump: false,
    help: 'FIT101 repeats its first value (C-06 when pumps change state, F-03 when they run steadily)',
    apply: ({ values: v }, _k, _m, s) => {
      s.frozen ??= v[FLOW];
      v[FLOW] = s.frozen;
    },
  },
  levelstuck: {
    needsPump: false,
    help: 'HLT101 repeats its first value (D-07 / F-04)',
    apply: ({ values: v }, _k, _m, s) => {
      s.frozen ??= v[LEVEL];
      v[LEVEL] = s.frozen;
    },
  },
  totalstuck: {
    needsPump: false,
    help: 'the day total stops advancing (C-07)',
    apply: ({ values: v }, _k, _m, s) => {
      s.frozen ??= v[DAY_TOTAL];
      v[DAY_TOTAL] = s.frozen;
    },
  },
  burst: {
    needsPump: false,
    help: 'the tank drains 3 units/min more than demand (D-04 with pumps off)',
    apply: ({ values: v }, _k, m) => {
      v[LEVEL] -= 3 * (m + 1);
    },
  },
  badlevel: {
    needsPump: false,
    help: 'HLT101 reads 1.2 × its physical maximum (D-06)',
    apply: ({ values: v }) => {
      v[LEVEL] = 600;
    },
  },
  badflow: {
    needsPump: false,
    help: 'FIT101 reads 900, beyond the meter (F-05)',
    apply: ({ values: v }) => {
      v[FLOW] = 900;
    },
  },
  badkw: {
    needsPump: true,
    running: 'pump',
    help: 'pump energy reads 2.5 × rated (F-06)',
    apply: ({ values: v }, k) => {
      v[KW(k)] = 37 * 2.5;
    },
  },
  shortcycle: {
    needsPump: true,
    help: 'pump starts every 8 minutes and runs 4 (E-03)',
    apply: ({ values: v }, k, m) => {
      const on = m % 8 < 4;
      v[ON(k)] = on ? 1 : 0;
      v[KW(k)] = on ? 29 : 0;
    },
  },
  run: {
    needsPump: true,
    running: 'pump',
    help: 'pump forced ON with its normal power and flow (E-01 after 20 h)',
    apply: () => {},
  },
  lowlevel: {
    needsPump: false,
    help: 'HLT101 at 12 % and falling 0.2 units/min (D-01)',
    apply: ({ values: v }, _k, m) => {
      v[LEVEL] = 60 - 0.2 * m;
    },
  },
  emptylevel: {
    needsPump: false,
    help: 'HLT101 at 1 % (D-02)',
    apply: ({ values: v }) => {
      v[LEVEL] = 5;
    },
  },
  highlevel: {
    needsPump: false,
    help: 'HLT101 at 94 % and rising 0.3 units/min (D-03 with pumps on, G-01 in peak hours)',
    apply: ({ values: v }, _k, m) => {
      v[LEVEL] = 470 + 0.3 * m;
    },
  },
  hold: {
    needsPump: false,
    help: 'the PLC holds every pump off with the tank at 46 % and falling (A-05)',
    apply: ({ values: v }, _k, m) => {
      for (let k = 0; k < PUMPS.length; k++) {
        v[ON(k)] = 0;
        v[KW(k)] = 0;
      }
      v[FLOW] = 0;
      v[LEVEL] = 230 - 0.2 * m;
    },
  },
  allon: {
    needsPump: false,
    help: 'all six pumps on at normal power, delivering 380 (E-02 with a level that does not rise)',
    apply: ({ values: v }) => {
      PUMPS.forEach((_, k) => {
        if (v[ON(k)] !== 1) {
          v[ON(k)] = 1;
          v[KW(k)] = 29;
        }
      });
      v[FLOW] = 380;
    },
  },
  wear: {
    needsPump: true,
    help: 'worn pump: 40 % more power for the same flow (E-05, then G-03 while it runs; over days)',
    apply: ({ values: v }, k) => {
      if (v[ON(k)] === 1) v[KW(k)] *= 1.4;
    },
  },
  clog: {
    needsPump: false,
    running: 1,
    help: 'clogging screens: every running pump needs 30 % more power for the same flow (C-04 over a day)',
    apply: ({ values: v }) => {
      running(v).forEach((k) => {
        v[KW(k)] *= 1.3;
      });
    },
  },
  cycle: {
    needsPump: true,
    help: 'pump starts every 4 minutes and runs 2 (E-04; E-03 yields)',
    apply: ({ values: v }, k, m) => {
      const on = m % 4 < 2;
      v[ON(k)] = on ? 1 : 0;
      v[KW(k)] = on ? 29 : 0;
    },
  },
  gap: { needsPump: false, drops: true, help: 'no rows logged (F-01 up to 30 min, F-02 beyond)', apply: () => {} },
};

export interface DemoFault {
  kind: string;
  day: number;
  hour: number;
  minute: number;
  minutes: number;
  pump: PumpId | null;
}

export function parseFault(text: string): DemoFault {
  const m = /^([a-z]+)@(\d+):(\d{1,2}):(\d{2})\+(\d+)(?::(P\d))?$/.exec(text.trim());
  if (!m)
    throw new ApiError('bad_input', `invalid fault: ${text} (kind@DAY:HH:MM+MINUTES[:PUMP], e.g. trip@2:03:10+12:P3)`);
  const [, kind, day, hour, minute, minutes, pump] = m;
  const spec = FAULT_KINDS[kind];
  if (!spec) throw new ApiError('bad_input', `unknown fault kind: ${kind} (${Object.keys(FAULT_KINDS).join(', ')})`);
  if (spec.needsPump && !pump) throw new ApiError('bad_input', `fault ${kind} needs a pump: ${text}`);
  if (pump && !isPumpId(pump)) throw new ApiError('bad_input', `unknown pump in fault ${text}`);
  if (+hour > 23 || +minute > 59 || +day < 1 || +minutes < 1)
    throw new ApiError('bad_input', `invalid fault time: ${text}`);
  return { kind, day: +day, hour: +hour, minute: +minute, minutes: +minutes, pump: (pump as PumpId) ?? null };
}

export function faultStart(fault: DemoFault, firstDayMs: number): number {
  return firstDayMs + (fault.day - 1) * 86_400_000 + (fault.hour * 60 + fault.minute) * 60_000;
}

/** Applies faults to a stream of rows (in time order); yields the rows to write. */
export function* applyFaults(rows: Iterable<FaultRow>, faults: DemoFault[], firstDayMs: number): Generator<FaultRow> {
  const active = faults.map((fault) => ({
    fault,
    start: faultStart(fault, firstDayMs),
    state: {} as { frozen?: number },
  }));
  for (const row of rows) {
    let keep = true;
    for (const { fault, start, state } of active) {
      const m = Math.round((row.time - start) / 60_000);
      if (m < 0 || m >= fault.minutes) continue;
      const k = fault.pump ? PUMPS.indexOf(fault.pump) : 0;
      const spec = FAULT_KINDS[fault.kind];
      if (spec.running === 'pump') startPump(row.values, k);
      else if (spec.running !== undefined)
        for (let j = 0; running(row.values).length < spec.running; j++) startPump(row.values, j);
      spec.apply(row, k, m, state);
      if (spec.drops) keep = false;
    }
    if (keep) yield row;
  }
}
