import { useCallback, useState } from 'react';
import type { ForecastResult, OptimizeResult } from '../../src-shared/api/contract';
import { CSS_PALETTE } from '../../src-shared/charts/palette';
import {
  errorDriftChart,
  forecastChart,
  ganttChart,
  priceChart,
  rmseTrendChart,
  scheduleLevelChart,
} from '../../src-shared/charts/planningCharts';
import { replayLine, savingsLine } from '../../src-shared/optimize/claims';
import { costUnit } from '../../src-shared/station/units';
import { api } from '../api';
import { IsoDateInput } from '../components/IsoDateInput';
import { ErrorNote, Panel, Stat } from '../components/Panel';
import { PlotFigure } from '../components/PlotFigure';
import { BusyBar } from '../components/ProgressBar';
import { fmt } from '../format';
import { useApi } from '../useApi';
import { useLongCall } from '../useLongCall';

// Forecast & schedule (issue 20): the flow the pumps must meet, by the model that won the
// backtest, and the cheapest schedule that meets it, with its savings against what the station did.

/** A line as a sentence: a capital first, a full stop last. */
const sentence = (line: string | null) => (line ? `${line[0].toUpperCase()}${line.slice(1)}.` : '');

const MODEL_LABEL: Record<string, string> = {
  'seasonal-naive': 'seasonal-naive (same hour yesterday)',
  'weekday-profile': 'weekday profile (same weekday and hour, last 4 weeks)',
  forest: 'random forest (lags, calendar, profile)',
  sarimax: 'SARIMAX (weekday profile with ARMA(2,1) errors)',
};

function ForecastPanel({ result }: { result: ForecastResult }) {
  const chart = useCallback((width: number) => forecastChart(result.points, CSS_PALETTE, width), [result]);
  const bt = result.backtest;
  return (
    <Panel title="Forecast">
      <p data-testid="forecast-summary">
        The {result.target} from {result.origin}, by <strong>{MODEL_LABEL[result.model] ?? result.model}</strong>.
        {bt &&
          ` Backtest over ${bt.origins} daily origins: RMSE ${fmt(bt.rmse, 1)} m³/h against the seasonal-naive baseline's ${fmt(bt.baseline_rmse, 1)} m³/h.`}
      </p>
      {result.fallback && (
        <p className="warning" data-testid="forecast-fallback">
          {result.fallback[0].toUpperCase() + result.fallback.slice(1)}.
        </p>
      )}
      {result.registry && (
        <p className="small" data-testid="forecast-registry">
          Registry: {result.registry.reason}.
        </p>
      )}
      <PlotFigure options={chart} label="Forecast against actual" />
      {bt && (
        <table className="data" aria-label="Backtest">
          <thead>
            <tr>
              <th>Model</th>
              <th title={`The older ${bt.choose_origins} origins: the model is chosen on these`}>
                RMSE choosing (m³/h)
              </th>
              <th title={`The newer ${bt.score_origins} origins: the chosen model must beat the baseline on these`}>
                RMSE scored (m³/h)
              </th>
              <th>MAE (m³/h)</th>
              <th>R²</th>
            </tr>
          </thead>
          <tbody>
            {bt.models.map((m) => (
              <tr key={m.model} data-testid={`backtest-${m.model}`}>
                <td>
                  {m.model}
                  {m.model === result.model && <strong> ✓ forecasting</strong>}
                  {m.model === bt.set_aside && ' (best when choosing; not better than the baseline when scored)'}
                  {m.model !== result.model && m.model === result.registry?.candidate && ' (this run chose it)'}
                </td>
                <td>{fmt(m.choosing_rmse, 2)}</td>
                <td>{fmt(m.rmse, 2)}</td>
                <td>{fmt(m.mae, 2)}</td>
                <td>{fmt(m.r2, 3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">
        Each model forecasts 24 h from each of the last days' midnights, trained only on the hours before. The model is
        chosen on the older half of those days and scored on the newer half, never on the days it was chosen on: a model
        that looks better on the newer days alone was not better when choosing, and choosing it there would score it on
        the days it was picked by. The registry replaces the production model only when this run's choice beats it on
        the same days.
      </p>
    </Panel>
  );
}

/** The level under the station's own control, forecast on its own series (not the schedule's plan). */
function LevelForecastPanel({
  result,
  level,
}: {
  result: ForecastResult;
  level: NonNullable<ForecastResult['level']>;
}) {
  const chart = useCallback((width: number) => forecastChart(result.points, CSS_PALETTE, width, 'level'), [result]);
  return (
    <Panel title="Level as the station runs">
      <p className="small" data-testid="forecast-level">
        The level under the station's own control, by {MODEL_LABEL[level.model] ?? level.model}: backtest RMSE{' '}
        {fmt(level.rmse, 1)} % points against the seasonal-naive baseline's {fmt(level.baseline_rmse, 1)}.
      </p>
      <PlotFigure options={chart} label="Level forecast against actual" />
    </Panel>
  );
}

function DriftPanel({ drift }: { drift: NonNullable<ForecastResult['drift']> }) {
  const error = drift.error;
  const chart = useCallback(
    (width: number) => (error ? errorDriftChart(error, CSS_PALETTE, width) : { marks: [] }),
    [error],
  );
  return (
    <Panel title="Drift">
      <p data-testid="drift-psi" className={drift.psi_warning ? 'warning' : undefined}>
        Input drift: the last 7 days' flow against the weeks the models learned from, PSI {fmt(drift.psi, 3)} (
        {drift.psi_warning
          ? 'a significant shift: the forecast may not hold'
          : drift.psi > 0.1
            ? 'a moderate shift'
            : 'stable'}
        ).
      </p>
      {error && (
        <>
          <p data-testid="drift-error" className={error.warning ? 'warning' : undefined}>
            Forecast error: the last 3 days' RMSE {fmt(error.recent_rmse, 1)} m³/h against {fmt(error.earlier_rmse, 1)}{' '}
            m³/h before {error.warning ? '— the model is getting worse' : '— steady'}.
          </p>
          <PlotFigure options={chart} label="Forecast error per origin" />
        </>
      )}
    </Panel>
  );
}

function RmseTrend() {
  const runs = useApi('forecast.performance', { limit: 300 });
  const chart = useCallback((width: number) => rmseTrendChart(runs.data ?? [], width), [runs.data]);
  if (!runs.data?.length) return null;
  return (
    <Panel title="Backtest RMSE over runs">
      <PlotFigure options={chart} label="Backtest RMSE over runs" />
    </Panel>
  );
}

function SchedulePanel({ result }: { result: OptimizeResult }) {
  const gantt = useCallback((width: number) => ganttChart(result, CSS_PALETTE, width), [result]);
  const level = useCallback((width: number) => scheduleLevelChart(result, CSS_PALETTE, width), [result]);
  const price = useCallback((width: number) => priceChart(result, CSS_PALETTE, width), [result]);
  if (result.status === 'infeasible')
    return (
      <Panel title="Schedule">
        <ErrorNote message={`No schedule meets every constraint from ${result.origin}: ${result.reason}.`} />
      </Panel>
    );
  const money = costUnit(
    result.currency,
    result.slots.map((s) => s.price),
  );
  const replay = result.replay;
  return (
    <Panel title="Schedule">
      <div className="stats">
        <Stat label="Energy" value={fmt(result.kwh, 0)} unit="kWh" testId="schedule-kwh" />
        <Stat label="Cost" value={fmt(result.cost, 2)} unit={money} testId="schedule-cost" />
        <Stat
          label="The station did"
          value={result.actual_cost === null ? 'no data (future)' : fmt(result.actual_cost, 2)}
          unit={result.actual_cost === null ? undefined : `${money} · ${fmt(result.actual_kwh ?? 0, 0)} kWh`}
          testId="schedule-actual"
        />
        <Stat
          label="Savings"
          value={result.savings_pct === null ? '—' : fmt(result.savings_pct, 1)}
          unit={result.savings_pct === null ? undefined : '%'}
          testId="schedule-savings"
          hint="The schedule replayed as the station would have run it (re-planned every hour on the forecast known then, on the demand that came, interlocks at the band's ends), with what it leaves unpumped charged at the next day's prices, against what the station paid"
        />
        <Stat
          label="Best possible"
          value={result.hindsight === null ? '—' : fmt(result.hindsight.savings_pct, 1)}
          unit={result.hindsight === null ? undefined : '%'}
          testId="schedule-hindsight"
          hint="The demand known in advance, pumps free to run part of an hour: no schedule saves more"
        />
        <Stat
          label="Captured"
          value={result.capture_pct === null ? '—' : fmt(result.capture_pct, 0)}
          unit={result.capture_pct === null ? undefined : '%'}
          testId="schedule-capture"
          hint="Savings over the best possible: how much of what was there to save the schedule saved"
        />
        <Stat
          label="Solved in"
          value={fmt(result.solve_s, 2)}
          unit={`s${result.gap_pct === null ? '' : ` · within ${fmt(result.gap_pct, 1)} %`}`}
          testId="schedule-solved"
          hint="Within this much of the cheapest schedule for the forecast, as proved by the solver"
        />
      </div>
      {result.status === 'fallback' && (
        <p className="warning" data-testid="schedule-fallback">
          {result.reason}.
        </p>
      )}
      {replay && (
        <p data-testid="schedule-replay" className={replay.held_band ? 'muted' : 'warning'}>
          {sentence(replayLine(result, money))} {sentence(savingsLine(result))}
        </p>
      )}
      <PlotFigure options={gantt} label="Pump schedule" />
      <PlotFigure options={level} label="Level with its band" />
      <PlotFigure options={price} label="Energy price" />
      <details>
        <summary>Slots</summary>
        <table className="data" aria-label="Slots">
          <thead>
            <tr>
              <th>Time</th>
              <th>Pumps running</th>
              <th>Demand (m³/h)</th>
              <th>Flow (m³/h)</th>
              <th>kW</th>
              <th>Level (%)</th>
              <th>Price</th>
            </tr>
          </thead>
          <tbody>
            {result.slots.map((s) => (
              <tr key={s.time}>
                <td>{s.time.slice(0, 16)}</td>
                <td>
                  {Object.entries(s.pumps)
                    .filter(([, on]) => on)
                    .map(([id]) => id)
                    .join(' ') || '—'}
                </td>
                <td>{fmt(s.demand, 1)}</td>
                <td>{fmt(s.flow, 1)}</td>
                <td>{fmt(s.kw, 1)}</td>
                <td>{fmt(s.level, 1)}</td>
                <td>{fmt(s.price, 3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </Panel>
  );
}

export function PlanningPage() {
  const [at, setAt] = useState('');
  const [hours, setHours] = useState(24);
  const [slotMinutes, setSlot] = useState<15 | 30 | 60>(60);
  const [forecast, setForecast] = useState<ForecastResult | null>(null);
  const [schedule, setSchedule] = useState<OptimizeResult | null>(null);
  const long = useLongCall();
  const origin = at ? { at } : {};
  const runForecast = () =>
    void long.run('Forecasting', async (signal, onProgress) =>
      setForecast(await api.call('forecast.run', { ...origin, hours }, { signal, onProgress })),
    );
  const runSchedule = () =>
    void long.run('Optimizing', async (signal, onProgress) => {
      const result = await api.call('optimize.run', { ...origin, hours, slotMinutes }, { signal, onProgress });
      setSchedule(result);
    });
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Forecast &amp; schedule</h1>
          <p className="muted">
            The flow the pumps must meet, and the cheapest pump schedule that meets it within the level band.
          </p>
        </div>
      </div>
      <Panel title="Window">
        <div className="form-row">
          <label>
            From <IsoDateInput withTime label="From" value={at} onChange={setAt} />
          </label>
          <span className="muted small">{at ? '' : 'empty: after the newest data'}</span>
          <label>
            Hours{' '}
            <input
              type="number"
              aria-label="Hours"
              min={1}
              max={72}
              value={hours}
              onChange={(e) => setHours(Math.max(1, Math.min(72, Number(e.target.value) || 24)))}
            />
          </label>
          <label>
            Slot{' '}
            <select
              aria-label="Slot"
              value={slotMinutes}
              onChange={(e) => setSlot(Number(e.target.value) as 15 | 30 | 60)}
            >
              <option value={60}>1 hour</option>
              <option value={30}>30 min</option>
              <option value={15}>15 min</option>
            </select>
          </label>
          <button type="button" onClick={runForecast} disabled={!!long.busy}>
            Forecast
          </button>
          <button type="button" className="primary" onClick={runSchedule} disabled={!!long.busy}>
            Optimize schedule
          </button>
        </div>
        <BusyBar busy={long.busy} />
        {long.error && <ErrorNote message={long.error} />}
      </Panel>
      {schedule && <SchedulePanel result={schedule} />}
      {forecast && <ForecastPanel result={forecast} />}
      {forecast?.level && <LevelForecastPanel result={forecast} level={forecast.level} />}
      {forecast?.drift && <DriftPanel drift={forecast.drift} />}
      <RmseTrend />
    </div>
  );
}
