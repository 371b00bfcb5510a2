import * as Plot from '@observablehq/plot';
import type { ResultChart } from '../sql/resultChart';
import { naiveDate } from '../time';
import type { ChartPalette } from './palette';

// A console result or a question's answer drawn as chosen by chartForResult (or the question's
// intent): a line per number column over time, or bars per category. NULLs leave gaps, never zeros.

interface Point {
  x: Date | string;
  series: string;
  y: number | null;
}

const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function resultChart(
  columns: string[],
  rows: unknown[][],
  chart: ResultChart,
  palette: ChartPalette,
  width: number,
): Plot.PlotOptions {
  const time = chart.kind === 'line';
  const points: Point[] = rows.flatMap((row) =>
    chart.ys.map((y) => ({
      x: time ? naiveDate(String(row[chart.x])) : String(row[chart.x]),
      series: columns[y],
      y: number(row[y]),
    })),
  );
  const label = chart.ys.length === 1 ? columns[chart.ys[0]] : null;
  const base = { width, height: 260, marginLeft: 60, y: { label, grid: true } };
  if (!time)
    return {
      ...base,
      marginBottom: 40,
      x: { label: columns[chart.x], tickRotate: rows.length > 12 ? -30 : 0 },
      marks: [
        Plot.barY(points, { x: 'x', y: 'y', fill: palette.accent, tip: true }),
        Plot.ruleY([0], { stroke: palette.muted }),
      ],
    };
  return {
    ...base,
    x: { type: 'time', label: null },
    color: { legend: chart.ys.length > 1 },
    marks: [
      Plot.lineY(points, {
        x: 'x',
        y: 'y',
        z: 'series',
        stroke: chart.ys.length > 1 ? 'series' : palette.accent,
        marker: rows.length < 60 ? 'dot' : undefined,
      }),
      Plot.tip(points, Plot.pointerX({ x: 'x', y: 'y', z: 'series', stroke: 'series' })),
    ],
  };
}
