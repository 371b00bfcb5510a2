import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AnomalyPage,
  type AnomalyPayload,
  isIdempotencyKey,
  isIsoTime,
  MAX_ID,
  payloadProblem,
  type StoredAnomaly,
} from '../../src-shared/edge/payload';
import type { StationDb } from '../db/stationDb';
import { bearerToken, tokenMatches } from '../server/token';

// The reference anomaly API (seed 000 §3.2-3.4): POST and GET /edge/anomalies with a bearer
// token, stored in DuckDB. For tests, small sites, and the console to receive its runners'
// reports. Binds 127.0.0.1 unless told otherwise.

const MAX_BODY = 256 * 1024;

export async function ensureSinkTables(db: StationDb): Promise<void> {
  await db.run(`CREATE SEQUENCE IF NOT EXISTS edge_anomalies_id`);
  await db.run(`CREATE TABLE IF NOT EXISTS edge_anomalies (
    id BIGINT DEFAULT nextval('edge_anomalies_id'), idempotency_key VARCHAR, source_type VARCHAR NOT NULL, description VARCHAR NOT NULL,
    site_id INTEGER NOT NULL, pump_id INTEGER NOT NULL, sensor_id INTEGER NOT NULL, "timestamp" VARCHAR NOT NULL, ts TIMESTAMP NOT NULL,
    log_value DOUBLE NOT NULL, additional_context JSON, metadata JSON, created_at VARCHAR NOT NULL)`);
  // What a reused idempotency key is compared by (rows stored before it existed compare as equal).
  await db.run(`ALTER TABLE edge_anomalies ADD COLUMN IF NOT EXISTS payload_sha256 VARCHAR`);
}

/** A payload's identity for idempotency: JSON with sorted keys, hashed. */
function payloadDigest(payload: AnomalyPayload): string {
  const canonical = (value: unknown): unknown =>
    typeof value !== 'object' || value === null
      ? value
      : Array.isArray(value)
        ? value.map(canonical)
        : Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          );
  return createHash('sha256')
    .update(JSON.stringify(canonical(payload)))
    .digest('hex');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The body as text, or null when it is over MAX_BODY (the rest is drained, not kept). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function row(r: Record<string, unknown>): StoredAnomaly {
  return {
    id: r.id as number,
    sourceType: r.source_type as string,
    description: r.description as string,
    siteId: r.site_id as number,
    pumpId: r.pump_id as number,
    sensorId: r.sensor_id as number,
    timestamp: r.timestamp as string,
    logValue: r.log_value as number,
    additionalContext: JSON.parse((r.additional_context as string) ?? '{}'),
    metadata: JSON.parse((r.metadata as string) ?? '{}'),
    createdAt: r.created_at as string,
  };
}

const COLUMNS = `id, source_type, description, site_id, pump_id, sensor_id, "timestamp", log_value, additional_context::VARCHAR AS additional_context, metadata::VARCHAR AS metadata, created_at`;

export interface QueryFilter {
  pumpId?: number;
  siteId?: number;
  sensorId?: number;
  startDate?: string;
  endDate?: string;
  page: number;
  pageSize: number;
  sortDirection: 'asc' | 'desc';
}

const MAX_PAGE = 1_000_000;

export function parseQuery(params: URLSearchParams): QueryFilter | { field: string; message: string } {
  const int = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);
  const filter: QueryFilter = {
    pumpId: int('pumpId'),
    siteId: int('siteId'),
    sensorId: int('sensorId'),
    startDate: params.get('startDate') ?? undefined,
    endDate: params.get('endDate') ?? undefined,
    page: int('page') ?? 1,
    pageSize: int('pageSize') ?? 50,
    sortDirection: (params.get('sortDirection') ?? 'desc') as 'asc' | 'desc',
  };
  for (const name of ['pumpId', 'siteId', 'sensorId'] as const) {
    const id = filter[name];
    if (id !== undefined && !(Number.isInteger(id) && id >= 0 && id <= MAX_ID))
      return { field: name, message: `an integer from 0 to ${MAX_ID}` };
  }
  if (!(Number.isInteger(filter.page) && filter.page >= 1 && filter.page <= MAX_PAGE))
    return { field: 'page', message: `an integer from 1 to ${MAX_PAGE}` };
  if (!(Number.isInteger(filter.pageSize) && filter.pageSize >= 1 && filter.pageSize <= 1000))
    return { field: 'pageSize', message: 'an integer from 1 to 1000' };
  if (filter.sortDirection !== 'asc' && filter.sortDirection !== 'desc')
    return { field: 'sortDirection', message: 'asc or desc' };
  for (const name of ['startDate', 'endDate'] as const) {
    const value = filter[name];
    if (value !== undefined && !isIsoTime(value))
      return { field: name, message: 'an ISO 8601 time (YYYY-MM-DDTHH:MM:SSZ)' };
  }
  return filter;
}

export class AnomalyStore {
  /** Inserts run one at a time, so two retries of one report cannot both insert. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: StationDb) {}

  /**
   * Stores a payload once per idempotency key: the same key again returns the stored anomaly
   * (`replay`), the same key with another payload is a conflict.
   */
  add(
    payload: AnomalyPayload,
    key: string | null,
    now: Date,
  ): Promise<{ anomaly: StoredAnomaly; replay: boolean } | { conflict: true }> {
    const digest = payloadDigest(payload);
    const work = this.queue.then(async () => {
      if (key) {
        const existing = await this.db.one(
          `SELECT ${COLUMNS}, payload_sha256 FROM edge_anomalies WHERE idempotency_key = ?`,
          [key],
        );
        if (existing && existing.payload_sha256 !== null && existing.payload_sha256 !== digest)
          return { conflict: true as const };
        if (existing) return { anomaly: row(existing), replay: true };
      }
      const created = await this.db.one(
        `INSERT INTO edge_anomalies (idempotency_key, source_type, description, site_id, pump_id, sensor_id, "timestamp", ts,
           log_value, additional_context, metadata, created_at, payload_sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?::TIMESTAMPTZ::TIMESTAMP, ?, ?::JSON, ?::JSON, ?, ?) RETURNING ${COLUMNS}`,
        [
          key,
          payload.sourceType,
          payload.description,
          payload.siteId,
          payload.pumpId,
          payload.sensorId,
          payload.timestamp,
          payload.timestamp,
          payload.logValue,
          JSON.stringify(payload.additionalContext ?? {}),
          JSON.stringify(payload.metadata ?? {}),
          now.toISOString(),
          digest,
        ],
      );
      if (!created) throw new Error('INSERT … RETURNING gave no row');
      return { anomaly: row(created), replay: false };
    });
    this.queue = work.catch(() => undefined);
    return work;
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
    return { items: items.map(row), total, skip, take: filter.pageSize };
  }
}

export interface SinkOptions {
  db: StationDb;
  token: string;
  port: number;
  host?: string;
  log?: (line: string) => void;
}

export async function startSink(
  options: SinkOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  await ensureSinkTables(options.db);
  const store = new AnomalyStore(options.db);
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sink');
      if (url.pathname.replace(/\/$/, '') !== '/edge/anomalies')
        return send(res, 404, { error: 'not found: the API is /edge/anomalies' });
      if (!tokenMatches(options.token, bearerToken(req.headers.authorization)))
        return send(res, 401, { error: 'a valid bearer token is required' }, { 'www-authenticate': 'Bearer' });
      if (req.method === 'GET') {
        const filter = parseQuery(url.searchParams);
        if ('field' in filter)
          return send(res, 400, { error: `invalid ${filter.field}: ${filter.message}`, field: filter.field });
        return send(res, 200, await store.query(filter));
      }
      if (req.method !== 'POST') return send(res, 405, { error: 'GET or POST' }, { allow: 'GET, POST' });
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) {
        send(res, 413, { error: `the body is over ${MAX_BODY / 1024} KB` }, { connection: 'close' });
        return void req.resume();
      }
      const body = await readBody(req);
      if (body === null) return send(res, 413, { error: `the body is over ${MAX_BODY / 1024} KB` });
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        return send(res, 400, { error: 'the body is not JSON', field: '(body)' });
      }
      const problem = payloadProblem(payload);
      if (problem)
        return send(res, 400, { error: `invalid ${problem.field}: ${problem.message}`, field: problem.field });
      const header = req.headers['idempotency-key'];
      const key = header ?? (payload as AnomalyPayload).metadata?.idempotencyKey ?? null;
      if (key !== null && !isIdempotencyKey(key))
        return send(res, 400, {
          error: 'invalid Idempotency-Key: a string of 1 to 200 characters',
          field: 'Idempotency-Key',
        });
      const stored = await store.add(payload as AnomalyPayload, key, new Date());
      if ('conflict' in stored)
        return send(res, 409, { error: 'this idempotency key was used for another payload', field: 'idempotencyKey' });
      const { anomaly, replay } = stored;
      options.log?.(
        `${replay ? 'replay' : 'stored'} anomaly ${anomaly.id} site ${anomaly.siteId} pump ${anomaly.pumpId} sensor ${anomaly.sensorId}`,
      );
      send(res, replay ? 200 : 201, anomaly, replay ? { 'idempotent-replay': 'true' } : {});
    })().catch((error: Error) => {
      // The client learns that the server failed, never why (that goes to the sink's log).
      options.log?.(`internal error: ${error.stack ?? error.message}`);
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
