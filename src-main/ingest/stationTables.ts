import { OVERRUN_MINUTES } from '../../src-shared/alerts/rules/runtime';
import type { StationDb } from '../db/stationDb';
import type { StationSql } from './stationSql';

// pump_sessions, hourly_profile, daily_summary and pump_health (seed 002 §6-7.6), rebuilt for the
// days an import touched, for the station model's pumps. Sessions are rebuilt from the start of
// the first session still open at the touched range, so a run that spans two imports becomes one
// session. Every sum is weighted by the minutes a row stands for (interval_min), so a 15-minute
// log gives the same kWh and run hours as a minute log of the same station.

export const SHORT_CYCLE_MINUTES = 5;

export interface TouchedRange {
  /** First and last minute whose readings (or derived values) changed. */
  from: string;
  to: string;
}

/**
 * Rebuilds sessions from the first one open at the range; returns the earliest time rebuilt. A
 * run is the pump's running rows with no other row between two of them (rn counts every row) and
 * no step over the session gap: the windows then run over the running rows only, not every row.
 */
async function rebuildSessions(db: StationDb, sql: StationSql, range: TouchedRange): Promise<string> {
  let earliest = range.from;
  const w = sql.weight;
  const gap = sql.sessionGapMinutes;
  for (const [k, pump] of sql.pumpIds.entries()) {
    const restart = (
      await db.one<{ restart: string }>(
        `SELECT strftime(least(?::TIMESTAMP, min(start_time)), '%Y-%m-%d %H:%M:%S') AS restart
       FROM pump_sessions WHERE pump = ? AND (end_time IS NULL OR end_time >= ?::TIMESTAMP)`,
        [range.from, pump, range.from],
      )
    )?.restart as string;
    if (restart < earliest) earliest = restart;
    await db.run(`DELETE FROM pump_sessions WHERE pump = ? AND start_time >= ?::TIMESTAMP`, [pump, restart]);
    await db.run(
      `INSERT INTO pump_sessions (pump, start_time, end_time, duration_min, status, date, kwh_consumed, flow_during_run, efficiency, is_short_cycle)
       WITH r AS (
         SELECT "Timestamp" AS ts, row_number() OVER (ORDER BY "Timestamp") AS rn, ${sql.run(k)} AS on_, ${sql.kw(k)} AS kw,
                ${sql.flow} AS flow, flow_per_pump, ${w} AS w
         FROM readings_wide WHERE "Timestamp" >= ?::TIMESTAMP),
       o AS (SELECT *, lag(rn) OVER (ORDER BY ts) AS prev_rn, lag(ts) OVER (ORDER BY ts) AS prev_ts FROM r WHERE on_),
       data_end AS (SELECT max("Timestamp") AS last FROM readings_wide),
       m AS (
         SELECT *, sum(CASE WHEN prev_rn IS NULL OR rn - prev_rn > 1 OR ts - prev_ts > INTERVAL ${gap} MINUTES THEN 1 ELSE 0 END)
                     OVER (ORDER BY ts ROWS UNBOUNDED PRECEDING) AS sid
         FROM o),
       s AS (
         SELECT min(ts) AS start_time, max(ts) AS last_on, arg_max(w, ts) AS last_w, sum(kw * w) / 60 AS kwh, avg(flow) AS flow,
                avg(flow_per_pump) AS flow_share, avg(kw) AS avg_kw
         FROM m GROUP BY sid)
       SELECT ?, start_time,
              CASE WHEN last_on < (SELECT last FROM data_end) THEN last_on + to_minutes(last_w) END AS end_time,
              date_diff('minute', start_time, last_on) + last_w AS duration_min,
              CASE WHEN last_on < (SELECT last FROM data_end) THEN 'completed' ELSE 'running' END AS status,
              start_time::DATE, kwh, flow,
              CASE WHEN avg_kw > 0 THEN flow_share / avg_kw END AS efficiency,
              (date_diff('minute', start_time, last_on) + last_w < ${SHORT_CYCLE_MINUTES})::INT
       FROM s ORDER BY start_time`,
      [restart, pump],
    );
  }
  return earliest;
}

async function rebuildHourly(db: StationDb, sql: StationSql, fromDay: string, toDay: string): Promise<void> {
  const w = sql.weight;
  const onMinutes = sql.pumpIds.map((_, k) => `coalesce(sum(${w}) FILTER (WHERE ${sql.run(k)}), 0)`);
  await db.run(`DELETE FROM hourly_profile WHERE date BETWEEN ?::DATE AND ?::DATE`, [fromDay, toDay]);
  await db.run(
    `INSERT INTO hourly_profile
     WITH a AS (SELECT date, hour, count(*) AS n FROM alerts_log WHERE date BETWEEN ?::DATE AND ?::DATE GROUP BY ALL)
     SELECT ${[
       'r.date',
       'r.hour',
       `avg(${sql.flow})`,
       `sum(${sql.flow} * ${w}) / 60`,
       `avg(${sql.level})`,
       'avg(pumps_on_count)',
       `sum(total_kw * ${w}) / 60`,
       ...onMinutes,
       'coalesce(any_value(a.n), 0)',
       'max(is_peak_hour)',
       `sum(${w})`,
     ].join(', ')}
     FROM readings_wide r LEFT JOIN a ON a.date = r.date AND a.hour = r.hour
     WHERE r.date BETWEEN ?::DATE AND ?::DATE
     GROUP BY r.date, r.hour`,
    [fromDay, toDay, fromDay, toDay],
  );
}

async function rebuildDaily(db: StationDb, sql: StationSql, fromDay: string, toDay: string): Promise<void> {
  const w = sql.weight;
  const ids = sql.pumpIds;
  // The seed takes the day's volume from the flow meter's day total; without one, flow × time.
  const volume = sql.hasDayTotal ? `max(${sql.dayTotal})` : `sum(${sql.flow} * ${w}) / 60`;
  const each = (column: (k: number) => string) => ids.map((_, k) => column(k));
  // A station without pumps has no starts to count: the join still needs a table with a date.
  const starts = ids.length
    ? `SELECT date, ${each((k) => `count(*) FILTER (WHERE pump = ?) AS s${k}`).join(', ')}
       FROM pump_sessions WHERE date BETWEEN ?::DATE AND ?::DATE GROUP BY date`
    : `SELECT NULL::DATE AS date WHERE ?::DATE IS NULL AND ?::DATE IS NULL`;
  await db.run(`DELETE FROM daily_summary WHERE date BETWEEN ?::DATE AND ?::DATE`, [fromDay, toDay]);
  await db.run(
    `INSERT INTO daily_summary
     WITH starts AS (${starts}),
     alerts AS (
       SELECT date, count(*) AS total, count(*) FILTER (WHERE severity = 'CRITICAL') AS critical
       FROM alerts_log WHERE date BETWEEN ?::DATE AND ?::DATE GROUP BY date),
     d AS (
       SELECT ${[
         'date',
         `${volume} AS total_flow`,
         `avg(${sql.flow}) AS avg_flow`,
         `max(${sql.flow}) AS peak_flow`,
         `arg_max(hour, ${sql.flow}) AS peak_hour`,
         `avg(${sql.level}) AS avg_level`,
         `min(${sql.level}) AS min_level`,
         `max(${sql.level}) AS max_level`,
         `sum(total_kw * ${w}) / 60 AS kwh`,
         ...each((k) => `coalesce(sum(${w}) FILTER (WHERE ${sql.run(k)}), 0) / 60.0 AS h${k}`),
         ...each((k) => `avg(${sql.kw(k)}) FILTER (WHERE ${sql.run(k)}) AS k${k}`),
         'max(pumps_on_count) AS peak_on',
         'avg(pumps_on_count) AS avg_on',
         'max(is_weekend) AS weekend',
         `sum(${w}) AS minutes`,
       ].join(', ')}
       FROM readings_wide WHERE date BETWEEN ?::DATE AND ?::DATE GROUP BY date)
     SELECT ${[
       'd.date',
       'total_flow',
       'avg_flow',
       'peak_flow',
       'peak_hour',
       'avg_level',
       'min_level',
       'max_level',
       'kwh',
       'CASE WHEN total_flow > 0 THEN kwh / total_flow END',
       ...each((k) => `h${k}`),
       ...each((k) => `coalesce(starts.s${k}, 0)`),
       ...each((k) => `k${k}`),
       'coalesce(alerts.total, 0)',
       'coalesce(alerts.critical, 0)',
       'peak_on',
       'avg_on',
       'weekend',
       'minutes',
     ].join(', ')}
     FROM d LEFT JOIN starts USING (date) LEFT JOIN alerts USING (date)`,
    [...ids, fromDay, toDay, fromDay, toDay, fromDay, toDay],
  );
}

/**
 * pump_health per pump and day (seed 002 §6 step 6, after alerts_log: it reads what the alert
 * engine's estimator stored in pump_efficiency). avg_flow_per_kwh is the pump's m³/kWh at like head
 * and speed over the 7 days ending the day, efficiency_slope_7d its least-squares slope per day
 * over the last 7 estimates: the figures E-05 raises on. health_score = 100 minus: 4 per % of
 * weekly efficiency decline beyond 2 % (max 40), 5 per short cycle (max 30), 20 for an overrun, 2
 * per start beyond 12 a day (max 10).
 */
export async function rebuildHealth(db: StationDb, sql: StationSql, fromDay: string, toDay: string): Promise<void> {
  // An estimate covers the 7 days ending its day: a touched day changes the six after it.
  const lastDay = `(?::DATE + 6)`;
  const w = sql.weight;
  await db.run(`DELETE FROM pump_health WHERE date BETWEEN ?::DATE AND ${lastDay}`, [fromDay, toDay]);
  if (sql.pumpIds.length === 0) return;
  const perPump = sql.pumpIds.map(
    (_, k) => `SELECT date, ? AS pump, coalesce(sum(${w}) FILTER (WHERE ${sql.run(k)}), 0)::INTEGER AS runtime,
              avg(${sql.kw(k)}) FILTER (WHERE ${sql.run(k)}) AS avg_kw
            FROM readings_wide WHERE date BETWEEN ?::DATE AND ${lastDay} GROUP BY date`,
  );
  await db.run(
    `INSERT INTO pump_health
     WITH days AS (
       SELECT u.date, u.pump, u.runtime, u.avg_kw, e.m3_per_kwh AS flow_per_kwh, e.slope_per_day AS slope
       FROM (${perPump.join(' UNION ALL ')}) u LEFT JOIN pump_efficiency e ON e.date = u.date AND e.pump = u.pump),
     starts AS (
       SELECT pump, date, count(*) AS n, count(*) FILTER (WHERE is_short_cycle = 1) AS short, max(duration_min) AS longest, avg(duration_min) AS avg_run
       FROM pump_sessions GROUP BY ALL),
     stops AS (SELECT pump, end_time::DATE AS date, count(*) AS n FROM pump_sessions WHERE end_time IS NOT NULL GROUP BY ALL),
     overrun AS (
       SELECT d.pump, d.date, bool_or(s.duration_min > ${OVERRUN_MINUTES}) AS flag
       FROM days d JOIN pump_sessions s ON s.pump = d.pump AND s.start_time < d.date + 1 AND coalesce(s.end_time, TIMESTAMP '9999-01-01') > d.date
       GROUP BY ALL)
     SELECT d.date, d.pump, d.runtime, coalesce(st.n, 0), coalesce(sp.n, 0), coalesce(st.short, 0), coalesce(st.longest, 0), st.avg_run,
            d.avg_kw, d.flow_per_kwh, d.slope, coalesce(o.flag, FALSE)::INT,
            greatest(0, 100
              - least(40, greatest(0, (coalesce(-d.slope * 7 / nullif(d.flow_per_kwh, 0) * 100, 0) - 2) * 4))
              - least(30, coalesce(st.short, 0) * 5)
              - CASE WHEN coalesce(o.flag, FALSE) THEN 20 ELSE 0 END
              - least(10, greatest(0, coalesce(st.n, 0) - 12) * 2))
     FROM days d
     LEFT JOIN starts st ON st.pump = d.pump AND st.date = d.date
     LEFT JOIN stops sp ON sp.pump = d.pump AND sp.date = d.date
     LEFT JOIN overrun o ON o.pump = d.pump AND o.date = d.date`,
    sql.pumpIds.flatMap((id) => [id, fromDay, toDay]),
  );
}

/**
 * Steps 2, 4 and 5 of the seed's build order for the touched range (pump_sessions, hourly_profile,
 * daily_summary); returns the first day rebuilt. alerts_log (step 3) is brought up to date
 * alongside by the caller (see applyMinutes), which builds pump_health (step 6) after it.
 */
export async function rebuildStationTables(
  db: StationDb,
  sql: StationSql,
  range: TouchedRange,
  onStep?: (table: string) => void,
): Promise<string> {
  const toDay = range.to.slice(0, 10);
  onStep?.('pump_sessions');
  // A session reopened by this import may have started days earlier: its start day's counts change.
  const fromDay = (await rebuildSessions(db, sql, range)).slice(0, 10);
  // alerts_log's engine runs alongside (see applyMinutes); its step is reported in the seed's order.
  onStep?.('alerts_log');
  onStep?.('hourly_profile');
  await rebuildHourly(db, sql, fromDay, toDay);
  onStep?.('daily_summary');
  await rebuildDaily(db, sql, fromDay, toDay);
  return fromDay;
}
