// Drift of the forecast's inputs and of its error (issue 20).
//
// Input drift: the population stability index of the target's last 7 days against the hours the
// models learned from (every lag feature is the target, shifted). PSI under 0.1 is stable, 0.1-0.2
// a moderate shift, over 0.2 a significant one: the usual credit-scoring bands, taken as they are.
// Error drift: the chosen model's error per origin over the backtest's days, the last three
// against the older ones.

export const PSI_WARNING = 0.2;
/** The last days' error this many times the earlier days' is a warning. */
export const ERROR_RATIO_WARNING = 1.5;

export function psi(reference: number[], recent: number[], bins = 10): number {
  if (reference.length < bins || recent.length === 0) return 0;
  const sorted = [...reference].sort((a, b) => a - b);
  const edges = Array.from({ length: bins - 1 }, (_, k) => sorted[Math.floor(((k + 1) * sorted.length) / bins)]);
  const share = (values: number[]) => {
    const counts = new Array<number>(bins).fill(0);
    for (const v of values) {
      let b = 0;
      while (b < edges.length && v > edges[b]) b++;
      counts[b]++;
    }
    return counts.map((c) => Math.max(c / values.length, 1e-4));
  };
  const expected = share(reference);
  const actual = share(recent);
  return expected.reduce((sum, e, b) => sum + (actual[b] - e) * Math.log(actual[b] / e), 0);
}

export interface ErrorDrift {
  /** RMSE per origin (oldest first). */
  byOrigin: number[];
  recent: number;
  earlier: number;
  warning: boolean;
}

export function errorDrift(byOrigin: number[], recentCount = 3): ErrorDrift | null {
  if (byOrigin.length <= recentCount) return null;
  const mean = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length);
  const recent = mean(byOrigin.slice(-recentCount));
  const earlier = mean(byOrigin.slice(0, -recentCount));
  return { byOrigin, recent, earlier, warning: recent > ERROR_RATIO_WARNING * earlier };
}
