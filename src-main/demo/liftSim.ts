import { gaussian, seededRandom } from '../../src-shared/random';
import type { StationModel } from '../../src-shared/station/model';
import { MINUTE_MS } from '../../src-shared/time';
import { startTime } from './stationSim';

// A minute-by-minute model of an 8-pump wastewater lift station: sewage flows into a wet well and
// pumps on VFDs empty it. The lead pump's speed follows the level (a P controller around a set
// level); a pump is added when the running ones are at full speed and the well still rises, and
// dropped when they idle at minimum speed. Four small duty pumps (group 1) rotate the lead each
// day; four large storm pumps (group 2) join only in rain. One duty pump rags up (flow falls,
// power rises) until it is cleaned. Deterministic per seed; the demo writes it every 15 minutes.

export const LIFT_WELL = { areaM2: 38, floorM: 0, topM: 4, setM: 1.6, startM: 1.9, stopM: 0.7, overflowM: 3.6 };

interface LiftPump {
  id: string;
  /** m³/h and kW at 50 Hz against the station's head. */
  flowAt50: number;
  kwAt50: number;
  group: 1 | 2;
}

export const LIFT_PUMPS: LiftPump[] = [
  ...[1, 2, 3, 4].map((k): LiftPump => ({ id: `P1.${k}`, flowAt50: 290 + 6 * k, kwAt50: 30 + k * 0.4, group: 1 })),
  ...[1, 2, 3, 4].map((k): LiftPump => ({ id: `P2.${k}`, flowAt50: 690 + 8 * k, kwAt50: 75 + k * 0.6, group: 2 })),
];

/** Site-style tag names, as the station's SCADA logs them (and their units row). */
export const LIFT_TAGS = {
  level: 'Wet well level',
  inflow: 'Inflow',
  flow: 'Discharge flow',
  price: 'Electricity price',
  hz: (id: string) => `Pump frequency ${id.slice(1)}`,
  kw: (id: string) => `Pump power ${id.slice(1)}`,
  flowOf: (id: string) => `Pump flow ${id.slice(1)}`,
};

/** The tags of one logged row with their units, in the export's column order. */
export function liftSignals(): Array<[tag: string, unit: string]> {
  return [
    [LIFT_TAGS.level, 'm'],
    [LIFT_TAGS.inflow, 'm3/15min'],
    [LIFT_TAGS.flow, 'm3/h'],
    ...LIFT_PUMPS.flatMap(
      (p): Array<[string, string]> => [
        [LIFT_TAGS.hz(p.id), 'Hz'],
        [LIFT_TAGS.kw(p.id), 'kW'],
        [LIFT_TAGS.flowOf(p.id), 'm3/h'],
      ],
    ),
    [LIFT_TAGS.price, 'c/kWh'],
  ];
}

/** The lift station's model, as an engineer would confirm it (the suggestion should find the same). */
export function liftStationModel(): StationModel {
  return {
    name: 'Demo lift station LS-07 (8 VFD pumps, wet well)',
    kind: 'lift',
    level: {
      tag: LIFT_TAGS.level,
      unit: 'm',
      min: LIFT_WELL.floorM,
      max: LIFT_WELL.topM,
      area_m2: LIFT_WELL.areaM2,
      // The duty pump stops at 0.7 m; staging holds the level near 1.6 m, a storm lifts it to 2.2 m,
      // and the well may be run up to 3 m (half a metre under its overflow) to hold pumping back.
      operating: { low: LIFT_WELL.stopM, high: 3 },
    },
    inflow: { tag: LIFT_TAGS.inflow, unit: 'm3/15min' },
    flow: { tag: LIFT_TAGS.flow, unit: 'm3/h', max: 3600 },
    pumps: LIFT_PUMPS.map((p) => ({
      id: p.id,
      run: { tag: LIFT_TAGS.hz(p.id), above: 20 },
      hz: { tag: LIFT_TAGS.hz(p.id), unit: 'Hz' },
      kw: { tag: LIFT_TAGS.kw(p.id), unit: 'kW' },
      flow: { tag: LIFT_TAGS.flowOf(p.id), unit: 'm3/h' },
      rated_kw: p.group === 1 ? 37 : 90,
    })),
    price: { tag: LIFT_TAGS.price, unit: 'c/kWh' },
    daily_energy_budget_kwh: 4200,
    peak_hours: [
      [7, 10],
      [17, 20],
    ],
    interval_min: 15,
  };
}

export interface LiftMinute {
  time: number;
  level: number;
  /** Inflow this minute, m³. */
  inflowM3: number;
  hz: number[];
  kw: number[];
  flow: number[];
  price: number;
}

const MIN_HZ = 30;
const MAX_HZ = 50;

/** Dry-weather sewage inflow in m³/h: a morning and an evening peak over a low night. */
function dryInflow(hour: number, weekend: boolean): number {
  const bump = (centre: number, width: number) => Math.exp(-((hour - centre) ** 2) / (2 * width * width));
  return 260 * (0.45 + 0.9 * bump(weekend ? 10 : 8, 2) + 0.6 * bump(20, 2.5));
}

/** Rain events: start minute, length and peak extra inflow (m³/h), a few per month. */
function storms(days: number, random: () => number): Array<{ start: number; length: number; peak: number }> {
  const events = [];
  for (let day = 3; day < days; day += 6 + Math.floor(random() * 8))
    events.push({
      start: day * 1440 + Math.floor(random() * 1440),
      length: 240 + Math.floor(random() * 480),
      peak: 900 + 1300 * random(),
    });
  return events;
}

/** Hourly spot price, c/kWh: higher by day, peaks morning and evening, some noise. */
function priceAt(hour: number, random: () => number): number {
  const peak = (hour >= 7 && hour < 10) || (hour >= 17 && hour < 20);
  return Math.round((6 + (hour >= 6 && hour < 22 ? 3 : 0) + (peak ? 5 : 0) + 2 * random()) * 100) / 100;
}

/** How ragged a pump is on a day (0 clean .. 1 blocked): P1.3 rags from day 8 until cleaned on day 20. */
export function raggingOf(id: string, day: number): number {
  if (id !== 'P1.3' || day < 8 || day >= 20) return 0;
  return Math.min(1, (day - 8) / 12);
}

export function* simulateLift(options: { days: number; seed: number; start: string }): Generator<LiftMinute> {
  const random = seededRandom(options.seed * 7919 + 11);
  const t0 = startTime(options.start);
  const events = storms(options.days, random);
  let level = LIFT_WELL.setM;
  const running: number[] = [];
  let hz = 0;
  let price = priceAt(0, random);
  for (let minute = 0; minute < options.days * 1440; minute++) {
    const time = t0 + minute * MINUTE_MS;
    const d = new Date(time);
    const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
    if (d.getUTCMinutes() === 0) price = priceAt(d.getUTCHours(), random);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    let inflow = dryInflow(hour, weekend) * (1 + 0.05 * gaussian(random));
    for (const e of events)
      if (minute >= e.start && minute < e.start + e.length)
        inflow += e.peak * Math.sin((Math.PI * (minute - e.start)) / e.length);
    const day = Math.floor(minute / 1440);
    // The lead pump of the duty group rotates daily, the storm group's weekly.
    const lead = day % 4;
    const storm = Math.floor(day / 7) % 4;
    const order = [0, 1, 2, 3].map((k) => (lead + k) % 4).concat([0, 1, 2, 3].map((k) => 4 + ((storm + k) % 4)));
    // At midnight the new lead takes over from the old one (duty rotation evens the run hours).
    if (minute % 1440 === 0 && running.length > 0 && !running.includes(order[0])) running[0] = order[0];

    // Speed follows the level; staging when speed saturates.
    if (running.length === 0) {
      if (level >= LIFT_WELL.startM) {
        running.push(order[0]);
        hz = 38;
      }
    } else {
      hz = Math.min(MAX_HZ, Math.max(MIN_HZ, hz + 6 * (level - LIFT_WELL.setM)));
      if (hz >= MAX_HZ && level > LIFT_WELL.setM + 0.4 && running.length < LIFT_PUMPS.length) {
        running.push(order.find((k) => !running.includes(k)) as number);
        hz = 40;
      } else if (hz <= MIN_HZ && running.length > 1 && level < LIFT_WELL.setM - 0.2) {
        running.pop();
        hz = 45;
      } else if (hz <= MIN_HZ && running.length === 1 && level <= LIFT_WELL.stopM) {
        running.pop();
      }
    }
    const hzs = LIFT_PUMPS.map((_, k) => (running.includes(k) ? hz + 0.2 * gaussian(random) : 0));
    const flows = LIFT_PUMPS.map((p, k) => {
      if (hzs[k] === 0) return 0;
      // Against a static head a pump delivers little at low speed: flow rises from zero at ~20 Hz.
      const shape = Math.max(0, (hzs[k] - 20) / 30);
      return p.flowAt50 * shape * (1 - 0.35 * raggingOf(p.id, day)) * (1 + 0.01 * gaussian(random));
    });
    const kws = LIFT_PUMPS.map((p, k) =>
      hzs[k] === 0
        ? 0
        : p.kwAt50 *
          (0.2 + 0.8 * (hzs[k] / 50) ** 3) *
          (1 + 0.15 * raggingOf(p.id, day)) *
          (1 + 0.01 * gaussian(random)),
    );
    const outM3 = flows.reduce((a, b) => a + b, 0) / 60;
    level = Math.max(LIFT_WELL.floorM + 0.2, level + (inflow / 60 - outM3) / LIFT_WELL.areaM2);
    yield { time, level, inflowM3: inflow / 60, hz: hzs, kw: kws, flow: flows, price };
  }
}
