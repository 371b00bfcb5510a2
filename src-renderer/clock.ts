import type * as Plot from '@observablehq/plot';
import { type HourCycle, timeAxisTick } from '../src-shared/time';
import { localSetting } from './setting';

// The clock times are shown in (issue 18): 24-hour or 12-hour, by default as the computer's locale
// writes them. Times are the station's wall clock (its time zone is station.json's `timezone`).

function localeCycle(): HourCycle {
  const cycle = new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h11' || cycle === 'h12' ? 12 : 24;
}

const clock = localSetting<HourCycle>(
  'pumpdeck.clock',
  (saved) => (saved === '12' ? 12 : saved === '24' ? 24 : localeCycle()),
  (cycle) => String(cycle),
);

export const hourCycle = clock.get;
export const setHourCycle = clock.set;
export const useHourCycle = clock.use;

/** A chart's options with its time axis ticked on the operator's clock (unless the chart sets its own). */
export function onClock(options: Plot.PlotOptions, cycle: HourCycle): Plot.PlotOptions {
  const x = options.x;
  if (!x || (x.type !== 'time' && x.type !== 'utc') || x.tickFormat) return options;
  return { ...options, x: { ...x, tickFormat: timeAxisTick(cycle) } };
}
