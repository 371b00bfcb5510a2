import { describe, expect, it } from 'vitest';
import { RULES } from '../../src-shared/alerts/catalog';
import { type AlertRecord, evaluateAlerts } from '../../src-shared/alerts/engine';
import type { MinuteReading } from '../../src-shared/alerts/minute';
import { formatTimestamp } from '../../src-shared/time';
import { demoStationConfig } from '../demo/createDemo';
import { demoReadings } from '../demo/demoReadings';
import { parseFault } from '../demo/faults';

// One scenario per rule: a fault injected (as `pumpdeck demo --fault` does) at a moment the healthy
// simulation makes valid; the rule fires at the right minute for the right pump and clears, and no
// other CRITICAL or HIGH rule fires beyond the consequences the scenario names.

const SIM = { days: 10, seed: 1, start: '2025-03-01' };
const station = demoStationConfig();
const healthy = demoReadings(SIM);
const MIN = 60_000;
const ons = (r: MinuteReading) => r.on.filter(Boolean).length;

/** The first minute from day 3 on where `ok` holds for `minutes` minutes (and the minute before). */
function findWindow(ok: (r: MinuteReading) => boolean, minutes: number, fromDay = 3): number {
  for (let i = fromDay * 1440; i + minutes < healthy.length; i++) {
    let good = ok(healthy[i - 1]);
    for (let j = i; good && j < i + minutes; j++) good = ok(healthy[j]);
    if (good) return i;
  }
  throw new Error('no such window in the demo');
}

function spec(kind: string, i: number, minutes: number, pump?: string): string {
  const d = new Date(healthy[i].time);
  const day = Math.floor((healthy[i].time - healthy[0].time) / 86_400_000) + 1;
  return `${kind}@${day}:${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}+${minutes}${pump ? `:${pump}` : ''}`;
}

function run(...faults: string[]): AlertRecord[] {
  return evaluateAlerts(demoReadings(SIM, faults.map(parseFault)), station);
}

const strong = (alerts: AlertRecord[], except: string[]) =>
  alerts
    .filter((a) => (a.severity === 'CRITICAL' || a.severity === 'HIGH') && !except.includes(a.rule))
    .map((a) => `${a.rule} ${a.pump ?? ''} ${formatTimestamp(a.timestamp)}`);

interface Scenario {
  rule: string;
  /** Where the fault goes, how long, and which pump (index into P1..P6). */
  place: () => { fault: string; start: number; pump: string | null };
  /** Minutes from the fault's start to the raise. */
  raisedAfter: number;
  /** Minutes from the fault's start to the clear (null: check only that it cleared). */
  clearedAfter?: number | null;
  /** Consequences that may also raise a CRITICAL or HIGH alert. */
  consequences?: string[];
}

const pumpRunning = (minutes: number, k = 2) => findWindow((r) => r.on[k] === true, minutes);
const SCENARIOS: Scenario[] = [
  {
    rule: 'B-01',
    place: () => {
      const i = pumpRunning(20);
      return { fault: spec('trip', i, 12, 'P3'), start: i, pump: 'P3' };
    },
    raisedAfter: 2,
    clearedAfter: 12,
  },
  {
    rule: 'A-02',
    place: () => {
      const i = findWindow((r) => ons(r) >= 3, 15);
      return { fault: spec('circuit', i, 10), start: i, pump: null };
    },
    raisedAfter: 1,
    clearedAfter: 10,
  },
  {
    rule: 'B-07',
    place: () => {
      const i = findWindow((r) => ons(r) >= 2, 15);
      return { fault: spec('alltrip', i, 10), start: i, pump: null };
    },
    raisedAfter: 2,
    clearedAfter: 10,
  },
  {
    rule: 'A-01',
    place: () => {
      const i = findWindow((r) => ons(r) >= 2 && (r.level ?? 0) > 300, 20);
      return { fault: spec('outage', i, 15), start: i, pump: null };
    },
    raisedAfter: 0,
    clearedAfter: 15,
    consequences: ['D-04'],
  },
  {
    rule: 'B-02',
    place: () => {
      const i = findWindow((r) => ons(r) === 1, 15);
      return { fault: spec('noflow', i, 10), start: i, pump: `P${healthy[i].on.indexOf(true) + 1}` };
    },
    raisedAfter: 5,
    clearedAfter: 10,
  },
  {
    rule: 'B-03',
    place: () => {
      const i = findWindow((r) => ons(r) >= 2, 15);
      return { fault: spec('noflow', i, 10), start: i, pump: null };
    },
    raisedAfter: 3,
    clearedAfter: 10,
  },
  {
    rule: 'B-04',
    place: () => {
      const i = pumpRunning(30);
      return { fault: spec('overcurrent', i, 20, 'P3'), start: i, pump: 'P3' };
    },
    raisedAfter: 5,
    clearedAfter: 20,
  },
  {
    rule: 'B-05',
    place: () => {
      const i = pumpRunning(30);
      return { fault: spec('underload', i, 20, 'P3'), start: i, pump: 'P3' };
    },
    raisedAfter: 10,
    clearedAfter: 20,
  },
  {
    rule: 'B-06',
    place: () => {
      const i = findWindow((r) => r.on[4] === false, 15);
      return { fault: spec('contactor', i, 10, 'P5'), start: i, pump: 'P5' };
    },
    raisedAfter: 2,
    clearedAfter: 10,
  },
  {
    rule: 'C-01',
    place: () => {
      const i = findWindow(
        (r) => ons(r) === 0 && new Date(r.time).getUTCHours() >= 10 && new Date(r.time).getUTCHours() < 20,
        15,
      );
      return { fault: spec('backflow', i, 10), start: i, pump: null };
    },
    raisedAfter: 3,
    clearedAfter: 10,
  },
  {
    rule: 'D-04',
    place: () => {
      const i = findWindow((r) => ons(r) === 0, 15);
      return { fault: spec('burst', i, 10), start: i, pump: null };
    },
    raisedAfter: 1,
    clearedAfter: null,
  },
  {
    rule: 'D-06',
    place: () => {
      const i = findWindow((r) => ons(r) === 0, 10);
      return { fault: spec('badlevel', i, 5), start: i, pump: null };
    },
    raisedAfter: 0,
    clearedAfter: null,
  },
  {
    rule: 'F-05',
    place: () => {
      const i = findWindow((r) => ons(r) >= 1, 10);
      return { fault: spec('badflow', i, 5), start: i, pump: null };
    },
    raisedAfter: 0,
    clearedAfter: null,
  },
  {
    rule: 'F-02',
    place: () => {
      const i = 5 * 1440 + 600;
      return { fault: spec('gap', i, 45), start: i, pump: null };
    },
    raisedAfter: 0,
    clearedAfter: 45,
  },
  {
    rule: 'E-04',
    place: () => {
      const i = findWindow((r) => r.on[5] === false, 70);
      return { fault: spec('cycle', i, 60, 'P6'), start: i, pump: 'P6' };
    },
    raisedAfter: 40,
    clearedAfter: null,
  },
  {
    rule: 'C-03',
    place: () => {
      const i = findWindow((r) => ons(r) >= 1, 15);
      return { fault: spec('crash', i, 10), start: i, pump: null };
    },
    raisedAfter: 1,
    clearedAfter: null,
  },
  {
    rule: 'D-01',
    place: () => {
      const i = findWindow((r) => ons(r) === 1, 20);
      return { fault: spec('lowlevel', i, 15), start: i, pump: null };
    },
    raisedAfter: 5,
    clearedAfter: null,
  },
  {
    rule: 'D-02',
    place: () => {
      const i = findWindow((r) => ons(r) === 1, 15);
      return { fault: spec('emptylevel', i, 10), start: i, pump: null };
    },
    raisedAfter: 2,
    clearedAfter: null,
    consequences: ['D-01'],
  },
  {
    rule: 'D-03',
    place: () => {
      const i = findWindow(
        (r) => ons(r) === 1 && new Date(r.time).getUTCHours() >= 10 && new Date(r.time).getUTCHours() < 16,
        20,
      );
      return { fault: spec('highlevel', i, 15), start: i, pump: null };
    },
    raisedAfter: 2,
    clearedAfter: null,
  },
  {
    rule: 'D-05',
    place: () => {
      const i = findWindow((r) => ons(r) >= 3, 40, 3) + 15;
      return { fault: spec('levelstuck', i, 15), start: i, pump: null };
    },
    raisedAfter: 10,
    clearedAfter: null,
  },
  {
    rule: 'H-04',
    place: () => {
      const i = findWindow(
        (r) => ons(r) === 0 && (new Date(r.time).getUTCHours() >= 22 || new Date(r.time).getUTCHours() < 4),
        25,
      );
      return { fault: spec('backflow', i, 20), start: i, pump: null };
    },
    raisedAfter: 15,
    clearedAfter: null,
    consequences: ['C-01'],
  },
  {
    rule: 'A-04',
    place: () => {
      const i = pumpRunning(20);
      return { fault: spec('fluctuate', i, 10, 'P3'), start: i, pump: 'P3' };
    },
    raisedAfter: 1,
    clearedAfter: null,
  },
  {
    rule: 'A-03',
    place: () => {
      const i = findWindow((r) => ons(r) >= 2 && (r.level ?? 0) > 300, 20);
      return { fault: spec('outage', i, 15), start: i, pump: null };
    },
    raisedAfter: 15,
    clearedAfter: 15,
    consequences: ['A-01', 'D-04'],
  },
  {
    rule: 'C-02',
    place: () => {
      const i = findWindow((r) => ons(r) === 1, 15);
      return { fault: spec('spike', i, 10), start: i, pump: null };
    },
    raisedAfter: 0,
    clearedAfter: null,
  },
  {
    rule: 'C-05',
    place: () => {
      const i = findWindow(
        (r) => ons(r) === 0 && (new Date(r.time).getUTCHours() >= 22 || new Date(r.time).getUTCHours() < 4),
        25,
      );
      return { fault: spec('backflow', i, 20), start: i, pump: null };
    },
    raisedAfter: 0,
    clearedAfter: null,
    consequences: ['C-01', 'H-04'],
  },
  {
    rule: 'C-07',
    place: () => {
      const i = findWindow((r) => ons(r) >= 1, 45);
      return { fault: spec('totalstuck', i, 40), start: i, pump: null };
    },
    raisedAfter: 31,
    clearedAfter: 40,
  },
  {
    rule: 'F-03',
    place: () => {
      const i = findWindow((r) => ons(r) === 1, 30, 4);
      return { fault: spec('flowstuck', i, 25), start: i, pump: null };
    },
    raisedAfter: 16,
    clearedAfter: 25,
    consequences: ['C-03'],
  },
  {
    rule: 'F-04',
    place: () => {
      const i = findWindow((r) => ons(r) === 1, 35);
      return { fault: spec('levelstuck', i, 30), start: i, pump: null };
    },
    raisedAfter: 21,
    clearedAfter: 30,
  },
  {
    rule: 'E-01',
    place: () => {
      const i = findWindow((r) => r.on[1] === false, 30);
      return { fault: spec('run', i, 1300, 'P2'), start: i, pump: 'P2' };
    },
    raisedAfter: 1200,
    clearedAfter: 1300,
  },
  {
    rule: 'E-03',
    place: () => {
      const i = findWindow((r) => r.on[5] === false, 70);
      return { fault: spec('shortcycle', i, 64, 'P6'), start: i, pump: 'P6' };
    },
    raisedAfter: 32,
    clearedAfter: null,
  },
  {
    rule: 'F-01',
    place: () => {
      const i = 6 * 1440 + 600;
      return { fault: spec('gap', i, 20), start: i, pump: null };
    },
    raisedAfter: 0,
    clearedAfter: 20,
  },
  {
    rule: 'F-06',
    place: () => {
      const i = pumpRunning(15);
      return { fault: spec('badkw', i, 5, 'P3'), start: i, pump: 'P3' };
    },
    raisedAfter: 0,
    clearedAfter: null,
  },
  {
    rule: 'G-02',
    place: () => {
      const i = findWindow(
        (r) => ons(r) === 0 && new Date(r.time).getUTCHours() >= 10 && new Date(r.time).getUTCHours() < 20,
        15,
      );
      return { fault: spec('contactor', i, 10, 'P5'), start: i, pump: null };
    },
    raisedAfter: 5,
    clearedAfter: 10,
    consequences: ['B-06'],
  },
  {
    rule: 'H-03',
    place: () => {
      const i = findWindow((r) => ons(r) === 0, 20);
      return { fault: spec('lowlevel', i, 15), start: i, pump: null };
    },
    raisedAfter: 2,
    clearedAfter: null,
    consequences: ['D-01'],
  },
  {
    rule: 'A-05',
    place: () => {
      const i = findWindow((r) => ons(r) <= 1 && [0, 1, 2, 3, 22, 23].includes(new Date(r.time).getUTCHours()), 45);
      return { fault: spec('hold', i, 40), start: i, pump: null };
    },
    raisedAfter: 30,
    clearedAfter: 40,
  },
  {
    rule: 'C-06',
    place: () => {
      const i = changeWithin(20);
      return { fault: spec('flowstuck', i, 25), start: i, pump: null };
    },
    raisedAfter: 16,
    clearedAfter: 25,
    consequences: ['C-03'],
  },
  {
    rule: 'D-07',
    place: () => {
      const i = changeWithin(20);
      return { fault: spec('levelstuck', i, 30), start: i, pump: null };
    },
    raisedAfter: 21,
    clearedAfter: 30,
    consequences: ['D-05'],
  },
  {
    rule: 'G-01',
    place: () => {
      const i = findWindow(
        (r) => ons(r) >= 1 && [6, 7, 8, 9, 17, 18, 19, 20].includes(new Date(r.time).getUTCHours()),
        20,
      );
      return { fault: spec('highlevel', i, 15), start: i, pump: null };
    },
    raisedAfter: 5,
    clearedAfter: null,
    consequences: ['D-03', 'D-05'],
  },
  {
    rule: 'H-01',
    place: () => {
      const i = findWindow((r) => ons(r) >= 2 && (r.level ?? 500) < 240, 20);
      return { fault: spec('outage', i, 15), start: i, pump: null };
    },
    raisedAfter: 0,
    clearedAfter: null,
    consequences: ['A-01', 'D-04'],
  },
  {
    rule: 'H-02',
    place: () => {
      const i = findWindow((r) => ons(r) >= 3, 15);
      return { fault: `${spec('alltrip', i, 10)} ${spec('lowlevel', i, 10)}`, start: i, pump: null };
    },
    raisedAfter: 2,
    clearedAfter: null,
    consequences: ['B-07', 'D-01', 'D-05'],
  },
  {
    rule: 'E-02',
    place: () => {
      const i = findWindow((r) => ons(r) >= 1, 10);
      return { fault: `${spec('allon', i, 180)} ${spec('levelstuck', i, 180)}`, start: i, pump: null };
    },
    raisedAfter: 150,
    clearedAfter: 180,
    consequences: ['D-05'],
  },
];

/** A minute from day 3 on where the pump count changes within `minutes` and a pump runs throughout. */
function changeWithin(minutes: number): number {
  for (let i = 3 * 1440; i + minutes < healthy.length; i++) {
    const window = healthy.slice(i - 1, i + minutes + 10);
    const changes = healthy.slice(i + 1, i + 11).some((r) => ons(r) !== ons(healthy[i]));
    if (window.every((r) => ons(r) >= 1) && changes) return i;
  }
  throw new Error('no such window in the demo');
}

describe('fault scenarios, one per rule', () => {
  it.each(SCENARIOS.map((s) => [s.rule, s] as const))(
    '%s fires at the right time for the right pump and clears',
    (rule, scenario) => {
      const { fault, start, pump } = scenario.place();
      const alerts = run(...fault.split(' '));
      const mine = alerts.filter((a) => a.rule === rule);
      expect(
        mine.map((a) => ({ pump: a.pump, at: formatTimestamp(a.timestamp) })),
        fault,
      ).toEqual([{ pump, at: formatTimestamp(healthy[start].time + scenario.raisedAfter * MIN) }]);
      if (scenario.clearedAfter !== undefined) {
        expect(mine[0].resolvedAt, `${fault}: cleared`).not.toBeNull();
        if (scenario.clearedAfter !== null)
          expect(formatTimestamp(mine[0].resolvedAt!)).toBe(
            formatTimestamp(healthy[start].time + scenario.clearedAfter * MIN),
          );
      }
      expect(strong(alerts, [rule, ...(scenario.consequences ?? [])]), fault).toEqual([]);
    },
  );
});

describe('rules shown without a fault', () => {
  it('G-04: a day over its energy budget raises once, when the budget is crossed, and clears at midnight', () => {
    const alerts = evaluateAlerts(healthy.slice(0, 3 * 1440), { ...station, daily_energy_budget_kwh: 700 });
    const budget = alerts.filter((a) => a.rule === 'G-04');
    expect(budget).toHaveLength(3);
    for (const a of budget) expect(formatTimestamp(a.resolvedAt!).endsWith('00:00:00')).toBe(true);
  });

  it('F-07: a minute that arrives twice is one INFO event', () => {
    const stream = [...healthy.slice(0, 100), healthy[99], ...healthy.slice(100, 200)];
    const alerts = evaluateAlerts(stream, station);
    expect(alerts.filter((a) => a.rule === 'F-07').map((a) => formatTimestamp(a.timestamp))).toEqual([
      formatTimestamp(healthy[99].time),
    ]);
  });
});

describe('rules over days', () => {
  it('E-05 flags a worn pump once a worn day is complete, G-03 while it runs, nothing CRITICAL or HIGH', () => {
    const alerts = run('wear@6:00:00+7200:P3');
    const e05 = alerts.filter((a) => a.rule === 'E-05');
    expect(e05.map((a) => a.pump)).toEqual(['P3']);
    // Worn from 2025-03-07 00:00; each day tells each pump's flow here. Now is the median of the last
    // three days' estimates (one odd day raises nothing): raised as the second worn day completes.
    expect(formatTimestamp(e05[0].timestamp)).toBe('2025-03-09 00:00:00');
    const g03 = alerts.filter((a) => a.rule === 'G-03');
    expect(g03.length).toBeGreaterThan(0);
    expect(g03.every((a) => a.pump === 'P3' && a.timestamp >= e05[0].timestamp)).toBe(true);
    expect(strong(alerts, [])).toEqual([]);
  });

  it('H-05 when the worn pump also runs for over 20 hours', () => {
    const i = findWindow((r) => r.on[2] === false, 30, 7);
    const alerts = run('wear@6:00:00+7200:P3', spec('run', i, 1300, 'P3'));
    const h05 = alerts.filter((a) => a.rule === 'H-05');
    expect(h05.map((a) => [a.pump, formatTimestamp(a.timestamp)])).toEqual([
      ['P3', formatTimestamp(healthy[i].time + 1200 * MIN)],
    ]);
  });

  it('C-04 when the whole station needs more power for the same flow, within the next day', () => {
    const alerts = run('clog@6:00:00+7200');
    const c04 = alerts.filter((a) => a.rule === 'C-04');
    expect(c04).toHaveLength(1);
    expect(c04[0].timestamp).toBeGreaterThan(Date.UTC(2025, 2, 6));
    expect(c04[0].timestamp).toBeLessThan(Date.UTC(2025, 2, 7, 12));
    expect(strong(alerts, [])).toEqual([]);
  });
});

it('every rule of the catalog has a scenario above', () => {
  const covered = new Set([...SCENARIOS.map((x) => x.rule), 'G-04', 'F-07', 'E-05', 'G-03', 'H-05', 'C-04']);
  expect(RULES.map((r) => r.code).filter((code) => !covered.has(code))).toEqual([]);
});
