import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors';
import type { FleetAnswer } from '../../src-shared/edge/fleet';
import type { AnomalyPage } from '../../src-shared/edge/payload';
import { checkApiUrl } from './anomalyApiSettings';

// Seed 000 AnomalyAPIClient.query_anomalies, for the Anomalies page and `pumpdeck anomalies`: any
// compatible API (the sink, or another service with its token), queried from the main side so no
// browser CORS applies. The URL is the user's saved setting (anomalyApiSettings.ts), and what
// comes back is treated as hostile: http(s) only, no redirects, link-local and cloud metadata
// addresses refused unless the settings name the host (checked on the address connected to, so
// a name cannot resolve its way there), a size cap, the answer validated, its body never echoed,
// and a failed connection said as "did not answer" whatever the reason (no port scanning by
// error text).

/** The API to call: its base URL, token and the hosts allowed beyond the usual. */
export interface AnomalyApiTarget {
  url: string;
  token: string;
  allowHosts?: readonly string[];
}

export interface AnomalyFilter {
  pumpId?: number;
  siteId?: number;
  sensorId?: number;
  startDate?: string;
  endDate?: string;
}

const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

const storedAnomaly = z.looseObject({
  id: z.number(),
  sourceType: z.string(),
  description: z.string(),
  siteId: z.number(),
  pumpId: z.number(),
  sensorId: z.number(),
  timestamp: z.string(),
  logValue: z.number(),
  additionalContext: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => v ?? {}),
  metadata: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => v ?? {}),
  createdAt: z.string().optional().default(''),
});
const anomalyPage = z.object({
  items: z.array(storedAnomaly),
  total: z.number().int().min(0),
  skip: z.number().int().min(0),
  take: z.number().int().min(0),
});

/** What the user typed, for messages: the origin only (no path, query or credentials). */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the API';
  }
}

const REFUSALS: Record<number, string> = {
  401: 'refuses the token (HTTP 401)',
  403: 'refuses the token (HTTP 403)',
};

/** Link-local (169.254/16, fe80::/10, which holds the clouds' metadata service) and the other metadata addresses. */
export function isLinkLocalOrMetadata(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  return (
    /^169\.254\./.test(a) ||
    /^fe[89ab][0-9a-f]:/.test(a) ||
    a === '100.100.100.200' ||
    a === 'fd00:ec2::254' ||
    a === '0.0.0.0' ||
    a === '::'
  );
}

class AddressRefused extends Error {}

/** GET `url` with the token; the connection refused to link-local and metadata addresses unless allowed. */
function get(url: URL, token: string, allowHosts: readonly string[]): Promise<IncomingMessage> {
  const allowed = allowHosts.includes(url.hostname.toLowerCase().replace(/^\[|\]$/g, ''));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowed && isIP(host) && isLinkLocalOrMetadata(host)) return Promise.reject(new AddressRefused());
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        timeout: 15_000,
        // A connection of its own: a kept-alive socket to an API that restarted (the same port,
        // another process) fails the first call with a reset instead of reaching the new one.
        agent: false,
        // The address a name resolves to is checked as it is connected to.
        lookup: (hostname, options, callback) =>
          dnsLookup(hostname, { ...options, all: false }, (error, address, family) => {
            if (!error && !allowed && isLinkLocalOrMetadata(address as string))
              return callback(new AddressRefused(), '', 4);
            callback(error, address as string, family as number);
          }),
      },
      resolve,
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function readCapped(response: IncomingMessage, where: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_ANSWER_BYTES) {
      response.destroy();
      throw new ApiError('bad_input', `${where}: the answer is over ${MAX_ANSWER_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GET `path` under the API's base URL with `params`, the answer read, capped and checked by `schema`. */
async function getJson<T>(
  api: AnomalyApiTarget,
  path: string,
  params: URLSearchParams,
  schema: z.ZodType<T>,
  what: string,
): Promise<T> {
  const base = checkApiUrl(api.url);
  const where = origin(base);
  // The path joined to the base's path, then the query: never after a query string.
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
  url.search = params.toString();
  let response: IncomingMessage;
  try {
    response = await get(url, api.token, api.allowHosts ?? []);
  } catch (error) {
    if (error instanceof AddressRefused)
      throw new ApiError(
        'bad_input',
        `${where}: a link-local or cloud metadata address, refused unless the anomaly API settings allow its host`,
      );
    throw new ApiError('bad_input', `${where}: the API did not answer`);
  }
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    response.resume();
    throw new ApiError('bad_input', `${where}: the API answered with a redirect, which is not followed`);
  }
  if (status < 200 || status >= 300) {
    response.resume();
    const refusal = status === 404 ? `has no ${path} (HTTP 404)` : REFUSALS[status];
    throw new ApiError('bad_input', `${where}: the API ${refusal ?? `answered HTTP ${status}`}`);
  }
  const text = await readCapped(response, where);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('bad_input', `${where}: the answer is not JSON (is this an anomaly API?)`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError('bad_input', `${where}: not an anomaly API answer (${what})`);
  return parsed.data;
}

const QUERY_KEYS = [
  'pumpId',
  'siteId',
  'sensorId',
  'startDate',
  'endDate',
  'page',
  'pageSize',
  'sortDirection',
] as const;

export async function queryAnomalies(
  api: AnomalyApiTarget,
  filter: AnomalyFilter & { page: number; pageSize: number; sortDirection: 'asc' | 'desc' },
): Promise<AnomalyPage> {
  const params = new URLSearchParams();
  for (const key of QUERY_KEYS)
    if (filter[key] !== undefined && filter[key] !== '') params.set(key, String(filter[key]));
  return (await getJson(
    api,
    '/edge/anomalies',
    params,
    anomalyPage,
    '{items, total, skip, take} as in seed 000',
  )) as AnomalyPage;
}

const siteHealth = z.object({
  ok: z.boolean(),
  reason: z.string().nullable(),
  lastRun: z.string().nullable(),
  asOf: z.string().nullable(),
  spooled: z.number(),
  rejected: z.number(),
  dropped: z.number(),
  runnerVersion: z.string().nullable(),
  artifact: z.string().nullable(),
});
const fleetAnswer = z.object({
  sites: z
    .array(
      z.object({
        siteId: z.number().int(),
        lastReportAt: z.string().nullable(),
        lastAnomalyAt: z.string().nullable(),
        perDay: z.array(z.object({ day: z.string(), count: z.number() })).max(31),
        heartbeatAt: z.string().nullable(),
        health: siteHealth.nullable(),
        state: z.enum(['silent', 'failing', 'ok']),
      }),
    )
    .max(100_000),
  staleMinutes: z.number(),
  now: z.string(),
});

/** Every site the API knows, silent ones first (GET /edge/sites). */
export async function querySites(api: AnomalyApiTarget, options: { staleMinutes?: number } = {}): Promise<FleetAnswer> {
  const params = new URLSearchParams();
  if (options.staleMinutes !== undefined) params.set('staleMinutes', String(options.staleMinutes));
  return getJson(api, '/edge/sites', params, fleetAnswer, '{sites, staleMinutes, now}');
}

/** All pages, oldest first, up to `limit` anomalies. */
export async function allAnomalies(
  api: AnomalyApiTarget,
  filter: AnomalyFilter,
  limit = 20_000,
): Promise<{ items: AnomalyPage['items']; truncated: boolean }> {
  const items: AnomalyPage['items'] = [];
  for (let page = 1; ; page += 1) {
    const result = await queryAnomalies(api, { ...filter, page, pageSize: 1000, sortDirection: 'asc' });
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) return { items, truncated: false };
    if (items.length >= limit) return { items: items.slice(0, limit), truncated: true };
  }
}
