import { DAY_MS } from '../time';

// Labels from the maintenance log (seed 000 create_failure_labels): remaining useful life in
// days before the next failure, capped; and "fails within N days".

export type MaintenanceKind = 'failure' | 'repair' | 'overhaul';

export interface MaintenanceEvent {
  pump: string;
  /** Naive ms (see time.ts). */
  t: number;
  kind: MaintenanceKind;
}

export interface LabelOptions {
  /** RUL above this many days is "at least this many" (default 90). */
  capDays?: number;
  /** The risk label's horizon (default 7 days, seed 000's "RUL < 7 d"). */
  horizonDays?: number;
}

export interface Label {
  rulDays: number;
  failsWithin: 0 | 1;
}

/**
 * The label of a reading at time t, or null when it has none:
 * - between a failure and the repair or overhaul after it the pump is down: no label;
 * - with a failure ahead: RUL = days to it, capped;
 * - with none ahead, the future is unknown: labelled "cap" only when the data runs on for at
 *   least the cap after t (right-censored readings are left out rather than guessed).
 */
export function labelAt(
  t: number,
  events: MaintenanceEvent[],
  dataEnd: number,
  options: LabelOptions = {},
): Label | null {
  const cap = options.capDays ?? 90;
  const horizon = options.horizonDays ?? 7;
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const before = sorted.filter((e) => e.t <= t);
  const lastBefore = before[before.length - 1];
  if (lastBefore?.kind === 'failure') return null;
  const next = sorted.find((e) => e.t > t && e.kind === 'failure');
  if (next) {
    const rul = Math.min(cap, (next.t - t) / DAY_MS);
    return { rulDays: rul, failsWithin: (next.t - t) / DAY_MS <= horizon ? 1 : 0 };
  }
  return (dataEnd - t) / DAY_MS >= cap ? { rulDays: cap, failsWithin: 0 } : null;
}

/** Time-ordered split: the first (1 − holdout) of the rows train, the rest test (never shuffled: a random split leaks the future). */
export function timeOrderedSplit<T>(rows: T[], holdout = 0.2): { train: T[]; test: T[]; cut: number } {
  const cut = Math.max(1, Math.min(rows.length - 1, Math.round(rows.length * (1 - holdout))));
  return { train: rows.slice(0, cut), test: rows.slice(cut), cut };
}
