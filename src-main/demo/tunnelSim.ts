import { gaussian, seededRandom } from '../../src-shared/random';
import { MINUTE_MS } from '../../src-shared/time';
import { startTime } from './stationSim';

// A minute-by-minute model of a tunnel lift station: sewage collects in a rock tunnel that holds
// most of a day's inflow, and eight large pumps on VFDs lift it about 60 m. The operators empty
// the tunnel once a day in the cheapest hours of the day-ahead spot price (cents per kWh, 2 to
// 99) down to the stop level, and in dear hours only hold the level under a high setpoint. A
// pump's flow follows the head: lower in the tunnel is more static head, less flow and more kWh
// per m³, so energy per m³ tracks the level and says nothing about wear by itself. One pump is out
// of service (never runs); one can be set to wear. Deterministic per seed. The export
// (tunnelDemo.ts) writes 15-minute averages, as such SCADAs do.

export const TUNNEL = {
  /** Plan area of the tunnel (m²) and its physical height (m): 48,000 m³, about 13 hours of mean inflow. */
  areaM2: 6000,
  topM: 8,
  /** The pumps stop at this level (the operators' "empty"), restart above `restartM` in a cheap hour. */
  stopM: 0.3,
  restartM: 1.2,
  /** In dear hours pumps hold the level near this setpoint; above `alarmM` every pump runs. */
  holdM: 4.8,
  alarmM: 6.5,
  /** Static head at an empty tunnel (m); the level lowers it metre for metre. */
  staticHeadM: 60,
  /** Shared force main friction (m per (m³/h)²). */
  frictionK: 2e-7,
};

export interface TunnelPump {
  id: string;
  /** Shut-off head at 50 Hz (m) and curve steepness (m per (m³/h)²). */
  shutoffM: number;
  curve: number;
  /** Flow at best efficiency at 50 Hz (m³/h) and the efficiency there (wire to water). */
  bepFlow: number;
  bepEfficiency: number;
  outOfService: boolean;
}

export const TUNNEL_PUMPS: TunnelPump[] = Array.from({ length: 8 }, (_, k) => ({
  id: `P${k + 1}`,
  shutoffM: 95 + (k % 3),
  curve: 1.2e-5,
  bepFlow: 1650 + 20 * (k % 4),
  bepEfficiency: 0.8 - 0.005 * (k % 3),
  outOfService: k === 7,
}));

/** A pump that wears: from `fromDay` over `days` days it loses `loss` of its flow per kWh (flow down, power up a little). */
export interface TunnelWear {
  pump: string;
  fromDay: number;
  days: number;
  loss: number;
}

export interface TunnelOptions {
  days: number;
  seed: number;
  start: string;
  wear?: TunnelWear;
}

export interface TunnelMinute {
  time: number;
  level: number;
  /** Inflow this minute as a rate (m³/h). */
  inflow: number;
  hz: number[];
  kw: number[];
  /** Each pump's own flow (m³/h): the station has no per-pump meters, only their sum at the outlet. */
  flow: number[];
  /** c/kWh, the hour's day-ahead price. */
  price: number;
}

/** Dry-weather sewage inflow (m³/h): low at night, a morning and an evening peak. */
function dryInflow(hour: number, weekend: boolean): number {
  const bump = (centre: number, width: number) => Math.exp(-((hour - centre) ** 2) / (2 * width * width));
  return 2300 + 2600 * bump(weekend ? 10 : 8.5, 2.2) + 1700 * bump(20, 2.5);
}

/** A day's hourly day-ahead prices in c/kWh: cheap nights, dear mornings and evenings, a spike now and then. */
function dayPrices(random: () => number): number[] {
  const level = 0.5 + 1.5 * random();
  const spike = random() < 0.3 ? 7 + Math.floor(random() * 13) : -1;
  return Array.from({ length: 24 }, (_, h) => {
    const night = h < 6 || h >= 23;
    const peak = (h >= 7 && h < 10) || (h >= 17 && h < 21);
    let price = (night ? 2.5 + 2 * random() : 6 + 5 * random()) * level + (peak ? 8 * level * random() : 0);
    if (spike >= 0 && (h === spike || h === spike + 1)) price = 60 + 39 * random();
    return Math.round(Math.min(99, Math.max(2, price)) * 100) / 100;
  });
}

/** Flow (m³/h) of each of `n` pumps running together at speed ratio `s` against a level `level`. */
function pumpFlow(p: TunnelPump, s: number, n: number, level: number): number {
  const lift = s * s * p.shutoffM - (TUNNEL.staticHeadM - level);
  return lift <= 0 ? 0 : Math.sqrt(lift / (p.curve + TUNNEL.frictionK * n * n));
}

/** Electrical power (kW) of a pump delivering `q` m³/h at speed ratio `s` against head `head`. */
function pumpPower(p: TunnelPump, q: number, s: number, head: number): number {
  if (q <= 0) return 0.3 * 0.002725 * p.bepFlow * p.shutoffM * s ** 3;
  const x = q / s / p.bepFlow - 1;
  const efficiency = Math.max(0.35, p.bepEfficiency * (1 - 0.8 * x * x));
  return (0.002725 * q * head) / efficiency;
}

/** The share of its flow per kWh a pump has lost by `minute` (0: healthy). */
function wearOf(wear: TunnelWear | undefined, id: string, minute: number): number {
  if (!wear || wear.pump !== id || minute < wear.fromDay * 1440) return 0;
  return Math.min(1, (minute - wear.fromDay * 1440) / (wear.days * 1440)) * wear.loss;
}

/** A worn impeller: flow falls by 0.8 of the loss, power falls less, so flow per kWh falls by exactly the loss. */
const wornFlow = (lost: number) => 1 - 0.8 * lost;
const wornPower = (lost: number) => (1 - 0.8 * lost) / (1 - lost);

/**
 * The station minute by minute. The plan: in a cheap hour (the day's 9 cheapest) run six pumps at
 * 50 Hz until the tunnel is down to the stop level; in a dear hour run none unless the level is
 * over the hold setpoint, then as few as keep it there, speed following the level. Pumps start
 * one every 3 minutes and stop one every 2, so starts and stops fall anywhere in a quarter hour.
 */
// Long because each minute runs the plan, the staging, the hydraulics and the level balance in turn.
export function* simulateTunnel(options: TunnelOptions): Generator<TunnelMinute> {
  const random = seededRandom(options.seed * 104_729 + 7);
  const t0 = startTime(options.start);
  const available = TUNNEL_PUMPS.map((p, k) => (p.outOfService ? -1 : k)).filter((k) => k >= 0);
  let level = 2.5;
  let prices = dayPrices(random);
  let cheap = new Set<number>();
  let emptying = false;
  let holding = false;
  let speed = 1;
  const running: number[] = [];
  let lastChange = -10;
  let rain = 0;
  let rainLeft = 0;
  for (let minute = 0; minute < options.days * 1440; minute++) {
    const time = t0 + minute * MINUTE_MS;
    const d = new Date(time);
    const hour = d.getUTCHours();
    const day = Math.floor(minute / 1440);
    if (minute % 1440 === 0) {
      if (minute > 0) prices = dayPrices(random);
      cheap = new Set(
        prices
          .map((p, h) => [p, h] as const)
          .sort((a, b) => a[0] - b[0])
          .slice(0, 9)
          .map(([, h]) => h),
      );
    }
    if (rainLeft <= 0 && random() < 1 / (4 * 1440)) {
      rain = 1500 + 3500 * random();
      rainLeft = 360 + Math.floor(random() * 720);
    }
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    let inflow = dryInflow(hour + d.getUTCMinutes() / 60, weekend) * (1 + 0.03 * gaussian(random));
    if (rainLeft > 0) {
      inflow += rain * Math.sin((Math.PI * rainLeft) / 1080) ** 2;
      rainLeft--;
    }

    // The plan: how many pumps, how fast.
    let want = 0;
    if (level >= TUNNEL.alarmM) {
      want = available.length;
      speed = 1;
    } else if (cheap.has(hour)) {
      holding = false;
      if (!emptying && level >= TUNNEL.restartM) emptying = true;
      if (emptying && level <= TUNNEL.stopM) emptying = false;
      want = emptying ? 6 : 0;
      speed = 1;
    } else {
      emptying = false;
      if (!holding && level >= TUNNEL.holdM) holding = true;
      if (holding && level < TUNNEL.holdM - 0.4 && running.length <= 1 && speed <= 0.86) holding = false;
      if (holding) {
        speed = Math.min(1, Math.max(0.86, speed + 0.01 * (level - TUNNEL.holdM) * 10));
        want = Math.max(1, running.length);
        if (speed >= 1 && level > TUNNEL.holdM + 0.3) want = running.length + 1;
        if (speed <= 0.86 && level < TUNNEL.holdM - 0.2) want = running.length - 1;
      }
    }
    want = Math.max(0, Math.min(available.length, want));
    // Duty rotation: the day's order starts one further along the available pumps.
    const order = available.map((_, i) => available[(i + day) % available.length]);
    if (want > running.length && minute - lastChange >= 3) {
      running.push(order.find((k) => !running.includes(k)) as number);
      lastChange = minute;
    } else if (want < running.length && minute - lastChange >= 2) {
      running.shift();
      lastChange = minute;
    }

    const hz = TUNNEL_PUMPS.map((_, k) => (running.includes(k) ? 50 * speed + 0.15 * gaussian(random) : 0));
    const n = running.length;
    const lost = TUNNEL_PUMPS.map((p) => wearOf(options.wear, p.id, minute));
    const healthy = TUNNEL_PUMPS.map((p, k) => (hz[k] === 0 ? 0 : pumpFlow(p, hz[k] / 50, n, level)));
    const flow = healthy.map((q, k) => q * wornFlow(lost[k]) * (1 + 0.005 * gaussian(random)));
    const total = flow.reduce((a, b) => a + b, 0);
    const head = TUNNEL.staticHeadM - level + TUNNEL.frictionK * total * total;
    const kw = TUNNEL_PUMPS.map((p, k) =>
      hz[k] === 0
        ? 0
        : pumpPower(p, healthy[k], hz[k] / 50, head) * wornPower(lost[k]) * (1 + 0.004 * gaussian(random)),
    );
    level = Math.min(TUNNEL.topM, Math.max(0.05, level + (inflow - total) / 60 / TUNNEL.areaM2));
    yield { time, level, inflow, hz, kw, flow, price: prices[hour] };
  }
}
