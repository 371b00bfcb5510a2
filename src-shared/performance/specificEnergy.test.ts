import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { formatDay, parseTimestamp } from '../time';
import { type DailyPumpSums, estimatePumpFlows, specificEnergyByPump } from './specificEnergy';

const PUMPS = ['P1', 'P2', 'P3'];
const FLOW = [90, 85, 80];
const KW = [28, 29, 30];

/**
 * Minute data of 3 pumps in random combinations; P2 loses `p2LossPerDay` of its flow each day.
 * With `sharing`, pumps running together lose 5 % each per extra pump (a shared header), and the
 * regressors get the "2 on" and "3 on" columns that absorb it.
 */
function days(count: number, p2LossPerDay: number, sharing = false): DailyPumpSums[] {
  const random = seededRandom(3);
  const start = parseTimestamp('2025-01-01 00:00');
  const k = sharing ? 5 : 3;
  const zeros = () => new Array<number>(k).fill(0);
  return Array.from({ length: count }, (_, d) => {
    const sums: DailyPumpSums = {
      date: formatDay(start + d * 86_400_000),
      together: zeros().map(zeros),
      flowWhenOn: zeros(),
      kwWhenOn: [0, 0, 0],
    };
    const q = FLOW.map((f, i) => (i === 1 ? f * (1 - p2LossPerDay * d) : f));
    for (let m = 0; m < 1440; m += 1) {
      const on = PUMPS.map((): number => (random() < 0.5 ? 1 : 0));
      const n = on.reduce((a, b) => a + b, 0);
      const flow = on.reduce((s, o, i) => s + o * q[i], 0) * (sharing ? 1 - 0.05 * Math.max(0, n - 1) : 1);
      const x = sharing ? [...on, n === 2 ? 1 : 0, n === 3 ? 1 : 0] : on;
      x.forEach((xa, a) => {
        x.forEach((xb, b) => {
          sums.together[a][b] += xa * xb;
        });
        sums.flowWhenOn[a] += xa * flow;
      });
      on.forEach((oi, i) => {
        sums.kwWhenOn[i] += oi * KW[i];
      });
    }
    return sums;
  });
}

describe('per-pump specific energy from station flow and on/off states', () => {
  it('recovers each pump flow exactly when the station flow is their sum', () => {
    const flows = estimatePumpFlows(days(1, 0)[0], 3, 60);
    flows.forEach((q, i) => {
      expect(q).toBeCloseTo(FLOW[i], 6);
    });
  });

  it('with a shared header, the combination columns keep each pump within 1 % of its own flow', () => {
    const [day] = days(1, 0, true);
    estimatePumpFlows(day, 3, 60).forEach((q, i) => {
      expect(Math.abs(q! / FLOW[i] - 1)).toBeLessThan(0.01);
    });
    // Without them, the additive model blames the pumps for the header loss.
    const naive = estimatePumpFlows(
      { ...day, together: day.together.slice(0, 3).map((r) => r.slice(0, 3)), flowWhenOn: day.flowWhenOn.slice(0, 3) },
      3,
      60,
    );
    expect(Math.abs(naive[0]! / FLOW[0] - 1)).toBeGreaterThan(0.02);
  });

  it('finds the pump that wears: its kWh per m³ rises against its own first weeks, the others stay put', () => {
    const result = specificEnergyByPump(PUMPS, days(60, 0.002), { windowDays: 1 });
    const [p1, p2, p3] = result;
    expect(p1.reference).toBeCloseTo(28 / 90, 6);
    expect(Math.abs(p1.changePct!)).toBeLessThan(1e-6);
    expect(Math.abs(p3.trendPerWeek!)).toBeLessThan(1e-6);
    // P2 after 59 days has 88.2 % of its flow: +13.4 % kWh/m³ against the mean of its first 14 days.
    const reference = [...Array(14).keys()].reduce((s, d) => s + 1 / (1 - 0.002 * d), 0) / 14;
    const expected = (1 / (1 - 0.002 * 59) / reference - 1) * 100;
    expect(p2.changePct!).toBeCloseTo(expected, 4);
    expect(p2.trendPerWeek!).toBeGreaterThan(1);
    expect(p2.referencePeriod).toEqual({ from: '2025-01-01', to: '2025-01-14' });
  });

  it('skips pumps that cannot be told apart (they always run together)', () => {
    const sums: DailyPumpSums = {
      date: '2025-01-01',
      together: [
        [100, 100],
        [100, 100],
      ],
      flowWhenOn: [17000, 17000],
      kwWhenOn: [2800, 2900],
    };
    expect(estimatePumpFlows(sums, 2, 60)).toEqual([null, null]);
  });
});
