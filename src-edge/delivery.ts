import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Heartbeat } from '../src-shared/edge/fleet';
import type { AnomalyPayload } from '../src-shared/edge/payload';

// POST to the anomaly API with a timeout, retries with exponential backoff and jitter, and
// Retry-After honoured. The idempotency key goes with every attempt, so a retry of a request
// that did land creates nothing twice. What an answer means for the report:
// - 2xx: delivered.
// - 400, 409, 413, 422: the API says this payload is invalid (or its key was used for another):
//   asking again will not help; the report is set aside (`invalid`).
// - 401, 403, 404 and other 4xx: the API refuses the runner (a rotated token, a wrong URL), not
//   the report: nothing is retried this run and every report waits (`refused`).
// - 408, 429, 5xx, no answer: retried with backoff; then `failed`, `alone` when the API answered
//   (500, 501 …: this report may be what it cannot take) rather than being unreachable or busy.

export type DeliveryOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'invalid'; status: number; reason: string }
  | { kind: 'refused'; status: number; reason: string }
  | { kind: 'failed'; reason: string; alone: boolean };

const INVALID = new Set([400, 409, 413, 422]);
/** The API is there but cannot serve anyone now: not a sign against this report. */
const BUSY = new Set([408, 429, 502, 503, 504]);

/** Why the API refuses the runner, in words for health.json. */
function refusal(status: number): string {
  if (status === 401 || status === 403) return `API refuses the token (HTTP ${status})`;
  if (status === 404) return 'API not found at the configured URL (HTTP 404)';
  return `API refuses the runner (HTTP ${status})`;
}

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

/**
 * One POST with node:http(s). Not fetch: undici compiles its HTTP parser to WebAssembly on first
 * use, which costs the runner several MB and rules out V8's --lite-mode.
 */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; text: string; retryAfter: string | null }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text,
            retryAfter: (res.headers['retry-after'] as string | undefined) ?? null,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { name: 'TimeoutError' })),
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function deliver(
  payload: AnomalyPayload,
  key: string,
  options: DeliveryOptions,
): Promise<DeliveryOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  let last = 'no attempt';
  let alone = false;
  for (let attempt = 0; attempt <= options.retries; attempt += 1) {
    let wait: number | null = null;
    try {
      const response = await post(
        `${options.url.replace(/\/$/, '')}/edge/anomalies`,
        { 'content-type': 'application/json', authorization: `Bearer ${options.token}`, 'idempotency-key': key },
        JSON.stringify(payload),
        options.timeoutMs,
      );
      const status = response.status;
      if (status >= 200 && status < 300) return { kind: 'delivered', status };
      // The API's own words, short and on one line: they go to a log and a file, never executed.
      last = `HTTP ${status}: ${response.text.slice(0, 300).replace(/\s+/g, ' ')}`;
      if (INVALID.has(status)) return { kind: 'invalid', status, reason: last };
      if (status >= 400 && status < 500 && !BUSY.has(status))
        return { kind: 'refused', status, reason: refusal(status) };
      alone = !BUSY.has(status);
      wait = retryAfterMs(response.retryAfter, Date.now());
    } catch (error) {
      const code = (error as { code?: string }).code;
      last = code ? `${(error as Error).message} (${code})` : (error as Error).message;
      alone = false;
    }
    if (attempt < options.retries) await sleep(wait ?? options.backoffMs * 2 ** attempt + random() * options.backoffMs);
  }
  return { kind: 'failed', reason: last, alone };
}

/**
 * Tells the API the runner is alive and how it is (issue 33: the fleet sees a silent site). One
 * attempt: the next run sends a newer one. Returns null when the API took it, else why not.
 */
export async function postHeartbeat(
  beat: Heartbeat,
  options: Pick<DeliveryOptions, 'url' | 'token' | 'timeoutMs'>,
): Promise<string | null> {
  try {
    const response = await post(
      `${options.url.replace(/\/$/, '')}/edge/heartbeat`,
      { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      JSON.stringify(beat),
      options.timeoutMs,
    );
    return response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
  } catch (error) {
    return (error as Error).message;
  }
}
