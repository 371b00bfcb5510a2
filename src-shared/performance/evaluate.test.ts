import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../random';
import { formatDay, parseTimestamp } from '../time';
import { type Baseline, type PumpReading, rollingMedians } from './deviation';
import { evaluatePump } from './evaluate';
import { linearTrend, projectCrossing } from './trend';

const BASELINE = { flow: 400, head: 110, power: 38, efficiency: 70 } satisfies Baseline;
const START = parseTimestamp('2025-03-01 00:00');
const DAY = 86_400_000;

/**
 * Readings every `stepMin` minutes for `days` days; `flowFactor(tDays)` shapes the flow while head,
 * power and the logged efficiency hold their baseline; ±0.3 % noise.
 */
function readings(days: number, flowFactor: (tDays: number) => number, stepMin = 10, seed = 7): PumpReading[] {
  const random = seededRandom(seed);
  const out: PumpReading[] = [];
  for (let t = START; t < START + days * DAY; t += stepMin * 60_000) {
    const noise = () => 1 + 0.003 * gaussian(random);
    out.push({
      t,
      flow: BASELINE.flow * flowFactor((t - START) / DAY) * noise(),
      head: BASELINE.head * noise(),
      power: BASELINE.power * noise(),
      efficiency: BASELINE.efficiency * noise(),
    });
  }
  return out;
}

const dayOf = (d: number) => formatDay(START + d * DAY);

describe('a synthetic degradation: flow falling 0.5 %/day for 40 days', () => {
  const falling = readings(40, (t) => 1 - 0.005 * t);

  it('is reported as Warning on the day it leaves the band (1B: −5 % on day 10)', () => {
    const result = evaluatePump(falling, BASELINE, '1B');
    const firstOut = result.daily.find((d) => d.status !== 'Normal')!;
    expect(Math.abs((Date.parse(firstOut.date) - Date.parse(dayOf(10))) / DAY)).toBeLessThanOrEqual(1);
    expect(firstOut.status).toBe('Warning');
    expect(result.daily.slice(0, 9).every((d) => d.status === 'Normal')).toBe(true);
    // The first exceedance of flow is within a day of 10 days in; the trend is −3.5 points/week.
    const flow = result.parameters.find((p) => p.parameter === 'flow')!;
    expect(Math.abs(parseTimestamp(flow.firstExceedance!) - (START + 10 * DAY))).toBeLessThanOrEqual(DAY);
    expect(flow.trend!.perWeek).toBeCloseTo(-3.5, 1);
    expect(flow.trend!.perWeekLow).toBeLessThan(-3.5);
    expect(flow.trend!.perWeekHigh).toBeGreaterThan(-3.5);
  });

  it('escalates as it falls: Critical past severity 1.5, Failure past 2.0', () => {
    const result = evaluatePump(falling, BASELINE, '1B');
    const statusOn = (d: number) => result.daily.find((x) => x.date === dayOf(d))!.status;
    expect(statusOn(12)).toBe('Warning'); // about −6.3 %: severity 1.25
    expect(statusOn(17)).toBe('Critical'); // about −8.8 %: 1.75
    expect(statusOn(25)).toBe('Failure'); // about −12.8 %: 2.55
    expect(result.status).toBe('Failure');
    expect(result.outOfBandSince).not.toBeNull();
    expect(Math.abs(parseTimestamp(result.outOfBandSince!) - (START + 10 * DAY))).toBeLessThanOrEqual(DAY);
    expect(result.outOfBandHours).toBeGreaterThan(29 * 24);
  });

  it('a projection made 10 days before the crossing predicts its day within ±3 days (2B: −8 % on day 16)', () => {
    const crossing = 16;
    const upTo = falling.filter((r) => r.t < START + (crossing - 10) * DAY);
    const flow = evaluatePump(upTo, BASELINE, '2B').parameters.find((p) => p.parameter === 'flow')!;
    expect(flow.state).toBe('in');
    expect(flow.crossing!.side).toBe('below');
    expect(flow.crossing!.limit).toBe(-8);
    expect(Math.abs((Date.parse(flow.crossing!.date) - Date.parse(dayOf(crossing))) / DAY)).toBeLessThanOrEqual(3);
    // And the daily series agrees with that day.
    const actual = evaluatePump(falling, BASELINE, '2B').daily.find((d) => d.status !== 'Normal')!;
    expect(Math.abs((Date.parse(actual.date) - Date.parse(dayOf(crossing))) / DAY)).toBeLessThanOrEqual(1);
  });

  it('a healthy pump has no crossing within reach and stays Normal', () => {
    const result = evaluatePump(
      readings(30, () => 1),
      BASELINE,
      '1B',
    );
    expect(result.status).toBe('Normal');
    expect(result.daily.every((d) => d.status === 'Normal')).toBe(true);
    expect(result.outOfBandSince).toBeNull();
    expect(result.parameters.every((p) => p.firstExceedance === null)).toBe(true);
  });
});

describe('rolling window', () => {
  it('a single noisy sample does not flip the grade, even with a 1-minute window asked for; a lasting change does', () => {
    const steady = readings(1, () => 1, 1);
    const spikeAt = 600;
    steady[spikeAt] = { ...steady[spikeAt], flow: BASELINE.flow * 0.7 };
    expect(evaluatePump(steady, BASELINE, '1B').daily[0].outOfBandShare).toBe(0);
    const narrow = evaluatePump(steady, BASELINE, '1B', { windowMinutes: 1 });
    expect(narrow.windowMinutes).toBe(12); // grown to hold 12 readings
    expect(narrow.daily[0].outOfBandShare).toBe(0);
    const lasting = steady.map((r, i) => (i >= 600 && i < 640 ? { ...r, flow: BASELINE.flow * 0.7 } : r));
    expect(evaluatePump(lasting, BASELINE, '1B').daily[0].outOfBandShare).toBeGreaterThan(0);
  });

  it('takes the median over (t − w, t], by time not by row count', () => {
    const at = (minute: number, flow: number): PumpReading => ({
      t: START + minute * 60_000,
      flow,
      head: 1,
      power: 1,
      efficiency: 1,
    });
    // Irregular spacing: at minute 90 the 60-minute window holds minutes 40, 41, 90; at 100 it holds 41, 90, 100.
    const rows = [at(0, 10), at(40, 20), at(41, 30), at(90, 40), at(100, 50)];
    expect(rollingMedians(rows, 60).map((r) => r.flow)).toEqual([10, 15, 20, 30, 40]);
  });
});

describe('efficiency where it is not logged', () => {
  it('scales the baseline efficiency by Q·H/P: 5 % less flow at the same head and power is 5 % less efficiency', () => {
    const rows = readings(2, () => 0.95).map((r) => ({
      ...r,
      head: BASELINE.head,
      power: BASELINE.power,
      flow: BASELINE.flow * 0.95,
      efficiency: null,
    }));
    const result = evaluatePump(rows, BASELINE, '2B');
    const efficiency = result.parameters.find((p) => p.parameter === 'efficiency')!;
    expect(result.efficiencyDerived).toBe(true);
    expect(efficiency.current).toBeCloseTo(70 * 0.95, 6);
    expect(efficiency.deviation).toBeCloseTo(-5, 6);
  });
});

describe('trend and crossing', () => {
  it('fits a line with a confidence interval and projects the crossing', () => {
    const trend = linearTrend([0, 1, 2, 3, 4].map((x) => ({ x, y: -x + (x % 2 ? 0.1 : -0.1) })))!;
    expect(trend.slopePerDay).toBeCloseTo(-1, 1);
    expect(trend.slopeLow).toBeLessThan(trend.slopePerDay);
    expect(trend.slopeHigh).toBeGreaterThan(trend.slopePerDay);
    const crossing = projectCrossing(trend, { lower: -8, upper: 8 })!;
    expect(crossing.side).toBe('below');
    expect(crossing.x).toBeCloseTo(8, 0);
    expect(crossing.earliestX!).toBeLessThanOrEqual(crossing.x);
    expect(crossing.latestX!).toBeGreaterThanOrEqual(crossing.x);
  });

  it('no crossing toward an open side, nor with too few points', () => {
    const rising = linearTrend([0, 1, 2, 3].map((x) => ({ x, y: x })))!;
    expect(projectCrossing(rising, { lower: -3, upper: null })).toBeNull();
    expect(
      linearTrend([
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ]),
    ).toBeNull();
  });
});

describe('hourly data with 1 % noise (issue 22: one noisy sample must not decide)', () => {
  /** Hourly readings, flow flat until day 10 and then falling 0.5 %/day, 1 % noise on every value. */
  function noisyHourly(days: number, slopeFrom10: number, seed: number): PumpReading[] {
    const random = seededRandom(seed);
    const out: PumpReading[] = [];
    for (let t = START; t < START + days * DAY; t += 3_600_000) {
      const d = (t - START) / DAY;
      const noise = () => 1 + 0.01 * gaussian(random);
      out.push({
        t,
        flow: BASELINE.flow * (1 - slopeFrom10 * Math.max(0, d - 10)) * noise(),
        head: BASELINE.head * noise(),
        power: BASELINE.power * noise(),
        efficiency: BASELINE.efficiency * noise(),
      });
    }
    return out;
  }

  it('the window grows to 12 hours and the first exceedance of the ±8 % band is day 26 (truly crossed then)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const result = evaluatePump(noisyHourly(32, 0.005, seed), BASELINE, '2B');
      expect(result.windowMinutes).toBe(12 * 60);
      const flow = result.parameters.find((p) => p.parameter === 'flow');
      const first = (parseTimestamp(flow?.firstExceedance ?? '') - START) / DAY;
      // 10 + 8 / 0.5 = day 26; a 12-hour median lags the line by 6 hours.
      expect(first, `seed ${seed}`).toBeGreaterThanOrEqual(25.5);
      expect(first, `seed ${seed}`).toBeLessThanOrEqual(26.8);
    }
  });

  it('a projection is marked significant only when its trend is (a flat pump mostly has none)', () => {
    let flat = 0;
    for (const seed of [11, 12, 13]) {
      const result = evaluatePump(noisyHourly(20, 0, seed), BASELINE, '2B');
      for (const p of result.parameters) {
        if (p.trend && !p.trend.significant) flat++;
        if (p.crossing) expect(p.crossing.significant, p.parameter).toBe(p.trend?.significant);
      }
    }
    // At 95 %, about one flat trend in twenty looks significant by chance: most here must not.
    expect(flat).toBeGreaterThanOrEqual(10);
    // A real decline is significant, and its crossing is named.
    const falling = evaluatePump(noisyHourly(22, 0.005, 21), BASELINE, '2B').parameters.find(
      (p) => p.parameter === 'flow',
    );
    expect(falling?.trend?.significant).toBe(true);
    expect(falling?.crossing?.significant).toBe(true);
  });
});
