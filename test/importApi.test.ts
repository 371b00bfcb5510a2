import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../src-main/api/handlers';
import { createDemo } from '../src-main/demo/createDemo';
import { openProject, type Project } from '../src-main/project';
import { ApiClient } from '../src-shared/api/client';
import type { Progress } from '../src-shared/api/contract';
import { ApiHost } from '../src-shared/api/host';
import { connectInMemory } from '../src-shared/api/inMemory';
import { proposedTop } from '../src-shared/station/derive';
import { tempDir } from './helpers';

// The Import page's calls, through the typed client and the real handlers on a real DuckDB file.
const dir = tempDir();
let project: Project;
let api: ApiClient;
const events: string[][] = [];

beforeAll(async () => {
  project = await openProject(join(dir, 'station.duckdb'));
  const host: ApiHost = new ApiHost(
    createHandlers({
      version: 't',
      project: () => project,
      changed: (tables) => host.broadcast('data.changed', { tables }),
    }),
  );
  api = new ApiClient(connectInMemory(host));
  api.on('data.changed', (p) => events.push(p.tables));
});
afterAll(() => project.db.close());

async function upload(path: string, chunkBytes = 100_000): Promise<string> {
  const bytes = readFileSync(path);
  let uploadId: string | undefined;
  let file = '';
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    const result = await api.call('import.upload', {
      uploadId,
      name: path.split('/').pop()!,
      offset,
      chunk: bytes.subarray(offset, offset + chunkBytes).toString('base64'),
    });
    uploadId = result.uploadId;
    file = result.file;
    expect(result.bytes).toBe(Math.min(bytes.length, offset + chunkBytes));
  }
  return file;
}

describe('import through the API', () => {
  it('uploads in chunks, previews, imports with progress, derives missing station constants and tells the views', async () => {
    const demo = await createDemo({ out: join(dir, 'demo'), days: 3, seed: 3 });
    const file = await upload(demo.historian);
    const preview = await api.call('import.preview', { file });
    expect(preview).toMatchObject({
      kind: 'historian',
      sourceLayout: 'seed',
      columns: ['Timestamp', 'Marker', 'TagIndex', 'Value'],
      delimiter: ',',
    });
    expect(preview).not.toHaveProperty('layout');
    expect(preview.preview[0]).toEqual(['2025-03-01 00:00:00', 'B', '0', expect.any(String)]);
    expect(preview).not.toHaveProperty('path');

    const progress: Progress[] = [];
    const result = await api.call('import.run', { kind: 'historian', file }, { onProgress: (p) => progress.push(p) });
    expect(result.historian).toMatchObject({ minutes: 3 * 1440, newMinutes: 3 * 1440 });
    expect(progress.map((p) => p.phase)).toEqual(
      expect.arrayContaining(['reading', 'deriving', 'building pump_sessions', 'done']),
    );
    expect(progress.at(-1)).toMatchObject({ fraction: 1, unit: 'bytes', total: readFileSync(demo.historian).length });
    expect(events.at(-1)).toEqual(expect.arrayContaining(['readings_wide', 'daily_summary']));

    const settings = await api.call('station.settings', {});
    expect(settings.derived.sort()).toEqual([
      'daily_energy_budget_kwh',
      'fit101_physical_max',
      'hlt_physical_max',
      'interval_min',
      'rated_kw',
    ]);
    const [{ level }] = await project.db.all<{ level: number }>(
      `SELECT max("[PLC]HLT101.OUTPUT") AS level FROM readings_wide`,
    );
    // The tank's top is not in the data: a round figure a quarter above the highest level seen.
    expect(settings.config.level?.max).toBe(proposedTop('cm', level));
    expect(settings.config.level?.max).toBeGreaterThanOrEqual(1.25 * level);
  });

  it('saving a station constant recomputes derived columns and clears its "derived" flag', async () => {
    const settings = await api.call('station.update', { hlt_physical_max: 1000 });
    expect(settings.derived).not.toContain('hlt_physical_max');
    const [row] = await project.db.all<{ bad: number }>(
      `SELECT count(*) FILTER (WHERE abs(hlt_pct - "[PLC]HLT101.OUTPUT" / 10) > 1e-9) AS bad FROM readings_wide`,
    );
    expect(row.bad).toBe(0);
  });

  it('a wide CSV gets a mapping guessed from its names; bad references are refused', async () => {
    const demo = join(dir, 'demo', 'operational', 'P2.csv');
    const file = await upload(demo);
    const preview = await api.call('import.preview', { file });
    expect(preview).toMatchObject({ kind: 'wide', timeColumn: 'Timestamp' });
    expect(preview.suggestedMapping).toEqual({
      flow: 'Flow (gpm)',
      head: 'Discharge Pressure (psi)',
      power: 'Motor Power (hp)',
      efficiency: 'Pump Efficiency (%)',
    });
    const result = await api.call('import.run', { kind: 'wide', file, pump: 'P2', mapping: preview.suggestedMapping });
    expect(result.rows).toBe(readFileSync(demo, 'utf8').trim().split('\n').length - 1);
    await expect(api.call('import.preview', { file: 'upload:../../etc/passwd' })).rejects.toMatchObject({
      code: 'invalid_params',
    });
    await expect(api.call('import.preview', { file: 'relative.csv' })).rejects.toMatchObject({
      code: 'invalid_params',
    });
    await expect(
      api.call('import.upload', { uploadId: '0123456789abcdef', name: 'x.csv', offset: 0, chunk: '' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
