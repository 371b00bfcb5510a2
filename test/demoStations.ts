import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createDemoProject, type Project } from '../src-main/project';

/** Both demo stations (40 days, seed 3) in `dir`, made before the file's tests and closed after them. */
export function demoStations(dir: string): { booster: Project; lift: Project } {
  const stations = {} as { booster: Project; lift: Project };
  beforeAll(async () => {
    [stations.booster, stations.lift] = await Promise.all([
      createDemoProject({ dir: join(dir, 'booster'), days: 40, seed: 3 }),
      createDemoProject({ dir: join(dir, 'lift'), days: 40, seed: 3, station: 'lift' }),
    ]);
  }, 300_000);
  afterAll(() => {
    stations.booster.db.close();
    stations.lift.db.close();
  });
  return stations;
}
