import * as Plot from '@observablehq/plot';
import type { ParameterPerformance, PumpEvaluation } from '../performance/evaluate';
import type { PumpStatus } from '../performance/tolerance';
import { DAY_MS, naiveDate } from '../time';
import { type ChartPalette, statusColor } from './palette';

// The Pumps page's charts, also drawn in reports (seed 000 plot_parameter_timeseries with its
// tolerance bands, and plot_status_timeline).

const dayDate = (day: string) => naiveDate(`${day} 12:00:00`);

/**
 * One parameter's deviation over time: the HI band shaded, the rolling-median deviation, the
 * daily medians as dots, and the trend carried forward to where it leaves the band.
 */
/** A dated event on a pump's charts (a logged failure, repair or overhaul). */
export interface PumpEvent {
  t: Date;
  label: string;
}

/**
 * A significant trend carried forward from the newest day to where it leaves the band (within a
 * year); an insignificant one is not a forecast and is not drawn.
 */
function projectionOf(
  performance: Pick<PumpEvaluation, 'daily'>,
  parameter: ParameterPerformance,
): Array<{ t: Date; v: number }> {
  const last = performance.daily[performance.daily.length - 1];
  const crossing = parameter.crossing;
  if (!crossing?.significant || !parameter.trend || !last || crossing.days <= 0) return [];
  const perDay = parameter.trend.perWeek / 7;
  const start = dayDate(last.date).getTime();
  const days = Math.min(crossing.days, 365);
  const fittedNow = crossing.limit - perDay * crossing.days;
  return [
    { t: new Date(start), v: fittedNow },
    { t: new Date(start + days * DAY_MS), v: fittedNow + perDay * days },
  ];
}

export function deviationChart(
  performance: Pick<PumpEvaluation, 'timeline' | 'daily'>,
  parameter: ParameterPerformance,
  palette: ChartPalette,
  width: number,
  height = 170,
  events: PumpEvent[] = [],
): Plot.PlotOptions {
  const name = parameter.parameter;
  const line = performance.timeline.flatMap((p) =>
    p.deviations[name] == null ? [] : [{ t: naiveDate(p.t), v: p.deviations[name] }],
  );
  const daily = performance.daily.flatMap((d) =>
    d.deviations[name] == null ? [] : [{ t: dayDate(d.date), v: d.deviations[name] }],
  );
  const projection = projectionOf(performance, parameter);
  const crossing = parameter.crossing;
  const crossingMark =
    crossing?.significant && crossing.days > 0 && crossing.days <= 365
      ? [{ t: dayDate(crossing.date), v: crossing.limit, label: `leaves band ${crossing.date}` }]
      : [];
  const all = [...line, ...daily, ...projection];
  const first = all.length ? Math.min(...all.map((p) => p.t.getTime())) : 0;
  const shown = events.filter((e) => e.t.getTime() >= first);
  const { lower, upper } = parameter.band;
  const span = Math.max(2, ...all.map((p) => Math.abs(p.v)), Math.abs(lower ?? 0), Math.abs(upper ?? 0)) * 1.15;
  const times = all.map((p) => p.t.getTime());
  const domain: [Date, Date] = times.length
    ? [new Date(Math.min(...times)), new Date(Math.max(...times))]
    : [new Date(0), new Date(DAY_MS)];
  return {
    width,
    height,
    marginLeft: 48,
    x: { type: 'time', domain, label: null },
    y: { label: `↑ ${name} deviation %`, domain: [-span, span], grid: true },
    marks: [
      Plot.rectY([{ a: domain[0], b: domain[1] }], {
        x1: 'a',
        x2: 'b',
        y1: lower ?? -span,
        y2: upper ?? span,
        fill: palette.ok,
        fillOpacity: 0.1,
      }),
      Plot.ruleY([0], { stroke: palette.muted, strokeOpacity: 0.5 }),
      ...[lower, upper]
        .filter((l): l is number => l !== null)
        .map((l) => Plot.ruleY([l], { stroke: palette.ok, strokeDasharray: '3,3' })),
      Plot.lineY(line, { x: 't', y: 'v', stroke: palette.accent, strokeWidth: 1.2 }),
      Plot.dot(daily, {
        x: 't',
        y: 'v',
        r: 2.2,
        fill: palette.text,
        tip: true,
        title: (d: { t: Date; v: number }) => `${d.t.toDateString()}\ndaily median ${d.v.toFixed(2)} %`,
      }),
      Plot.lineY(projection, { x: 't', y: 'v', stroke: palette.crit, strokeDasharray: '6,4' }),
      Plot.dot(crossingMark, { x: 't', y: 'v', r: 4, fill: palette.crit }),
      Plot.text(crossingMark, { x: 't', y: 'v', text: 'label', dy: -10, textAnchor: 'end', fill: palette.crit }),
      // Logged failures and repairs, so a deviation can be read against what was done to the pump.
      Plot.ruleX(shown, { x: 't', stroke: palette.warn, strokeWidth: 1.5 }),
      Plot.text(shown, {
        x: 't',
        text: 'label',
        frameAnchor: 'top',
        dy: 6,
        dx: 3,
        textAnchor: 'start',
        fill: palette.warn,
      }),
    ],
  };
}

/** One cell per day, coloured by the day's status (seed 000 plot_status_timeline). */
export function statusStripChart(
  performance: Pick<PumpEvaluation, 'daily'>,
  palette: ChartPalette,
  width: number,
): Plot.PlotOptions {
  return {
    width,
    height: 70,
    marginLeft: 48,
    x: { type: 'time', label: null },
    y: { axis: null },
    marks: [
      Plot.rectY(performance.daily, {
        x: (d: { date: string }) => dayDate(d.date),
        interval: 'day',
        y: 1,
        fill: (d: { status: PumpStatus }) => statusColor(palette, d.status),
        title: (d: { date: string; status: string; outOfBandShare: number }) =>
          `${d.date}: ${d.status} (${(d.outOfBandShare * 100).toFixed(0)} % of readings out of band)`,
        tip: true,
      }),
    ],
  };
}
