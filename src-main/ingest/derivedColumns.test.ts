import { describe, expect, it } from 'vitest';
import type { RawMinutes } from '../../src-shared/minuteFrame';
import { seedStation } from '../../src-shared/station/model';

const DEFAULT_STATION = seedStation();

import { PUMPS, TAG } from '../../src-shared/tags';
import type { AppendColumn } from '../db/columnar';
import { DERIVED_COLUMNS } from '../db/schema';
import { DERIVED_LOOKBACK_MINUTES, deriveColumns } from './derivedColumns';

/** Three days of minutes with gaps, pumps cycling and noisy flow (seeded, reproducible). */
function series(): { times: Float64Array; columns: Map<string, Float64Array> } {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const times: number[] = [];
  for (let m = 0, t = Date.UTC(2025, 2, 1); m < 3 * 1440; m++) {
    t += (random() < 0.01 ? 1 + Math.floor(random() * 8) : 1) * 60_000; // a gap now and then
    times.push(t);
  }
  const n = times.length;
  const columns = new Map<string, Float64Array>();
  const on = PUMPS.map((_, k) =>
    Float64Array.from({ length: n }, (_, i) => (Math.floor(i / (30 + 7 * k)) % 3 === 0 ? 1 : 0)),
  );
  PUMPS.forEach((p, k) => {
    columns.set(TAG.onOff(p), on[k]);
    columns.set(
      TAG.kw(p),
      Float64Array.from(on[k], (v) => (v ? 30 + random() * 5 : 0)),
    );
  });
  columns.set(
    TAG.flow,
    Float64Array.from({ length: n }, (_, i) =>
      random() < 0.02 ? Number.NaN : 100 + 50 * Math.sin(i / 50) + random() * 10,
    ),
  );
  columns.set(
    TAG.level,
    Float64Array.from({ length: n }, (_, i) => 250 + 200 * Math.sin(i / 300)),
  );
  return { times: Float64Array.from(times), columns };
}

const raw = (times: Float64Array, columns: Map<string, Float64Array>, from = 0): RawMinutes => ({
  times: times.subarray(from),
  column: (tag) => columns.get(tag)?.subarray(from),
});

const values = (column: AppendColumn): ArrayLike<number> =>
  column.type === 'date'
    ? column.epochDays
    : column.type === 'double' || column.type === 'integer'
      ? column.values
      : [];

describe('derived columns over minutes held as columns', () => {
  it('a row with a full lookback before it gets the same bits wherever the computation starts', () => {
    const { times, columns } = series();
    const whole = deriveColumns(raw(times, columns), DEFAULT_STATION);
    // Start a day in: rows from a lookback window later on must be identical to the last bit.
    const start = 1440;
    const part = deriveColumns(raw(times, columns, start), DEFAULT_STATION);
    const firstFinal = times.findIndex((t) => t >= times[start] + DERIVED_LOOKBACK_MINUTES * 60_000);
    DERIVED_COLUMNS.forEach(([name], c) => {
      const a = Array.from(values(whole[c])).slice(firstFinal);
      const b = Array.from(values(part[c])).slice(firstFinal - start);
      expect(b, name).toEqual(a);
    });
  });

  it('a minute without flow has no z-score and no energy per flow; pump counts and peak hours follow the inputs', () => {
    const { times, columns } = series();
    const out = new Map(
      DERIVED_COLUMNS.map(([name], c) => [name, values(deriveColumns(raw(times, columns), DEFAULT_STATION)[c])]),
    );
    const flow = columns.get(TAG.flow)!;
    const missing = flow.findIndex((v) => Number.isNaN(v));
    expect(out.get('flow_z_score')![missing]).toBeNaN();
    expect(out.get('energy_per_flow')![missing]).toBeNaN();
    expect(Math.max(...Array.from(out.get('pumps_on_count')!))).toBe(6);
    expect(Array.from(out.get('is_peak_hour')!).some((v) => v === 1)).toBe(true);
  });
});
