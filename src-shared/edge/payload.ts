// The central anomaly API's payload (seed 000 §3.2, seed 001): what the edge runner posts, what
// the reference sink accepts and stores, what the Anomalies page reads. One validation for all.

export interface AnomalyPayload {
  sourceType: string;
  description: string;
  siteId: number;
  pumpId: number;
  sensorId: number;
  /** ISO 8601 time of the reading that triggered it. */
  timestamp: string;
  logValue: number;
  additionalContext: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A stored anomaly as the API returns it. */
export interface StoredAnomaly extends AnomalyPayload {
  id: number;
  createdAt: string;
}

export interface AnomalyPage {
  items: StoredAnomaly[];
  total: number;
  skip: number;
  take: number;
}

const INTEGER_FIELDS = ['siteId', 'pumpId', 'sensorId'] as const;
/** Ids are stored as 32-bit integers. */
export const MAX_ID = 2_147_483_647;
const MAX_DEPTH = 16;
const MAX_KEY_LENGTH = 200;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** An ISO 8601 time (YYYY-MM-DDTHH:MM[:SS[.f]][Z|±HH[:MM]]) with real fields, years 1900-2200. */
export function isIsoTime(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = ISO_TIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((f) => Number(f ?? 0));
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1900 &&
    year <= 2200 &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 61
  );
}

/** How deep a JSON value nests (a flat object is 1). Stops counting past `limit`. */
function depthOf(value: unknown, limit: number, depth = 0): number {
  if (typeof value !== 'object' || value === null || depth > limit) return depth;
  let deepest = depth + 1;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, limit, depth + 1));
  return deepest;
}

/** An idempotency key as the API takes it: a short string. */
export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_LENGTH;
}

/** The first problem with a payload, naming its field; null when it is valid and storable. */
export function payloadProblem(value: unknown): { field: string; message: string } | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { field: '(body)', message: 'must be a JSON object' };
  const p = value as Record<string, unknown>;
  for (const field of ['sourceType', 'description']) {
    if (typeof p[field] !== 'string' || !(p[field] as string).trim())
      return { field, message: 'required, a non-empty string' };
    if ((p[field] as string).length > 4000) return { field, message: 'longer than 4000 characters' };
  }
  for (const field of INTEGER_FIELDS) {
    const id = p[field];
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) > MAX_ID)
      return { field, message: `required, an integer from 0 to ${MAX_ID}` };
  }
  if (!isIsoTime(p.timestamp))
    return { field: 'timestamp', message: 'required, an ISO 8601 time (YYYY-MM-DDTHH:MM:SSZ)' };
  if (typeof p.logValue !== 'number' || !Number.isFinite(p.logValue))
    return { field: 'logValue', message: 'required, a finite number' };
  for (const field of ['additionalContext', 'metadata']) {
    const v = p[field];
    if (v === undefined) continue;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { field, message: 'must be a JSON object' };
    if (depthOf(v, MAX_DEPTH) > MAX_DEPTH) return { field, message: `nests deeper than ${MAX_DEPTH} levels` };
  }
  const key = (p.metadata as Record<string, unknown> | undefined)?.idempotencyKey;
  if (key !== undefined && !isIdempotencyKey(key))
    return { field: 'metadata.idempotencyKey', message: `a string of 1 to ${MAX_KEY_LENGTH} characters` };
  return null;
}

/** The naive historian time as ISO 8601 in UTC form (the site's clock; the API stores it as given). */
export function isoTimestamp(naive: string): string {
  return `${naive.replace(' ', 'T').slice(0, 19)}Z`;
}
