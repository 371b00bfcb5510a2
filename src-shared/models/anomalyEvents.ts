import { type DetectorJson, type SignalRow, signalShares } from './anomaly';

// What an operator reads (issue 32): flags merged into events, each with its start, end, peak and
// the signals that drove it (their share of the distance over the event's rows). Rows without any
// signal inside an event continue it; per-row flags stay for scoring.

export interface AnomalyEvent {
  from: string;
  to: string;
  rows: number;
  peak: { t: string; score: number };
  /** The signals that drove it, largest share first (shares under 5 % left out). */
  drivers: Array<{ signal: string; share: number }>;
}

const MIN_SHARE = 0.05;

export function anomalyEvents(
  det: DetectorJson,
  rows: readonly SignalRow[],
  results: ReadonlyArray<{ score: number | null; anomaly: 0 | 1 }>,
  times: readonly string[],
): AnomalyEvent[] {
  const events: AnomalyEvent[] = [];
  let start = -1;
  const close = (end: number) => {
    let peak = start;
    for (let i = start; i <= end; i += 1) if ((results[i].score ?? -1) > (results[peak].score ?? -1)) peak = i;
    events.push({
      from: times[start],
      to: times[end],
      rows: end - start + 1,
      peak: { t: times[peak], score: results[peak].score ?? 0 },
      drivers: signalShares(det, rows.slice(start, end + 1)).filter((d) => d.share >= MIN_SHARE),
    });
    start = -1;
  };
  results.forEach((r, i) => {
    if (r.anomaly && start < 0) start = i;
    if (!r.anomaly && start >= 0) close(i - 1);
  });
  if (start >= 0) close(results.length - 1);
  return events;
}

/** "P3 41 %, P1 30 %": an event's drivers in a line. */
export function driversText(drivers: AnomalyEvent['drivers']): string {
  return drivers.map((d) => `${d.signal} ${Math.round(d.share * 100)} %`).join(', ');
}
