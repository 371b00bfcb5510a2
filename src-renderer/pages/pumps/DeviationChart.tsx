import * as Plot from '@observablehq/plot';
import { useCallback } from 'react';
import type { PumpPerformance } from '../../../src-shared/api/contract';
import type { ParameterPerformance } from '../../../src-shared/performance/evaluate';
import type { PumpStatus } from '../../../src-shared/performance/tolerance';
import { PlotFigure } from '../../components/PlotFigure';
import { toDate } from '../../format';

export const STATUS_COLOR: Record<PumpStatus, string> = { Normal: 'var(--ok)', Warning: 'var(--warn)', Critical: 'var(--high)', Failure: 'var(--crit)' };

const DAY = 86_400_000;
const dayDate = (day: string) => toDate(`${day} 12:00:00`);

/**
 * One parameter's deviation over time: the HI band shaded, the rolling-median deviation, the
 * daily medians as dots, and the trend carried forward to where it leaves the band.
 */
export function DeviationChart({ performance, parameter }: { performance: PumpPerformance; parameter: ParameterPerformance }) {
  const options = useCallback(
    (width: number): Plot.PlotOptions => {
      const name = parameter.parameter;
      const line = performance.timeline.flatMap((p) => (p.deviations[name] == null ? [] : [{ t: toDate(p.t), v: p.deviations[name]! }]));
      const daily = performance.daily.flatMap((d) => (d.deviations[name] == null ? [] : [{ t: dayDate(d.date), v: d.deviations[name]! }]));
      // The trend carried forward to the band, or to the chart's horizon (half the data's span,
      // at least two weeks, past the newest day) when the crossing is further away.
      const projection: Array<{ t: Date; v: number }> = [];
      const last = performance.daily[performance.daily.length - 1];
      if (parameter.crossing && parameter.trend && last && parameter.crossing.days > 0) {
        const perDay = parameter.trend.perWeek / 7;
        const start = dayDate(last.date).getTime();
        const span = start - (daily[0]?.t.getTime() ?? start);
        const days = Math.min(parameter.crossing.days, Math.max(14, span / DAY / 2));
        const fittedNow = parameter.crossing.limit - perDay * parameter.crossing.days;
        projection.push({ t: new Date(start), v: fittedNow }, { t: new Date(start + days * DAY), v: fittedNow + perDay * days });
      }
      const values = [...line, ...daily, ...projection].map((p) => p.v);
      const { lower, upper } = parameter.band;
      const span = Math.max(2, ...values.map(Math.abs), Math.abs(lower ?? 0), Math.abs(upper ?? 0)) * 1.15;
      const times = [...line, ...daily, ...projection].map((p) => p.t.getTime());
      const domain: [Date, Date] = [new Date(Math.min(...times)), new Date(Math.max(...times))];
      return {
        width,
        height: 170,
        marginLeft: 48,
        x: { type: 'time', domain, label: null },
        y: { label: `↑ ${name} deviation %`, domain: [-span, span], grid: true },
        marks: [
          Plot.rectY([{ a: domain[0], b: domain[1] }], { x1: 'a', x2: 'b', y1: lower ?? -span, y2: upper ?? span, fill: 'var(--ok)', fillOpacity: 0.1 }),
          Plot.ruleY([0], { stroke: 'var(--muted)', strokeOpacity: 0.5 }),
          ...[lower, upper].filter((l): l is number => l !== null).map((l) => Plot.ruleY([l], { stroke: 'var(--ok)', strokeDasharray: '3,3' })),
          Plot.lineY(line, { x: 't', y: 'v', stroke: 'var(--accent)', strokeWidth: 1.2 }),
          Plot.dot(daily, { x: 't', y: 'v', r: 2.2, fill: 'var(--text)', tip: true, title: (d: { t: Date; v: number }) => `${d.t.toDateString()}\ndaily median ${d.v.toFixed(2)} %` }),
          Plot.lineY(projection, { x: 't', y: 'v', stroke: 'var(--crit)', strokeDasharray: '6,4' }),
        ],
      };
    },
    [performance, parameter],
  );
  return <PlotFigure options={options} label={`${parameter.parameter} deviation against its HI band`} />;
}

/** One cell per day, coloured by the day's status (seed 000 plot_status_timeline). */
export function StatusStrip({ performance }: { performance: PumpPerformance }) {
  const options = useCallback(
    (width: number): Plot.PlotOptions => ({
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
          fill: (d: { status: PumpStatus }) => STATUS_COLOR[d.status],
          title: (d: { date: string; status: string; outOfBandShare: number }) => `${d.date}: ${d.status} (${(d.outOfBandShare * 100).toFixed(0)} % of readings out of band)`,
          tip: true,
        }),
      ],
    }),
    [performance],
  );
  return <PlotFigure options={options} label="Status by day" />;
}
