import { linearTrend } from './trend';

// Specific energy (kWh per m³) of each pump as the Pumps page and the report show it: the one
// estimator's daily figures (pumpEfficiency.ts, at like head and speed, stored in pump_efficiency
// by the alert engine), against the same reference E-05 uses: the pump's best 7-day window in the
// last 90 days. Nothing here estimates again.

export interface PumpSpecificEnergyDay {
  date: string;
  /** The pump's flow while it runs at the reference level and full speed (m³/h). */
  flow: number;
  /** Its power while running, at the same conditions (kW). */
  kw: number;
  /** kW / flow: kWh per m³. */
  specificEnergy: number;
  /** Change against the pump's reference, in % (more energy per m³ is positive). */
  changePct: number | null;
}

export interface PumpSpecificEnergy {
  pump: string;
  /** kWh/m³ of the pump's best 7-day window in the last 90 days (E-05's reference). */
  reference: number | null;
  /** The 7 days of that window. */
  referencePeriod: { from: string; to: string } | null;
  current: number | null;
  changePct: number | null;
  /** Slope of changePct over the last `trendDays` days, % per week, with its 95 % interval. */
  trendPerWeek: number | null;
  trendPerWeekLow: number | null;
  trendPerWeekHigh: number | null;
  /** Under a week of estimates: too short to judge wear. */
  tooShort: boolean;
  days: PumpSpecificEnergyDay[];
}

/** One stored estimate (a row of pump_efficiency). */
export interface StoredEfficiency {
  date: string;
  flow: number;
  kw: number;
  m3PerKwh: number;
}

const DAY_MS = 86_400_000;
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** A pump's specific energy from its stored estimates (dates ascending). */
export function specificEnergyOf(
  pump: string,
  stored: StoredEfficiency[],
  options: { trendDays?: number; minEstimates?: number } = {},
): PumpSpecificEnergy {
  const trendDays = options.trendDays ?? 28;
  const minEstimates = options.minEstimates ?? 7;
  const last = stored.at(-1);
  // The reference: the best window (highest m³/kWh) of the 90 days ending at the last estimate.
  const recent = last ? stored.filter((s) => dayOf(s.date) > dayOf(last.date) - 90) : [];
  const best = recent.reduce<StoredEfficiency | null>((b, s) => (!b || s.m3PerKwh > b.m3PerKwh ? s : b), null);
  const tooShort = stored.length < minEstimates;
  const reference = best && !tooShort ? 1 / best.m3PerKwh : null;
  const days = stored.map((s) => {
    const specificEnergy = 1 / s.m3PerKwh;
    return {
      date: s.date,
      flow: s.flow,
      kw: s.kw,
      specificEnergy,
      changePct: reference ? ((specificEnergy - reference) / reference) * 100 : null,
    };
  });
  const trend = linearTrend(
    days.slice(-trendDays).flatMap((d) => (d.changePct === null ? [] : [{ x: dayOf(d.date), y: d.changePct }])),
  );
  const now = days.at(-1);
  return {
    pump,
    reference,
    referencePeriod: best && reference ? { from: dateOf(dayOf(best.date) - 6), to: best.date } : null,
    current: now?.specificEnergy ?? null,
    changePct: now?.changePct ?? null,
    trendPerWeek: trend ? trend.slopePerDay * 7 : null,
    trendPerWeekLow: trend ? trend.slopeLow * 7 : null,
    trendPerWeekHigh: trend ? trend.slopeHigh * 7 : null,
    tooShort,
    days,
  };
}
