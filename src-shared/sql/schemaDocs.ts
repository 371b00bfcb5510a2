// What the station tables and their columns mean, for the SQL console's schema browser (seed 002
// §6-7 where the seed names them). Per-pump columns are named by the pump's id: they are matched
// by their ending.

export const TABLE_DOCS: Record<string, string> = {
  readings_wide:
    'One row per logged minute (or logging interval): every raw tag, then the derived columns (seed 002 §7).',
  pump_sessions: 'One row per pump run: start, end, minutes, energy, flow and short-cycle flag (seed 002 §7.5).',
  alerts_log: 'One row per alert episode: rule, severity, pump, raised and cleared (seed 002 §7.6).',
  hourly_profile: 'Per hour: flow, level, pumps on, energy, per-pump minutes on, alert count (seed 002 §7.7).',
  daily_summary: 'Per day: flow, level range, energy, energy per m³, per-pump hours, starts and kW (seed 002 §7.8).',
  pump_health:
    'Per pump and day: runtime, starts, cycles, efficiency and its 7-day slope, health score (seed 002 §7.9).',
  pump_baselines: "Each pump's commissioning baseline for ANSI/HI 14.6 (seed 000 BaselineData).",
  pump_operational: 'Per-pump operating readings from wide CSVs (seed 000): flow, head, power, efficiency.',
  maintenance_log: 'Failures, repairs and overhauls per pump: the labels of the models.',
  model_registry: 'Every trained model with its data, holdout, metrics (and naive baseline) and stage.',
  alert_actions: 'ISA-18.2 actions on alerts: acknowledged, shelved, notes, out of service, by whom.',
  tag_meta: 'Raw tags as the files describe them: unit, description, the file they came from.',
  import_log: 'What was imported when, with the summary of each import.',
  project_meta: 'The project\'s settings, among them the station model (key "station").',
  saved_queries: "The SQL console's saved queries.",
  query_history: "The SQL console's history.",
  model_performance:
    'Each forecast run, one row per model: params, backtest RMSE and MAE, R², the hours it learned from (seed 002 §9).',
  optimization_runs:
    'Each pump schedule optimized: window, cost and kWh against what the station did, the schedule (seed 002 §11).',
};

const COLUMN_DOCS: Record<string, string> = {
  Timestamp: 'The minute (naive local time of the historian).',
  Marker: 'B where logging began, else S or blank (RSView32).',
  date: 'The day.',
  hour: 'The hour of the day (0-23).',
  day_of_week: 'Day of the week, 0 = Monday.',
  is_weekend: '1 on Saturday and Sunday.',
  is_peak_hour: '1 in the peak tariff hours of the station model.',
  pumps_on_count: 'Pumps running.',
  total_kw: "Sum of the pumps' kW (NULL when none is known).",
  flow_per_pump: 'Station flow / pumps running.',
  energy_per_flow: 'kW / flow: kWh per m³.',
  hlt_pct: 'The level in % of its range (tank or wet well).',
  hlt_diff: 'Level change since the previous row.',
  flow_diff: 'Flow change since the previous row.',
  flow_z_score: 'Flow against its mean over the last 60 minutes, in standard deviations.',
  flow_slope_10: 'Least-squares slope of the flow over the last 10 minutes (per minute).',
  flag_zero_flow_pump_on: "Seed flag: a pump on and the flow 0 (the seed's condition; alerts are the rules').",
  flag_flow_anomaly: 'Seed flag: |flow_z_score| above 3.5.',
  flag_hlt_critical_low: 'Seed flag: level under 15 %.',
  flag_hlt_overflow_risk: 'Seed flag: level over 90 % and rising.',
  flag_short_cycle: 'Seed flag: a pump started more than 4 times in the last hour.',
  flag_pump_overrun: 'Seed flag: a pump on for over 20 hours.',
  flag_peak_hour_waste: 'Seed flag: pumping in peak hours with the level over 80 %.',
  interval_min: 'Minutes the row stands for (its step, at most the logging interval).',
  duration_min: 'Minutes.',
  kwh_consumed: 'kWh used by the run.',
  is_short_cycle: '1 when the run was shorter than 5 minutes.',
  severity: 'CRITICAL, HIGH, WARNING or INFO.',
  rule: 'The alert rule (docs/alerts.md).',
  resolved: '1 once cleared.',
  value_at_trigger: "The rule's value when it was raised.",
  total_kwh: 'kWh.',
  total_flow: 'm³ pumped.',
  energy_per_m3: 'kWh per m³.',
  peak_flow: 'Highest flow (m³/h).',
  peak_flow_hour: 'The hour of the highest flow.',
  min_hlt_level: "Lowest level (the level's unit).",
  max_hlt_level: "Highest level (the level's unit).",
  efficiency_slope_7d: 'Slope of the daily m³/kWh over 7 days (per day).',
  health_score:
    '100 minus points for efficiency decline, short cycles, an overrun and many starts (docs/decisions.md).',
  avg_flow_per_kwh: 'm³ per kWh.',
};

const PER_PUMP: Array<[RegExp, string]> = [
  [/_hours_on$/, 'Hours the pump ran.'],
  [/_starts$/, 'Times the pump started.'],
  [/_avg_kwh$/, 'Mean kW while the pump ran.'],
  [/_on_minutes$/, 'Minutes the pump ran in the hour.'],
];

/** The description of a column of a table, when one is known. */
export function columnDoc(table: string, column: string): string | null {
  if (COLUMN_DOCS[column]) return COLUMN_DOCS[column];
  const perPump = PER_PUMP.find(([pattern]) => pattern.test(column));
  if (perPump) return perPump[1];
  if (table === 'readings_wide') return 'A raw tag of the historian.';
  return null;
}
