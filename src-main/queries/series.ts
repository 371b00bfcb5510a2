import type { SeriesPoint, StationSeries } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { ident, type StationDb } from '../db/stationDb';

export interface SeriesRequest {
  tags: string[];
  from?: string;
  to?: string;
  lastHours?: number;
  width: number;
}

export async function readingsColumns(db: StationDb): Promise<string[]> {
  const rows = await db.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'readings_wide' ORDER BY ordinal_position`,
  );
  return rows.map((r) => r.column_name);
}

/**
 * Time series of readings_wide columns, M4-downsampled in SQL: for each pixel column the first,
 * last, minimum and maximum sample, so a year draws in a few thousand points and keeps every spike.
 */
export async function stationSeries(db: StationDb, request: SeriesRequest): Promise<StationSeries> {
  const columns = new Set(await readingsColumns(db));
  const unknown = request.tags.filter((tag) => !columns.has(tag) || tag === 'Timestamp');
  if (unknown.length) throw new ApiError('not_found', `unknown tag: ${unknown.join(', ')}`);

  const bounds = await db.one<{ from: string | null; to: string | null }>(
    `SELECT strftime(coalesce(?::TIMESTAMP, max("Timestamp") - to_minutes(CAST(round(? * 60) AS BIGINT)), min("Timestamp")), '%Y-%m-%d %H:%M:%S') AS "from",
            strftime(coalesce(?::TIMESTAMP, max("Timestamp")), '%Y-%m-%d %H:%M:%S') AS "to"
     FROM readings_wide`,
    [request.from ?? null, request.lastHours ?? null, request.to ?? null],
  );
  const from = bounds?.from ?? null;
  const to = bounds?.to ?? null;
  if (!from || !to) return { from, to, series: request.tags.map((tag) => ({ tag, points: [] })) };

  const series = [];
  for (const tag of request.tags) {
    const rows = await db.all<{ t: string; v: number }>(
      `WITH raw AS (
         SELECT "Timestamp" AS t, ${ident(tag)}::DOUBLE AS v,
                floor((epoch("Timestamp") - epoch(?::TIMESTAMP)) / greatest(epoch(?::TIMESTAMP) - epoch(?::TIMESTAMP), 1) * ?) AS bucket
         FROM readings_wide
         WHERE "Timestamp" BETWEEN ?::TIMESTAMP AND ?::TIMESTAMP AND ${ident(tag)} IS NOT NULL),
       m4 AS (
         SELECT min(t) AS t_first, max(t) AS t_last, arg_min(t, v) AS t_min, arg_max(t, v) AS t_max FROM raw GROUP BY bucket)
       SELECT strftime(t, '%Y-%m-%d %H:%M:%S') AS t, v FROM raw
       WHERE t IN (SELECT unnest([t_first, t_last, t_min, t_max]) FROM m4)
       ORDER BY raw.t`,
      [from, to, from, request.width, from, to],
    );
    series.push({ tag, points: rows.map((r): SeriesPoint => ({ t: r.t, v: r.v })) });
  }
  return { from, to, series };
}
