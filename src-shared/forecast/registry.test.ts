import { describe, expect, it } from 'vitest';
import type { Backtest, ModelScore } from './backtest';
import type { ForecasterName } from './forecasters';
import { type ProductionForecaster, promotion } from './registry';

const score = (model: ForecasterName, rmse: number): ModelScore => ({
  model,
  rmse,
  mae: rmse,
  r2: 0.5,
  n: 168,
  byOrigin: [],
});

/** A backtest whose candidate (chosen on the older origins) is `chosen`, scored on the newer ones. */
function tested(chosen: ForecasterName, scoring: Array<[ForecasterName, number]>): Backtest {
  const scores = scoring.map(([m, r]) => score(m, r));
  return {
    chooseOrigins: [1, 2, 3],
    scoreOrigins: [4, 5, 6],
    choosing: scores,
    scoring: scores,
    chosen,
    best: chosen,
    rmse: scores.find((s) => s.model === chosen)?.rmse ?? 0,
    baselineRmse: scores.find((s) => s.model === 'seasonal-naive')?.rmse ?? 0,
  };
}

const production = (model: ForecasterName): ProductionForecaster => ({
  model,
  rmse: 1,
  promotedAt: '2025-01-01 00:00:00',
  trainedThrough: '2025-01-01 00:00:00',
});

describe('the forecast registry', () => {
  it('promotes the first model', () => {
    expect(
      promotion(
        tested('forest', [
          ['forest', 9],
          ['seasonal-naive', 14],
        ]),
        null,
      ),
    ).toMatchObject({
      production: 'forest',
      promoted: true,
      productionRmse: null,
    });
  });

  it('keeps production when the candidate does not beat it on the same origins', () => {
    // The forest was chosen on the older origins, but on the newer ones the profile in production is better.
    const decision = promotion(
      tested('forest', [
        ['forest', 10.4],
        ['weekday-profile', 9.8],
        ['seasonal-naive', 14],
      ]),
      production('weekday-profile'),
    );
    expect(decision).toMatchObject({
      production: 'weekday-profile',
      promoted: false,
      candidateRmse: 10.4,
      productionRmse: 9.8,
    });
    expect(decision.reason).toBe(
      'forest does not beat production weekday-profile (RMSE 10.40 against 9.80 m³/h on the same 3 origins): production stays',
    );
  });

  it('replaces production with a candidate that beats it on the same origins', () => {
    const decision = promotion(
      tested('forest', [
        ['forest', 9.1],
        ['weekday-profile', 9.8],
        ['seasonal-naive', 14],
      ]),
      production('weekday-profile'),
    );
    expect(decision).toMatchObject({ production: 'forest', promoted: true });
    expect(decision.reason).toMatch(/^forest replaces weekday-profile: RMSE 9\.10 against 9\.80/);
  });
});
