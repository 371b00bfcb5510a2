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

/** The first problem with a payload, naming its field; null when it is valid. */
export function payloadProblem(value: unknown): { field: string; message: string } | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { field: '(body)', message: 'must be a JSON object' };
  const p = value as Record<string, unknown>;
  for (const field of ['sourceType', 'description']) {
    if (typeof p[field] !== 'string' || !(p[field] as string).trim())
      return { field, message: 'required, a non-empty string' };
    if ((p[field] as string).length > 4000) return { field, message: 'longer than 4000 characters' };
  }
  for (const field of INTEGER_FIELDS)
    if (!Number.isInteger(p[field])) return { field, message: 'required, an integer' };
  if (typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp)))
    return { field: 'timestamp', message: 'required, an ISO 8601 time' };
  if (typeof p.logValue !== 'number' || !Number.isFinite(p.logValue))
    return { field: 'logValue', message: 'required, a number' };
  for (const field of ['additionalContext', 'metadata']) {
    const v = p[field];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v)))
      return { field, message: 'must be a JSON object' };
  }
  return null;
}

/** The naive historian time as ISO 8601 in UTC form (the site's clock; the API stores it as given). */
export function isoTimestamp(naive: string): string {
  return `${naive.replace(' ', 'T').slice(0, 19)}Z`;
}
