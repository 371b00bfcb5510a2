import * as Plot from '@observablehq/plot';
import type { AnomalyTimeline, ModelEvaluation } from '../api/contract';
import { naiveDate } from '../time';
import type { ChartPalette } from './palette';

// Charts of the Models page (and the models section of reports): predicted against actual on
// the holdout, residuals over time, feature importance, and the anomaly score with its spans.

export function predictedVsActualChart(
  evaluation: ModelEvaluation,
  label: string,
  palette: ChartPalette,
  width: number,
): Plot.PlotOptions {
  const max = Math.max(1, ...evaluation.predictions.flatMap((p) => [p.actual, p.predicted]));
  return {
    width,
    height: 260,
    marginLeft: 52,
    x: { label: `actual ${label} →`, domain: [0, max], grid: true },
    y: { label: `↑ predicted ${label}`, domain: [0, max], grid: true },
    marks: [
      Plot.line(
        [
          [0, 0],
          [max, max],
        ],
        { stroke: palette.muted, strokeDasharray: '4,3' },
      ),
      Plot.dot(evaluation.predictions, {
        x: 'actual',
        y: 'predicted',
        r: 2,
        fill: palette.accent,
        fillOpacity: 0.6,
        tip: true,
      }),
    ],
  };
}

export function residualsChart(
  evaluation: ModelEvaluation,
  label: string,
  palette: ChartPalette,
  width: number,
): Plot.PlotOptions {
  const rows = evaluation.predictions.map((p) => ({ t: naiveDate(p.t), r: p.predicted - p.actual }));
  return {
    width,
    height: 180,
    marginLeft: 52,
    x: { type: 'time', label: null },
    y: { label: `↑ predicted − actual (${label})`, grid: true },
    marks: [Plot.ruleY([0], { stroke: palette.muted }), Plot.lineY(rows, { x: 't', y: 'r', stroke: palette.accent2 })],
  };
}

export function importanceChart(
  evaluation: ModelEvaluation,
  palette: ChartPalette,
  width: number,
  top = 15,
): Plot.PlotOptions {
  const rows = evaluation.importance.slice(0, top);
  return {
    width,
    height: 24 + 18 * rows.length,
    marginLeft: 170,
    x: { label: 'importance (share of error reduction) →', grid: true },
    y: { label: null, domain: rows.map((r) => r.feature) },
    marks: [Plot.barX(rows, { x: 'importance', y: 'feature', fill: palette.accent, tip: true })],
  };
}

export function anomalyScoreChart(timeline: AnomalyTimeline, palette: ChartPalette, width: number): Plot.PlotOptions {
  const points = timeline.points.map((p) => ({ t: naiveDate(p.t), v: p.score }));
  const spans = timeline.spans.map((s) => ({ a: naiveDate(s.from), b: naiveDate(s.to) }));
  return {
    width,
    height: 200,
    marginLeft: 52,
    x: { type: 'time', label: null },
    y: { label: '↑ anomaly score', grid: true, type: 'symlog' },
    marks: [
      Plot.rectX(spans, { x1: 'a', x2: 'b', fill: palette.crit, fillOpacity: 0.15 }),
      Plot.ruleY([timeline.threshold], { stroke: palette.crit, strokeDasharray: '5,3' }),
      Plot.lineY(points, { x: 't', y: 'v', stroke: palette.accent, strokeWidth: 1.1 }),
    ],
  };
}
