import type { AlertRecord } from '../../src-shared/alerts/engine';
import { AlertRunner, feedRunner, type AlertRunResult } from './alertRunner';
import type { MinuteReading } from '../../src-shared/alerts/minute';
import type { StationConfig } from '../../src-shared/station';
import { PUMPS, TAG } from '../../src-shared/tags';
import { formatTimestamp, parseTimestamp } from '../../src-shared/time';
import { readMeta, writeMeta } from '../db/schema';
import { ident, type StationDb } from '../db/stationDb';

// alerts_log (seed 002 §6 step 3): the shared alert engine run over readings_wide. An import that
// only appends resumes the engine from the snapshot saved at the end of the previous data; any
// other import reruns it from the first minute, so alerts_log is always what one continuous run
// over all the data would give.

const SNAPSHOT_KEY = 'alert_engine_snapshot';
const COLUMNS = [TAG.flow, TAG.dayTotal, TAG.level, ...PUMPS.map(TAG.onOff), ...PUMPS.map(TAG.kw)];

/** readings_wide as engine input, a month at a time, read column-wise. */
export async function* minuteReadings(db: StationDb, fromMs: number | null): AsyncGenerator<MinuteReading[]> {
  const months = await db.all<{ m: string }>(
    `SELECT DISTINCT strftime(date_trunc('month', "Timestamp"), '%Y-%m-%d') AS m FROM readings_wide
     WHERE ? IS NULL OR "Timestamp" >= make_timestamp(?::BIGINT * 1000) ORDER BY 1`,
    [fromMs, fromMs],
  );
  for (const { m } of months) {
    const columns = await db.columns(
      `SELECT epoch_ms("Timestamp")::DOUBLE AS t, ${COLUMNS.map(ident).join(', ')} FROM readings_wide
       WHERE "Timestamp" >= ?::TIMESTAMP AND "Timestamp" < ?::TIMESTAMP + INTERVAL 1 MONTH
         AND (? IS NULL OR "Timestamp" >= make_timestamp(?::BIGINT * 1000))
       ORDER BY "Timestamp"`,
      [m, m, fromMs, fromMs],
    );
    const [t, flow, dayTotal, level, ...rest] = columns as Array<Array<number | null>>;
    const on = rest.slice(0, 6);
    const kw = rest.slice(6, 12);
    yield t.map((time, i) => ({
      time: time as number,
      flow: flow[i],
      dayTotal: dayTotal[i],
      level: level[i],
      on: on.map((col) => (col[i] === null ? null : col[i] === 1)),
      kw: kw.map((col) => col[i]),
    }));
  }
}

async function insertAlert(db: StationDb, a: AlertRecord): Promise<void> {
  const raised = formatTimestamp(a.timestamp);
  await db.run(
    `INSERT INTO alerts_log (timestamp, date, hour, severity, rule, pump, message, value_at_trigger, resolved, resolved_at, duration_min)
     VALUES (?::TIMESTAMP, ?::TIMESTAMP::DATE, hour(?::TIMESTAMP), ?, ?, ?, ?, ?, ?, ?::TIMESTAMP, ?)`,
    [
      raised, raised, raised, a.severity, a.rule, a.pump, a.message, a.valueAtTrigger,
      a.resolvedAt === null ? 0 : 1, a.resolvedAt === null ? null : formatTimestamp(a.resolvedAt), a.durationMin,
    ],
  );
}

async function resolveAlert(db: StationDb, a: AlertRecord): Promise<void> {
  await db.run(
    `UPDATE alerts_log SET resolved = 1, resolved_at = ?::TIMESTAMP, duration_min = ?
     WHERE rule = ? AND pump IS NOT DISTINCT FROM ? AND timestamp = ?::TIMESTAMP AND resolved = 0`,
    [formatTimestamp(a.resolvedAt!), a.durationMin, a.rule, a.pump, formatTimestamp(a.timestamp)],
  );
}

/** One run of the engine over the minutes an import changed, written to alerts_log at the end. */
export interface AlertRun {
  station: StationConfig;
  resumed: boolean;
  /** The engine has seen every minute up to this one (null: none); it reads the minutes after it. */
  after: number | null;
  /** The engine state to resume from (null: start over). */
  saved: unknown | null;
}

/**
 * Starts bringing alerts_log up to date with readings_wide. `changedFrom` is the first minute the
 * import touched: when it lies after the engine's last minute, the engine resumes from its
 * snapshot; else it starts over (and alerts_log is emptied).
 */
export async function startAlertRun(db: StationDb, station: StationConfig, changedFrom: string): Promise<AlertRun> {
  const saved = await readMeta<{ lastTime: number | null; station: StationConfig; engine: unknown }>(db, SNAPSHOT_KEY);
  const fromMs = parseTimestamp(changedFrom);
  const resumed = !!saved && saved.lastTime !== null && fromMs > saved.lastTime && JSON.stringify(saved.station) === JSON.stringify(station);
  if (!resumed) await db.run('DELETE FROM alerts_log');
  return { station, resumed, after: resumed ? saved!.lastTime : null, saved: resumed ? saved!.engine : null };
}

/** Runs the engine over readings_wide's minutes after the run's last one, on this thread. */
export async function runAlertsFromTable(db: StationDb, run: AlertRun): Promise<AlertRunResult> {
  const runner = new AlertRunner(run.station, run.saved, run.after);
  for await (const chunk of minuteReadings(db, run.after === null ? null : run.after + 1)) await feedRunner(runner, chunk);
  return runner.result();
}

/** Writes the run: episodes it raised whole, ones raised before it resolved in place; the snapshot; the counts. */
export async function finishAlertRun(db: StationDb, run: AlertRun, result: AlertRunResult): Promise<{ written: number; resumed: boolean }> {
  for (const alert of result.raised) await insertAlert(db, alert);
  for (const alert of result.resolvedBefore) await resolveAlert(db, alert);
  await writeMeta(db, SNAPSHOT_KEY, { lastTime: result.lastTime, station: run.station, engine: result.snapshot });
  await refreshAlertCounts(db);
  return { written: result.raised.length, resumed: run.resumed };
}

/** Brings alerts_log up to date, reading the minutes from readings_wide. */
export async function updateAlertsLog(db: StationDb, station: StationConfig, changedFrom: string): Promise<{ written: number; resumed: boolean }> {
  const run = await startAlertRun(db, station, changedFrom);
  return finishAlertRun(db, run, await runAlertsFromTable(db, run));
}

/** Alert counts of daily_summary and hourly_profile, from alerts_log (a full rerun changes any day). */
export async function refreshAlertCounts(db: StationDb): Promise<void> {
  await db.run(`UPDATE daily_summary d SET total_alerts = coalesce(a.total, 0), critical_alerts = coalesce(a.critical, 0)
    FROM (SELECT d2.date, count(l.rule) AS total, count(l.rule) FILTER (WHERE l.severity = 'CRITICAL') AS critical
          FROM daily_summary d2 LEFT JOIN alerts_log l ON l.date = d2.date GROUP BY d2.date) a
    WHERE a.date = d.date`);
  await db.run(`UPDATE hourly_profile h SET alert_count = coalesce(a.n, 0)
    FROM (SELECT h2.date, h2.hour, count(l.rule) AS n FROM hourly_profile h2 LEFT JOIN alerts_log l ON l.date = h2.date AND l.hour = h2.hour GROUP BY ALL) a
    WHERE a.date = h.date AND a.hour = h.hour`);
}
