import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proposedOperating, proposedTop } from './derive';
import { levelBands, limitPct } from './levelBands';
import type { LevelSignal, StationModel } from './model';
import { stationInput } from './parse';
import { durationWords, loggedMinutes, rowsInRealTime } from './realTime';
import { unitFactor } from './units';
import { labelOf } from './words';

// The station model as a file: what PumpDeck prints it reads back the same; the limits it proposes
// from a station's history; units as SCADAs write them; rows said in real time.

// Tags as files give them: trimmed (the readers trim header names).
const tag = fc.stringMatching(/^[A-Za-z]([A-Za-z0-9_ .[\]]{0,18}[A-Za-z0-9_.\]])?$/);
const unitOf = (units: string[]) => fc.option(fc.constantFrom(...units), { nil: undefined });
const signal = (units: string[]) =>
  fc.record({ tag, unit: unitOf(units) }).map((s) => (s.unit === undefined ? { tag: s.tag } : s));

const level: fc.Arbitrary<LevelSignal> = fc
  .record({
    tag,
    unit: unitOf(['m', 'cm', 'mm', 'ft']),
    max: fc.double({ min: 0.5, max: 1000, noNaN: true }),
    area: fc.option(fc.double({ min: 1, max: 1e5, noNaN: true }), { nil: undefined }),
    band: fc.option(
      fc.tuple(fc.double({ min: 0, max: 0.45, noNaN: true }), fc.double({ min: 0.55, max: 1, noNaN: true })),
      {
        nil: undefined,
      },
    ),
    cycle: fc.boolean(),
  })
  .map(({ tag, unit, max, area, band, cycle }) => ({
    tag,
    ...(unit ? { unit } : {}),
    min: 0,
    max,
    ...(area ? { area_m2: area } : {}),
    ...(band
      ? {
          operating: {
            low: band[0] * max,
            high: band[1] * max,
            ...(cycle ? { stop: band[0] * max, daily_cycle: true, proposed: true } : {}),
          },
        }
      : {}),
  }));

const pumps = fc.uniqueArray(
  fc.record({
    id: fc.stringMatching(/^P[0-9]{1,2}(\.[0-9])?$/),
    runTag: tag,
    above: fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: undefined }),
    kw: fc.option(signal(['kW', 'W', 'kWh/h']), { nil: undefined }),
    flow: fc.option(signal(['m3/h', 'l/s', 'm3/15min']), { nil: undefined }),
    rated: fc.option(fc.double({ min: 1, max: 5000, noNaN: true }), { nil: undefined }),
  }),
  { maxLength: 20, selector: (p) => p.id.toLowerCase() },
);

const model: fc.Arbitrary<StationModel> = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z]([A-Za-z0-9 -]{0,29}[A-Za-z0-9])?$/),
    kind: fc.constantFrom('booster' as const, 'lift' as const),
    level: fc.option(level, { nil: undefined }),
    flow: fc.option(signal(['m3/h', 'l/s', 'm3/15 min']), { nil: undefined }),
    price: fc.option(signal(['c/kWh', 'EUR/MWh', '€/kWh']), { nil: undefined }),
    pumps,
    budget: fc.double({ min: 1, max: 1e6, noNaN: true }),
    interval: fc.integer({ min: 1, max: 60 }),
  })
  .map((m) => ({
    name: m.name,
    kind: m.kind,
    ...(m.level ? { level: m.level } : {}),
    ...(m.flow ? { flow: m.flow } : {}),
    pumps: m.pumps.map((p) => ({
      id: p.id,
      run: p.above === undefined ? { tag: p.runTag } : { tag: p.runTag, above: p.above },
      ...(p.kw ? { kw: p.kw } : {}),
      ...(p.flow ? { flow: p.flow } : {}),
      ...(p.rated && p.kw ? { rated_kw: p.rated } : {}),
    })),
    ...(m.price ? { price: m.price } : {}),
    daily_energy_budget_kwh: m.budget,
    peak_hours: [
      [6, 10],
      [17, 21],
    ],
    interval_min: m.interval,
  }));

describe('station.json', () => {
  it('reads back what PumpDeck prints: `station --json` is accepted by `station --set` and is the same model', () => {
    fc.assert(
      fc.property(model, (m) => {
        const printed = JSON.parse(JSON.stringify(m, null, 2));
        expect(stationInput(printed, 'station.json').model).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });

  it("reads a band in % (station.json before `operating`) into operating limits in the level's unit", () => {
    const input = stationInput(
      { pumps: [], level: { tag: 'L', unit: 'cm', max: 500, band_pct: [20, 80] } },
      'station.json',
    );
    expect(input.model.level?.operating).toEqual({ low: 100, high: 400 });
    expect(input.missing).not.toContain('level_operating');
    expect(() => stationInput({ pumps: [], level: { tag: 'L', band_pct: [20, 80] } }, 'station.json')).toThrow(
      /level\.band_pct: needs level\.max/,
    );
    expect(() =>
      stationInput({ pumps: [], level: { tag: 'L', max: 4, operating: { low: 1, high: 5 } } }, 'station.json'),
    ).toThrow(/level\.operating\.high: 5 is outside the level's range 0\.\.4/);
  });
});

describe('limits proposed from a station’s history', () => {
  it('a top a round figure a quarter above the highest level seen; 100 for a level in %', () => {
    expect(proposedTop('m', 5.17)).toBe(8);
    expect(proposedTop('cm', 450)).toBe(600);
    expect(proposedTop('m', 3.2)).toBe(4);
    expect(proposedTop('%', 71)).toBe(100);
  });

  const tunnel: LevelSignal = { tag: 'L', unit: 'm', min: 0, max: 8 };
  it('a tunnel emptied to 0.2 m every day: its stop level and daily cycle; its band to its highest day', () => {
    const days = [0.23, 0.22, 0.25, 0.24, 0.92, 0.22].map((min, d) => ({ min, max: 5.1 + 0.01 * d }));
    expect(proposedOperating('lift', tunnel, days)).toEqual({
      low: 0.2,
      high: 5.2,
      stop: 0.2,
      daily_cycle: true,
      proposed: true,
    });
  });

  it('a wet well held near a set level is no daily cycle; under three days proposes nothing', () => {
    const well: LevelSignal = { tag: 'L', unit: 'm', min: 0, max: 4 };
    const days = [1.13, 1.02, 1.2, 0.93].map((min) => ({ min, max: min + 1 }));
    expect(proposedOperating('lift', well, days)).toEqual({ low: 0.9, high: 2.2, proposed: true });
    expect(proposedOperating('lift', well, days.slice(0, 2))).toBeNull();
  });

  it('the alarm limits follow the band: a wet well’s dry-running limit under its stop level, H above its band', () => {
    const bands = levelBands({ kind: 'lift', level: { ...tunnel, operating: { low: 0.3, high: 5.4, stop: 0.3 } } });
    expect(bands?.source).toBe('confirmed');
    expect(limitPct(bands!, 'D-02')).toBeCloseTo(3.75 - 2, 9);
    expect(limitPct(bands!, 'D-01')).toBe(85);
    expect(limitPct(bands!, 'D-03')).toBe(90);
    // Without a band: seed 002's.
    const seed = levelBands({ kind: 'booster', level: { tag: 'L', min: 0, max: 500 } });
    expect(seed).toMatchObject({ source: 'default', lowPct: 15, highPct: 90 });
    expect(seed?.limits.map((l) => [l.name, l.pct])).toEqual([
      ['LL', 2],
      ['L', 15],
      ['H', 90],
    ]);
  });
});

describe('units as SCADAs write them', () => {
  it('a volume per so many minutes is a flow', () => {
    expect(unitFactor('flow', 'm3/15 min')).toBe(4);
    expect(unitFactor('flow', 'm3/15min')).toBe(4);
    expect(unitFactor('flow', 'l / 10 s')).toBeCloseTo(0.36, 12);
    expect(unitFactor('flow', 'm3/d')).toBeCloseTo(1 / 24, 12);
    expect(unitFactor('flow', 'm3/fortnight')).toBeNull();
  });
});

describe('rows in real time', () => {
  it('a row stands for its step, at most the interval; gaps count nothing', () => {
    const q = 15 * 60_000;
    // Four quarter hours, a two-hour gap, two more.
    const times = [0, 1, 2, 3, 12, 13].map((i) => i * q);
    expect(loggedMinutes(times, 15)).toBe(6 * 15);
    expect(rowsInRealTime(2872, 15, 30 * 1440)).toBe('30 days of 15-minute rows');
    expect(rowsInRealTime(120, 1)).toBe('2 h of 1-minute rows');
    expect(durationWords(45)).toBe('45 min');
  });
});

describe('labels', () => {
  it('compose a role word and a name without doubled words', () => {
    expect(labelOf('Flow', 'FIT101')).toBe('Flow FIT101');
    expect(labelOf('Flow', 'Discharge flow')).toBe('Discharge flow');
    expect(labelOf('Level', 'Wet well level')).toBe('Wet well level');
    expect(labelOf('Station flow', 'Outlet FLOW meter')).toBe('Outlet FLOW meter');
    expect(labelOf('Level', '')).toBe('Level');
    // A word inside another is not the word: "Flowmeter 3" is not a flow label already.
    expect(labelOf('Flow', 'Flowmeter 3')).toBe('Flow Flowmeter 3');
  });
});
