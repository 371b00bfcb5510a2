import type { ForecastResult, Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { type Backtest, backtest } from '../../src-shared/forecast/backtest';
import { errorDrift, PSI_WARNING, psi } from '../../src-shared/forecast/drift';
import {
  FORECAST_FOREST,
  forecastFrom,
  type HourlySeries,
  makeForecaster,
  SARIMAX_PARAMS,
} from '../../src-shared/forecast/forecasters';
import { type ForecastPromotion, type ProductionForecaster, promotion } from '../../src-shared/forecast/registry';
import { formatTimestamp, HOUR_MS, parseTimestamp } from '../../src-shared/time';
import { readMeta, writeMeta } from '../db/schema';
import type { StationDb } from '../db/stationDb';
import { armaxFit } from './armax';
import { type StationHours, stationHours } from './stationHours';

// `pumpdeck forecast` and the Forecast page (issue 20): the flow the pumps must meet for the next
// hours from an origin, by the model the backtest chose, with the backtest's figures. Each run is
// kept in model_performance (seed 002's MLflow items), so the RMSE trend can be drawn.

export interface ForecastRequest {
  /** 'YYYY-MM-DD HH:MM': the first forecast hour; default the hour after the newest data. */
  at?: string;
  hours?: number;
  /** Also forecast the level under the station's own control (default true; the optimizer plans its own). */
  level?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** The hour index of `at` in the station's hours (past the end for a future origin). */
export function originIndex(hours: StationHours, at: string | undefined): number {
  if (at === undefined) return hours.series.y.length;
  const ms = parseTimestamp(at);
  if (Number.isNaN(ms)) throw new ApiError('bad_input', `--at ${at}: not a time (YYYY-MM-DD HH:MM)`);
  const index = Math.floor((ms - hours.series.start) / HOUR_MS);
  if (index < 2 * 24) throw new ApiError('bad_input', `--at ${at}: the data must have two days before the origin`);
  if (index > hours.series.y.length) throw new ApiError('bad_input', `--at ${at}: after the newest data`);
  return index;
}

export type { ForecastResult };

export async function runForecast(db: StationDb, request: ForecastRequest = {}): Promise<ForecastResult> {
  const hours = await stationHours(db);
  return forecastOf(db, hours, request);
}

/** The forecast from `request.at` over already loaded hours (the optimizer loads them once). */
export async function forecastOf(
  db: StationDb,
  hours: StationHours,
  request: ForecastRequest,
): Promise<ForecastResult> {
  const horizon = request.hours ?? 24;
  const origin = originIndex(hours, request.at);
  if (request.signal?.aborted) throw new ApiError('cancelled', 'the forecast was cancelled');
  const withLevel = request.level !== false;
  // Between models: progress, a turn of the event loop (the console stays live) and the cancel.
  const afterModel = (phase: string, share: number, offset: number) => async (done: number, total: number) => {
    request.onProgress?.({
      phase,
      fraction: offset + (share * done) / total,
      done,
      total,
      unit: 'models',
    });
    await new Promise((next) => setImmediate(next));
    if (request.signal?.aborted) throw new ApiError('cancelled', 'the forecast was cancelled');
  };
  const tested = await backtest(hours.series, origin, horizon, {
    armax: armaxFit,
    afterModel: afterModel('backtesting the models', withLevel ? 0.6 : 0.9, 0),
  });
  const level = withLevel
    ? await levelForecast(hours, origin, horizon, afterModel('backtesting the level models', 0.3, 0.6))
    : null;
  // From the newest data the registry decides (a candidate replaces production only when it beats
  // it on the same origins); a past origin uses what its own backtest chose, as it would have then.
  const registry = request.at === undefined && tested ? await decide(db, hours, origin, tested) : null;
  const model = registry?.production ?? tested?.chosen ?? 'seasonal-naive';
  const forecaster = makeForecaster(model, armaxFit);
  const flows = forecastFrom(forecaster, hours.series, origin, horizon);
  const fallback = forecaster.fallback ?? null;
  const points = flows.map((flow, h) => ({
    time: formatTimestamp(hours.series.start + (origin + h) * HOUR_MS),
    flow,
    actual: hours.series.y[origin + h] ?? null,
    level: level?.values[h] ?? null,
    actual_level: level?.series.y[origin + h] ?? null,
  }));
  await keepPerformance(db, hours, origin, tested, forecaster.trainRmse ?? null);
  request.onProgress?.({ phase: 'forecast', fraction: 1 });
  return {
    target: hours.target,
    unit: 'm3/h',
    model,
    fallback: fallback && `SARIMAX ${fallback} from this origin: these hours are the weekday profile's`,
    origin: formatTimestamp(hours.series.start + origin * HOUR_MS),
    points,
    drift: driftOf(hours, origin, tested),
    registry,
    level: level && { model: level.tested.chosen, rmse: level.tested.rmse, baseline_rmse: level.tested.baselineRmse },
    backtest: tested && {
      rmse: tested.rmse,
      baseline_rmse: tested.baselineRmse,
      origins: tested.chooseOrigins.length + tested.scoreOrigins.length,
      models: tested.scoring.map(({ model, rmse, mae, r2 }) => ({
        model,
        rmse,
        mae,
        r2,
        choosing_rmse: tested.choosing.find((c) => c.model === model)?.rmse ?? null,
      })),
      choose_origins: tested.chooseOrigins.length,
      score_origins: tested.scoreOrigins.length,
      set_aside: tested.best === tested.chosen ? null : tested.best,
    },
  };
}

const DAY = 24;
const PRODUCTION_KEY = 'forecast_production';

/**
 * The level (% of the stored volume, at the start of each hour) under the station's own control:
 * the same candidates, backtest and rule on the level's own series, so its pattern (a tank filled
 * off-peak, a wet well cycling) is forecast as the station runs it; not the schedule's plan.
 */
async function levelForecast(
  hours: StationHours,
  origin: number,
  horizon: number,
  afterModel: (done: number, total: number) => Promise<void>,
): Promise<{ series: HourlySeries; tested: Backtest; values: number[] } | null> {
  const series: HourlySeries = {
    start: hours.series.start,
    y: hours.series.y.map((_, i) => {
      const volume = hours.volume[i];
      return volume === null ? null : (100 * volume) / hours.capacity;
    }),
  };
  const tested = await backtest(series, origin, horizon, { armax: armaxFit, afterModel });
  if (!tested) return null;
  const values = forecastFrom(makeForecaster(tested.chosen, armaxFit), series, origin, horizon);
  return { series, tested, values: values.map((v) => Math.min(100, Math.max(0, v))) };
}

/** The registry's decision on this backtest, kept (production in project_meta) and journaled (import_log). */
async function decide(
  db: StationDb,
  hours: StationHours,
  origin: number,
  tested: Backtest,
): Promise<ForecastPromotion> {
  const production = await productionForecaster(db);
  const decision = promotion(tested, production);
  const through = formatTimestamp(hours.series.start + (origin - 1) * HOUR_MS);
  const kept: ProductionForecaster =
    decision.promoted || !production
      ? {
          model: decision.production,
          rmse: decision.candidateRmse,
          promotedAt: formatTimestamp(Date.now()),
          trainedThrough: through,
        }
      : { ...production, trainedThrough: through };
  await writeMeta(db, PRODUCTION_KEY, kept);
  await db.run(
    `INSERT INTO import_log VALUES (now()::TIMESTAMP, 'forecast', 'retrain', ?::TIMESTAMP, ?::TIMESTAMP, ?::JSON)`,
    [formatTimestamp(hours.series.start), through, JSON.stringify(decision)],
  );
  return decision;
}

/** The production forecaster, if one was ever chosen. */
export async function productionForecaster(db: StationDb): Promise<ProductionForecaster | null> {
  return (await readMeta<ProductionForecaster>(db, PRODUCTION_KEY)) ?? null;
}

/** The last week's target against the weeks the models learned from; the chosen model's error per origin. */
function driftOf(hours: StationHours, origin: number, tested: Backtest | null): ForecastResult['drift'] {
  const known = (from: number, to: number) =>
    hours.series.y.slice(Math.max(0, from), Math.max(0, to)).filter((v): v is number => v !== null);
  const recent = known(origin - 7 * DAY, origin);
  const reference = known(origin - 90 * DAY, origin - 7 * DAY);
  if (recent.length < DAY || reference.length < 3 * DAY) return null;
  const index = psi(reference, recent);
  const chosen = (list: Backtest['choosing']) => list.find((m) => m.model === tested?.chosen)?.byOrigin ?? [];
  const origins = tested ? [...tested.chooseOrigins, ...tested.scoreOrigins] : [];
  const errors = tested ? errorDrift([...chosen(tested.choosing), ...chosen(tested.scoring)]) : null;
  return {
    psi: index,
    psi_warning: index > PSI_WARNING,
    error: errors && {
      by_origin: errors.byOrigin.map((rmse, k) => ({
        origin: formatTimestamp(hours.series.start + origins[k] * HOUR_MS),
        rmse,
      })),
      recent_rmse: errors.recent,
      earlier_rmse: errors.earlier,
      warning: errors.warning,
    },
  };
}

/** One row per model of this run: params, validation and training errors, data window. */
async function keepPerformance(
  db: StationDb,
  hours: StationHours,
  origin: number,
  tested: Backtest | null,
  trainRmse: number | null,
): Promise<void> {
  if (!tested) return;
  const at = (i: number) => formatTimestamp(hours.series.start + i * HOUR_MS);
  // One statement for the run's rows: all land or none, without a transaction on the shared connection.
  const row = `(now()::TIMESTAMP, 'forecast', ?, ?, ?, ?, ?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?::TIMESTAMP)`;
  await db.run(
    `INSERT INTO model_performance VALUES ${tested.scoring.map(() => row).join(', ')}`,
    tested.scoring.flatMap((score) => [
      score.model,
      JSON.stringify(score.model === 'forest' ? FORECAST_FOREST : score.model === 'sarimax' ? SARIMAX_PARAMS : {}),
      score.model === tested.chosen,
      score.rmse,
      score.mae,
      score.model === tested.chosen && score.model === 'forest' ? trainRmse : null,
      score.r2,
      at(0),
      at(origin - 1),
      at(origin),
    ]),
  );
}

/** Retrain after an import when a week of new data has come in since the last time (a setting, on by default). */
export async function retrainIfDue(db: StationDb): Promise<ForecastPromotion | null> {
  if ((await readMeta<boolean>(db, RETRAIN_KEY)) === false) return null;
  const production = await productionForecaster(db);
  const hours = await stationHours(db);
  const newest = hours.series.start + (hours.series.y.length - 1) * HOUR_MS;
  if (production && newest - parseTimestamp(production.trainedThrough) < 7 * DAY * HOUR_MS) return null;
  // The registry decides on the flow's backtest; the level's forecast is not needed for it.
  const result = await forecastOf(db, hours, { level: false });
  return result.registry;
}

const RETRAIN_KEY = 'forecast_retrain_on_import';

/** Turns retraining on import on or off for this project. */
export async function setRetrainOnImport(db: StationDb, on: boolean): Promise<void> {
  await writeMeta(db, RETRAIN_KEY, on);
}

/** After a historian import: retrain when due, in one line for the import's summary (never failing the import). */
export async function retrainAfterImport(db: StationDb): Promise<string | null> {
  try {
    const decision = await retrainIfDue(db);
    return decision ? `forecast retrained: ${decision.reason}` : null;
  } catch (error) {
    if (error instanceof ApiError) return `forecast not retrained: ${error.message}`;
    // The import has landed: an internal failure of the retraining is logged, not made the import's.
    console.error('forecast retraining after an import failed:', error);
    return 'forecast not retrained: internal error (details in the log)';
  }
}
