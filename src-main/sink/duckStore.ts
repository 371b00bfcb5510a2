import type { FleetAnswer, Heartbeat } from '../../src-shared/edge/fleet';
import type { AnomalyPage, AnomalyPayload } from '../../src-shared/edge/payload';
import type { StationDb } from '../db/stationDb';
import {
  type AddResult,
  type AnomalyStore,
  fleetAnswer,
  payloadColumns,
  payloadDigest,
  type QueryFilter,
  storedAnomaly,
} from './store';

// The anomaly store in one DuckDB file: the laptop's and the tests' sink. One process writes it;
// inserts run one at a time in that process, so two retries of one report cannot both insert.

const COLUMNS = `id, source_type, description, site_id, pump_id, sensor_id, "timestamp", log_value, additional_context::VARCHAR AS additional_context, metadata::VARCHAR AS metadata, created_at`;

export async function ensureSinkTables(db: StationDb): Promise<void> {
  await db.run(`CREATE SEQUENCE IF NOT EXISTS edge_anomalies_id`);
  await db.run(`CREATE TABLE IF NOT EXISTS edge_anomalies (
    id BIGINT DEFAULT nextval('edge_anomalies_id'), idempotency_key VARCHAR, source_type VARCHAR NOT NULL, description VARCHAR NOT NULL,
    site_id INTEGER NOT NULL, pump_id INTEGER NOT NULL, sensor_id INTEGER NOT NULL, "timestamp" VARCHAR NOT NULL, ts TIMESTAMP NOT NULL,
    log_value DOUBLE NOT NULL, additional_context JSON, metadata JSON, created_at VARCHAR NOT NULL)`);
  // What a reused idempotency key is compared by (rows stored before it existed compare as equal).
  await db.run(`ALTER TABLE edge_anomalies ADD COLUMN IF NOT EXISTS payload_sha256 VARCHAR`);
  await db.run(
    `CREATE TABLE IF NOT EXISTS edge_sites (site_id INTEGER PRIMARY KEY, heartbeat_at VARCHAR NOT NULL, health JSON NOT NULL)`,
  );
}

export class DuckAnomalyStore implements AnomalyStore {
  readonly kind = 'duckdb' as const;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: StationDb) {}

  static async open(db: StationDb): Promise<DuckAnomalyStore> {
    await ensureSinkTables(db);
    // The tables' definitions into the file now, not left in the WAL: DuckDB 1.5 cannot replay a
    // WAL holding a column default (nextval) after a kill -9 ("GetDefaultDatabase with no default
    // database set", duckdb#19712), and the sink would not start again (found by bench:fleet).
    await db.run('CHECKPOINT');
    return new DuckAnomalyStore(db);
  }

  /** Runs writes one after another. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  add(payload: AnomalyPayload, key: string | null, now: Date): Promise<AddResult> {
    const digest = payloadDigest(payload);
    return this.serial(async () => {
      if (key) {
        const existing = await this.db.one(
          `SELECT ${COLUMNS}, payload_sha256 FROM edge_anomalies WHERE idempotency_key = ?`,
          [key],
        );
        if (existing && existing.payload_sha256 !== null && existing.payload_sha256 !== digest)
          return { conflict: true as const };
        if (existing) return { anomaly: storedAnomaly(existing), replay: true };
      }
      const created = await this.db.one(
        `INSERT INTO edge_anomalies (source_type, description, site_id, pump_id, sensor_id, "timestamp", ts,
           log_value, additional_context, metadata, idempotency_key, created_at, payload_sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?::TIMESTAMPTZ::TIMESTAMP, ?, ?::JSON, ?::JSON, ?, ?, ?) RETURNING ${COLUMNS}`,
        [...payloadColumns(payload), key, now.toISOString(), digest],
      );
      if (!created) throw new Error('INSERT … RETURNING gave no row');
      return { anomaly: storedAnomaly(created), replay: false };
    });
  }

  async query(filter: QueryFilter): Promise<AnomalyPage> {
    const where = `WHERE ($pump IS NULL OR pump_id = $pump) AND ($site IS NULL OR site_id = $site) AND ($sensor IS NULL OR sensor_id = $sensor)
      AND ($start IS NULL OR ts >= $start::TIMESTAMPTZ::TIMESTAMP) AND ($end IS NULL OR ts <= $end::TIMESTAMPTZ::TIMESTAMP)`;
    const params = {
      pump: filter.pumpId ?? null,
      site: filter.siteId ?? null,
      sensor: filter.sensorId ?? null,
      start: filter.startDate ?? null,
      end: filter.endDate ?? null,
    };
    const total = (await this.db.single<{ n: number }>(`SELECT count(*) AS n FROM edge_anomalies ${where}`, params)).n;
    const skip = (filter.page - 1) * filter.pageSize;
    const items = await this.db.all(
      `SELECT ${COLUMNS} FROM edge_anomalies ${where} ORDER BY ts ${filter.sortDirection}, id ${filter.sortDirection} LIMIT ${filter.pageSize} OFFSET ${skip}`,
      params,
    );
    return { items: items.map(storedAnomaly), total, skip, take: filter.pageSize };
  }

  heartbeat(beat: Heartbeat, now: Date): Promise<void> {
    return this.serial(() =>
      this.db.run(`INSERT OR REPLACE INTO edge_sites VALUES (?, ?, ?::JSON)`, [
        beat.siteId,
        now.toISOString(),
        JSON.stringify(beat.health),
      ]),
    );
  }

  async sites(options: {
    siteId?: number;
    known: readonly number[];
    staleMinutes: number;
    now: Date;
  }): Promise<FleetAnswer> {
    const since = new Date(Math.floor(options.now.getTime() / 86_400_000 - 6) * 86_400_000).toISOString();
    return fleetAnswer(
      {
        reports: await this.db.all(
          `SELECT site_id, max(created_at) AS last_report, arg_max("timestamp", ts) AS last_anomaly FROM edge_anomalies GROUP BY site_id`,
        ),
        days: await this.db.all(
          `SELECT site_id, strftime(ts, '%Y-%m-%d') AS day, count(*)::INTEGER AS n FROM edge_anomalies
           WHERE ts >= ?::TIMESTAMPTZ::TIMESTAMP GROUP BY ALL`,
          [since],
        ),
        beats: await this.db.all(`SELECT site_id, heartbeat_at, health::VARCHAR AS health FROM edge_sites`),
      },
      options,
    );
  }

  prune(days: number, now: Date): Promise<number> {
    return this.serial(async () => {
      const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
      const gone = await this.db.all(`DELETE FROM edge_anomalies WHERE ts < ?::TIMESTAMPTZ::TIMESTAMP RETURNING id`, [
        cutoff,
      ]);
      return gone.length;
    });
  }

  async close(): Promise<void> {
    await this.queue;
  }
}
