import type { Backtest } from './backtest';
import type { ForecasterName } from './forecasters';

// The forecast's production model (issue 20): a retrained candidate replaces it only when its
// backtest RMSE beats production's on the same origins (every model is scored on the same newer
// half of the origins, so the comparison is like for like). Otherwise production stays, and says why.

export interface ProductionForecaster {
  model: ForecasterName;
  /** Its RMSE on the scoring origins when it was promoted. */
  rmse: number;
  promotedAt: string;
  /** The newest hour of data it was chosen on. */
  trainedThrough: string;
}

export interface ForecastPromotion {
  /** The model the forecast uses after this decision. */
  production: ForecasterName;
  candidate: ForecasterName;
  promoted: boolean;
  /** Both on the same origins: the candidate's and production's RMSE (production's null for a first model). */
  candidateRmse: number;
  productionRmse: number | null;
  reason: string;
}

const fixed = (n: number) => n.toFixed(2);
const origins = (n: number) => `${n} origin${n === 1 ? '' : 's'}`;

/** Whether the backtest's candidate replaces production. */
export function promotion(tested: Backtest, production: ProductionForecaster | null): ForecastPromotion {
  const candidate = tested.chosen;
  const rmseOf = (model: ForecasterName) => tested.scoring.find((s) => s.model === model)?.rmse ?? null;
  const candidateRmse = rmseOf(candidate) ?? tested.rmse;
  if (!production)
    return {
      production: candidate,
      candidate,
      promoted: true,
      candidateRmse,
      productionRmse: null,
      reason: `first model: ${candidate} (RMSE ${fixed(candidateRmse)} m³/h on ${origins(tested.scoreOrigins.length)})`,
    };
  const productionRmse = rmseOf(production.model);
  if (candidate === production.model)
    return {
      production: candidate,
      candidate,
      promoted: false,
      candidateRmse,
      productionRmse,
      reason: `${candidate} is still the best: production stays`,
    };
  const better = productionRmse === null || candidateRmse < productionRmse;
  const versus = `RMSE ${fixed(candidateRmse)} against ${productionRmse === null ? '—' : fixed(productionRmse)} m³/h on the same ${origins(tested.scoreOrigins.length)}`;
  return {
    production: better ? candidate : production.model,
    candidate,
    promoted: better,
    candidateRmse,
    productionRmse,
    reason: better
      ? `${candidate} replaces ${production.model}: ${versus}`
      : `${candidate} does not beat production ${production.model} (${versus}): production stays`,
  };
}
