import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers';
import { evaluateAlerts } from '../../src-shared/alerts/engine';
import { formatTimestamp } from '../../src-shared/time';
import { createDemo } from '../demo/createDemo';
import { parseFault } from '../demo/faults';
import { ensureSchema, rawTagColumns } from '../db/schema';
import { StationDb } from '../db/stationDb';
import { importHistorian } from '../ingest/historianImport';
import { frameReadings, loadMinutes } from '../ingest/minuteFrame';
import { loadStation } from '../ingest/stationConfig';
import { ENGINE_TAGS, runAlertsOffThread } from './alertsInWorker';
import { AlertRunner } from './alertRunner';

const dir = tempDir();

describe('alerts_log from an import', () => {
  it('holds every episode one engine run over readings_wide gives, in its final state', async () => {
    const demo = await createDemo({ out: join(dir, 'demo'), days: 4, seed: 5, faults: ['trip@2:03:10+40:P3', 'outage@3:10:00+25'].map(parseFault) });
    const db = await StationDb.open(join(dir, 'alerts.duckdb'));
    await ensureSchema(db);
    await importHistorian(db, demo.historian);
    const station = (await loadStation(db))!.config;
    const readings = frameReadings(await loadMinutes(db, await rawTagColumns(db), null, null), null);
    const want = evaluateAlerts(readings, station).map((a) => ({
      rule: a.rule,
      pump: a.pump,
      timestamp: formatTimestamp(a.timestamp),
      resolved_at: a.resolvedAt === null ? null : formatTimestamp(a.resolvedAt),
      duration_min: a.durationMin,
    }));
    const got = await db.all(
      `SELECT rule, pump, strftime(timestamp, '%Y-%m-%d %H:%M:%S') AS timestamp, strftime(resolved_at, '%Y-%m-%d %H:%M:%S') AS resolved_at, duration_min
       FROM alerts_log ORDER BY timestamp, rule, pump`,
    );
    const order = (a: { timestamp: string; rule: string; pump: string | null }) => `${a.timestamp}|${a.rule}|${a.pump ?? ''}`;
    expect(want.length).toBeGreaterThan(2);
    expect(got).toEqual([...want].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)));
    db.close();
  });

  it('the engine run off the main thread gives what it gives on it', async () => {
    const demo = await createDemo({ out: join(dir, 'demo2'), days: 3, seed: 9, faults: [parseFault('trip@2:05:00+30:P2')] });
    const db = await StationDb.open(join(dir, 'worker.duckdb'));
    await ensureSchema(db);
    await importHistorian(db, demo.historian);
    const station = (await loadStation(db))!.config;
    const frame = await loadMinutes(db, ENGINE_TAGS, null, null);
    const here = new AlertRunner(station, null, null);
    for (const reading of frameReadings(frame, null)) here.push(reading);
    const there = await runAlertsOffThread({ station, resumed: false, after: null, saved: null }, frame);
    expect(there).toEqual(JSON.parse(JSON.stringify(here.result())));
    expect(there.raised.length).toBeGreaterThan(0);
    db.close();
  });
});
