import { z } from 'zod';
import { ApiError } from '../../src-shared/api/errors';
import type { AnomalyPage } from '../../src-shared/edge/payload';

// Seed 000 AnomalyAPIClient.query_anomalies, for the Anomalies page and `pumpdeck anomalies`: any
// compatible API (the sink, or another URL with its token), queried from the main side so no
// browser CORS applies. The URL is the caller's, so what comes back is treated as hostile: http(s)
// only, no redirects, a size cap, the answer validated, and its body never echoed in an error.

export interface AnomalyFilter {
  url: string;
  token: string;
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
  404: 'has no /edge/anomalies (HTTP 404)',
};

async function readCapped(response: Response, where: string): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new ApiError('bad_input', `${where}: the answer is over ${MAX_ANSWER_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function queryAnomalies(
  filter: AnomalyFilter & { page: number; pageSize: number; sortDirection: 'asc' | 'desc' },
): Promise<AnomalyPage> {
  const where = origin(filter.url);
  const base = new URL(filter.url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new ApiError('invalid_params', 'the anomaly API is an http:// or https:// URL');
  const params = new URLSearchParams();
  for (const key of [
    'pumpId',
    'siteId',
    'sensorId',
    'startDate',
    'endDate',
    'page',
    'pageSize',
    'sortDirection',
  ] as const) {
    if (filter[key] !== undefined && filter[key] !== '') params.set(key, String(filter[key]));
  }
  const url = `${filter.url.replace(/\/$/, '')}/edge/anomalies?${params}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${filter.token}`, accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const why =
      (error as Error).name === 'TimeoutError'
        ? 'no answer in 15 s'
        : cause
          ? `no answer (${cause})`
          : 'no answer, or a redirect';
    throw new ApiError('bad_input', `${where}: ${why}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ApiError(
      'bad_input',
      `${where}: the API ${REFUSALS[response.status] ?? `answered HTTP ${response.status}`}`,
    );
  }
  const text = await readCapped(response, where);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('bad_input', `${where}: the answer is not JSON (is this an anomaly API?)`);
  }
  const page = anomalyPage.safeParse(json);
  if (!page.success)
    throw new ApiError('bad_input', `${where}: not an anomaly API answer ({items, total, skip, take} as in seed 000)`);
  return page.data as AnomalyPage;
}

/** All pages, oldest first, up to `limit` anomalies. */
export async function allAnomalies(
  filter: AnomalyFilter,
  limit = 20_000,
): Promise<{ items: AnomalyPage['items']; truncated: boolean }> {
  const items: AnomalyPage['items'] = [];
  for (let page = 1; ; page += 1) {
    const result = await queryAnomalies({ ...filter, page, pageSize: 1000, sortDirection: 'asc' });
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) return { items, truncated: false };
    if (items.length >= limit) return { items: items.slice(0, limit), truncated: true };
  }
}
