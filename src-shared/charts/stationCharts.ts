import * as Plot from '@observablehq/plot';
import { clockDateTime } from '../time';
import { type ChartPalette, severityColor } from './palette';

// Station charts of the Overview and Analytics pages, also drawn in reports.

export interface TimePoint {
  t: Date;
  v: number;
}

/** An alarm limit drawn across a signal's chart (a level's LL, L, H, HH). */
export interface ChartLimit {
  label: string;
  value: number;
}

/** A signal over time (tank level, flow), with its physical maximum as a dashed rule and its alarm limits. */
export function signalChart(
  points: TimePoint[],
  label: string,
  color: string,
  width: number,
  options: { max?: number; height?: number; decimals?: number; limits?: ChartLimit[]; limitColor?: string } = {},
): Plot.PlotOptions {
  const { max, height = 200, decimals = 1, limits = [], limitColor = 'currentColor' } = options;
  const top = max ?? Math.max(0, ...points.map((p) => p.v), ...limits.map((l) => l.value));
  // Plot's default margins (20 top, 30 bottom) leave this much height for the values 0..top.
  const nudges = labelNudges(
    limits.map((l) => l.value),
    top > 0 ? (height - 50) / top : 0,
  );
  return {
    width,
    height,
    marginLeft: 52,
    marginRight: limits.length ? 36 : undefined,
    x: { type: 'time', label: null },
    y: { label, grid: true, domain: max ? [0, max] : undefined, nice: true },
    marks: [
      ...(max ? [Plot.ruleY([max], { stroke: 'currentColor', strokeOpacity: 0.3, strokeDasharray: '4,3' })] : []),
      Plot.ruleY(limits, { y: 'value', stroke: limitColor, strokeOpacity: 0.8, strokeDasharray: '2,3' }),
      // One text mark per limit: each with its own nudge, so HH and H close together stay apart.
      ...limits.map((limit, i) =>
        Plot.text([limit], {
          y: 'value',
          frameAnchor: 'right',
          dx: 32,
          dy: nudges[i],
          text: 'label',
          fill: limitColor,
          fontWeight: 600,
        }),
      ),
      Plot.areaY(points, { x: 't', y: 'v', fill: color, fillOpacity: 0.12 }),
      Plot.lineY(points, { x: 't', y: 'v', stroke: color, strokeWidth: 1.4 }),
      Plot.tip(
        points,
        Plot.pointerX({
          x: 't',
          y: 'v',
          title: (d: TimePoint) => `${clockDateTime(d.t, 24)}\n${d.v.toFixed(decimals)}`,
        }),
      ),
    ],
  };
}

/**
 * Vertical nudges (px, negative is up) that keep labels at these values at least `gap` px apart:
 * from the lowest up, a label too close to the one below it is moved up just enough.
 */
export function labelNudges(values: number[], pxPerUnit: number, gap = 15): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const nudges = new Array<number>(values.length).fill(0);
  let previous = Number.NEGATIVE_INFINITY;
  for (const { v, i } of order) {
    const at = Math.max(v * pxPerUnit, previous + gap);
    nudges[i] = -(at - v * pxPerUnit);
    previous = at;
  }
  return nudges;
}

/** A pump's running spell, for the state strip. */
export interface RunSpell {
  pump: string;
  from: Date;
  to: Date;
}

/** Which pumps ran when: one row per pump, a bar per running spell (ISA-101's state strip). */
export function pumpStateStrip(
  spells: RunSpell[],
  pumps: string[],
  domain: [Date, Date],
  color: string,
  width: number,
): Plot.PlotOptions {
  return {
    width,
    height: 38 + pumps.length * 22,
    marginTop: 8,
    marginBottom: 30,
    marginLeft: 52,
    x: { type: 'time', label: null, domain },
    y: { domain: pumps, label: null, tickSize: 0 },
    marks: [
      Plot.frame({ stroke: 'currentColor', strokeOpacity: 0.15 }),
      Plot.barX(spells, { x1: 'from', x2: 'to', y: 'pump', fill: color, inset: 2 }),
    ],
  };
}

/**
 * Running spells from a run signal's points: running from a point while its value is above
 * `above`. No point for more than `maxGapMs` is a gap in the data, not a spell.
 */
export function runSpells(pump: string, points: TimePoint[], above: number, maxGapMs: number): RunSpell[] {
  const spells: RunSpell[] = [];
  let from: Date | null = null;
  let last: Date | null = null;
  for (const p of points) {
    if (from !== null && last !== null && +p.t - +last > maxGapMs) {
      spells.push({ pump, from, to: last });
      from = null;
    }
    last = p.t;
    const on = p.v > above;
    if (on && from === null) from = p.t;
    if (!on && from !== null) {
      spells.push({ pump, from, to: p.t });
      from = null;
    }
  }
  if (from !== null && last !== null) spells.push({ pump, from, to: last });
  return spells;
}

export interface DayValue {
  day: Date;
  value: number | null;
}

/** A daily figure as a line (energy per m³, peak-hour share). */
export function dailyLineChart(
  days: DayValue[],
  label: string,
  palette: ChartPalette,
  width: number,
  options: { percent?: boolean; height?: number } = {},
): Plot.PlotOptions {
  return {
    width,
    height: options.height ?? 170,
    marginLeft: 56,
    x: { type: 'time', label: null },
    y: { label, grid: true, percent: options.percent },
    marks: [
      Plot.lineY(days, { x: 'day', y: 'value', stroke: palette.accent, marker: days.length < 60 ? 'dot' : undefined }),
      Plot.tip(days, Plot.pointerX({ x: 'day', y: 'value' })),
    ],
  };
}

/** A daily total as bars, with an optional budget line (daily energy against its budget). */
export function dailyBarsChart(
  days: DayValue[],
  label: string,
  palette: ChartPalette,
  width: number,
  budget?: number,
): Plot.PlotOptions {
  return {
    width,
    height: 180,
    marginLeft: 56,
    x: { type: 'time', label: null },
    y: { label, grid: true },
    marks: [
      Plot.rectY(days, {
        x: 'day',
        interval: 'day',
        y: 'value',
        fill: (d: DayValue) => (budget !== undefined && (d.value ?? 0) > budget ? palette.crit : palette.accent2),
        tip: true,
      }),
      ...(budget !== undefined ? [Plot.ruleY([budget], { stroke: palette.crit, strokeDasharray: '5,3' })] : []),
    ],
  };
}

export interface PumpDayValue {
  day: Date;
  pump: string;
  value: number;
}

/** One row of bars per pump (hours on, starts): labelled rows instead of a colour legend. */
export function perPumpDailyChart(
  rows: PumpDayValue[],
  label: string,
  palette: ChartPalette,
  width: number,
): Plot.PlotOptions {
  const pumps = [...new Set(rows.map((r) => r.pump))];
  return {
    width,
    height: 40 + 40 * pumps.length,
    marginLeft: 56,
    marginRight: 36,
    x: { type: 'time', label: null },
    y: { label: `↑ ${label}`, ticks: 2, grid: true },
    fy: { label: null, domain: pumps },
    facet: { data: rows, y: 'pump', marginRight: 36 },
    marks: [
      Plot.frame({ stroke: palette.muted, strokeOpacity: 0.2 }),
      Plot.rectY(rows, {
        x: 'day',
        interval: 'day',
        y: 'value',
        fill: palette.accent,
        tip: true,
        title: (d: PumpDayValue) => `${d.pump} ${d.day.toDateString()}: ${d.value.toFixed(1)} ${label}`,
      }),
    ],
  };
}

/** The average day: flow by hour, peak tariff hours in amber. */
export function hourlyProfileChart(
  hours: Array<{ hour: number; avg_flow: number | null; is_peak_hour: number }>,
  palette: ChartPalette,
  width: number,
): Plot.PlotOptions {
  return {
    width,
    height: 170,
    marginLeft: 56,
    x: { label: 'hour of day' },
    y: { label: '↑ average flow', grid: true },
    marks: [
      Plot.barY(hours, {
        x: 'hour',
        y: 'avg_flow',
        fill: (h: { is_peak_hour: number }) => (h.is_peak_hour ? palette.warn : palette.accent2),
        tip: true,
      }),
    ],
  };
}

/** Alerts raised per day, stacked by severity (colours as on the Alerts page). */
export function alertCountsChart(
  rows: Array<{ day: Date; severity: string; count: number }>,
  palette: ChartPalette,
  width: number,
): Plot.PlotOptions {
  return {
    width,
    height: 180,
    marginLeft: 56,
    x: { type: 'time', label: null },
    y: { label: '↑ alerts raised per day', grid: true },
    marks: [
      Plot.rectY(rows, {
        x: 'day',
        interval: 'day',
        y: 'count',
        fill: (d: { severity: string }) => severityColor(palette, d.severity),
        tip: true,
        title: (d: { severity: string; count: number }) => `${d.count} ${d.severity}`,
      }),
    ],
  };
}

/**
 * Points with a break (NaN) where readings are missing: wherever two points are further apart
 * than `maxStepMs`, so a line is not drawn across a gap (Plot breaks a line at NaN).
 */
export function withGaps(points: TimePoint[], maxStepMs: number): TimePoint[] {
  const out: TimePoint[] = [];
  for (let i = 0; i < points.length; i++) {
    if (i > 0 && +points[i].t - +points[i - 1].t > maxStepMs)
      out.push({ t: new Date((+points[i].t + +points[i - 1].t) / 2), v: Number.NaN });
    out.push(points[i]);
  }
  return out;
}

/**
 * The step a gap is longer than: three times the series' median step between distinct times, and
 * at least `floorMs`. A down-sampled series is irregular (M4 gives each bucket's first, min, max
 * and last), so the caller's floor is three of its buckets (the range over the chart's width).
 */
export function gapThreshold(points: TimePoint[], floorMs: number): number {
  const steps = points
    .slice(1)
    .map((p, i) => +p.t - +points[i].t)
    .filter((step) => step > 0)
    .sort((a, b) => a - b);
  return Math.max(floorMs, 3 * (steps[Math.floor(steps.length / 2)] ?? 0));
}
