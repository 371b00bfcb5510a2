import * as Plot from '@observablehq/plot';
import type { AnomalySummary } from '../edge/anomalyStats';
import type { StoredAnomaly } from '../edge/payload';
import type { PumpStatus } from '../performance/tolerance';
import { naiveDate } from '../time';
import { type ChartPalette, statusColor } from './palette';

// The Anomalies page (seed 000 AnomalyQueryTool): reported anomalies per day by status, and the
// pumps side by side.

const colour = (palette: ChartPalette, status: string) =>
  ['Normal', 'Warning', 'Critical', 'Failure'].includes(status)
    ? statusColor(palette, status as PumpStatus)
    : palette.muted;

export function anomalyTimelineChart(summary: AnomalySummary, palette: ChartPalette, width: number): Plot.PlotOptions {
  return {
    width,
    height: 200,
    marginLeft: 48,
    x: { type: 'time', label: null },
    y: { label: '↑ anomalies per day', grid: true },
    marks: [
      Plot.rectY(summary.perDay, {
        x: (d: { date: string }) => naiveDate(d.date),
        interval: 'day',
        y: 'count',
        fill: (d: { status: string }) => colour(palette, d.status),
        title: (d: { date: string; status: string; count: number }) => `${d.date}: ${d.count} ${d.status}`,
        tip: true,
      }),
    ],
  };
}

export function pumpComparisonChart(summary: AnomalySummary, palette: ChartPalette, width: number): Plot.PlotOptions {
  return {
    width,
    height: 60 + 26 * new Set(summary.pumps.map((p) => p.pumpId)).size,
    marginLeft: 70,
    x: { label: 'anomalies →', grid: true },
    y: { label: null, type: 'band' },
    marks: [
      Plot.barX(summary.pumps, {
        y: (d: { pumpId: number }) => `pump ${d.pumpId}`,
        x: 'count',
        fill: (d: { status: string }) => colour(palette, d.status),
        title: (d: { pumpId: number; status: string; count: number }) => `pump ${d.pumpId}: ${d.count} ${d.status}`,
        tip: true,
      }),
    ],
  };
}

/** A site's reported values over time, one line per sensor (the Fleet page's site view). */
export function siteTrendChart(items: StoredAnomaly[], palette: ChartPalette, width: number): Plot.PlotOptions {
  const points = items.map((a) => ({ at: new Date(a.timestamp), value: a.logValue, sensor: `sensor ${a.sensorId}` }));
  return {
    width,
    height: 220,
    marginLeft: 56,
    x: { type: 'time', label: null },
    y: { label: '↑ reported value', grid: true },
    color: { legend: true, range: [palette.accent, palette.accent2, palette.warn, palette.info, palette.high] },
    marks: [
      Plot.lineY(points, { x: 'at', y: 'value', stroke: 'sensor', sort: 'at' }),
      Plot.dot(points, { x: 'at', y: 'value', fill: 'sensor', r: 2.5, tip: true }),
    ],
  };
}
