import { regressionMetrics } from '../models/metrics';
import { type ArmaxFitter, type ForecasterName, forecastFrom, type HourlySeries, makeForecaster } from './forecasters';

// Rolling-origin backtest (issue 20): every model forecasts `hours` ahead from each of the last
// days' origins, trained only on the hours before each. The model is *chosen* on the older half of
// the origins and *scored* on the newer half, so the figure reported was never used to choose; a
// chosen model that does not beat the seasonal-naive baseline there is not used.

export const CANDIDATES: ForecasterName[] = ['seasonal-naive', 'weekday-profile', 'forest', 'sarimax'];
export const BASELINE: ForecasterName = 'seasonal-naive';

export interface ModelScore {
  model: ForecasterName;
  rmse: number;
  mae: number;
  r2: number;
  n: number;
  /** RMSE of each origin's forecast, in origin order. */
  byOrigin: number[];
}

export interface Backtest {
  /** Origins (indexes into the series) used to choose, then to score. */
  chooseOrigins: number[];
  scoreOrigins: number[];
  /** Each model on the choosing origins and on the scoring origins. */
  choosing: ModelScore[];
  scoring: ModelScore[];
  /** The model the forecast uses: chosen on the choosing origins, kept only if it beats the baseline when scored. */
  chosen: ForecasterName;
  /** What the chosen model was before the baseline check (differs when it was set aside). */
  best: ForecasterName;
  rmse: number;
  baselineRmse: number;
}

/** The hours of history a backtest origin needs before it: a week and a day, so every lag is defined. */
export const WARM_UP = 8 * 24;

function scoreAt(
  series: HourlySeries,
  origins: number[],
  hours: number,
  model: ForecasterName,
  armax: ArmaxFitter | undefined,
): ModelScore {
  const actual: number[] = [];
  const predicted: number[] = [];
  const byOrigin: number[] = [];
  for (const origin of origins) {
    const forecast = forecastFrom(makeForecaster(model, armax), series, origin, hours);
    let sq = 0;
    let n = 0;
    for (const [h, p] of forecast.entries()) {
      const a = series.y[origin + h];
      if (a !== null && a !== undefined) {
        actual.push(a);
        predicted.push(p);
        sq += (a - p) ** 2;
        n++;
      }
    }
    byOrigin.push(n ? Math.sqrt(sq / n) : Number.NaN);
  }
  const m = actual.length ? regressionMetrics(actual, predicted) : { rmse: Number.NaN, mae: Number.NaN, r2: 0, n: 0 };
  return { model, rmse: m.rmse, mae: m.mae, r2: m.r2, n: m.n, byOrigin };
}

/**
 * Backtests on daily origins ending at `end` (exclusive: the forecast's own origin), at most
 * `days` of them, each `hours` ahead. Null when the series is too short for two origins.
 */
export async function backtest(
  series: HourlySeries,
  end: number,
  hours: number,
  options: {
    days?: number;
    /** Called after each model: progress, and the caller's chance to yield or stop (by throwing). */
    afterModel?: (done: number, total: number) => Promise<void>;
    /** The SARIMAX fit; without it SARIMAX is not a candidate. */
    armax?: ArmaxFitter;
  } = {},
): Promise<Backtest | null> {
  const days = options.days ?? 14;
  const origins: number[] = [];
  for (let origin = end - hours; origin >= WARM_UP && origins.length < days; origin -= 24) origins.unshift(origin);
  if (origins.length < 2) return null;
  const half = Math.floor(origins.length / 2);
  const chooseOrigins = origins.slice(0, half);
  const scoreOrigins = origins.slice(half);
  const choosing: ModelScore[] = [];
  const scoring: ModelScore[] = [];
  const candidates = CANDIDATES.filter((m) => m !== 'sarimax' || options.armax);
  for (const [k, model] of candidates.entries()) {
    choosing.push(scoreAt(series, chooseOrigins, hours, model, options.armax));
    scoring.push(scoreAt(series, scoreOrigins, hours, model, options.armax));
    await options.afterModel?.(k + 1, candidates.length);
  }
  const best = [...choosing].sort((a, b) => a.rmse - b.rmse)[0].model;
  const scored = (m: ForecasterName) => scoring.find((s) => s.model === m) as ModelScore;
  const baselineRmse = scored(BASELINE).rmse;
  const chosen = scored(best).rmse < baselineRmse ? best : BASELINE;
  return { chooseOrigins, scoreOrigins, choosing, scoring, chosen, best, rmse: scored(chosen).rmse, baselineRmse };
}
