import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { type EfficiencyRow, MIN_ESTIMATES, type PumpEfficiencyDay, PumpEfficiencyEstimator } from './pumpEfficiency';
import { specificEnergyOf } from './specificEnergy';

// The one estimator of each pump's flow per kWh (issue 30), on rows built here with known truth:
// pumps in random combinations, flows and power that follow the level, a shared header, a pump
// that wears, quarter-hour rows in which pumps start and stop.

const FLOW = [90, 85, 80];
const KW = [28, 29, 30];

interface Truth {
  /** Per pump and day, the share of flow per kWh it has kept (1: healthy). */
  kept?: (pump: number, day: number) => number;
  /** Each pump's flow changes this share per unit of level above the reference; power the opposite tenth. */
  headEffect?: number;
  /** The day's level around the reference: its mean and swing. */
  level?: (day: number, minute: number) => number;
  /** Pumps running together lose 5 % each per extra pump (a shared header). */
  sharing?: boolean;
  /** Rows of this many minutes whose shares are the minutes each pump ran (a start or stop in a row). */
  rowMinutes?: number;
}

/** Runs `days` days of rows through an estimator; returns every estimate it closed. */
function run(
  days: number,
  truth: Truth,
  estimator = new PumpEfficiencyEstimator({ pumps: 3, ownMeter: [false, false, false] }),
  from = 0,
) {
  const random = seededRandom(3 + from);
  const step = truth.rowMinutes ?? 1;
  const out: PumpEfficiencyDay[] = [];
  for (let d = from; d < days; d++) {
    for (let m = 0; m < 1440; m += step) {
      const levelDev = truth.level?.(d, m) ?? 0;
      // Each pump runs some minutes of the row: all, none, or part (it started or stopped in it).
      const shares = FLOW.map(() => {
        const r = random();
        return step === 1 ? (r < 0.5 ? 1 : 0) : r < 0.35 ? 0 : r < 0.7 ? 1 : Math.ceil(random() * (step - 1)) / step;
      });
      const running = shares.filter((s) => s >= 0.5).length;
      const header = truth.sharing ? 1 - 0.05 * Math.max(0, running - 1) : 1;
      const kept = (k: number) => truth.kept?.(k, d) ?? 1;
      const q = FLOW.map((f, k) => f * (1 + (truth.headEffect ?? 0) * levelDev) * Math.sqrt(kept(k)));
      const p = KW.map((w, k) => (w * (1 - 0.1 * (truth.headEffect ?? 0) * levelDev)) / Math.sqrt(kept(k)));
      const row: EfficiencyRow = {
        weight: step,
        shares,
        speedDev: [0, 0, 0],
        flow: shares.reduce((s, share, k) => s + share * q[k], 0) * header,
        pumpFlow: [null, null, null],
        kw: shares.map((s, k) => s * p[k]),
        levelDev,
      };
      estimator.add(d, row);
    }
    out.push(...estimator.closeDay(d));
  }
  return out;
}

const lastOf = (estimates: PumpEfficiencyDay[], pump: number) => estimates.filter((e) => e.pump === pump).at(-1);

describe('each pump’s flow per kWh from the station meter', () => {
  it('recovers each pump flow and power exactly when the station flow is their sum', () => {
    const estimates = run(4, {});
    for (const k of [0, 1, 2]) {
      const e = lastOf(estimates, k);
      expect(e?.flow).toBeCloseTo(FLOW[k], 6);
      expect(e?.kw).toBeCloseTo(KW[k], 6);
      expect(e?.m3PerKwh).toBeCloseTo(FLOW[k] / KW[k], 6);
    }
  });

  it('with a shared header, the header terms keep each pump within 1 % of its own flow', () => {
    const estimates = run(4, { sharing: true });
    for (const k of [0, 1, 2]) expect(Math.abs((lastOf(estimates, k)?.flow ?? 0) / FLOW[k] - 1)).toBeLessThan(0.01);
  });

  it('on quarter-hour rows a pump that ran part of a row counts for that part', () => {
    const estimates = run(5, { rowMinutes: 15 });
    for (const k of [0, 1, 2]) expect(lastOf(estimates, k)?.m3PerKwh).toBeCloseTo(FLOW[k] / KW[k], 6);
  });

  it('compares at like head: a healthy pump stays at its reference whatever the levels a week brings', () => {
    // Flow 6 % higher per metre of level; weeks that alternate between a full and an empty wet well.
    const level = (d: number, m: number) => (Math.floor(d / 3) % 2 ? 1.5 : -1.5) + Math.sin(m / 200);
    const estimates = run(30, { headEffect: 0.06, level });
    for (const k of [0, 1, 2]) {
      const mine = estimates.filter((e) => e.pump === k);
      // Within 0.05 %, where a week of high or low levels moves its flow per kWh by 10 %.
      for (const e of mine) expect(e.m3PerKwh / (FLOW[k] / KW[k])).toBeCloseTo(1, 3);
      expect(mine.at(-1)?.ratio).toBeGreaterThan(0.999);
    }
  });

  it('finds the pump that wears: 35 % of its m³/kWh lost over 12 days, E-05’s ratio under 0.8 and its slope down', () => {
    const kept = (k: number, d: number) => (k === 1 ? 1 - 0.35 * Math.min(1, Math.max(0, d - 8) / 12) : 1);
    const estimates = run(24, { kept, headEffect: 0.06, level: (d, m) => Math.sin(d + m / 300) });
    const worn = lastOf(estimates, 1);
    expect(worn?.ratio).toBeLessThan(0.8);
    expect(worn?.slope).toBeLessThan(0);
    for (const k of [0, 2]) expect(lastOf(estimates, k)?.ratio).toBeGreaterThan(0.99);
  });

  it('says the data is too short to judge wear until a week of estimates', () => {
    const estimates = run(MIN_ESTIMATES + 3, {}).filter((e) => e.pump === 0);
    // A day's rows tell each pump's flow here: estimates from the first day, the ratio from the seventh.
    expect(estimates.slice(0, MIN_ESTIMATES - 1).every((e) => e.ratio === null)).toBe(true);
    expect(estimates[MIN_ESTIMATES - 1].ratio).toBeCloseTo(1, 9);
  });

  it('a pump always running with another cannot be told apart: no estimate for either', () => {
    const estimator = new PumpEfficiencyEstimator({ pumps: 2, ownMeter: [false, false] });
    for (let d = 0; d < 4; d++) {
      for (let m = 0; m < 600; m++)
        estimator.add(d, {
          weight: 1,
          shares: [1, 1],
          speedDev: [0, 0],
          flow: 170,
          pumpFlow: [null, null],
          kw: [28, 29],
          levelDev: 0,
        });
      expect(estimator.closeDay(d)).toEqual([]);
    }
  });

  it('resumes from its snapshot (as JSON, as the edge keeps it) as if it had never stopped', () => {
    const truth: Truth = { headEffect: 0.06, level: (d) => d % 3 };
    const make = () => new PumpEfficiencyEstimator({ pumps: 3, ownMeter: [false, false, false] });
    const first = make();
    run(6, truth, first);
    const resumed = make();
    resumed.restore(JSON.parse(JSON.stringify(first.snapshot())));
    const after = run(12, truth, resumed, 6);
    const going = make();
    run(6, truth, going);
    expect(after).toEqual(run(12, truth, going, 6));
    expect(after.length).toBeGreaterThan(10);
  });
});

describe('specific energy as the Pumps page and the report show it', () => {
  it('reads against the best week in 90 days, the reference E-05 uses, and says when too short', () => {
    const stored = [0.33, 0.34, 0.35, 0.34, 0.33, 0.32, 0.3, 0.28].map((m3PerKwh, d) => ({
      date: `2025-01-${String(10 + d).padStart(2, '0')}`,
      flow: m3PerKwh * 100,
      kw: 100,
      m3PerKwh,
    }));
    const s = specificEnergyOf('P1', stored);
    expect(s.tooShort).toBe(false);
    expect(s.reference).toBeCloseTo(1 / 0.35, 12);
    expect(s.referencePeriod).toEqual({ from: '2025-01-06', to: '2025-01-12' });
    expect(s.current).toBeCloseTo(1 / 0.28, 12);
    expect(s.changePct).toBeCloseTo((0.35 / 0.28 - 1) * 100, 9);
    expect(s.trendPerWeek).toBeGreaterThan(0);
    const short = specificEnergyOf('P1', stored.slice(0, 5));
    expect(short).toMatchObject({ tooShort: true, reference: null, changePct: null });
  });
});
