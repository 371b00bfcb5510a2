import type { AnalyticsColumns, DailyAnalytics } from '../../src-shared/api/contract';
import { tagCatalog } from '../../src-shared/station/tagCatalog';
import { DERIVED_COLUMNS } from '../db/schema';
import type { StationDb } from '../db/stationDb';
import { ident } from '../db/stationDb';
import { currentStation } from '../ingest/stationConfig';
import { readingsColumns } from './series';

const NUMERIC_DERIVED = new Set(
  DERIVED_COLUMNS.filter(([name, type]) => type !== 'DATE' && name !== 'date').map(([name]) => name),
);

export async function analyticsColumns(db: StationDb): Promise<AnalyticsColumns> {
  const range = await db.one<{ first: string | null; last: string | null }>(
    `SELECT strftime(min("Timestamp"), '%Y-%m-%d %H:%M:%S') AS first, strftime(max("Timestamp"), '%Y-%m-%d %H:%M:%S') AS last FROM readings_wide`,
  );
  const columns = (await readingsColumns(db))
    .filter((c) => c !== 'Timestamp' && c !== 'Marker' && c !== 'date')
    .map((name) => ({ name, group: NUMERIC_DERIVED.has(name) ? ('derived' as const) : ('tag' as const) }));
  const meta = await db.all<{ tag: string; unit: string | null; description: string | null }>(
    'SELECT tag, unit, description FROM tag_meta',
  );
  const model = (await currentStation(db)).config;
  return {
    first: range?.first ?? null,
    last: range?.last ?? null,
    columns: tagCatalog(columns, model, new Map(meta.map((m) => [m.tag, m]))),
  };
}

/** daily_summary and hourly_profile for the Analytics page; peak share is kWh in peak hours / kWh. */
export async function dailyAnalytics(db: StationDb, from?: string, to?: string): Promise<DailyAnalytics> {
  const where = `date BETWEEN coalesce(?::DATE, DATE '0001-01-01') AND coalesce(?::DATE, DATE '9999-12-31')`;
  const pumps = (await currentStation(db)).config.pumps.map((p) => p.id);
  const days = await db.all<Record<string, unknown>>(
    `WITH peak AS (SELECT date, sum(total_kwh) FILTER (WHERE is_peak_hour = 1) / nullif(sum(total_kwh), 0) AS share FROM hourly_profile WHERE ${where} GROUP BY date)
     SELECT strftime(d.date, '%Y-%m-%d') AS date, total_flow, total_kwh, energy_per_m3, peak.share AS peak_kwh_share,
            ${pumps.map((p, k) => `${ident(`${p}_hours_on`)} AS h${k}, ${ident(`${p}_starts`)} AS s${k}`).join(', ')}
     FROM daily_summary d LEFT JOIN peak USING (date) WHERE d.${where} ORDER BY d.date`,
    [from ?? null, to ?? null, from ?? null, to ?? null],
  );
  const hourly = await db.all<{
    hour: number;
    avg_flow: number | null;
    avg_kwh: number | null;
    avg_pumps_on: number | null;
    is_peak_hour: number;
  }>(
    `SELECT hour, avg(avg_flow) AS avg_flow, avg(total_kwh) AS avg_kwh, avg(avg_pumps_on) AS avg_pumps_on, max(is_peak_hour) AS is_peak_hour
     FROM hourly_profile WHERE ${where} GROUP BY hour ORDER BY hour`,
    [from ?? null, to ?? null],
  );
  return {
    days: days.map((d) => ({
      date: d.date as string,
      total_flow: d.total_flow as number | null,
      total_kwh: d.total_kwh as number | null,
      energy_per_m3: d.energy_per_m3 as number | null,
      peak_kwh_share: d.peak_kwh_share as number | null,
      hours_on: Object.fromEntries(pumps.map((p, k) => [p, d[`h${k}`] as number])),
      starts: Object.fromEntries(pumps.map((p, k) => [p, d[`s${k}`] as number])),
    })),
    hourly,
  };
}
