import * as Plot from '@observablehq/plot';
import type { ForecastPoint, ForecastResult, ForecastRun, OptimizeResult } from '../api/contract';
import { clockDateTime, HOUR_MS, naiveDate } from '../time';
import type { ChartPalette } from './palette';

// Charts of the Forecast & schedule page (issue 20): the forecast against what came, the backtest
// RMSE over runs, the schedule as a Gantt of pumps, and the level with its band.

/** The flow forecast against what came, or (`level`) the level's under the station's own control. */
export function forecastChart(
  points: ForecastPoint[],
  palette: ChartPalette,
  width: number,
  of: 'flow' | 'level' = 'flow',
): Plot.PlotOptions {
  const unit = of === 'flow' ? 'm³/h' : '%';
  const data = points.map((p) => ({
    t: naiveDate(p.time),
    forecast: of === 'flow' ? p.flow : p.level,
    actual: of === 'flow' ? p.actual : p.actual_level,
  }));
  return {
    width,
    height: of === 'flow' ? 240 : 180,
    marginLeft: 56,
    x: { type: 'time', label: null },
    y: {
      label: of === 'flow' ? 'flow (m³/h)' : 'level (%)',
      grid: true,
      zero: true,
      ...(of === 'level' ? { domain: [0, 100] } : {}),
    },
    color: { legend: true, domain: ['forecast', 'actual'], range: [palette.accent, palette.text] },
    marks: [
      Plot.lineY(
        data.filter((d) => d.forecast !== null),
        { x: 't', y: 'forecast', stroke: () => 'forecast', strokeWidth: 2 },
      ),
      Plot.lineY(
        data.filter((d) => d.actual !== null),
        { x: 't', y: 'actual', stroke: () => 'actual', strokeDasharray: '4,3' },
      ),
      Plot.tip(
        data.filter((d) => d.forecast !== null),
        Plot.pointerX({
          x: 't',
          y: 'forecast',
          title: (d) =>
            `${clockDateTime(d.t, 24)}\nforecast ${(d.forecast as number).toFixed(1)} ${unit}${d.actual === null ? '' : `\nactual ${d.actual.toFixed(1)} ${unit}`}`,
        }),
      ),
    ],
  };
}

/**
 * Each run's backtest RMSE per model against the origin it forecast from (station time): how the
 * error moves with the data. Not against the computer's clock when it ran: runs minutes apart
 * drew one repeated tick.
 */
export function rmseTrendChart(runs: ForecastRun[], width: number): Plot.PlotOptions {
  const data = runs.filter((r) => r.rmse !== null).map((r) => ({ ...r, t: naiveDate(r.origin) }));
  return {
    width,
    height: 180,
    marginLeft: 56,
    x: { type: 'time', label: 'forecast origin →' },
    y: { label: 'backtest RMSE (m³/h)', grid: true, zero: true },
    color: { legend: true },
    marks: [
      Plot.lineY(data, { x: 't', y: 'rmse', stroke: 'model' }),
      Plot.dot(data, { x: 't', y: 'rmse', stroke: 'model' }),
      // The model each run used, filled.
      Plot.dot(
        data.filter((d) => d.chosen),
        { x: 't', y: 'rmse', fill: 'model' },
      ),
      Plot.tip(
        data,
        Plot.pointer({
          x: 't',
          y: 'rmse',
          stroke: 'model',
          title: (d) =>
            `${d.model}${d.chosen ? ' (chosen)' : ''}\norigin ${d.origin}\nrun ${d.runAt}\nRMSE ${d.rmse.toFixed(2)} m³/h`,
        }),
      ),
    ],
  };
}

/** A bar per pump and slot it runs. */
export function ganttChart(result: OptimizeResult, palette: ChartPalette, width: number): Plot.PlotOptions {
  const step = result.slotMinutes * 60_000;
  const pumps = Object.keys(result.slots[0]?.pumps ?? {});
  const bars = result.slots.flatMap((s) =>
    pumps
      .filter((p) => s.pumps[p] === 1)
      .map((pump) => ({ pump, x1: naiveDate(s.time), x2: new Date(+naiveDate(s.time) + step), price: s.price })),
  );
  return {
    width,
    height: 40 + 26 * pumps.length,
    marginLeft: 56,
    x: { type: 'time', label: null },
    y: { domain: pumps, label: null },
    marks: [
      Plot.barX(bars, {
        x1: 'x1',
        x2: 'x2',
        y: 'pump',
        fill: palette.accent,
        inset: 1,
        title: (d) => `${d.pump} runs ${d.x1.toLocaleTimeString()}`,
      }),
    ],
  };
}

/** The planned level, its replay on the demand that came, the band, and the price as a step line on top. */
export function scheduleLevelChart(result: OptimizeResult, palette: ChartPalette, width: number): Plot.PlotOptions {
  const step = result.slotMinutes * 60_000;
  const end = (t: string) => new Date(+naiveDate(t) + step);
  const planned = result.slots.map((s) => ({ t: end(s.time), level: s.level, series: 'plan' }));
  const replay = result.replay
    ? result.slots.map((s, i) => ({
        t: end(s.time),
        level: result.replay?.level[i] ?? 0,
        series: 'replay on actual demand',
      }))
    : [];
  const [low, high] = result.band_pct;
  const first = result.slots.length ? naiveDate(result.slots[0].time) : new Date();
  const last = result.slots.length ? end(result.slots[result.slots.length - 1].time) : new Date(+first + HOUR_MS);
  return {
    width,
    height: 220,
    marginLeft: 56,
    x: { type: 'time', label: null },
    y: { label: 'level (%)', domain: [0, 100], grid: true },
    color: { legend: true, domain: ['plan', 'replay on actual demand'], range: [palette.accent, palette.warn] },
    marks: [
      Plot.rectY([{ x1: first, x2: last, y1: low, y2: high }], {
        x1: 'x1',
        x2: 'x2',
        y1: 'y1',
        y2: 'y2',
        fill: palette.ok,
        fillOpacity: 0.08,
      }),
      Plot.ruleY([low, high], { stroke: palette.ok, strokeDasharray: '4,3' }),
      Plot.lineY([...planned, ...replay], { x: 't', y: 'level', stroke: 'series', z: 'series', marker: 'dot' }),
    ],
  };
}

export function priceChart(result: OptimizeResult, palette: ChartPalette, width: number): Plot.PlotOptions {
  const data = result.slots.map((s) => ({ t: naiveDate(s.time), price: s.price }));
  return {
    width,
    height: 110,
    marginLeft: 56,
    x: { type: 'time', label: null },
    y: { label: result.currency ? `price (${result.currency}/kWh)` : 'price per kWh', grid: true, zero: true },
    marks: [Plot.lineY(data, { x: 't', y: 'price', curve: 'step-after', stroke: palette.warn })],
  };
}

/** The chosen model's error per backtest origin, with the earlier days' level as a rule. */
export function errorDriftChart(
  drift: NonNullable<NonNullable<ForecastResult['drift']>['error']>,
  palette: ChartPalette,
  width: number,
): Plot.PlotOptions {
  const data = drift.by_origin.map((o) => ({ t: naiveDate(o.origin), rmse: o.rmse }));
  return {
    width,
    height: 160,
    marginLeft: 56,
    x: { type: 'time', label: null },
    y: { label: 'RMSE per origin (m³/h)', grid: true, zero: true },
    marks: [
      Plot.ruleY([drift.earlier_rmse], { stroke: palette.muted, strokeDasharray: '4,3' }),
      Plot.lineY(data, { x: 't', y: 'rmse', stroke: drift.warning ? palette.warn : palette.accent, marker: 'dot' }),
    ],
  };
}
