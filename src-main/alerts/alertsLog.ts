import { AlertEngine, type AlertRecord } from '../../src-shared/alerts/engine';
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

/**
 * Brings alerts_log up to date with readings_wide. `changedFrom` is the first minute the import
 * touched: when it lies after the engine's last minute, the engine resumes; else it starts over.
 * Returns how many alerts were written and whether the engine resumed.
 */
export async function updateAlertsLog(db: StationDb, station: StationConfig, changedFrom: string): Promise<{ written: number; resumed: boolean }> {
  const saved = await readMeta<{ lastTime: number | null; station: StationConfig; engine: unknown }>(db, SNAPSHOT_KEY);
  const fromMs = parseTimestamp(changedFrom);
  const resumed = !!saved && saved.lastTime !== null && fromMs > saved.lastTime && JSON.stringify(saved.station) === JSON.stringify(station);
  const engine = new AlertEngine(station);
  if (resumed) engine.restore(saved!.engine);
  else await db.run('DELETE FROM alerts_log');
  let written = 0;
  let lastTime = resumed ? saved!.lastTime : null;
  for await (const chunk of minuteReadings(db, resumed ? saved!.lastTime! + 1 : null)) {
    const raised: AlertRecord[] = [];
    const cleared: AlertRecord[] = [];
    for (const reading of chunk) {
      for (const event of engine.push(reading)) (event.type === 'raise' ? raised : cleared).push(event.alert);
    }
    // Episodes raised in this chunk are written whole; ones raised before are resolved in place.
    const raisedSet = new Set(raised);
    for (const alert of raised) await insertAlert(db, alert);
    for (const alert of cleared) if (!raisedSet.has(alert)) await resolveAlert(db, alert);
    written += raised.length;
    lastTime = chunk.at(-1)?.time ?? lastTime;
  }
  await writeMeta(db, SNAPSHOT_KEY, { lastTime, station, engine: engine.snapshot() });
  await refreshAlertCounts(db);
  return { written, resumed };
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
