import { ApiError } from '../../src-shared/api/errors';
import type { AnomalyPage } from '../../src-shared/edge/payload';

// Seed 000 AnomalyAPIClient.query_anomalies, for the Anomalies page: any compatible API (the
// sink, or another URL with its token), queried from the main side so no browser CORS applies.

export interface AnomalyFilter {
  url: string;
  token: string;
  pumpId?: number;
  siteId?: number;
  sensorId?: number;
  startDate?: string;
  endDate?: string;
}

export async function queryAnomalies(
  filter: AnomalyFilter & { page: number; pageSize: number; sortDirection: 'asc' | 'desc' },
): Promise<AnomalyPage> {
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
      headers: { authorization: `Bearer ${filter.token}` },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new ApiError('bad_input', `${filter.url}: no answer (${cause ?? (error as Error).message})`);
  }
  const text = await response.text();
  if (!response.ok) throw new ApiError('bad_input', `${filter.url}: HTTP ${response.status}: ${text.slice(0, 200)}`);
  const page = JSON.parse(text) as AnomalyPage;
  if (!Array.isArray(page.items) || typeof page.total !== 'number')
    throw new ApiError('bad_input', `${filter.url}: not an anomaly API answer ({items, total, skip, take})`);
  return page;
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
