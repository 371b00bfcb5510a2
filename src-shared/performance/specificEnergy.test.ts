import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { formatDay, parseTimestamp } from '../time';
import {
  type DailyPumpSums,
  dailySumsOf,
  estimatePumpFlows,
  type PumpCombination,
  specificEnergyByPump,
} from './specificEnergy';

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

  it("a day's sums built from its pump combinations equal the sums over its minutes", () => {
    // Two days of 3 pumps: minute rows and 15-minute rows, a kW missing now and then, and rows
    // whose pump count (pumps_on_count) is unknown.
    const random = seededRandom(11);
    const direct: DailyPumpSums[] = [];
    const groups = new Map<string, PumpCombination>();
    for (const date of ['2025-01-01', '2025-01-02']) {
      const day: DailyPumpSums = {
        date,
        together: [...Array(5)].map(() => new Array<number>(5).fill(0)),
        flowWhenOn: new Array<number>(5).fill(0),
        kwWhenOn: [0, 0, 0],
      };
      direct.push(day);
      for (let row = 0; row < 500; row++) {
        const w = row % 3 === 0 ? 15 : 1;
        const on = PUMPS.map(() => random() < 0.5);
        const n = on.filter(Boolean).length;
        const pumpsOn = row % 50 === 7 ? null : n;
        const flow = 80 * n + random();
        const kw = KW.map((k) => (random() < 0.1 ? null : k + random()));
        const x = [...on.map(Number), pumpsOn === 2 ? 1 : 0, pumpsOn === 3 ? 1 : 0];
        x.forEach((xa, a) => {
          x.forEach((xb, b) => {
            day.together[a][b] += xa * xb * w;
          });
          day.flowWhenOn[a] += xa * flow * w;
        });
        on.forEach((o, i) => {
          day.kwWhenOn[i] += o ? (kw[i] ?? 0) * w : 0;
        });
        const key = `${date}|${on.join()}|${pumpsOn}`;
        const group = groups.get(key) ?? { date, on, pumpsOn, minutes: 0, flow: 0, kw: [0, 0, 0] };
        group.minutes += w;
        group.flow += flow * w;
        kw.forEach((k, i) => {
          group.kw[i] += (k ?? 0) * w;
        });
        groups.set(key, group);
      }
    }
    const grouped = dailySumsOf([...groups.values()], 3);
    expect(grouped.map((d) => d.date)).toEqual(['2025-01-01', '2025-01-02']);
    grouped.forEach((day, d) => {
      expect(day.together).toEqual(direct[d].together);
      day.flowWhenOn.forEach((f, a) => {
        expect(f).toBeCloseTo(direct[d].flowWhenOn[a], 6);
      });
      day.kwWhenOn.forEach((k, i) => {
        expect(k).toBeCloseTo(direct[d].kwWhenOn[i], 6);
      });
    });
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
