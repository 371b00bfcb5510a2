import { describe, expect, it } from 'vitest';
import { labelNudges } from '../charts/stationCharts';
import type { MaintenanceEvent } from '../models/labels';
import { levelPast } from '../station/levelBands';
import { DAY_MS, HOUR_MS, parseTimestamp } from '../time';
import type { PumpReading } from './deviation';
import { CLEAR_BEFORE_EVENT_DAYS, periodMedians, quietestPeriod } from './quietestPeriod';

const START = parseTimestamp('2025-03-01 00:00');

/** Four full-speed readings a day for `days` days; flow per kW wanders by `wander(day)` (a share). */
function readings(days: number, wander: (day: number) => number): PumpReading[] {
  const out: PumpReading[] = [];
  for (let t = START; t < START + days * DAY_MS; t += 6 * HOUR_MS) {
    const day = Math.floor((t - START) / DAY_MS);
    const k = (t / (6 * HOUR_MS)) % 2 === 0 ? 1 : -1;
    out.push({ t, flow: 300 * (1 + k * wander(day)), head: null, power: 30, efficiency: null });
  }
  return out;
}

describe('the quietest period a baseline is proposed from', () => {
  it('is the steadiest week, with its dates', () => {
    // Steady from day 20 to 26, wandering elsewhere.
    const r = readings(40, (d) => (d >= 20 && d <= 26 ? 0.001 : 0.05));
    const { period, reason } = quietestPeriod(r, [], 7);
    expect(reason).toBeNull();
    expect(period).toMatchObject({ from: '2025-03-21', to: '2025-03-27', readings: 28 });
  });

  it('keeps clear of logged maintenance: not over it, not the day after, not in the days of wear before it', () => {
    const steady = readings(40, (d) => (d >= 20 && d <= 26 ? 0.001 : 0.05));
    // A repair 5 days after the steady week: the wear before it may already show in that week.
    const repair: MaintenanceEvent = { pump: 'P1', t: START + 32 * DAY_MS, kind: 'repair' };
    const { period } = quietestPeriod(steady, [repair], 7);
    expect(period).not.toBeNull();
    const end = parseTimestamp(`${period?.to} 00:00`) + DAY_MS;
    const start = parseTimestamp(`${period?.from} 00:00`);
    expect(end + CLEAR_BEFORE_EVENT_DAYS * DAY_MS <= repair.t || start - DAY_MS > repair.t).toBe(true);
  });

  it('says why when no period serves', () => {
    expect(
      quietestPeriod(
        readings(1, () => 0),
        [],
        7,
      ).reason,
    ).toMatch(/too few/);
    expect(
      quietestPeriod(
        readings(5, () => 0),
        [],
        7,
      ).reason,
    ).toMatch(/5 days of readings: under 7/);
    const events: MaintenanceEvent[] = [{ pump: 'P1', t: START + 12 * DAY_MS, kind: 'failure' }];
    expect(
      quietestPeriod(
        readings(14, () => 0.01),
        events,
        7,
      ).reason,
    ).toMatch(/touches a logged/);
  });

  it("a period's medians; a parameter not logged is null, never 0", () => {
    const m = periodMedians(readings(7, () => 0.01));
    expect(m.flow).toBeCloseTo(300, 0);
    expect(m.power).toBe(30);
    expect(m.head).toBeNull();
    expect(m.efficiency).toBeNull();
  });
});

describe('level limits on the Overview', () => {
  const limits = [
    { name: 'LL' as const, pct: 2 },
    { name: 'L' as const, pct: 15 },
    { name: 'H' as const, pct: 85 },
    { name: 'HH' as const, pct: 90 },
  ];
  it('names the outermost limit a level is past, none inside the band', () => {
    expect(levelPast(50, limits)).toBeNull();
    expect(levelPast(86, limits)).toBe('H');
    expect(levelPast(95, limits)).toBe('HH');
    expect(levelPast(10, limits)).toBe('L');
    expect(levelPast(1, limits)).toBe('LL');
    expect(levelPast(null, limits)).toBeNull();
  });

  it('chart labels close together are nudged apart, far ones stay', () => {
    // 4 m range over 150 px: H at 3.4 m and HH at 3.6 m are 7.5 px apart.
    const nudges = labelNudges([0.1, 3.4, 3.6], 150 / 4, 15);
    expect(nudges[0]).toBe(-0);
    expect(nudges[1]).toBe(-0);
    expect(3.6 * 37.5 - nudges[2] - 3.4 * 37.5).toBeCloseTo(15, 9);
  });
});
