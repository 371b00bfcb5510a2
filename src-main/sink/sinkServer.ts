import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { heartbeatOf, heartbeatProblem } from '../../src-shared/edge/fleet';
import {
  type AnomalyPayload,
  isIdempotencyKey,
  isIsoTime,
  MAX_ID,
  payloadProblem,
} from '../../src-shared/edge/payload';
import type { StationDb } from '../db/stationDb';
import { bearerToken } from '../server/token';
import { DuckAnomalyStore } from './duckStore';
import { type Access, loadSiteTokens, mayPost, readScope, type SiteTokens } from './siteTokens';
import type { AnomalyStore, QueryFilter } from './store';

// The anomaly API (seed 000 §3.2-3.4, issue 33): POST and GET /edge/anomalies, POST
// /edge/heartbeat and GET /edge/sites, with bearer tokens (one for everything, or one per site
// and readers), over a store that is DuckDB on a laptop or PostgreSQL for a fleet. Binds
// 127.0.0.1 unless told otherwise.

const MAX_BODY = 256 * 1024;
const ROUTES = ['/edge/anomalies', '/edge/heartbeat', '/edge/sites'];

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

export interface SinkOptions {
  store: AnomalyStore;
  tokens: SiteTokens;
  port: number;
  host?: string;
  /** A site with no heartbeat for this long is silent (default 120). */
  staleMinutes?: number;
  /** Anomalies whose reading is older than this many days are removed, at start and hourly. */
  retentionDays?: number;
  log?: (line: string) => void;
}

const refuse = (res: ServerResponse, status: number, error: string, field?: string) =>
  send(res, status, field ? { error, field } : { error });

/** The JSON body, or an answer already sent (413, 400). */
async function jsonBody(req: IncomingMessage, res: ServerResponse): Promise<{ value: unknown } | null> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) {
    send(res, 413, { error: `the body is over ${MAX_BODY / 1024} KB` }, { connection: 'close' });
    req.resume();
    return null;
  }
  const body = await readBody(req);
  if (body === null) {
    send(res, 413, { error: `the body is over ${MAX_BODY / 1024} KB` });
    return null;
  }
  try {
    return { value: JSON.parse(body) };
  } catch {
    refuse(res, 400, 'the body is not JSON', '(body)');
    return null;
  }
}

async function postAnomaly(req: IncomingMessage, res: ServerResponse, access: Access, options: SinkOptions) {
  const body = await jsonBody(req, res);
  if (!body) return;
  const payload = body.value;
  const problem = payloadProblem(payload);
  if (problem) return refuse(res, 400, `invalid ${problem.field}: ${problem.message}`, problem.field);
  const denied = mayPost(access, (payload as AnomalyPayload).siteId);
  if (denied) return refuse(res, 403, denied, 'siteId');
  const header = req.headers['idempotency-key'];
  const key = header ?? (payload as AnomalyPayload).metadata?.idempotencyKey ?? null;
  if (key !== null && !isIdempotencyKey(key))
    return refuse(res, 400, 'invalid Idempotency-Key: a string of 1 to 200 characters', 'Idempotency-Key');
  const stored = await options.store.add(payload as AnomalyPayload, key, new Date());
  if ('conflict' in stored)
    return refuse(res, 409, 'this idempotency key was used for another payload', 'idempotencyKey');
  const { anomaly, replay } = stored;
  options.log?.(
    `${replay ? 'replay' : 'stored'} anomaly ${anomaly.id} site ${anomaly.siteId} pump ${anomaly.pumpId} sensor ${anomaly.sensorId}`,
  );
  send(res, replay ? 200 : 201, anomaly, replay ? { 'idempotent-replay': 'true' } : {});
}

async function postHeartbeat(req: IncomingMessage, res: ServerResponse, access: Access, options: SinkOptions) {
  const body = await jsonBody(req, res);
  if (!body) return;
  const problem = heartbeatProblem(body.value);
  if (problem) return refuse(res, 400, `invalid ${problem.field}: ${problem.message}`, problem.field);
  const { siteId, health } = body.value as { siteId: number; health: Record<string, unknown> };
  const denied = mayPost(access, siteId);
  if (denied) return refuse(res, 403, denied, 'siteId');
  await options.store.heartbeat(heartbeatOf(siteId, health), new Date());
  send(res, 204, null);
}

async function getSites(url: URL, res: ServerResponse, access: Access, options: SinkOptions) {
  const asked = url.searchParams.has('siteId') ? Number(url.searchParams.get('siteId')) : undefined;
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 0 && asked <= MAX_ID))
    return refuse(res, 400, `invalid siteId: an integer from 0 to ${MAX_ID}`, 'siteId');
  const stale = url.searchParams.has('staleMinutes') ? Number(url.searchParams.get('staleMinutes')) : undefined;
  if (stale !== undefined && !(Number.isInteger(stale) && stale >= 1 && stale <= 525_600))
    return refuse(res, 400, 'invalid staleMinutes: an integer from 1 to 525600', 'staleMinutes');
  const scope = readScope(access, asked);
  if ('refused' in scope) return refuse(res, 403, scope.refused, 'siteId');
  const known = scope.siteId === undefined ? options.tokens.sites : [];
  send(
    res,
    200,
    await options.store.sites({
      siteId: scope.siteId,
      known,
      staleMinutes: stale ?? options.staleMinutes ?? 120,
      now: new Date(),
    }),
  );
}

async function getAnomalies(url: URL, res: ServerResponse, access: Access, options: SinkOptions) {
  const filter = parseQuery(url.searchParams);
  if ('field' in filter) return refuse(res, 400, `invalid ${filter.field}: ${filter.message}`, filter.field);
  const scope = readScope(access, filter.siteId);
  if ('refused' in scope) return refuse(res, 403, scope.refused, 'siteId');
  send(res, 200, await options.store.query({ ...filter, siteId: scope.siteId }));
}

export async function startSink(
  options: SinkOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sink');
      const route = url.pathname.replace(/\/$/, '');
      if (!ROUTES.includes(route)) return refuse(res, 404, `not found: the API is ${ROUTES.join(', ')}`);
      const access = options.tokens.access(bearerToken(req.headers.authorization));
      if (!access)
        return send(res, 401, { error: 'a valid bearer token is required' }, { 'www-authenticate': 'Bearer' });
      const method = route === '/edge/anomalies' ? ['GET', 'POST'] : route === '/edge/sites' ? ['GET'] : ['POST'];
      if (!method.includes(req.method ?? ''))
        return send(res, 405, { error: method.join(' or ') }, { allow: method.join(', ') });
      if (route === '/edge/sites') return getSites(url, res, access, options);
      if (route === '/edge/heartbeat') return postHeartbeat(req, res, access, options);
      if (req.method === 'GET') return getAnomalies(url, res, access, options);
      return postAnomaly(req, res, access, options);
    })().catch((error: Error) => {
      // The client learns that the server failed, never why (that goes to the sink's log).
      options.log?.(`internal error: ${error.stack ?? error.message}`);
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  const prune = async () => {
    if (!options.retentionDays) return;
    const gone = await options.store.prune(options.retentionDays, new Date()).catch((error: Error) => {
      options.log?.(`retention failed: ${error.message}`);
      return 0;
    });
    if (gone) options.log?.(`retention removed ${gone} anomalies older than ${options.retentionDays} days`);
  };
  await prune();
  const pruning = setInterval(() => void prune(), 3_600_000);
  pruning.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  }).catch((error) => {
    clearInterval(pruning);
    throw error;
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`,
    close: () =>
      new Promise((r) => {
        clearInterval(pruning);
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A sink on one DuckDB database with one token: a laptop's, a test's, a bench's. */
export async function startDuckSink(options: {
  db: StationDb;
  token: string;
  port: number;
  host?: string;
  log?: (line: string) => void;
}): Promise<Awaited<ReturnType<typeof startSink>>> {
  const { db, token, ...rest } = options;
  return startSink({ ...rest, store: await DuckAnomalyStore.open(db), tokens: await loadSiteTokens(undefined, token) });
}
