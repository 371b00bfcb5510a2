import { gaussian, seededRandom } from '../../src-shared/random';
import { DEFAULT_PEAK_HOURS, isPeakHour } from '../../src-shared/station/model';
import { PUMPS, type PumpId } from '../../src-shared/tags';
import { MINUTE_MS } from '../../src-shared/time';

// A minute-by-minute model of a 6-pump booster station filling tank HLT101 against a diurnal
// demand. Pumps are staged by tank level with hysteresis, the lead pump alternates (first on,
// first off), and the tank is kept lower during peak tariff hours. Deterministic per seed.

export const DEMO_TANK = {
  /** HLT101.OUTPUT is logged in cm; the tank is 5 m tall with 314 m² of area (20 m diameter). */
  heightCm: 500,
  areaM2: 314,
};

export interface PumpModel {
  pump: PumpId;
  /** m³/h delivered when running alone. */
  flowAlone: number;
  /** kW drawn when running alone. */
  kwAlone: number;
  /** Run hours on the counter when the simulation starts. */
  initialRunMinutes: number;
  /** Fractional loss of flow per day (wear); 0 for a healthy pump. */
  wearPerDay: number;
}

export interface SimOptions {
  days: number;
  seed: number;
  /** First day, YYYY-MM-DD; times are the historian PC's local time, kept naive. */
  start: string;
}

export interface MinuteSample {
  /** Milliseconds since epoch of the naive local minute, read with getUTC* helpers. */
  time: number;
  dayTotal: number;
  flow: number;
  level: number;
  on: boolean[];
  kw: number[];
  runMinutes: number[];
  /** Per-pump flow and head this minute (for the per-pump operational CSVs). */
  pumpFlow: number[];
  headM: number;
  pumpsOn: number;
}

/** Combined flow falls below the sum as pumps share one header and the system curve steepens. */
export function sharingFactor(pumpsOn: number): number {
  return 1 - 0.05 * Math.max(0, pumpsOn - 1);
}

export function pumpModels(seed: number): PumpModel[] {
  const random = seededRandom(seed ^ 0x5eed);
  return PUMPS.map((pump) => ({
    pump,
    flowAlone: 88 + 6 * random(),
    kwAlone: 27.5 + 2 * random(),
    initialRunMinutes: Math.round((6000 + 9000 * random()) * 60),
    wearPerDay: pump === 'P4' ? 0.0004 : 0,
  }));
}

/** Station demand in m³/h: morning and evening peaks, a night trough, weekends later and lower. */
function demandAt(hourOfDay: number, weekend: boolean): number {
  const bump = (centre: number, width: number) => Math.exp(-((hourOfDay - centre) ** 2) / (2 * width * width));
  const morning = weekend ? 9 : 7.5;
  const shape = 1 + 0.45 * bump(morning, 1.5) + 0.35 * bump(19, 2) - 0.45 * bump(3, 2.2);
  return (weekend ? 130 : 140) * shape;
}

const STAGE_DELAY_MIN = 5;
const MIN_RUN_MIN = 15;
const MIN_REST_MIN = 10;
const MAX_RUN_MIN = 8 * 60;

export function startTime(start: string): number {
  const [y, m, d] = start.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

// Long because the simulation's state (tank, pumps, staging, rotation) lives in locals across its minute loop.
export function* simulateStation(options: SimOptions): Generator<MinuteSample> {
  const random = seededRandom(options.seed);
  const models = pumpModels(options.seed);
  const t0 = startTime(options.start);
  const minutes = Math.round(options.days * 1440);

  let level = DEMO_TANK.heightCm * 0.6;
  let demandNoise = 0;
  let dayTotal = 0;
  let lastStage = -STAGE_DELAY_MIN;
  let lastStarted = 0;
  const on = PUMPS.map((_, i) => i === 0);
  const changedAt = PUMPS.map(() => -MIN_REST_MIN);
  const runMinutes = models.map((m) => m.initialRunMinutes);
  const recentLevels: number[] = [];

  for (let i = 0; i < minutes; i++) {
    const time = t0 + i * MINUTE_MS;
    const date = new Date(time);
    const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    if (date.getUTCHours() === 0 && date.getUTCMinutes() === 0) dayTotal = 0; // PLC resets at midnight

    // Level control with hysteresis; tighter, lower band in peak tariff hours.
    const pct = (level / DEMO_TANK.heightCm) * 100;
    const peak = isPeakHour({ peak_hours: DEFAULT_PEAK_HOURS }, date.getUTCHours());
    const [low, high] = peak ? [40, 62] : [55, 85];
    // Duty alternation on run time: a pump that has run 8 h hands over to the next rested one.
    const tired = on.findIndex((isOn, k) => isOn && i - changedAt[k] >= MAX_RUN_MIN);
    if (tired >= 0) {
      const relief = PUMPS.map((_, k) => (lastStarted + 1 + k) % PUMPS.length).find(
        (k) => !on[k] && i - changedAt[k] >= MIN_REST_MIN,
      );
      if (relief !== undefined) {
        on[relief] = true;
        changedAt[relief] = i;
        lastStarted = relief;
        on[tired] = false;
        changedAt[tired] = i;
      }
    }
    const running = on.filter(Boolean).length;
    // Trend over the stage delay: add a pump only while the level is not recovering, drop one
    // only while it is still rising, as a level-controlled PLC sequence does.
    const trend = recentLevels.length ? level - recentLevels[0] : 0;
    // At the tariff switch-over the sequencer sheds pumps one a minute down to the peak band.
    const peakJustBegan =
      peak && !isPeakHour({ peak_hours: DEFAULT_PEAK_HOURS }, new Date(time - 15 * MINUTE_MS).getUTCHours());
    recentLevels.push(level);
    if (recentLevels.length > STAGE_DELAY_MIN) recentLevels.shift();
    if (pct < low && trend < 0.5 && running < PUMPS.length && i - lastStage >= STAGE_DELAY_MIN) {
      // Cyclic alternation: the next pump after the one started last, skipping resting pumps.
      const candidate = PUMPS.map((_, k) => (lastStarted + 1 + k) % PUMPS.length).find(
        (k) => !on[k] && i - changedAt[k] >= MIN_REST_MIN,
      );
      if (candidate !== undefined) {
        on[candidate] = true;
        changedAt[candidate] = i;
        lastStage = i;
        lastStarted = candidate;
      }
    } else if (
      pct > high &&
      (trend > -0.5 || peakJustBegan) &&
      running > 0 &&
      i - lastStage >= (peakJustBegan ? 1 : STAGE_DELAY_MIN)
    ) {
      const candidate = PUMPS.map((_, k) => k)
        .filter((k) => on[k] && (i - changedAt[k] >= MIN_RUN_MIN || pct > 95))
        .sort((a, b) => changedAt[a] - changedAt[b])[0];
      if (candidate !== undefined) {
        on[candidate] = false;
        changedAt[candidate] = i;
        lastStage = i;
      }
    }

    const pumpsOn = on.filter(Boolean).length;
    const share = sharingFactor(pumpsOn);
    const day = i / 1440;
    const pumpFlow = models.map((m, k) => (on[k] ? m.flowAlone * share * (1 - m.wearPerDay * day) : 0));
    const kw = models.map((m, k) =>
      on[k] ? m.kwAlone * (1 + 0.015 * (pumpsOn - 1)) * (1 + 0.008 * gaussian(random)) : 0,
    );
    const trueFlow = pumpFlow.reduce((a, b) => a + b, 0);
    const flow = pumpsOn > 0 ? trueFlow * (1 + 0.004 * gaussian(random)) : 0;

    demandNoise = 0.98 * demandNoise + 2 * gaussian(random);
    const demand = Math.max(10, demandAt(hour, weekend) + demandNoise);
    level += ((trueFlow - demand) / 60 / DEMO_TANK.areaM2) * 100;
    level = Math.min(DEMO_TANK.heightCm * 0.99, Math.max(0, level));
    dayTotal += flow / 60;
    for (let k = 0; k < on.length; k++) if (on[k]) runMinutes[k] += 1;

    yield {
      time,
      dayTotal,
      flow,
      level: level + 0.12 * gaussian(random),
      on: [...on],
      kw,
      runMinutes: [...runMinutes],
      pumpFlow,
      headM: pumpsOn > 0 ? 75 * (1 + 0.04 * (pumpsOn - 1)) : 0,
      pumpsOn,
    };
  }
}
