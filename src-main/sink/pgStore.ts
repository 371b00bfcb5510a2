import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { FleetAnswer, Heartbeat } from '../../src-shared/edge/fleet';
import type { AnomalyPage, AnomalyPayload } from '../../src-shared/edge/payload';
import {
  type AddResult,
  type AnomalyStore,
  fleetAnswer,
  payloadColumns,
  payloadDigest,
  type QueryFilter,
  storedAnomaly,
} from './store';

// The anomaly store on PostgreSQL, for a fleet (issue 33). Several sink processes share one
// database: a report is stored once because the database refuses a second row with its
// idempotency key (`ON CONFLICT DO NOTHING`), whichever process gets it, not because one process
// queues its inserts. Inserts arriving together are written as one statement. The schema is
// created and migrated by the sink, versioned, under an advisory lock so two sinks starting at
// once do not both migrate. Anomalies are indexed by reading time, overall and per site.

/** Each migration once, in order; the number of those applied is kept in pumpdeck_sink_schema. */
const MIGRATIONS = [
  `CREATE TABLE edge_anomalies (
     id bigserial PRIMARY KEY,
     idempotency_key text NOT NULL UNIQUE,
     payload_sha256 text NOT NULL,
     source_type text NOT NULL,
     description text NOT NULL,
     site_id integer NOT NULL,
     pump_id integer NOT NULL,
     sensor_id integer NOT NULL,
     "timestamp" text NOT NULL,
     ts timestamptz NOT NULL,
     log_value double precision NOT NULL,
     additional_context jsonb NOT NULL,
     metadata jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now());
   CREATE INDEX edge_anomalies_ts ON edge_anomalies (ts);
   CREATE INDEX edge_anomalies_site_ts ON edge_anomalies (site_id, ts)`,
  `CREATE TABLE edge_sites (
     site_id integer PRIMARY KEY,
     heartbeat_at timestamptz NOT NULL,
     health jsonb NOT NULL);
   -- Kept as reports arrive, so the fleet page reads one row per site, not a year of anomalies.
   CREATE TABLE edge_site_reports (
     site_id integer PRIMARY KEY,
     last_report timestamptz NOT NULL,
     last_ts timestamptz NOT NULL,
     last_anomaly text NOT NULL)`,
];

/** Any 64-bit number, the same in every sink: the lock migrations run under. */
const MIGRATION_LOCK = 0x70756d70_6465636bn;

const COLUMNS = `id, source_type, description, site_id, pump_id, sensor_id, "timestamp", log_value, additional_context, metadata, created_at`;

/** At most this many reports in one INSERT. */
const BATCH = 200;

interface Pending {
  payload: AnomalyPayload;
  key: string;
  digest: string;
  resolve: (result: AddResult) => void;
  reject: (error: unknown) => void;
}

export class PgAnomalyStore implements AnomalyStore {
  readonly kind = 'postgres' as const;
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;

  private constructor(private readonly pool: pg.Pool) {}

  /** Connects, creates or migrates the schema; throws with a message naming the server, never the password. */
  static async open(url: string, options: { max?: number } = {}): Promise<PgAnomalyStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
    // A connection the server drops (a restart) is replaced by the pool; the error must not kill the sink.
    pool.on('error', () => {});
    const store = new PgAnomalyStore(pool);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  async schemaVersion(): Promise<number> {
    const r = await this.pool.query('SELECT max(version) AS v FROM pumpdeck_sink_schema');
    return Number(r.rows[0].v ?? 0);
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
      await client.query('CREATE TABLE IF NOT EXISTS pumpdeck_sink_schema (version integer NOT NULL)');
      const r = await client.query('SELECT coalesce(max(version), 0) AS v FROM pumpdeck_sink_schema');
      for (let v = Number(r.rows[0].v); v < MIGRATIONS.length; v += 1) {
        await client.query(MIGRATIONS[v]);
        await client.query('INSERT INTO pumpdeck_sink_schema VALUES ($1)', [v + 1]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  add(payload: AnomalyPayload, key: string | null, _now: Date): Promise<AddResult> {
    // A report without a key cannot be a retry of another: it gets one of its own.
    return new Promise((resolve, reject) => {
      this.pending.push({
        payload,
        key: key ?? `auto:${randomUUID()}`,
        digest: payloadDigest(payload),
        resolve,
        reject,
      });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  /** Writes what is pending, a batch at a time, until nothing is. */
  private async drain(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // let the reports arriving together join
    while (this.pending.length) {
      const batch = this.pending.splice(0, BATCH);
      try {
        await this.insert(batch);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.flushing = null;
  }

  private async insert(batch: Pending[]): Promise<void> {
    const values: unknown[] = [];
    const rows = batch.map((p) => {
      const at = values.length;
      values.push(...payloadColumns(p.payload), p.key, p.digest);
      return `(${Array.from({ length: 12 }, (_, i) => `$${at + i + 1}`).join(', ')})`;
    });
    const inserted = await this.pool.query(
      `INSERT INTO edge_anomalies (source_type, description, site_id, pump_id, sensor_id, "timestamp", ts,
         log_value, additional_context, metadata, idempotency_key, payload_sha256)
       SELECT s, d, si::integer, pu::integer, se::integer, t, tz::timestamptz, v::double precision, c::jsonb, m::jsonb, k, h
       FROM (VALUES ${rows.join(', ')}) AS r(s, d, si, pu, se, t, tz, v, c, m, k, h)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING ${COLUMNS}, idempotency_key`,
      values,
    );
    const created = new Map(inserted.rows.map((r) => [r.idempotency_key as string, r]));
    await this.noteReports(inserted.rows);
    // The rest were there already (a retry, or another sink's): the stored row answers them.
    const missing = batch.filter((p) => !created.has(p.key)).map((p) => p.key);
    const existing = missing.length
      ? new Map(
          (
            await this.pool.query(
              `SELECT ${COLUMNS}, idempotency_key, payload_sha256 FROM edge_anomalies WHERE idempotency_key = ANY($1)`,
              [missing],
            )
          ).rows.map((r) => [r.idempotency_key as string, r]),
        )
      : new Map();
    for (const p of batch) {
      const row = created.get(p.key);
      if (row) {
        created.delete(p.key); // a second of the same key in this batch is its replay
        existing.set(p.key, { ...row, payload_sha256: p.digest });
        p.resolve({ anomaly: storedAnomaly(row), replay: false });
        continue;
      }
      const found = existing.get(p.key);
      if (!found) p.reject(new Error('a report neither inserted nor found'));
      else if (found.payload_sha256 !== p.digest) p.resolve({ conflict: true });
      else p.resolve({ anomaly: storedAnomaly(found), replay: true });
    }
  }

  /** Each site's newest report, for the fleet page (in site order: two sinks never wait on each other in a circle). */
  private async noteReports(rows: Array<Record<string, unknown>>): Promise<void> {
    const newest = new Map<number, Record<string, unknown>>();
    for (const r of rows) {
      const site = Number(r.site_id);
      const held = newest.get(site);
      if (!held || Date.parse(String(r.timestamp)) > Date.parse(String(held.timestamp))) newest.set(site, r);
    }
    if (!newest.size) return;
    const sites = [...newest.keys()].sort((a, b) => a - b);
    await this.pool.query(
      `INSERT INTO edge_site_reports
       SELECT site, now(), ts, t FROM unnest($1::integer[], $2::timestamptz[], $3::text[]) AS u(site, ts, t)
       ON CONFLICT (site_id) DO UPDATE SET last_report = excluded.last_report,
         last_ts = greatest(edge_site_reports.last_ts, excluded.last_ts),
         last_anomaly = CASE WHEN excluded.last_ts > edge_site_reports.last_ts THEN excluded.last_anomaly
                             ELSE edge_site_reports.last_anomaly END`,
      [sites, sites.map((s) => String(newest.get(s)?.timestamp)), sites.map((s) => String(newest.get(s)?.timestamp))],
    );
  }

  async query(filter: QueryFilter): Promise<AnomalyPage> {
    const where = `WHERE ($1::integer IS NULL OR pump_id = $1) AND ($2::integer IS NULL OR site_id = $2)
      AND ($3::integer IS NULL OR sensor_id = $3) AND ($4::timestamptz IS NULL OR ts >= $4) AND ($5::timestamptz IS NULL OR ts <= $5)`;
    const params = [
      filter.pumpId ?? null,
      filter.siteId ?? null,
      filter.sensorId ?? null,
      filter.startDate ?? null,
      filter.endDate ?? null,
    ];
    const skip = (filter.page - 1) * filter.pageSize;
    const [total, items] = await Promise.all([
      this.pool.query(`SELECT count(*) AS n FROM edge_anomalies ${where}`, params),
      this.pool.query(
        `SELECT ${COLUMNS} FROM edge_anomalies ${where} ORDER BY ts ${filter.sortDirection}, id ${filter.sortDirection}
         LIMIT ${filter.pageSize} OFFSET ${skip}`,
        params,
      ),
    ]);
    return { items: items.rows.map(storedAnomaly), total: Number(total.rows[0].n), skip, take: filter.pageSize };
  }

  async heartbeat(beat: Heartbeat, now: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO edge_sites VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (site_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, health = excluded.health
       WHERE edge_sites.heartbeat_at <= excluded.heartbeat_at`,
      [beat.siteId, now, JSON.stringify(beat.health)],
    );
  }

  async sites(options: {
    siteId?: number;
    known: readonly number[];
    staleMinutes: number;
    now: Date;
  }): Promise<FleetAnswer> {
    const since = new Date(Math.floor(options.now.getTime() / 86_400_000 - 6) * 86_400_000);
    const [reports, days, beats] = await Promise.all([
      this.pool.query('SELECT site_id, last_report, last_anomaly FROM edge_site_reports'),
      this.pool.query(
        `SELECT site_id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS n FROM edge_anomalies
         WHERE ts >= $1 GROUP BY 1, 2`,
        [since],
      ),
      this.pool.query('SELECT site_id, heartbeat_at, health FROM edge_sites'),
    ]);
    return fleetAnswer({ reports: reports.rows, days: days.rows, beats: beats.rows }, options);
  }

  async prune(days: number, now: Date): Promise<number> {
    const r = await this.pool.query('DELETE FROM edge_anomalies WHERE ts < $1', [
      new Date(now.getTime() - days * 86_400_000),
    ]);
    return r.rowCount ?? 0;
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.pool.end();
  }
}
