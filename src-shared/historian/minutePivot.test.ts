import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinutePivot } from './minutePivot';

interface Sample {
  minute: number;
  offset: number;
  tag: number;
  markerB: boolean;
  kept: boolean;
  value: number | null;
}

const TAGS = ['a', 'b', 'c'];

/** Feeds samples in chunks of `chunk`, as DuckDB's stream does (in any order). */
function pivot(samples: Sample[], chunk = 5) {
  const p = new MinutePivot(TAGS);
  for (let from = 0; from < samples.length; from += chunk) {
    const part = samples.slice(from, from + chunk);
    const valid = part.map((s) => s.value !== null);
    p.add({
      count: part.length,
      minute: Int32Array.from(part, (s) => s.minute),
      offset: Int32Array.from(part, (s) => s.offset),
      code: Int32Array.from(part, (s) => (s.kept ? s.tag * 2 + (s.markerB ? 1 : 0) : -1)),
      value: Float64Array.from(part, (s) => s.value ?? 0),
      valid: (i) => valid[i],
    });
  }
  return p.finish();
}

/** The rule stated plainly: per tag-minute, the kept sample with a value and the latest offset. */
function expected(samples: Sample[]) {
  const minutes = new Map<number, { b: boolean; values: Array<{ offset: number; value: number } | null> }>();
  for (const s of samples) {
    if (!s.kept) continue;
    const m = minutes.get(s.minute) ?? { b: false, values: TAGS.map(() => null) };
    minutes.set(s.minute, m);
    m.b ||= s.markerB;
    const held = m.values[s.tag];
    if (s.value !== null && (!held || s.offset > held.offset)) m.values[s.tag] = { offset: s.offset, value: s.value };
  }
  return [...minutes].sort((x, y) => x[0] - y[0]);
}

describe('minute pivot (seed 002 §3.1)', () => {
  it('the last sample of each tag-minute wins, whatever order the samples come in', () => {
    const sample = fc.record({
      minute: fc.integer({ min: 29_000_000, max: 29_000_000 + 3 * 1440 }),
      offset: fc.integer({ min: 0, max: 59_999_999 }),
      tag: fc.integer({ min: 0, max: 2 }),
      markerB: fc.boolean(),
      kept: fc.boolean(),
      value: fc.option(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { freq: 8 }),
    });
    // Offsets unique per tag-minute, so "the last" is well defined.
    const samples = fc.uniqueArray(sample, { selector: (s) => `${s.minute}/${s.tag}/${s.offset}`, maxLength: 200 });
    fc.assert(
      fc.property(samples, fc.integer({ min: 1, max: 64 }), (list, chunk) => {
        const { frame, cells } = pivot(list, chunk);
        const want = expected(list);
        expect(Array.from(frame.times)).toEqual(want.map(([m]) => m * 60_000));
        expect(Array.from(frame.markerB)).toEqual(want.map(([, m]) => (m.b ? 1 : 0)));
        TAGS.forEach((_, t) => {
          expect(Array.from(frame.values[t])).toEqual(want.map(([, m]) => m.values[t]?.value ?? Number.NaN));
        });
        expect(cells).toBe(want.reduce((n, [, m]) => n + m.values.filter(Boolean).length, 0));
      }),
    );
  });

  it('a minute with only empty values is still a minute; a file spanning decades holds only its days', () => {
    const { frame } = pivot([
      { minute: 15_778_080, offset: 0, tag: 0, markerB: false, kept: true, value: 1 }, // 2000-01-01
      { minute: 29_000_000, offset: 5, tag: 1, markerB: true, kept: true, value: null },
      { minute: 29_000_000, offset: 1, tag: 1, markerB: false, kept: false, value: 7 },
    ]);
    expect(Array.from(frame.times)).toEqual([15_778_080 * 60_000, 29_000_000 * 60_000]);
    expect(Array.from(frame.markerB)).toEqual([0, 1]);
    expect(Array.from(frame.values[1])).toEqual([Number.NaN, Number.NaN]);
  });

  it('counts what it drops by reason, and takes an infinite value as a missing one', () => {
    const p = new MinutePivot(TAGS);
    p.add({
      count: 5,
      minute: Int32Array.of(100, 100, 100, 101, 101),
      offset: Int32Array.of(0, 1, 2, 0, 0),
      code: Int32Array.of(0, 0, -1, -11, -11),
      value: Float64Array.of(4, Number.POSITIVE_INFINITY, 9, 9, 9),
      valid: () => true,
    });
    const { frame } = p.finish();
    expect(Array.from(frame.values[0])).toEqual([4]);
    expect(p.counts).toMatchObject({ rows: 5, kept: 2, nonFinite: 1 });
    expect(p.counts.byCode[1]).toBe(1);
    expect(p.counts.byCode[11]).toBe(2);
  });

  it('holds a sparse file spanning twenty years in a few MB', () => {
    const p = new MinutePivot(Array.from({ length: 27 }, (_, i) => `t${i}`));
    for (let k = 0; k < 2000; k++)
      p.add({
        count: 1,
        minute: Int32Array.of(15_778_080 + k * 5256), // one sample every ~3.6 days for 20 years
        offset: Int32Array.of(0),
        code: Int32Array.of((k % 27) * 2),
        value: Float64Array.of(k),
        valid: () => true,
      });
    // 2,000 hours of 27 tags: about 39 MB, where day blocks held 934 MB.
    expect(p.heldBytes).toBeLessThan(50 * 1024 * 1024);
    expect(p.finish().frame.times.length).toBe(2000);
  });

  it('hands out whole days early, and knows when a sample arrives for a day already handed out', () => {
    const p = new MinutePivot(TAGS);
    const add = (minute: number, tag: number, value: number) =>
      p.add({
        count: 1,
        minute: Int32Array.of(minute),
        offset: Int32Array.of(0),
        code: Int32Array.of(tag * 2),
        value: Float64Array.of(value),
        valid: () => true,
      });
    add(1440 * 10 + 5, 0, 1);
    add(1440 * 10 + 6, 1, 2);
    add(1440 * 12, 0, 3);
    const early = p.takeDaysThrough(10, ['b', 'zz']);
    expect(early.tags).toEqual(['b']);
    expect(Array.from(early.times)).toEqual([(1440 * 10 + 5) * 60_000, (1440 * 10 + 6) * 60_000]);
    expect(Array.from(early.values[0])).toEqual([Number.NaN, 2]);
    expect(p.takeDaysThrough(10, ['a']).times.length).toBe(0); // nothing twice
    add(1440 * 12 + 1, 2, 4);
    expect(p.late).toBe(false);
    add(1440 * 10 + 7, 2, 5); // day 10 again
    expect(p.late).toBe(true);
    expect(p.finish().frame.times.length).toBe(5); // the whole pivot is still there
  });
});
