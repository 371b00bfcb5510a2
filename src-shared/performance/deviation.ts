import { lowerBound } from '../sorted';
import { PARAMETERS, type Parameter } from './grades';
import type { Deviations } from './tolerance';

// Seed 000 DataProcessor.calculate_deviations, on a rolling time window so single noisy samples
// do not flip the grade.

/** A pump's reference point; null where the station does not log it (a lift station's head). */
export interface Baseline {
  flow: number;
  head: number | null;
  power: number;
  efficiency: number | null;
}

/** One reading of a pump (times are naive ms, see time.ts); null where a signal is not logged. */
export interface PumpReading {
  t: number;
  flow: number | null;
  head: number | null;
  power: number | null;
  efficiency: number | null;
}

/** (current − baseline) / baseline × 100 (seed 000). */
export function deviationPct(current: number, baseline: number): number {
  return ((current - baseline) / baseline) * 100;
}

/**
 * Efficiency where it is not logged: η = ρ·g·Q·H / P is proportional to Q·H/P whatever the
 * units, so the pump's efficiency is its baseline efficiency scaled by (Q·H/P) / (Q₀·H₀/P₀).
 * The units of flow, head and power cancel as long as readings and baseline share them.
 */
export function derivedEfficiency(
  reading: Pick<PumpReading, 'flow' | 'head' | 'power'>,
  baseline: Baseline,
): number | null {
  const { flow, head, power } = reading;
  if (flow === null || head === null || power === null || power <= 0) return null;
  if (baseline.head === null || baseline.efficiency === null) return null;
  return baseline.efficiency * ((flow * head) / power / ((baseline.flow * baseline.head) / baseline.power));
}

/** Fills efficiency from flow, head and power on readings that do not log it. */
export function withEfficiency(readings: PumpReading[], baseline: Baseline): PumpReading[] {
  return readings.map((r) => (r.efficiency !== null ? r : { ...r, efficiency: derivedEfficiency(r, baseline) }));
}

function insertSorted(sorted: number[], value: number): void {
  sorted.splice(lowerBound(sorted, value), 0, value);
}

function removeSorted(sorted: number[], value: number): void {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else if (sorted[mid] > value) hi = mid - 1;
    else return void sorted.splice(mid, 1);
  }
}

export function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return n % 2 ? sorted[(n - 1) >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * For each reading (time-ordered), the median of each parameter over the window (t − w, t]. A
 * window of one reading's spacing or less gives the readings themselves.
 */
export function rollingMedians(readings: PumpReading[], windowMinutes: number): PumpReading[] {
  const w = windowMinutes * 60_000;
  const windows = PARAMETERS.map(() => [] as number[]);
  const out: PumpReading[] = [];
  let first = 0;
  for (const reading of readings) {
    while (readings[first].t <= reading.t - w) {
      PARAMETERS.forEach((p, k) => {
        const v = readings[first][p];
        if (v !== null && Number.isFinite(v)) removeSorted(windows[k], v);
      });
      first += 1;
    }
    const row: PumpReading = { t: reading.t, flow: null, head: null, power: null, efficiency: null };
    PARAMETERS.forEach((p, k) => {
      const v = reading[p];
      if (v !== null && Number.isFinite(v)) insertSorted(windows[k], v);
      row[p] = median(windows[k]);
    });
    out.push(row);
  }
  return out;
}

export function deviationsOf(reading: Pick<PumpReading, Parameter>, baseline: Baseline): Deviations {
  const out: Deviations = {};
  for (const p of PARAMETERS) {
    const v = reading[p];
    const b = baseline[p];
    out[p] = v === null || b === null ? null : deviationPct(v, b);
  }
  return out;
}
