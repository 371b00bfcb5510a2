import { type AlertRecord, resumable } from '../../src-shared/alerts/engine';
import type { PumpEfficiencyDay } from '../../src-shared/performance/pumpEfficiency';
import type { StationModel } from '../../src-shared/station/model';
import { formatTimestamp } from '../../src-shared/time';
import { readMeta, writeMeta } from '../db/schema';
import type { StationDb } from '../db/stationDb';
import type { AlertRunResult } from './alertRunner';
import type { AlertRunStart } from './alertsInWorker';

// alerts_log (seed 002 §6 step 3): the shared alert engine run over readings_wide. An import that
// only appends resumes the engine from the snapshot saved at the end of the previous data; any
// other import reruns it from the first minute, so alerts_log is always what one continuous run
// over all the data would give.

const SNAPSHOT_KEY = 'alert_engine_snapshot';

async function insertAlert(db: StationDb, a: AlertRecord): Promise<void> {
  const raised = formatTimestamp(a.timestamp);
  await db.run(
    `INSERT INTO alerts_log (timestamp, date, hour, severity, rule, pump, message, value_at_trigger, resolved, resolved_at, duration_min)
     VALUES (?::TIMESTAMP, ?::TIMESTAMP::DATE, hour(?::TIMESTAMP), ?, ?, ?, ?, ?, ?, ?::TIMESTAMP, ?)`,
    [
      raised,
      raised,
      raised,
      a.severity,
      a.rule,
      a.pump,
      a.message,
      a.valueAtTrigger,
      a.resolvedAt === null ? 0 : 1,
      a.resolvedAt === null ? null : formatTimestamp(a.resolvedAt),
      a.durationMin,
    ],
  );
}

async function resolveAlert(db: StationDb, a: AlertRecord): Promise<void> {
  await db.run(
    `UPDATE alerts_log SET resolved = 1, resolved_at = ?::TIMESTAMP, duration_min = ?
     WHERE rule = ? AND pump IS NOT DISTINCT FROM ? AND timestamp = ?::TIMESTAMP AND resolved = 0`,
    [formatTimestamp(a.resolvedAt ?? a.timestamp), a.durationMin, a.rule, a.pump, formatTimestamp(a.timestamp)],
  );
}

/** The saved engine state when it last ran with these station constants (so it can resume), else null. */
async function snapshotFor(
  db: StationDb,
  station: StationModel,
): Promise<{ lastTime: number; engine: unknown } | null> {
  const saved = await readMeta<{ lastTime: number | null; station: StationModel; engine: unknown }>(db, SNAPSHOT_KEY);
  if (!saved || saved.lastTime === null || JSON.stringify(saved.station) !== JSON.stringify(station)) return null;
  // A state an older PumpDeck saved is not resumed from: the run starts over.
  if (!resumable(saved.engine)) return null;
  return { lastTime: saved.lastTime, engine: saved.engine };
}

/**
 * Starts bringing alerts_log up to date with readings_wide. `fromMs` is the first minute the
 * import touched: when it lies after the engine's last minute, the engine resumes from its
 * snapshot; else it starts over (and alerts_log is emptied).
 */
export async function startAlertRun(db: StationDb, station: StationModel, fromMs: number): Promise<AlertRunStart> {
  const saved = await snapshotFor(db, station);
  if (saved && fromMs > saved.lastTime) return { station, saved: saved.engine, after: saved.lastTime };
  await db.run('DELETE FROM alerts_log');
  await db.run('DELETE FROM pump_efficiency');
  return { station, saved: null, after: null };
}

/**
 * Where the engine run of an import will start, when that is known before the file is read: the
 * station constants do not depend on the data, and the run either starts over on an empty
 * readings_wide or resumes from the snapshot (valid if the file begins after its last minute,
 * which `sameStart` checks once it is read). Null when the run has to wait for the data.
 */
export async function alertStartBeforeReading(
  db: StationDb,
  station: StationModel | null,
): Promise<AlertRunStart | null> {
  if (!station) return null;
  const empty = !(await db.one(`SELECT 1 AS found FROM readings_wide LIMIT 1`));
  if (empty) return { station, saved: null, after: null };
  const saved = await snapshotFor(db, station);
  return saved && { station, saved: saved.engine, after: saved.lastTime };
}

/** Whether a run started early is the run startAlertRun decided on. */
export function sameStart(early: AlertRunStart, run: AlertRunStart): boolean {
  return early.after === run.after && JSON.stringify(early.station) === JSON.stringify(run.station);
}

/** Writes the run: episodes it raised whole, ones raised before it resolved in place; the snapshot; the counts. */
export async function finishAlertRun(db: StationDb, run: AlertRunStart, result: AlertRunResult): Promise<void> {
  for (const alert of result.raised) await insertAlert(db, alert);
  for (const alert of result.resolvedBefore) await resolveAlert(db, alert);
  await writeEfficiency(db, run.station, result.efficiency);
  await writeMeta(db, SNAPSHOT_KEY, { lastTime: result.lastTime, station: run.station, engine: result.snapshot });
  await refreshAlertCounts(db);
}

/** The run's efficiency estimates into pump_efficiency: the days it estimated replace what was there. */
async function writeEfficiency(db: StationDb, station: StationModel, days: PumpEfficiencyDay[]): Promise<void> {
  if (days.length === 0) return;
  const from = Math.min(...days.map((d) => d.day));
  await db.run(`DELETE FROM pump_efficiency WHERE date >= ?::DATE`, [epochDay(from)]);
  await db.run(
    `INSERT INTO pump_efficiency VALUES ${days.map(() => '(?::DATE, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    days.flatMap((d) => [
      epochDay(d.day),
      station.pumps[d.pump].id,
      d.flow,
      d.kw,
      d.m3PerKwh,
      d.ratio,
      d.slope,
      d.runMinutes,
    ]),
  );
}

const epochDay = (day: number) => formatTimestamp(day * 86_400_000).slice(0, 10);

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
