import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUMPS } from '../../src-shared/tags';
import { formatDay } from '../../src-shared/time';
import { tempDir } from '../../test/helpers';
import { tagValues } from '../demo/historianWriter';
import { simulateStation } from '../demo/stationSim';
import { createDemoProject, type Project, stationConfig } from '../project';
import { stationOverview } from './overview';

// The Overview's figures against totals computed straight from the simulator's samples (rounded
// as the historian writes them), not from SQL: two independent paths to the same numbers.

const SEED = 11;
const DAYS = 3;
let project: Project;

beforeAll(async () => {
  project = await createDemoProject({ dir: join(tempDir(), 'demo'), days: DAYS, seed: SEED });
});
afterAll(() => project.db.close());

function expected(day: string) {
  const samples = [...simulateStation({ days: DAYS, seed: SEED, start: '2025-03-01' })];
  const index = samples.findIndex((s) => formatDay(s.time) === day);
  const today = samples.filter((s) => formatDay(s.time) === day);
  const values = today.map(tagValues);
  return PUMPS.map((pump, k) => {
    let starts = 0;
    today.forEach((s, i) => {
      const previous = i === 0 ? samples[index - 1] : today[i - 1];
      if (s.on[k] && !(previous?.on[k] ?? false)) starts++;
    });
    return {
      pump,
      hours: today.filter((s) => s.on[k]).length / 60,
      kwh: values.reduce((sum, v) => sum + v[9 + k], 0) / 60,
      starts,
      volume: Math.max(...values.map((v) => v[0])),
    };
  });
}

describe('station overview', () => {
  it.each(['2025-03-01', '2025-03-02', '2025-03-03'])('matches the simulation on %s', async (day) => {
    const overview = await stationOverview(project.db, await stationConfig(project), day);
    const want = expected(day);
    overview.pumps.forEach((tile, k) => {
      expect(tile.hoursOnToday).toBeCloseTo(want[k].hours, 9);
      expect(tile.kwhToday).toBeCloseTo(want[k].kwh, 6);
      expect(tile.startsToday).toBe(want[k].starts);
    });
    expect(overview.volumeTodayM3).toBeCloseTo(want[0].volume, 6);
    expect(overview.energyTodayKwh).toBeCloseTo(
      want.reduce((s, p) => s + p.kwh, 0),
      6,
    );
    expect(overview.energyPerM3Today).toBeCloseTo(overview.energyTodayKwh / overview.volumeTodayM3, 9);
  });

  it('takes "today" from the newest reading, not the wall clock', async () => {
    const overview = await stationOverview(project.db, await stationConfig(project));
    expect(overview.asOf).toBe('2025-03-03 23:59:00');
    expect(overview.day).toBe('2025-03-03');
    expect(overview.dataRange).toEqual({
      first: '2025-03-01 00:00:00',
      last: '2025-03-03 23:59:00',
      rows: DAYS * 1440,
      interval: 1,
      loggedMinutes: DAYS * 1440,
    });
  });
});
