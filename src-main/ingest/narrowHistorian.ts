import type { Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { DEFAULT_TAGS } from '../../src-shared/tags';
import { ensureSchema } from '../db/schema';
import { ident, literal, type StationDb } from '../db/stationDb';

export interface IngestSummary {
  file: string;
  rowsRead: number;
  rowsKept: number;
  minutes: number;
  first: string | null;
  last: string | null;
}

export interface IngestOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/**
 * Narrow seed layout (Timestamp,Marker,TagIndex,Value) into readings_wide, all in DuckDB: keep
 * markers B and S (seed 002 §3.1), floor to the minute, the last sample of a tag-minute wins,
 * pivot to one row per minute. One transaction: a failure leaves readings_wide as it was.
 */
export async function ingestSeedHistorian(db: StationDb, file: string, options: IngestOptions = {}): Promise<IngestSummary> {
  await ensureSchema(db);
  const abort = () => db.interrupt();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    options.onProgress?.({ phase: 'reading', fraction: null });
    return await db.transaction(async () => {
      await db.run(`CREATE OR REPLACE TEMP TABLE historian_stage AS
        SELECT "Timestamp" AS ts, "Marker" AS marker, "TagIndex" AS tag, "Value" AS value
        FROM read_csv(${literal(file)}, header = true, auto_detect = false, delim = ',', quote = '"',
          columns = {'Timestamp': 'TIMESTAMP', 'Marker': 'VARCHAR', 'TagIndex': 'INTEGER', 'Value': 'DOUBLE'},
          timestampformat = '%Y-%m-%d %H:%M:%S')`);
      if (options.signal?.aborted) throw new ApiError('cancelled', 'ingest was cancelled');
      options.onProgress?.({ phase: 'pivoting', fraction: 0.6 });
      const pivot = DEFAULT_TAGS.map((tag, index) => `arg_max(value, ts) FILTER (WHERE tag = ${index}) AS ${ident(tag)}`);
      await db.run(`INSERT OR REPLACE INTO readings_wide
        SELECT date_trunc('minute', ts) AS "Timestamp",
               CASE WHEN bool_or(marker = 'B') THEN 'B' ELSE 'S' END AS "Marker",
               ${pivot.join(',\n               ')}
        FROM historian_stage WHERE marker IN ('B', 'S')
        GROUP BY 1`);
      const stats = await db.one<{ rows_read: number; rows_kept: number; minutes: number; first: string; last: string }>(
        `SELECT count(*) AS rows_read, count(*) FILTER (WHERE marker IN ('B', 'S')) AS rows_kept,
                count(DISTINCT date_trunc('minute', ts)) AS minutes,
                strftime(min(date_trunc('minute', ts)), '%Y-%m-%d %H:%M:%S') AS first,
                strftime(max(date_trunc('minute', ts)), '%Y-%m-%d %H:%M:%S') AS last
         FROM historian_stage`,
      );
      await db.run('DROP TABLE historian_stage');
      options.onProgress?.({ phase: 'done', fraction: 1 });
      return { file, rowsRead: stats!.rows_read, rowsKept: stats!.rows_kept, minutes: stats!.minutes, first: stats!.first, last: stats!.last };
    });
  } catch (error) {
    if (options.signal?.aborted) throw new ApiError('cancelled', 'ingest was cancelled');
    if (error instanceof ApiError) throw error;
    throw new ApiError('bad_input', `${file}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}
