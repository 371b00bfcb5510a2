import { SEVERITIES } from '../../src-shared/alerts/rule';
import type { AlarmKpis, AlertRow } from '../../src-shared/api/contract';
import { realDays } from '../../src-shared/station/realTime';
import { lifecycleStates } from '../alerts/lifecycle';
import type { StationDb } from '../db/stationDb';

const TS = (c: string) => `strftime(${c}, '%Y-%m-%d %H:%M:%S')`;

export interface AlertFilter {
  from?: string;
  to?: string;
  severity?: string[];
  group?: string[];
  pump?: string;
  openOnly?: boolean;
  limit?: number;
}

function where(filter: AlertFilter): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const where = (sql: string, ...values: (string | number)[]) => {
    parts.push(sql);
    params.push(...values);
  };
  const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');
  if (filter.from) where('timestamp >= ?::TIMESTAMP', filter.from);
  if (filter.to) where('timestamp <= ?::TIMESTAMP', filter.to);
  if (filter.severity?.length) where(`severity IN (${marks(filter.severity)})`, ...filter.severity);
  if (filter.group?.length) where(`left(rule, 1) IN (${marks(filter.group)})`, ...filter.group);
  if (filter.pump) where('pump = ?', filter.pump);
  if (filter.openOnly) parts.push('resolved = 0');
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** alerts_log rows, newest first, with the seed's fields and their lifecycle state at `now`. */
export async function listAlerts(db: StationDb, filter: AlertFilter = {}, now = Date.now()): Promise<AlertRow[]> {
  const w = where(filter);
  const states = await lifecycleStates(db, now);
  const rows = await db.all<AlertRow & Record<string, unknown>>(
    `SELECT id, rule, severity, pump, ${TS('timestamp')} AS timestamp, ${TS('resolved_at')} AS resolved_at, duration_min, message, value_at_trigger, resolved
     FROM alerts_log ${w.sql} ORDER BY alerts_log.timestamp DESC, rule LIMIT ${Math.min(filter.limit ?? 100_000, 100_000)}`,
    w.params,
  );
  return rows.map((row) => {
    const state = states.get(`${row.rule}|${row.pump ?? ''}|${row.timestamp}`);
    const oos = states.get(`oos|${row.rule}|${row.pump ?? '*'}`) ?? states.get(`oos|${row.rule}|*`);
    return {
      ...row,
      acknowledged_by: state?.ack?.user ?? null,
      acknowledged_at: state?.ack?.at ?? null,
      shelved_until: state?.shelvedUntil ?? null,
      notes: state?.notes ?? 0,
      out_of_service: !!oos?.outOfService,
    };
  });
}

/** Alerts per severity under the filter (its severity and limit aside). */
export async function alertCounts(db: StationDb, filter: AlertFilter = {}): Promise<Record<string, number>> {
  const w = where({ ...filter, severity: undefined, limit: undefined });
  const rows = await db.all<{ severity: string; n: number }>(
    `SELECT severity, count(*)::INTEGER AS n FROM alerts_log ${w.sql} GROUP BY severity`,
    w.params,
  );
  return Object.fromEntries(rows.map((r) => [r.severity, r.n]));
}

/**
 * Alarm-system KPIs after EEMUA 191 / ISA-18.2: alert rate per 10 minutes and per day, share of
 * 10-minute periods in flood (more than 10 alerts), the top-10 rules' share, chattering (a rule
 * raised 3 or more times within one minute), stale alerts (active over 24 h) and the priority mix.
 */
export async function alarmKpis(db: StationDb, filter: AlertFilter = {}): Promise<AlarmKpis> {
  const w = where(filter);
  // Real time, not rows: each row stands for the minutes it covers (a 15-minute row for 15).
  const range = await db.single<{ first: string | null; last: string | null; minutes: number | null }>(
    `SELECT ${TS('min("Timestamp")')} AS first, ${TS('max("Timestamp")')} AS last, sum(coalesce(interval_min, 1))::DOUBLE AS minutes FROM readings_wide
     WHERE (?::TIMESTAMP IS NULL OR "Timestamp" >= ?::TIMESTAMP) AND (?::TIMESTAMP IS NULL OR "Timestamp" <= ?::TIMESTAMP)`,
    [filter.from ?? null, filter.from ?? null, filter.to ?? null, filter.to ?? null],
  );
  const totals = await db.single<{ n: number; periods: number; flood: number; busiest: number | null }>(
    `WITH a AS (SELECT * FROM alerts_log ${w.sql}),
     p AS (SELECT time_bucket(INTERVAL 10 MINUTES, timestamp) AS b, count(*) AS n FROM a GROUP BY b)
     SELECT (SELECT count(*) FROM a) AS n, (SELECT count(*) FROM p) AS periods, (SELECT count(*) FROM p WHERE n > 10) AS flood, (SELECT max(n) FROM p) AS busiest`,
    w.params,
  );
  const top = await db.all<{ rule: string; count: number }>(
    `SELECT rule, count(*) AS count FROM alerts_log ${w.sql} GROUP BY rule ORDER BY count DESC, rule LIMIT 10`,
    w.params,
  );
  const bySeverity = await db.all<{ severity: string; count: number }>(
    `SELECT severity, count(*) AS count FROM alerts_log ${w.sql} GROUP BY severity`,
    w.params,
  );
  const chattering = (
    await db.single<{ n: number }>(
      `WITH a AS (SELECT * FROM alerts_log ${w.sql})
     SELECT count(*) AS n FROM (SELECT count(*) OVER (PARTITION BY rule, pump ORDER BY timestamp RANGE BETWEEN INTERVAL 59 SECONDS PRECEDING AND CURRENT ROW) AS c FROM a) WHERE c >= 3`,
      w.params,
    )
  ).n;
  const stale = (
    await db.single<{ n: number }>(
      `WITH a AS (SELECT * FROM alerts_log ${w.sql})
     SELECT count(*) AS n FROM a WHERE coalesce(duration_min, date_diff('minute', timestamp, (SELECT max("Timestamp") FROM readings_wide))) > 1440`,
      w.params,
    )
  ).n;
  const minutes = range.minutes ?? 0;
  const periods10 = Math.max(1, Math.ceil(minutes / 10));
  const days = realDays(minutes);
  const critical = bySeverity.find((b) => b.severity === 'CRITICAL')?.count ?? 0;
  return {
    from: range.first,
    to: range.last,
    loggedMinutes: minutes,
    alerts: totals.n,
    perTenMinutes: totals.n / periods10,
    perDay: totals.n / days,
    criticalPerDay: critical / days,
    floodPeriods: totals.flood,
    floodPercent: (totals.flood / periods10) * 100,
    busiestTenMinutes: totals.busiest ?? 0,
    top10: top.map((t) => ({ rule: t.rule, count: t.count, share: totals.n ? t.count / totals.n : 0 })),
    top10Share: totals.n ? top.reduce((a, t) => a + t.count, 0) / totals.n : 0,
    chattering,
    stale,
    bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, bySeverity.find((b) => b.severity === s)?.count ?? 0])),
  };
}
