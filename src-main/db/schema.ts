import { PUMPS } from '../../src-shared/tags';
import type { StationDb } from './stationDb';
import { ident } from './stationDb';

// hourly_profile and daily_summary carry a column per pump (seed 002 §7.6-7.7: P1_on_minutes ...),
// named by the station model's pump ids: pumpTablesDdl builds them for the station's pumps.

// The station tables of seed 002 §5-7, with the seed's names: raw tag names are column names, and
// the derived columns of §7.2-7.5 follow them in readings_wide.

/** Derived columns of readings_wide (seed 002 §7.2-7.5), in order, with their SQL types. */
export const DERIVED_COLUMNS: Array<[string, string]> = [
  ['date', 'DATE'],
  ['hour', 'INTEGER'],
  ['day_of_week', 'INTEGER'],
  ['is_weekend', 'INTEGER'],
  ['is_peak_hour', 'INTEGER'],
  ['pumps_on_count', 'INTEGER'],
  ['total_kw', 'DOUBLE'],
  ['flow_per_pump', 'DOUBLE'],
  ['energy_per_flow', 'DOUBLE'],
  ['hlt_pct', 'DOUBLE'],
  ['hlt_diff', 'DOUBLE'],
  ['flow_diff', 'DOUBLE'],
  ['flow_z_score', 'DOUBLE'],
  ['flow_slope_10', 'DOUBLE'],
  ['flag_zero_flow_pump_on', 'INTEGER'],
  ['flag_flow_anomaly', 'INTEGER'],
  ['flag_hlt_critical_low', 'INTEGER'],
  ['flag_hlt_overflow_risk', 'INTEGER'],
  ['flag_short_cycle', 'INTEGER'],
  ['flag_pump_overrun', 'INTEGER'],
  ['flag_peak_hour_waste', 'INTEGER'],
  // Not a seed column: the minutes the row stands for (its step, at most the logging interval).
  ['interval_min', 'INTEGER'],
];

/**
 * readings_wide: one row per minute. Uniqueness of "Timestamp" is kept by construction (every
 * import groups by minute and replaces the minutes it touches) rather than by a PRIMARY KEY,
 * whose index costs a second per year of data on insert.
 */
export function readingsWideDdl(tags: readonly string[] = [], create = 'CREATE TABLE IF NOT EXISTS'): string {
  const columns = [
    '"Timestamp" TIMESTAMP NOT NULL',
    '"Marker" VARCHAR',
    ...tags.map((tag) => `${ident(tag)} DOUBLE`),
    ...DERIVED_COLUMNS.map(([name, type]) => `${name} ${type}`),
  ];
  return `${create} readings_wide (\n  ${columns.join(',\n  ')}\n)`;
}

/** hourly_profile and daily_summary for these pumps (the seed's P1..P6 by default). */
export function pumpTablesDdl(pumps: readonly string[] = PUMPS): string[] {
  // A station without pumps yet (a model still to be confirmed) has none of these columns.
  const perPump = (template: (pump: string) => string) => pumps.map((p) => `${template(p)},\n  `).join('');
  return [
    `CREATE TABLE IF NOT EXISTS hourly_profile (
  date DATE NOT NULL,
  hour INTEGER NOT NULL,
  avg_flow DOUBLE,
  total_flow DOUBLE,
  avg_hlt DOUBLE,
  avg_pumps_on DOUBLE,
  total_kwh DOUBLE,
  ${perPump((p) => `${ident(`${p}_on_minutes`)} INTEGER`)}alert_count INTEGER,
  is_peak_hour INTEGER,
  minutes_logged INTEGER
)`,
    `CREATE TABLE IF NOT EXISTS daily_summary (
  date DATE NOT NULL,
  total_flow DOUBLE,
  avg_flow_per_hr DOUBLE,
  peak_flow DOUBLE,
  peak_flow_hour INTEGER,
  avg_hlt_level DOUBLE,
  min_hlt_level DOUBLE,
  max_hlt_level DOUBLE,
  total_kwh DOUBLE,
  energy_per_m3 DOUBLE,
  ${perPump((p) => `${ident(`${p}_hours_on`)} DOUBLE`)}${perPump((p) => `${ident(`${p}_starts`)} INTEGER`)}${perPump((p) => `${ident(`${p}_avg_kwh`)} DOUBLE`)}total_alerts INTEGER,
  critical_alerts INTEGER,
  peak_pumps_on INTEGER,
  avg_pumps_on DOUBLE,
  is_weekend INTEGER,
  minutes_logged INTEGER
)`,
  ];
}

/**
 * Makes hourly_profile and daily_summary carry these pumps' columns: when the station's pumps
 * changed, both are made again (empty: the caller rebuilds them). True when they were.
 */
export async function ensurePumpTables(db: StationDb, pumps: readonly string[]): Promise<boolean> {
  const have = await db.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'hourly_profile' AND column_name LIKE '%\\_on\\_minutes' ESCAPE '\\' ORDER BY ordinal_position`,
  );
  const want = pumps.map((p) => `${p}_on_minutes`);
  if (have.length === want.length && have.every((c, i) => c.column_name === want[i])) return false;
  await db.run('DROP TABLE IF EXISTS hourly_profile');
  await db.run('DROP TABLE IF EXISTS daily_summary');
  for (const ddl of pumpTablesDdl(pumps)) await db.run(ddl);
  return true;
}

const TABLES = [
  `CREATE TABLE IF NOT EXISTS project_meta (key VARCHAR PRIMARY KEY, value JSON NOT NULL)`,
  readingsWideDdl(),
  `CREATE SEQUENCE IF NOT EXISTS pump_sessions_id`,
  `CREATE TABLE IF NOT EXISTS pump_sessions (
  id BIGINT DEFAULT nextval('pump_sessions_id'),
  pump VARCHAR NOT NULL,
  start_time TIMESTAMP NOT NULL,
  end_time TIMESTAMP,
  duration_min INTEGER,
  status VARCHAR NOT NULL,
  date DATE NOT NULL,
  kwh_consumed DOUBLE,
  flow_during_run DOUBLE,
  efficiency DOUBLE,
  is_short_cycle INTEGER
)`,
  `CREATE SEQUENCE IF NOT EXISTS alerts_log_id`,
  `CREATE TABLE IF NOT EXISTS alerts_log (
  id BIGINT DEFAULT nextval('alerts_log_id'),
  timestamp TIMESTAMP NOT NULL,
  date DATE NOT NULL,
  hour INTEGER NOT NULL,
  severity VARCHAR NOT NULL,
  rule VARCHAR NOT NULL,
  pump VARCHAR,
  message VARCHAR,
  value_at_trigger DOUBLE,
  resolved INTEGER NOT NULL DEFAULT 0,
  resolved_at TIMESTAMP,
  duration_min INTEGER
)`,
  `CREATE TABLE IF NOT EXISTS pump_health (
  date DATE NOT NULL,
  pump VARCHAR NOT NULL,
  total_runtime_min INTEGER,
  start_count INTEGER,
  stop_count INTEGER,
  short_cycle_count INTEGER,
  longest_run_min INTEGER,
  avg_run_min DOUBLE,
  avg_kwh DOUBLE,
  avg_flow_per_kwh DOUBLE,
  efficiency_slope_7d DOUBLE,
  overrun_flag INTEGER,
  health_score DOUBLE
)`,
  // Each pump's flow per kWh at like head and speed, for the 7 days ending each day (the alert
  // engine's estimator, src-shared/performance/pumpEfficiency.ts): E-05 reads it live, pump_health from here.
  `CREATE TABLE IF NOT EXISTS pump_efficiency (
  date DATE NOT NULL, pump VARCHAR NOT NULL, flow_m3h DOUBLE, kw DOUBLE, m3_per_kwh DOUBLE,
  ratio_to_best DOUBLE, slope_per_day DOUBLE, run_minutes DOUBLE
)`,
  // ISA-18.2 lifecycle actions on alerts (acknowledge, shelve, notes, out of service), with who and when.
  `CREATE TABLE IF NOT EXISTS alert_actions (
  acted_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL, action VARCHAR NOT NULL,
  rule VARCHAR NOT NULL, pump VARCHAR, alert_time TIMESTAMP, until TIMESTAMP, text VARCHAR
)`,
  // Seed 000 BaselineData per pump, with an optional HI 14.6 grade that overrides the one chosen
  // from application and horsepower, and where the baseline came from (a file, a period, an edit).
  `CREATE TABLE IF NOT EXISTS pump_baselines (
  well_id VARCHAR PRIMARY KEY, pump_type VARCHAR, horsepower DOUBLE, application VARCHAR,
  baseline_flow_gpm DOUBLE, baseline_discharge_pressure_psi DOUBLE, baseline_power_hp DOUBLE, baseline_efficiency_percent DOUBLE,
  tolerance_grade VARCHAR, source VARCHAR
)`,
  `ALTER TABLE pump_baselines ADD COLUMN IF NOT EXISTS tolerance_grade VARCHAR`,
  // Projects made before readings_wide kept each row's weight (a minute per row, then).
  `ALTER TABLE readings_wide ADD COLUMN IF NOT EXISTS interval_min INTEGER`,
  `ALTER TABLE pump_baselines ADD COLUMN IF NOT EXISTS source VARCHAR`,
  // Per-pump operational readings from wide CSVs (seed 000), in the file's units.
  `CREATE TABLE IF NOT EXISTS pump_operational (
  pump VARCHAR NOT NULL, "Timestamp" TIMESTAMP NOT NULL, flow DOUBLE, head DOUBLE, power DOUBLE, efficiency DOUBLE,
  signals JSON, source_file VARCHAR
)`,
  // The maintenance log the engineer keeps: failures, repairs and overhauls per pump (model labels).
  `CREATE TABLE IF NOT EXISTS maintenance_log (pump VARCHAR NOT NULL, event_at TIMESTAMP NOT NULL, kind VARCHAR NOT NULL, note VARCHAR)`,
  // Trained models with their data range, features, parameters, metrics and stage (seed 002 registry).
  `CREATE TABLE IF NOT EXISTS model_registry (
  pump VARCHAR NOT NULL, kind VARCHAR NOT NULL, version INTEGER NOT NULL, created_at TIMESTAMP NOT NULL, stage VARCHAR NOT NULL,
  data_from TIMESTAMP, data_to TIMESTAMP, train_rows INTEGER, test_rows INTEGER, holdout_from TIMESTAMP, holdout_to TIMESTAMP,
  params JSON, metrics JSON, evaluation JSON, model JSON NOT NULL, promoted_at TIMESTAMP, note VARCHAR
)`,
  // Raw tags as the files describe them: unit (a units row, a tag table), description, first source.
  `CREATE TABLE IF NOT EXISTS tag_meta (tag VARCHAR PRIMARY KEY, unit VARCHAR, description VARCHAR, source VARCHAR)`,
  // Import history: what was imported when, with its quality counts (not a seed table).
  `CREATE TABLE IF NOT EXISTS import_log (
  imported_at TIMESTAMP NOT NULL,
  kind VARCHAR NOT NULL,
  file VARCHAR NOT NULL,
  first_ts TIMESTAMP,
  last_ts TIMESTAMP,
  summary JSON NOT NULL
)`,
  // The SQL console's saved queries and its history (what ran, when, how many rows or which error).
  `CREATE TABLE IF NOT EXISTS saved_queries (name VARCHAR PRIMARY KEY, sql VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS query_history (ran_at TIMESTAMP NOT NULL, sql VARCHAR NOT NULL, rows INTEGER, seconds DOUBLE, error VARCHAR)`,
  // Forecast runs, one row per model backtested (seed 002's MLflow items), and optimizer runs.
  `CREATE TABLE IF NOT EXISTS model_performance (
  run_at TIMESTAMP NOT NULL,
  purpose VARCHAR NOT NULL,
  model VARCHAR NOT NULL,
  params JSON NOT NULL,
  chosen BOOLEAN NOT NULL,
  rmse_val DOUBLE,
  mae_val DOUBLE,
  rmse_train DOUBLE,
  r2 DOUBLE,
  data_from TIMESTAMP,
  data_to TIMESTAMP,
  origin TIMESTAMP
)`,
  `CREATE TABLE IF NOT EXISTS optimization_runs (
  run_at TIMESTAMP NOT NULL,
  origin TIMESTAMP NOT NULL,
  hours INTEGER NOT NULL,
  slot_minutes INTEGER NOT NULL,
  forecast_model VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  kwh DOUBLE,
  cost DOUBLE,
  actual_kwh DOUBLE,
  actual_cost DOUBLE,
  savings_pct DOUBLE,
  solve_s DOUBLE,
  result JSON NOT NULL
)`,
];

/** The six station tables in the seed's build order (seed 002 §6), plus project bookkeeping. */
export const STATION_TABLES = [
  'readings_wide',
  'pump_sessions',
  'alerts_log',
  'hourly_profile',
  'daily_summary',
  'pump_health',
] as const;

/** Creates what is missing; hourly_profile and daily_summary for the seed's pumps until a station says otherwise. */
export async function ensureSchema(db: StationDb): Promise<void> {
  for (const ddl of [...TABLES, ...pumpTablesDdl()]) await db.run(ddl);
}

export async function readMeta<T>(db: StationDb, key: string): Promise<T | undefined> {
  const row = await db.one<{ value: string }>(`SELECT value::VARCHAR AS value FROM project_meta WHERE key = ?`, [key]);
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export async function writeMeta(db: StationDb, key: string, value: unknown): Promise<void> {
  await db.run(`INSERT OR REPLACE INTO project_meta VALUES (?, ?::JSON)`, [key, JSON.stringify(value)]);
}

/** Names a raw tag cannot have: readings_wide's own columns (DuckDB compares names case-insensitively). */
export const RESERVED_COLUMNS = new Set([
  'timestamp',
  'marker',
  ...DERIVED_COLUMNS.map(([name]) => name.toLowerCase()),
]);

/** Records what a file says of its tags; a unit or description already known is kept unless the file gives one. */
export async function writeTagMeta(
  db: StationDb,
  tags: string[],
  units: Record<string, string>,
  descriptions: Record<string, string>,
  source: string,
): Promise<void> {
  const unique = [...new Set(tags)];
  if (unique.length === 0) return;
  // One statement for all tags: a statement each cost 4 ms, 0.1 s for a 27-tag file.
  await db.run(
    `INSERT INTO tag_meta VALUES ${unique.map(() => '(?, ?, ?, ?)').join(', ')} ON CONFLICT (tag) DO UPDATE SET
       unit = coalesce(excluded.unit, tag_meta.unit), description = coalesce(excluded.description, tag_meta.description)`,
    unique.flatMap((tag) => [tag, units[tag] ?? null, descriptions[tag] ?? null, source]),
  );
}

/** Columns of readings_wide that hold raw tags (everything but Timestamp, Marker and derived). */
export async function rawTagColumns(db: StationDb): Promise<string[]> {
  const derived = new Set(DERIVED_COLUMNS.map(([name]) => name));
  const rows = await db.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'readings_wide' ORDER BY ordinal_position`,
  );
  return rows.map((r) => r.column_name).filter((c) => c !== 'Timestamp' && c !== 'Marker' && !derived.has(c));
}
