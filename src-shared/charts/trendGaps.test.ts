import { describe, expect, it } from 'vitest';
import { gapThreshold, runSpells, type TimePoint, withGaps } from './stationCharts';

const MIN = 60_000;
const at = (minute: number, v: number): TimePoint => ({ t: new Date(Date.UTC(2025, 2, 1) + minute * MIN), v });

describe('trend gaps and run spells', () => {
  // Minute data with a 40-minute hole, down-sampled M4-style (a bucket's points at one time).
  const points = [
    ...[0, 1, 2, 3, 4, 5].flatMap((m) => [at(m, 1), at(m, 1)]),
    ...[46, 47, 48].flatMap((m) => [at(m, 1), at(m, 1)]),
  ];

  it('finds the step from distinct times, so repeated times do not make every step a gap', () => {
    expect(gapThreshold(points, 2 * MIN)).toBe(3 * MIN);
  });

  it('breaks a line (NaN) only across the hole', () => {
    const drawn = withGaps(points, gapThreshold(points, 2 * MIN));
    expect(drawn.filter((p) => Number.isNaN(p.v))).toHaveLength(1);
    expect(drawn).toHaveLength(points.length + 1);
  });

  it('ends a run at a hole: a pump is not shown running through missing readings', () => {
    const spells = runSpells('P1', points, 0.5, gapThreshold(points, 2 * MIN));
    expect(spells.map((s) => [(+s.from - +points[0].t) / MIN, (+s.to - +points[0].t) / MIN])).toEqual([
      [0, 5],
      [46, 48],
    ]);
  });
});
