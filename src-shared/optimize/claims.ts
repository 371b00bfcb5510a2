import type { OptimizeResult } from '../api/contract';

// What a schedule for a past window claims, in words, for the page and the CLI alike (issue 31):
// savings at equal end state from the closed-loop replay, the bound beside them, the capture, the
// replay's level against its band, what it left unpumped.

const f = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : x.toFixed(digits));

/** "saved 21.8 % (the best possible 22.9 %: 95 % captured)", or why nothing is claimed. */
export function savingsLine(result: OptimizeResult): string | null {
  if (result.actual_cost === null) return null;
  if (result.savings_pct === null) return `no saving claimed: ${result.savings_note ?? 'no replay'}`;
  const bound = result.hindsight ? `; the best possible ${f(result.hindsight.savings_pct)} %` : '';
  const capture = result.capture_pct === null ? '' : `: ${f(result.capture_pct, 0)} % of it captured`;
  return `saved ${f(result.savings_pct)} % against what the station paid, replayed as it would have run${bound}${capture}`;
}

/** The replay: re-plans, the level against its band, the interlocks, the end and what it owes. */
export function replayLine(result: OptimizeResult, unit: string): string | null {
  const r = result.replay;
  if (!r) return null;
  const parts = [
    `replayed closed loop (${r.plans} plans, one an hour on the forecast known then${r.fallbacks ? `; ${r.fallbacks} found no schedule within the band and took the closest` : ''})`,
    `level ${f(r.min_pct)}-${f(r.max_pct)} % ${r.held_band ? 'within' : 'OUTSIDE'} the band ${result.band_pct.map((b) => b.toFixed(0)).join('-')} %`,
    ...(r.interlocked ? [`the interlocks at the band's ends acted in ${r.interlocked} slots`] : []),
    `ends at ${f(r.end_pct)} % (the station: ${f(r.actual_end_pct)} %)`,
    ...(r.owed_m3 > 0.5
      ? [
          `the ${f(r.owed_m3, 0)} m³ it leaves unpumped are charged ${f(r.owed_cost, 2)} ${unit} in the savings (the next day's hours, cheapest first)`,
        ]
      : []),
  ];
  return parts.join('; ');
}
