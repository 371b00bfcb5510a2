import { gaussian } from '../../src-shared/random';
import type { MinuteSample, PumpModel } from './stationSim';

// Unit conversions for seed 000's US-unit operational CSVs (gpm, psi, hp).
export const GPM_PER_M3H = 4.402868;
export const PSI_PER_M_HEAD = 1.42197; // water, SG 1.0
export const FT_PER_M = 3.28084;
export const KW_PER_HP = 0.7457;
const MOTOR_EFFICIENCY = 0.93;

/** Seed 000 operational columns, in its order. */
export const OPERATIONAL_COLUMNS = [
  'Timestamp',
  'Flow (gpm)',
  'Discharge Pressure (psi)',
  'Suction Pressure (psi)',
  'Motor Power (hp)',
  'Pump Efficiency (%)',
  'Motor Speed (rpm)',
] as const;

export interface OperatingPoint {
  flowGpm: number;
  dischargePsi: number;
  suctionPsi: number;
  motorHp: number;
  efficiencyPct: number;
  speedRpm: number;
}

/** Pump efficiency = water horsepower / brake horsepower, WHP = Q[gpm] * H[ft] / 3960. */
export function pumpEfficiencyPct(flowGpm: number, headFt: number, motorHp: number): number {
  const brakeHp = motorHp * MOTOR_EFFICIENCY;
  return brakeHp > 0 ? ((flowGpm * headFt) / 3960 / brakeHp) * 100 : 0;
}

export function operatingPoint(flowM3h: number, headM: number, kw: number): OperatingPoint {
  const flowGpm = flowM3h * GPM_PER_M3H;
  const motorHp = kw / KW_PER_HP;
  return {
    flowGpm,
    dischargePsi: headM * PSI_PER_M_HEAD + 4.5,
    suctionPsi: 4.5,
    motorHp,
    efficiencyPct: pumpEfficiencyPct(flowGpm, headM * FT_PER_M, motorHp),
    speedRpm: 1780,
  };
}

/** The pump's nameplate duty point running alone: its seed 000 baseline. */
export function baselinePoint(model: PumpModel): OperatingPoint {
  return operatingPoint(model.flowAlone, 75, model.kwAlone);
}

/** Averages a pump's running minutes of one hour into one operational row, with meter noise. */
export class HourlyOperatingAverager {
  private sums = { flow: 0, head: 0, kw: 0, n: 0 };
  private hourStart = -1;

  constructor(
    private readonly pumpIndex: number,
    private readonly random: () => number,
  ) {}

  /** Feeds a minute; returns the finished hour's row when the hour rolls over. */
  add(sample: MinuteSample): { time: number; point: OperatingPoint } | null {
    const hour = Math.floor(sample.time / 3_600_000) * 3_600_000;
    const finished = hour !== this.hourStart ? this.finish() : null;
    if (hour !== this.hourStart) this.hourStart = hour;
    if (sample.on[this.pumpIndex]) {
      this.sums.flow += sample.pumpFlow[this.pumpIndex];
      this.sums.head += sample.headM;
      this.sums.kw += sample.kw[this.pumpIndex];
      this.sums.n += 1;
    }
    return finished;
  }

  /** The open hour's row, if the pump ran at least half of it. */
  finish(): { time: number; point: OperatingPoint } | null {
    const { flow, head, kw, n } = this.sums;
    this.sums = { flow: 0, head: 0, kw: 0, n: 0 };
    if (this.hourStart < 0 || n < 30) return null;
    // Pump-side meters: ±0.5 % on flow and power, ±0.3 % on pressure.
    const noise = (sd: number) => 1 + sd * gaussian(this.random);
    return {
      time: this.hourStart,
      point: operatingPoint((flow / n) * noise(0.005), (head / n) * noise(0.003), (kw / n) * noise(0.005)),
    };
  }
}

const medianOf = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * The baseline a commissioning engineer would record: the median operating point of the pump's
 * first two weeks in service (what "take the baseline from 1-14 March" does in the console).
 */
export function commissioningBaseline(
  rows: Array<{ time: number; point: OperatingPoint }>,
  firstDayMs: number,
): OperatingPoint | null {
  const early = rows.filter((r) => r.time < firstDayMs + 14 * 86_400_000).map((r) => r.point);
  if (early.length === 0) return null;
  const field = (f: keyof OperatingPoint) => medianOf(early.map((p) => p[f]));
  return {
    flowGpm: field('flowGpm'),
    dischargePsi: field('dischargePsi'),
    suctionPsi: field('suctionPsi'),
    motorHp: field('motorHp'),
    efficiencyPct: field('efficiencyPct'),
    speedRpm: field('speedRpm'),
  };
}
