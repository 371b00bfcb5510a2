import type { MinuteReading } from '../../src-shared/alerts/minute';
import { applyFaults, type DemoFault, type FaultRow } from './faults';
import { tagValues } from './historianWriter';
import { type SimOptions, simulateStation, startTime } from './stationSim';

/** A demo row (the 27 seed tags in order) as engine input: the seed's units are the engine's (m³/h, kW, cm). */
export function readingOf({ time, values: v }: FaultRow): MinuteReading {
  return {
    time,
    dayTotal: v[0],
    flow: v[1],
    level: v[2],
    inflow: null,
    on: v.slice(3, 9).map((x) => x === 1),
    kw: v.slice(9, 15),
    pumpFlow: [null, null, null, null, null, null],
  };
}

/** The demo station's minutes as alert-engine input, rounded as the historian writes them, with faults. */
export function demoReadings(options: SimOptions, faults: DemoFault[] = []): MinuteReading[] {
  const rows = [...simulateStation(options)].map((sample) => ({ time: sample.time, values: tagValues(sample) }));
  return [...applyFaults(rows, faults, startTime(options.start))].map(readingOf);
}
