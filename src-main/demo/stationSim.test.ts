import { describe, expect, it } from 'vitest';
import { DEMO_TANK, type MinuteSample, simulateStation } from './stationSim';

const DAYS = 30;
const samples: MinuteSample[] = [...simulateStation({ days: DAYS, seed: 3, start: '2025-01-06' })];

describe('demo station simulation', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const again = [...simulateStation({ days: 1, seed: 3, start: '2025-01-06' })];
    expect(again).toEqual(samples.slice(0, 1440));
    const other = [...simulateStation({ days: 1, seed: 4, start: '2025-01-06' })];
    expect(other).not.toEqual(again);
  });

  it('writes one sample per minute', () => {
    expect(samples).toHaveLength(DAYS * 1440);
    expect(samples.every((s, i) => i === 0 || s.time - samples[i - 1].time === 60_000)).toBe(true);
  });

  it('keeps the tank within its operating band (never below 25 %, never over 95 %)', () => {
    const pct = samples.map((s) => (s.level / DEMO_TANK.heightCm) * 100);
    expect(Math.min(...pct)).toBeGreaterThan(25);
    expect(Math.max(...pct)).toBeLessThan(95);
  });

  it('rotates duty: every pump runs, and none runs more than half the time', () => {
    for (let k = 0; k < 6; k++) {
      const share = samples.filter((s) => s.on[k]).length / samples.length;
      expect(share).toBeGreaterThan(0.02);
      expect(share).toBeLessThan(0.5);
    }
  });

  it('draws energy only for running pumps, and flow only when a pump runs', () => {
    for (const s of samples) {
      s.on.forEach((on, k) => {
        expect(on ? s.kw[k] > 20 : s.kw[k] === 0).toBe(true);
      });
      expect(s.pumpsOn === 0 ? s.flow === 0 : s.flow > 50).toBe(true);
    }
  });

  it('resets the daily flow total at midnight and otherwise only counts up', () => {
    for (let i = 1; i < samples.length; i++) {
      const midnight = new Date(samples[i].time).getUTCHours() === 0 && new Date(samples[i].time).getUTCMinutes() === 0;
      if (midnight) expect(samples[i].dayTotal).toBeLessThan(samples[i].flow / 60 + 1e-9);
      else expect(samples[i].dayTotal).toBeGreaterThanOrEqual(samples[i - 1].dayTotal);
    }
  });

  it('advances run-minute counters exactly while a pump runs', () => {
    for (let i = 1; i < samples.length; i++) {
      samples[i].on.forEach((on, k) => {
        expect(samples[i].runMinutes[k] - samples[i - 1].runMinutes[k]).toBe(on ? 1 : 0);
      });
    }
  });

  it('does not short-cycle: every run lasts at least 15 minutes', () => {
    for (let k = 0; k < 6; k++) {
      let run = 0;
      for (let i = 1; i < samples.length; i++) {
        if (samples[i].on[k]) run++;
        else if (samples[i - 1].on[k]) {
          expect(run).toBeGreaterThanOrEqual(15);
          run = 0;
        }
      }
    }
  });

  it('runs more pumps when demand peaks than at night', () => {
    const avgOn = (hour: number) => {
      const at = samples.filter((s) => new Date(s.time).getUTCHours() === hour);
      return at.reduce((sum, s) => sum + s.pumpsOn, 0) / at.length;
    };
    const pumped = (from: number, to: number) =>
      samples
        .filter((s) => new Date(s.time).getUTCHours() >= from && new Date(s.time).getUTCHours() < to)
        .reduce((sum, s) => sum + s.flow, 0);
    // The station fills the tank off-peak (cheap tariff) rather than in the 06-10 peak.
    expect(pumped(0, 6) / 6).toBeGreaterThan(pumped(6, 10) / 4);
    expect(avgOn(12)).toBeGreaterThan(0);
  });
});
