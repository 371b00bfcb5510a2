import type { Baseline } from './deviation';
import { type Grade, gradeForApplication, isGrade } from './grades';

/** A row of pump_baselines: seed 000 BaselineData with its field names, plus grade and source. */
export interface PumpBaselineRecord {
  well_id: string;
  pump_type: string;
  horsepower: number;
  application: string;
  baseline_flow_gpm: number;
  /** Null where the station logs no discharge pressure (a lift station's wet well and flow meters). */
  baseline_discharge_pressure_psi: number | null;
  baseline_power_hp: number;
  /** Null where neither logged nor derivable (no head). */
  baseline_efficiency_percent: number | null;
  /** An HI 14.6 grade chosen by the user; null = from application and horsepower. */
  tolerance_grade: string | null;
  /** Where the values came from: "file baselines.csv", "period 2025-03-01 .. 2025-03-14", "edited". */
  source: string | null;
}

/** The four baseline values under the names the evaluation uses. */
export function baselineValues(record: PumpBaselineRecord): Baseline {
  return {
    flow: record.baseline_flow_gpm,
    head: record.baseline_discharge_pressure_psi,
    power: record.baseline_power_hp,
    efficiency: record.baseline_efficiency_percent,
  };
}

export type GradeSource = 'requested' | 'baseline' | 'application' | 'default';

/** The grade to check against: asked for, else set on the baseline, else from the application. */
export function resolveGrade(
  record: PumpBaselineRecord,
  requested?: string | null,
): { grade: Grade; source: GradeSource } {
  if (requested && isGrade(requested)) return { grade: requested, source: 'requested' };
  if (record.tolerance_grade && isGrade(record.tolerance_grade))
    return { grade: record.tolerance_grade, source: 'baseline' };
  const { grade, matched } = gradeForApplication(record.application, record.horsepower);
  return { grade, source: matched ? 'application' : 'default' };
}
