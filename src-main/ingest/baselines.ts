import { basename } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import type { PumpBaselineRecord } from '../../src-shared/performance/baselineRecord';
import { GRADE_NAMES, isGrade } from '../../src-shared/performance/grades';
import { literal, type StationDb } from '../db/stationDb';
import { detectFile } from './detect';

// Seed 000 BaselineData: one row per pump (well_id), imported as one transaction. An optional
// `tolerance_grade` column overrides the HI 14.6 grade chosen from application and horsepower.

export const BASELINE_COLUMNS = [
  'well_id',
  'pump_type',
  'horsepower',
  'application',
  'baseline_flow_gpm',
  'baseline_discharge_pressure_psi',
  'baseline_power_hp',
  'baseline_efficiency_percent',
] as const;
const NUMERIC = new Set<string>([
  'horsepower',
  'baseline_flow_gpm',
  'baseline_discharge_pressure_psi',
  'baseline_power_hp',
  'baseline_efficiency_percent',
]);
/** A station that logs no discharge pressure (a lift station) has neither: empty is NULL, judged on flow and power. */
const OPTIONAL = new Set<string>(['baseline_discharge_pressure_psi', 'baseline_efficiency_percent']);

/** Checks one baseline row; returns the field and the problem, or null. */
export function baselineProblem(
  row: Record<string, string | number | null | undefined>,
): { field: string; message: string } | null {
  for (const column of BASELINE_COLUMNS) {
    const value = String(row[column] ?? '').trim();
    if (column === 'well_id' && !value) return { field: column, message: 'empty' };
    if (!NUMERIC.has(column)) continue;
    if (value === '' && OPTIONAL.has(column)) continue;
    const n = Number(value);
    if (value === '' || !Number.isFinite(n)) return { field: column, message: `not a number: '${value}'` };
    if (n <= 0) return { field: column, message: `must be above 0: ${value}` };
    if (column === 'baseline_efficiency_percent' && n > 100)
      return { field: column, message: `an efficiency over 100 %: ${value}` };
  }
  const grade = String(row.tolerance_grade ?? '').trim();
  if (grade && !isGrade(grade))
    return {
      field: 'tolerance_grade',
      message: `unknown HI 14.6 grade '${grade}' (${GRADE_NAMES.join(', ')}, or empty)`,
    };
  return null;
}

export async function saveBaseline(db: StationDb, record: PumpBaselineRecord): Promise<void> {
  const problem = baselineProblem(record as unknown as Record<string, string | number | null>);
  if (problem)
    throw new ApiError(
      'bad_input',
      `baseline of ${record.well_id || '(no pump)'}: field ${problem.field}: ${problem.message}`,
      { field: problem.field },
    );
  await db.run(`INSERT OR REPLACE INTO pump_baselines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
    record.well_id.trim(),
    record.pump_type,
    record.horsepower,
    record.application,
    record.baseline_flow_gpm,
    record.baseline_discharge_pressure_psi,
    record.baseline_power_hp,
    record.baseline_efficiency_percent,
    record.tolerance_grade || null,
    record.source,
  ]);
}

export async function listBaselines(db: StationDb): Promise<PumpBaselineRecord[]> {
  return db.all<PumpBaselineRecord & Record<string, unknown>>(`SELECT * FROM pump_baselines ORDER BY well_id`);
}

export async function loadBaseline(db: StationDb, pump: string): Promise<PumpBaselineRecord | undefined> {
  return db.one<PumpBaselineRecord & Record<string, unknown>>(`SELECT * FROM pump_baselines WHERE well_id = ?`, [pump]);
}

const optionalNumber = (value: string | null) => (value?.trim() ? Number(value) : null);

export async function importBaselines(db: StationDb, path: string): Promise<{ file: string; pumps: string[] }> {
  const file = await detectFile(path);
  if (file.kind !== 'baselines')
    throw new ApiError('bad_input', `${file.name}: line 1: not a baseline file (needs ${BASELINE_COLUMNS.join(', ')})`);
  const missing = BASELINE_COLUMNS.filter((c) => !file.columns.includes(c));
  if (missing.length) throw new ApiError('bad_input', `${file.name}: line 1: missing column ${missing.join(', ')}`);
  const rows = await db.all<Record<string, string | null>>(
    `SELECT *, row_number() OVER () + 1 AS __line FROM read_csv(${literal(path)}, header = true, all_varchar = true, delim = ${literal(file.delimiter)})`,
  );
  const seen = new Set<string>();
  for (const row of rows) {
    const problem = baselineProblem(row);
    if (problem)
      throw new ApiError('bad_input', `${file.name}: line ${row.__line}: field ${problem.field}: ${problem.message}`, {
        line: row.__line,
        field: problem.field,
      });
    if (seen.has(String(row.well_id).trim()))
      throw new ApiError('bad_input', `${file.name}: line ${row.__line}: field well_id: ${row.well_id} is given twice`);
    seen.add(String(row.well_id).trim());
  }
  await db.isolated(async (db) => {
    for (const row of rows) {
      await saveBaseline(db, {
        well_id: String(row.well_id).trim(),
        pump_type: (row.pump_type ?? '').trim(),
        horsepower: Number(row.horsepower),
        application: (row.application ?? '').trim(),
        baseline_flow_gpm: Number(row.baseline_flow_gpm),
        baseline_discharge_pressure_psi: optionalNumber(row.baseline_discharge_pressure_psi),
        baseline_power_hp: Number(row.baseline_power_hp),
        baseline_efficiency_percent: optionalNumber(row.baseline_efficiency_percent),
        tolerance_grade: row.tolerance_grade?.trim() || null,
        source: `file ${basename(path)}`,
      });
    }
  });
  return { file: path, pumps: [...seen] };
}
