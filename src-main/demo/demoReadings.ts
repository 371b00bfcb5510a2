import type { MinuteReading } from '../../src-shared/alerts/minute';
import { tagValues } from './historianWriter';
import { simulateStation, type SimOptions } from './stationSim';

/** The demo station's minutes as alert-engine input, rounded exactly as the historian writes them. */
export function demoReadings(options: SimOptions): MinuteReading[] {
  return [...simulateStation(options)].map((sample) => {
    const v = tagValues(sample);
    return { time: sample.time, dayTotal: v[0], flow: v[1], level: v[2], on: v.slice(3, 9).map((x) => x === 1), kw: v.slice(9, 15) };
  });
}
