import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TAG } from '../../src-shared/tags';
import { ensureSchema } from '../db/schema';
import { StationDb } from '../db/stationDb';
import { importHistorian } from '../ingest/historianImport';
import { readStationFile } from '../ingest/stationConfig';
import { createDemo } from './createDemo';
import { parseFault } from './faults';

const dir = mkdtempSync(join(tmpdir(), 'pumpdeck-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo faults on a pump that is stopped at the time (issue 22)', () => {
  it('start the pump for the fault: a trip of P3 at 03:10, when P3 rests every night, raises B-01 for P3', async () => {
    const demo = await createDemo({
      out: join(dir, 'trip'),
      days: 6,
      seed: 1,
      faults: [parseFault('trip@5:03:10+12:P3')],
    });
    const db = await StationDb.open(join(dir, 'trip.duckdb'));
    await ensureSchema(db);
    await importHistorian(db, demo.historian, { station: await readStationFile(demo.station) });
    // The fault's minutes: P3 commanded on and drawing nothing.
    const rows = await db.all<{ on: number; kw: number }>(
      `SELECT "${TAG.onOff('P3')}" AS on, "${TAG.kw('P3')}" AS kw FROM readings_wide
       WHERE "Timestamp" BETWEEN '2025-03-05 03:10' AND '2025-03-05 03:21'`,
    );
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.on === 1 && r.kw === 0)).toBe(true);
    const trips = await db.all<{ at: string }>(
      `SELECT strftime(timestamp, '%Y-%m-%d %H:%M') AS at FROM alerts_log WHERE rule = 'B-01' AND pump = 'P3'`,
    );
    expect(trips.map((t) => t.at.slice(0, 13))).toContain('2025-03-05 03');
    db.close();
  }, 60_000);
});
