import { ApiError } from '../../src-shared/api/errors';
import { literal, type StationDb } from '../db/stationDb';
import { detectFile } from './detect';

// Seed 000 BaselineData: one row per pump (well_id), imported as one transaction.

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
const NUMERIC = new Set(['horsepower', 'baseline_flow_gpm', 'baseline_discharge_pressure_psi', 'baseline_power_hp', 'baseline_efficiency_percent']);

export interface Baseline {
  well_id: string;
  pump_type: string;
  horsepower: number;
  application: string;
  baseline_flow_gpm: number;
  baseline_discharge_pressure_psi: number;
  baseline_power_hp: number;
  baseline_efficiency_percent: number;
}

export async function ensureBaselineTable(db: StationDb): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS pump_baselines (
    well_id VARCHAR PRIMARY KEY, pump_type VARCHAR, horsepower DOUBLE, application VARCHAR,
    baseline_flow_gpm DOUBLE, baseline_discharge_pressure_psi DOUBLE, baseline_power_hp DOUBLE, baseline_efficiency_percent DOUBLE)`);
}

/** Checks one baseline row; returns the field and the problem, or null. */
export function baselineProblem(row: Record<string, string | null>): { field: string; message: string } | null {
  for (const column of BASELINE_COLUMNS) {
    const value = row[column]?.trim() ?? '';
    if (column === 'well_id' && !value) return { field: column, message: 'empty' };
    if (!NUMERIC.has(column)) continue;
    const n = Number(value);
    if (value === '' || !Number.isFinite(n)) return { field: column, message: `not a number: '${value}'` };
    if (n <= 0) return { field: column, message: `must be above 0: ${value}` };
    if (column === 'baseline_efficiency_percent' && n > 100) return { field: column, message: `an efficiency over 100 %: ${value}` };
  }
  return null;
}

export async function importBaselines(db: StationDb, path: string): Promise<{ file: string; pumps: string[] }> {
  const file = await detectFile(path);
  if (file.kind !== 'baselines') throw new ApiError('bad_input', `${file.name}: line 1: not a baseline file (needs ${BASELINE_COLUMNS.join(', ')})`);
  const missing = BASELINE_COLUMNS.filter((c) => !file.columns.includes(c));
  if (missing.length) throw new ApiError('bad_input', `${file.name}: line 1: missing column ${missing.join(', ')}`);
  await ensureBaselineTable(db);
  const rows = await db.all<Record<string, string | null>>(
    `SELECT *, row_number() OVER () + 1 AS __line FROM read_csv(${literal(path)}, header = true, all_varchar = true, delim = ${literal(file.delimiter)})`,
  );
  const seen = new Set<string>();
  for (const row of rows) {
    const problem = baselineProblem(row);
    if (problem) throw new ApiError('bad_input', `${file.name}: line ${row.__line}: field ${problem.field}: ${problem.message}`, { line: row.__line, field: problem.field });
    if (seen.has(row.well_id!.trim())) throw new ApiError('bad_input', `${file.name}: line ${row.__line}: field well_id: ${row.well_id} is given twice`);
    seen.add(row.well_id!.trim());
  }
  await db.transaction(async () => {
    for (const row of rows) {
      await db.run(
        `INSERT OR REPLACE INTO pump_baselines VALUES (${BASELINE_COLUMNS.map(() => '?').join(', ')})`,
        BASELINE_COLUMNS.map((c) => (NUMERIC.has(c) ? Number(row[c]) : (row[c] ?? '').trim())),
      );
    }
  });
  return { file: path, pumps: [...seen] };
}
