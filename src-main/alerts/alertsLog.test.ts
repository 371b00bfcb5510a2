import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src-shared/alerts/engine';
import { modelTags } from '../../src-shared/station/model';
import { seedInput } from '../../src-shared/station/parse';
import { frameReadings } from '../../src-shared/station/signals';
import { formatTimestamp } from '../../src-shared/time';
import { tempDir } from '../../test/helpers';
import { ensureSchema, rawTagColumns } from '../db/schema';
import { StationDb } from '../db/stationDb';
import { createDemo } from '../demo/createDemo';
import { parseFault } from '../demo/faults';
import { importHistorian } from '../ingest/historianImport';
import { loadMinutes } from '../ingest/minuteFrame';
import { loadStation } from '../ingest/stationConfig';
import { AlertRunner, type AlertRunResult } from './alertRunner';
import { AlertsOffThread, engineInput, runAlertsOffThread } from './alertsInWorker';

const dir = tempDir();

describe('alerts_log from an import', () => {
  it.each([
    ['derived from the data (the engine runs after the read)', false],
    ['given in full (the engine starts while the file is read)', true],
  ])(
    'holds every episode one engine run over readings_wide gives, in its final state: station %s',
    async (_, given) => {
      const demo = await createDemo({
        out: join(dir, `demo-${given}`),
        days: 12,
        seed: 5,
        faults: ['trip@2:03:10+40:P3', 'outage@9:10:00+25'].map(parseFault),
      });
      const db = await StationDb.open(join(dir, `alerts-${given}.duckdb`));
      await ensureSchema(db);
      await importHistorian(db, demo.historian, given ? { station: seedInput({ daily_energy_budget_kwh: 900 }) } : {});
      const station = (await loadStation(db))?.config;
      if (!station) throw new Error('no station stored');
      const readings = frameReadings(await loadMinutes(db, await rawTagColumns(db), null, null), station, null);
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
      const order = (a: { timestamp: string; rule: string; pump: string | null }) =>
        `${a.timestamp}|${a.rule}|${a.pump ?? ''}`;
      expect(want.length).toBeGreaterThan(2);
      expect(got).toEqual([...want].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)));
      db.close();
    },
  );

  /** A demo imported, the engine's input read back, and one engine run over it on this thread. */
  async function engineCase(name: string, days: number, fault: string) {
    const demo = await createDemo({ out: join(dir, name), days, seed: days, faults: [parseFault(fault)] });
    const db = await StationDb.open(join(dir, `${name}.duckdb`));
    await ensureSchema(db);
    await importHistorian(db, demo.historian);
    const station = (await loadStation(db))?.config;
    if (!station) throw new Error('no station stored');
    const frame = await loadMinutes(db, modelTags(station), null, null);
    db.close();
    const here = new AlertRunner(station, null, null);
    for (const reading of frameReadings(frame, station, null)) here.push(reading);
    return { station, frame, expected: JSON.parse(JSON.stringify(here.result())) as AlertRunResult };
  }

  it('the engine fed in batches off the main thread gives what one run on it gives', async () => {
    const { station, frame, expected } = await engineCase('batches', 6, 'trip@3:05:00+30:P1');
    const there = new AlertsOffThread({ station, after: null, saved: null });
    const day = 86_400_000;
    for (const through of [frame.times[0] + day, frame.times[0] + 3 * day])
      there.send(engineInput(frame, station, there.lastSent, through));
    expect(there.outOfOrder).toBe(false);
    expect(await there.finish(frame)).toEqual(expected);
  });

  it('the engine run off the main thread gives what it gives on it', async () => {
    const { station, frame, expected } = await engineCase('whole', 3, 'trip@2:05:00+30:P2');
    const there = await runAlertsOffThread({ station, after: null, saved: null }, frame);
    expect(there).toEqual(expected);
    expect(there.raised.length).toBeGreaterThan(0);
  });
});
