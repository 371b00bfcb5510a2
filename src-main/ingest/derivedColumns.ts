import type { StationConfig } from '../../src-shared/station';
import { PUMPS, TAG } from '../../src-shared/tags';
import { ident } from '../db/stationDb';

// Seed 002 §7.2-7.5 as one SELECT over a window of readings. Every window is by time (RANGE over
// "Timestamp"), never by row count, so gaps and DST changes do not shift minutes; a difference
// "versus the previous minute" is NULL when that minute is missing.

const q = ident;
const onOff = (p: (typeof PUMPS)[number]) => q(TAG.onOff(p));
const kw = (p: (typeof PUMPS)[number]) => q(TAG.kw(p));
const FLOW = q(TAG.flow);
const LEVEL = q(TAG.level);

/** How far back a derived value looks: the overrun flag needs the last 20 h of a run. */
export const DERIVED_LOOKBACK_MINUTES = 24 * 60;

export const FLOW_Z_WINDOW_MINUTES = 60;
export const FLOW_ANOMALY_Z = 3.5;
export const OVERRUN_MINUTES = 20 * 60;
export const SHORT_CYCLE_STARTS_PER_HOUR = 4;

function peakHourSql(station: StationConfig, hour: string): string {
  if (station.peak_hours.length === 0) return 'FALSE';
  return station.peak_hours.map(([start, end]) => `(${hour} >= ${Number(start)} AND ${hour} < ${Number(end)})`).join(' OR ');
}

/** "condition held for more than N minutes": all N+1 minutes up to now present and true. */
function heldFor(condition: string, minutes: number): string {
  return `(count(*) FILTER (WHERE ${condition}) OVER (ORDER BY "Timestamp" RANGE BETWEEN INTERVAL ${minutes} MINUTES PRECEDING AND CURRENT ROW) = ${minutes + 1})`;
}

/**
 * SELECT of every readings_wide column for the rows of `source` (which must include
 * DERIVED_LOOKBACK_MINUTES of context before the first row whose derived values are wanted).
 */
export function derivedSelect(station: StationConfig, rawColumns: string[], source: string): string {
  const contiguous = `prev_ts = "Timestamp" - INTERVAL 1 MINUTE`;
  const hour = 'hour("Timestamp")';
  // Windows sort their input: they run over a narrow projection (time, flow, level, pumps) and
  // join back to the wide rows, which is several times faster than sorting 50 columns.
  const narrow = [`"Timestamp"`, `${FLOW} AS flow`, `${LEVEL} AS level`, ...PUMPS.flatMap((p) => [`${onOff(p)} AS on_${p}`, `${kw(p)} AS kw_${p}`])].join(', ');
  const nOn = (p: string) => `on_${p}`;
  return `
WITH n AS (SELECT ${narrow} FROM ${source}),
s1 AS (
  SELECT *,
    ${PUMPS.map((p) => `coalesce(${nOn(p)} = 1, FALSE)::INT`).join(" + ")} AS pumps_on_count,
    ${PUMPS.map((p) => `coalesce(kw_${p}, 0)`).join(' + ')} AS total_kw,
    lag("Timestamp") OVER w AS prev_ts, lag(level) OVER w AS prev_level, lag(flow) OVER w AS prev_flow,
    ${PUMPS.map((p) => `lag(${nOn(p)}) OVER w AS prev_${p}`).join(', ')},
    ${PUMPS.map((p) => `max(CASE WHEN ${nOn(p)} IS DISTINCT FROM 1 THEN "Timestamp" END) OVER (ORDER BY "Timestamp" ROWS UNBOUNDED PRECEDING) AS last_off_${p}`).join(', ')},
    min("Timestamp") OVER () AS first_ts
  FROM n
  WINDOW w AS (ORDER BY "Timestamp")
), s2 AS (
  SELECT *,
    CASE WHEN ${contiguous} THEN level - prev_level END AS hlt_diff,
    CASE WHEN ${contiguous} THEN flow - prev_flow END AS flow_diff,
    level / ${Number(station.hlt_physical_max)} * 100 AS hlt_pct,
    ${PUMPS.map((p) => `(${nOn(p)} = 1 AND prev_${p} = 0 AND ${contiguous})::INT AS start_${p}`).join(', ')}
  FROM s1
), s3 AS (
  SELECT *,
    avg(flow) OVER h60 AS flow_mean_60, stddev_samp(flow) OVER h60 AS flow_sd_60,
    regr_slope(flow, epoch("Timestamp") / 60) OVER m10 AS slope_10_raw,
    greatest(${PUMPS.map((p) => `sum(start_${p}) OVER h60`).join(', ')}) AS max_starts_60,
    greatest(${PUMPS.map((p) => `CASE WHEN ${nOn(p)} = 1 THEN date_diff('minute', coalesce(last_off_${p}, first_ts - INTERVAL 1 MINUTE), "Timestamp") ELSE 0 END`).join(', ')}) AS max_run_minutes,
    ${heldFor(`pumps_on_count > 0 AND flow = 0`, 2)} AS zero_flow_held
  FROM s2
  WINDOW h60 AS (ORDER BY "Timestamp" RANGE BETWEEN INTERVAL ${FLOW_Z_WINDOW_MINUTES - 1} MINUTES PRECEDING AND CURRENT ROW),
         m10 AS (ORDER BY "Timestamp" RANGE BETWEEN INTERVAL 9 MINUTES PRECEDING AND CURRENT ROW)
), d AS (
  SELECT "Timestamp",
    "Timestamp"::DATE AS date,
    ${hour} AS hour,
    dayofweek("Timestamp") AS day_of_week,
    (dayofweek("Timestamp") IN (0, 6))::INT AS is_weekend,
    (${peakHourSql(station, hour)})::INT AS is_peak_hour,
    pumps_on_count,
    total_kw,
    CASE WHEN pumps_on_count > 0 THEN flow / pumps_on_count END AS flow_per_pump,
    CASE WHEN flow > 0 THEN total_kw / flow END AS energy_per_flow,
    hlt_pct,
    hlt_diff,
    flow_diff,
    CASE WHEN flow_sd_60 > 0 THEN (flow - flow_mean_60) / flow_sd_60 END AS flow_z_score,
    CASE WHEN NOT isnan(slope_10_raw) THEN slope_10_raw END AS flow_slope_10,
    zero_flow_held::INT AS flag_zero_flow_pump_on,
    coalesce(abs((flow - flow_mean_60) / nullif(flow_sd_60, 0)) > ${FLOW_ANOMALY_Z}, FALSE)::INT AS flag_flow_anomaly,
    coalesce(hlt_pct < 15, FALSE)::INT AS flag_hlt_critical_low,
    coalesce(hlt_pct > 90 AND pumps_on_count > 0 AND hlt_diff > 0, FALSE)::INT AS flag_hlt_overflow_risk,
    coalesce(max_starts_60 > ${SHORT_CYCLE_STARTS_PER_HOUR}, FALSE)::INT AS flag_short_cycle,
    coalesce(max_run_minutes > ${OVERRUN_MINUTES}, FALSE)::INT AS flag_pump_overrun,
    coalesce((${peakHourSql(station, hour)}) AND hlt_pct > 80 AND pumps_on_count > 0, FALSE)::INT AS flag_peak_hour_waste
  FROM s3
)
SELECT src."Timestamp", src."Marker", ${rawColumns.map((c) => `src.${q(c)}`).join(', ')}, d.* EXCLUDE ("Timestamp")
FROM ${source} src JOIN d ON d."Timestamp" = src."Timestamp"`;
}
