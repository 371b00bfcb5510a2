import type { PumpId } from './tags';

/** Station constants of seed 002 §8.3, plus the peak tariff windows (product.md). */
export interface StationConfig {
  name: string;
  /** Rated motor power, one number for all pumps or one per pump (kW). */
  rated_kw: number | Record<PumpId, number>;
  /** Physical top of HLT101 in the tag's raw units. */
  hlt_physical_max: number;
  /** Largest flow FIT101 can measure, in the tag's units per hour. */
  fit101_physical_max: number;
  daily_energy_budget_kwh: number;
  /** Peak tariff windows as [startHour, endHour) pairs. */
  peak_hours: Array<[number, number]>;
  /** Units as written on the historian tags, for labels only. */
  units: { level: string; flow: string; volume: string };
}

export const DEFAULT_PEAK_HOURS: Array<[number, number]> = [
  [6, 10],
  [17, 21],
];

export const DEFAULT_STATION: StationConfig = {
  name: 'Pump station',
  rated_kw: 37,
  hlt_physical_max: 500,
  fit101_physical_max: 500,
  daily_energy_budget_kwh: 2400,
  peak_hours: DEFAULT_PEAK_HOURS,
  units: { level: 'cm', flow: 'm³/h', volume: 'm³' },
};

export function ratedKwFor(config: StationConfig, pump: PumpId): number {
  return typeof config.rated_kw === 'number' ? config.rated_kw : config.rated_kw[pump];
}

export function isPeakHour(config: Pick<StationConfig, 'peak_hours'>, hour: number): boolean {
  return config.peak_hours.some(([start, end]) => hour >= start && hour < end);
}
