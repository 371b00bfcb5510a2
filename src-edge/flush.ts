import type { DeliveryOutcome } from './delivery';
import type { Spool, SpoolEntry } from './spool';

// Delivering the spool, oldest first. A report the API calls invalid is set aside at once. A
// report the API fails on alone (it answers, with an error, while it is up) waits for its own
// next attempt, backing off exponentially with jitter, while the reports behind it go on (issue
// 35: one bad report held the queue for a day); after `attempts` failures it is set aside. An API
// that is unreachable, busy or refusing the token fails every report alike: then they all wait,
// and no report is blamed for it.

export interface SetAsidePolicy {
  /** Failures of a report alone before it is set aside. */
  attempts: number;
  /** The first wait after a failure, doubling after each (with jitter: 0.5-1.5 times). */
  baseMinutes: number;
  random?: () => number;
}

/** The wait before a report's next attempt after its `failures`-th failure, in ms. */
export function retryDelayMs(policy: SetAsidePolicy, failures: number): number {
  const jitter = 0.5 + (policy.random ?? Math.random)();
  return Math.min(12 * 3_600_000, policy.baseMinutes * 60_000 * 2 ** (failures - 1) * jitter);
}

export interface DeliverySummary {
  delivered: number;
  /** Reports moved to rejected/ this run. */
  setAside: number;
  waiting: number;
  /** Reports waiting for their own next attempt (after failing alone). */
  backingOff: number;
  /** Why reports wait (null: the spool is empty or was delivered). */
  error: string | null;
  /** How long the oldest waiting report has waited. */
  oldestWaitingMinutes: number | null;
}

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export async function flushSpool(
  spool: Spool,
  send: (entry: SpoolEntry) => Promise<DeliveryOutcome>,
  policy: SetAsidePolicy,
  now: number,
  log: Log,
): Promise<DeliverySummary> {
  let delivered = 0;
  let setAside = 0;
  let error: string | null = null;
  for (const entry of spool.list()) {
    if ((entry.nextAttemptAt ?? 0) > now) continue; // its own wait: the reports behind it go on
    const outcome = await send(entry);
    if (outcome.kind === 'delivered') {
      spool.remove(entry.file);
      delivered += 1;
      continue;
    }
    if (outcome.kind === 'invalid') {
      spool.setAside(entry.file, `the API calls this report invalid: ${outcome.reason}`);
      log('error', 'the API refused an anomaly as invalid; moved to rejected/', {
        key: entry.key,
        reason: outcome.reason,
      });
      setAside += 1;
      continue;
    }
    if (outcome.kind === 'failed' && outcome.alone) {
      const failures = (entry.failures ?? 0) + 1;
      const since = entry.firstFailureAt ?? now;
      if (failures >= policy.attempts) {
        const reason = `undeliverable: ${outcome.reason} (${failures} attempts over ${((now - since) / 3_600_000).toFixed(1)} h)`;
        spool.setAside(entry.file, reason);
        log('error', 'an anomaly the API keeps failing on was moved to rejected/', { key: entry.key, reason });
        setAside += 1;
      } else {
        const next = now + retryDelayMs(policy, failures);
        spool.recordFailure(entry, now, next);
        log('warn', 'the API failed on this anomaly; it is tried again later, the others go on', {
          key: entry.key,
          reason: outcome.reason,
          failures,
          nextAttemptAt: new Date(next).toISOString(),
        });
        error ??= outcome.reason;
      }
      continue;
    }
    error = outcome.reason;
    break; // the API fails everyone alike: the rest waits for the next run
  }
  const waiting = spool.list();
  if (error && waiting.length) log('warn', 'anomalies wait in the spool', { reason: error, waiting: waiting.length });
  return {
    delivered,
    setAside,
    waiting: waiting.length,
    backingOff: waiting.filter((e) => (e.nextAttemptAt ?? 0) > now).length,
    error: waiting.length ? error : null,
    oldestWaitingMinutes: waiting.length
      ? Math.round((now - Math.min(...waiting.map((e) => e.spooledAt))) / 60_000)
      : null,
  };
}
