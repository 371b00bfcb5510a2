import type { AnomalyPayload } from '../src-shared/edge/payload';

// POST to the anomaly API with a timeout, retries with exponential backoff and jitter, and
// Retry-After honoured. The idempotency key goes with every attempt, so a retry of a request
// that did land creates nothing twice.

export type DeliveryOutcome = { kind: 'delivered'; status: number } | { kind: 'rejected'; status: number; reason: string } | { kind: 'failed'; reason: string };

export interface DeliveryOptions {
  url: string;
  token: string;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const RETRY_AFTER_CAP_MS = 300_000;

function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.min(RETRY_AFTER_CAP_MS, Math.max(0, date - now));
}

export async function deliver(payload: AnomalyPayload, key: string, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  let last = 'no attempt';
  for (let attempt = 0; attempt <= options.retries; attempt += 1) {
    let wait: number | null = null;
    try {
      const response = await fetch(`${options.url.replace(/\/$/, '')}/edge/anomalies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}`, 'idempotency-key': key },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      if (response.ok) return { kind: 'delivered', status: response.status };
      last = `HTTP ${response.status}: ${text.slice(0, 300)}`;
      // 4xx other than 408 and 429 will not get better by asking again.
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) return { kind: 'rejected', status: response.status, reason: last };
      wait = retryAfterMs(response.headers.get('retry-after'), Date.now());
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      last = (error as Error).name === 'TimeoutError' ? `no answer in ${options.timeoutMs} ms` : cause ? `${(error as Error).message} (${cause})` : (error as Error).message;
    }
    if (attempt < options.retries) await sleep(wait ?? options.backoffMs * 2 ** attempt + random() * options.backoffMs);
  }
  return { kind: 'failed', reason: last };
}
