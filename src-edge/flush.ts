import type { DeliveryOutcome } from './delivery';
import type { Spool, SpoolEntry } from './spool';

// Delivering the spool, oldest first. Order is kept: when a report cannot go, those behind it
// wait for the next run. Two things may not stall the queue for good: a report the API calls
// invalid is set aside at once, and a report the API keeps failing on its own (it answers, with an
// error, while it is up) is set aside after `attempts` failures over `hours` hours. An API that is
// unreachable, busy or refusing the token fails every report alike: then they all wait, and no
// report is blamed for it.

export interface SetAsidePolicy {
  attempts: number;
  hours: number;
}

export interface DeliverySummary {
  delivered: number;
  /** Reports moved to rejected/ this run. */
  setAside: number;
  waiting: number;
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
    error = outcome.reason;
    if (outcome.kind === 'failed' && outcome.alone) {
      const counted = spool.recordFailure(entry, now);
      const failures = counted.failures ?? 1;
      const since = counted.firstFailureAt ?? now;
      if (failures >= policy.attempts && now - since >= policy.hours * 3_600_000) {
        const reason = `undeliverable: ${outcome.reason} (${failures} attempts over ${((now - since) / 3_600_000).toFixed(1)} h)`;
        spool.setAside(entry.file, reason);
        log('error', 'an anomaly the API keeps failing on was moved to rejected/', { key: entry.key, reason });
        setAside += 1;
        error = null;
        continue;
      }
    }
    break; // keep order: the rest waits for the next run
  }
  const waiting = spool.list();
  if (error) log('warn', 'anomalies wait in the spool', { reason: error, waiting: waiting.length });
  return {
    delivered,
    setAside,
    waiting: waiting.length,
    error: waiting.length ? error : null,
    oldestWaitingMinutes: waiting.length
      ? Math.round((now - Math.min(...waiting.map((e) => e.spooledAt))) / 60_000)
      : null,
  };
}
