import type { MinuteFrame } from '../../src-shared/minuteFrame';
import { lowerBound } from '../../src-shared/sorted';
import type { StationModel } from '../../src-shared/station/model';
import { formatTimestamp } from '../../src-shared/time';
import { type AlertsOffThread, engineTags, runAlertsOffThread } from '../alerts/alertsInWorker';
import { finishAlertRun, sameStart, startAlertRun } from '../alerts/alertsLog';
import { collectGarbage } from '../db/columnar';
import { rawTagColumns } from '../db/schema';
import type { StationDb } from '../db/stationDb';
import { loadMinutes, tsLiteral, writeMinutes } from './minuteFrame';
import { StationSql } from './stationSql';
import { rebuildHealth, rebuildStationTables } from './stationTables';

/**
 * Writes the frame's minutes in [fromMs, toMs] to readings_wide (the frame holds the lookback
 * before fromMs) and rebuilds every station table for them, in the seed's build order. When the
 * frame holds every minute the alert engine has to read, the engine runs in a worker thread while
 * DuckDB writes the rows and builds the other tables (continuing `early`, started while the file
 * was read, when that is the same run); otherwise it reads them back from readings_wide afterwards.
 */
export async function applyMinutes(
  db: StationDb,
  station: StationModel,
  frame: MinuteFrame,
  fromMs: number,
  toMs: number,
  early: AlertsOffThread | null,
  onStep?: (step: string) => void,
): Promise<void> {
  const run = await startAlertRun(db, station, fromMs);
  // After the write, readings_wide is the frame plus the stored rows outside it.
  const lookbackFrom = frame.times.length ? Math.min(frame.times[0], fromMs) : fromMs;
  const outside = (
    await db.single<{ n: number }>(
      `SELECT count(*) AS n FROM readings_wide
     WHERE NOT ("Timestamp" BETWEEN ${tsLiteral(lookbackFrom)} AND ${tsLiteral(toMs)})${run.after === null ? '' : ` AND "Timestamp" > ${tsLiteral(run.after)}`}`,
    )
  ).n;
  const inMemory = outside === 0;
  const touchedTo = frame.times[lowerBound(frame.times, toMs + 1) - 1] ?? fromMs;
  let firstDay = formatTimestamp(fromMs).slice(0, 10);
  let sql: StationSql | null = null;
  const duckdbWork = async () => {
    await writeMinutes(db, station, frame, fromMs, toMs);
    // Nothing reads the frame's columns after this (the engine has its copy): the largest memory
    // of an import (190 MB for a year) goes before the tables are built.
    frame.values = [];
    collectGarbage();
    sql = await StationSql.of(db, station);
    firstDay = await rebuildStationTables(
      db,
      sql,
      { from: formatTimestamp(fromMs), to: formatTimestamp(touchedTo) },
      onStep,
    );
  };
  // A run started while the file was read goes on if it is the run decided on here.
  const useEarly = early !== null && !early.outOfOrder && inMemory && sameStart(early.start, run);
  if (!useEarly) early?.abort();
  const engine = useEarly && early ? early.finish(frame) : inMemory ? runAlertsOffThread(run, frame) : null;
  const [, fromMemory] = await Promise.all([duckdbWork(), engine]);
  let result = fromMemory;
  if (!result) {
    // The engine reads minutes outside the frame: read its inputs back from readings_wide.
    const wanted = engineTags(station);
    const tags = (await rawTagColumns(db)).filter((tag) => wanted.includes(tag));
    result = await runAlertsOffThread(
      run,
      await loadMinutes(db, tags, run.after === null ? null : run.after + 1, null),
    );
  }
  await finishAlertRun(db, run, result);
  // pump_health reads the efficiency the engine estimated (seed 002's step 6, after alerts_log).
  onStep?.('pump_health');
  await rebuildHealth(db, sql ?? (await StationSql.of(db, station)), firstDay, formatTimestamp(touchedTo).slice(0, 10));
}
