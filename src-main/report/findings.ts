import type {
  AlarmKpis,
  AlertRow,
  DailyAnalytics,
  ModelEvaluation,
  ModelSummary,
  PumpPerformance,
  PumpPrediction,
} from '../../src-shared/api/contract';
import type { PumpSpecificEnergy } from '../../src-shared/performance/specificEnergy';
import { linearTrend } from '../../src-shared/performance/trend';
import { levelBands } from '../../src-shared/station/levelBands';
import type { StationModel } from '../../src-shared/station/model';
import type { StationDb } from '../db/stationDb';
import { ident } from '../db/stationDb';
import { listBaselines } from '../ingest/baselines';
import { currentStation } from '../ingest/stationConfig';
import { currentPredictions, listModels, modelEvaluation } from '../models/registry';
import { pumpPerformance } from '../performance/pumpPerformance';
import { stationPumpEnergy } from '../performance/stationPumps';
import { alarmKpis, listAlerts } from '../queries/alerts';
import { dailyAnalytics } from '../queries/analytics';

// What a report says, as numbers: one pass over the database for the chosen period.

export interface StationFigures {
  days: number;
  totalKwh: number;
  totalM3: number;
  energyPerM3: number | null;
  /** Trend of daily kWh/m³ in % of its mean per week (null with under a week of days). */
  energyPerM3TrendPct: number | null;
  /** The lower end of its 95 % interval. */
  energyPerM3TrendLowPct: number | null;
  startsPerDay: number;
  /** % of logged time the level was within its operating band (seed 002 §14's stability index; target > 95 %). */
  tankStability: number | null;
  /** The operating band it was measured against, in % of the range. */
  band: [number, number] | null;
  peakShare: number | null;
  budgetKwh: number;
  daysOverBudget: number;
  kwhAgainstBudgetPct: number | null;
  alertsPerDay: number;
  criticalPerDay: number;
  health: Array<{ pump: string; mean: number | null; latest: number | null }>;
  maxStartsPerDay: Array<{ pump: string; starts: number }>;
  minutes: number;
  expectedMinutes: number;
  gaps: number;
  first: string | null;
  last: string | null;
}

export interface Findings {
  station: StationModel;
  period: { from: string; to: string };
  figures: StationFigures;
  daily: DailyAnalytics;
  hourly: Array<{ date: string; hour: number; avg_flow: number | null; avg_hlt: number | null }>;
  alerts: AlertRow[];
  alarms: AlarmKpis;
  alertsPerDay: Array<{ date: string; severity: string; count: number }>;
  pumps: PumpPerformance[];
  stationPumps: PumpSpecificEnergy[];
  /** Production models of the pumps in the report, with their holdout evaluation. */
  models: Array<{ model: ModelSummary; evaluation: ModelEvaluation }>;
  predictions: PumpPrediction[];
}

export interface FindingsRequest {
  from?: string;
  to?: string;
  pumps?: string[];
}

/** The report period: what was asked, clipped to the data; the whole data range by default. */
export async function reportPeriod(
  db: StationDb,
  request: FindingsRequest,
): Promise<{ from: string; to: string } | null> {
  const range = await db.one<{ first: string | null; last: string | null }>(
    `SELECT strftime(min(date), '%Y-%m-%d') AS first, strftime(max(date), '%Y-%m-%d') AS last FROM readings_wide`,
  );
  if (!range?.first || !range.last) return null;
  const from = request.from && request.from.slice(0, 10) > range.first ? request.from.slice(0, 10) : range.first;
  const to = request.to && request.to.slice(0, 10) < range.last ? request.to.slice(0, 10) : range.last;
  return from <= to ? { from, to } : null;
}

// Long because the station figures of the report come from a few SQL statements whose answers are combined here.
async function stationFigures(
  db: StationDb,
  station: StationModel,
  from: string,
  to: string,
  daily: DailyAnalytics,
  alarms: AlarmKpis,
): Promise<StationFigures> {
  const bands = levelBands(station);
  const sums = await db.single<Record<string, number | null>>(
    `SELECT count(*) AS days, sum(total_kwh) AS kwh, sum(total_flow) AS m3, count(*) FILTER (WHERE total_kwh > ?) AS over_budget,
            avg(${station.pumps.map((p) => `coalesce(${ident(`${p.id}_starts`)}, 0)`).join(' + ') || '0'}) AS starts
     FROM daily_summary WHERE date BETWEEN ?::DATE AND ?::DATE`,
    [station.daily_energy_budget_kwh, from, to],
  );
  const minutes = await db.single<{
    n: number;
    logged: number | null;
    stable: number | null;
    first: string | null;
    last: string | null;
    gaps: number;
  }>(
    `SELECT count(*) AS n, sum((hlt_pct BETWEEN ? AND ?)::INTEGER * coalesce(interval_min, 1)) / sum(coalesce(interval_min, 1)) * 100 AS stable,
            strftime(min("Timestamp"), '%Y-%m-%d %H:%M') AS first, strftime(max("Timestamp"), '%Y-%m-%d %H:%M') AS last,
            count(*) FILTER (WHERE gap > ?) AS gaps, sum(coalesce(interval_min, 1)) AS logged
     FROM (SELECT "Timestamp", hlt_pct, interval_min, date_diff('minute', lag("Timestamp") OVER (ORDER BY "Timestamp"), "Timestamp") AS gap
           FROM readings_wide WHERE date BETWEEN ?::DATE AND ?::DATE)`,
    [bands?.lowPct ?? null, bands?.highPct ?? null, station.interval_min, from, to],
  );
  const health = await db.all<{ pump: string; mean: number | null; latest: number | null }>(
    `SELECT pump, avg(health_score) AS mean, arg_max(health_score, date) AS latest FROM pump_health WHERE date BETWEEN ?::DATE AND ?::DATE GROUP BY pump ORDER BY pump`,
    [from, to],
  );
  const days = Number(sums.days ?? 0);
  const totalKwh = Number(sums.kwh ?? 0);
  const totalM3 = Number(sums.m3 ?? 0);
  const perDay = daily.days
    .flatMap((d) => (d.energy_per_m3 === null ? [] : [d.energy_per_m3]))
    .map((y, x) => ({ x, y }));
  const trend = perDay.length >= 7 ? linearTrend(perDay) : null;
  const meanEpm = perDay.length ? perDay.reduce((s, p) => s + p.y, 0) / perDay.length : 0;
  const kwhByPeak = daily.days.filter((d) => d.peak_kwh_share !== null && d.total_kwh !== null);
  const peakKwh = kwhByPeak.reduce((s, d) => s + (d.peak_kwh_share ?? 0) * (d.total_kwh ?? 0), 0);
  const allKwh = kwhByPeak.reduce((s, d) => s + (d.total_kwh ?? 0), 0);
  const maxStarts = Object.keys(daily.days[0]?.starts ?? {}).map((pump) => ({
    pump,
    starts: Math.max(0, ...daily.days.map((d) => d.starts[pump] ?? 0)),
  }));
  const expected =
    minutes.first && minutes.last
      ? (Date.parse(`${minutes.last.replace(' ', 'T')}Z`) - Date.parse(`${minutes.first.replace(' ', 'T')}Z`)) /
          60_000 +
        1
      : 0;
  return {
    days,
    totalKwh,
    totalM3,
    energyPerM3: totalM3 > 0 ? totalKwh / totalM3 : null,
    energyPerM3TrendPct: trend && meanEpm > 0 ? ((trend.slopePerDay * 7) / meanEpm) * 100 : null,
    energyPerM3TrendLowPct: trend && meanEpm > 0 ? ((trend.slopeLow * 7) / meanEpm) * 100 : null,
    startsPerDay: Number(sums.starts ?? 0),
    tankStability: bands ? minutes.stable : null,
    band: bands ? [bands.lowPct, bands.highPct] : null,
    peakShare: allKwh > 0 ? peakKwh / allKwh : null,
    budgetKwh: station.daily_energy_budget_kwh,
    daysOverBudget: Number(sums.over_budget ?? 0),
    kwhAgainstBudgetPct:
      days > 0 && station.daily_energy_budget_kwh > 0
        ? (totalKwh / (days * station.daily_energy_budget_kwh)) * 100
        : null,
    alertsPerDay: alarms.perDay,
    criticalPerDay: alarms.criticalPerDay,
    health,
    maxStartsPerDay: maxStarts,
    minutes: Number(minutes.logged ?? minutes.n),
    expectedMinutes: expected,
    gaps: minutes.gaps,
    first: minutes.first,
    last: minutes.last,
  };
}

export async function collectFindings(
  db: StationDb,
  request: FindingsRequest,
  period: { from: string; to: string },
  signal?: AbortSignal,
): Promise<Findings> {
  const { from, to } = period;
  const station = (await currentStation(db)).config;
  const daily = await dailyAnalytics(db, from, to);
  const window = { from: `${from} 00:00:00`, to: `${to} 23:59:59` };
  const alarms = await alarmKpis(db, window);
  const figures = await stationFigures(db, station, from, to, daily, alarms);
  const hourly = await db.all<{ date: string; hour: number; avg_flow: number | null; avg_hlt: number | null }>(
    `SELECT strftime(date, '%Y-%m-%d') AS date, hour, avg_flow, avg_hlt FROM hourly_profile WHERE date BETWEEN ?::DATE AND ?::DATE ORDER BY date, hour`,
    [from, to],
  );
  const alerts = await listAlerts(db, window);
  const alertsPerDay = await db.all<{ date: string; severity: string; count: number }>(
    `SELECT strftime(date, '%Y-%m-%d') AS date, severity, count(*) AS count FROM alerts_log WHERE date BETWEEN ?::DATE AND ?::DATE GROUP BY ALL ORDER BY ALL`,
    [from, to],
  );
  const wanted = new Set(request.pumps ?? []);
  const pumps: PumpPerformance[] = [];
  for (const baseline of await listBaselines(db)) {
    if (wanted.size && !wanted.has(baseline.well_id)) continue;
    if (signal?.aborted) break;
    pumps.push(
      await pumpPerformance(db, { pump: baseline.well_id, from: window.from, to: window.to, timelinePoints: 800 }),
    );
  }
  const stationPumps = (await stationPumpEnergy(db)).filter((p) => !wanted.size || wanted.has(p.pump));
  const production = (await listModels(db)).filter(
    (m) => m.stage === 'production' && (!wanted.size || wanted.has(m.pump)),
  );
  const models = await Promise.all(
    production.map(async (model) => ({
      model,
      evaluation: await modelEvaluation(db, model.pump, model.kind, model.version),
    })),
  );
  const predictions = production.length
    ? (await currentPredictions(db)).filter((p) => !wanted.size || wanted.has(p.pump))
    : [];
  return {
    station,
    period,
    figures,
    daily,
    hourly,
    alerts,
    alarms,
    alertsPerDay,
    pumps,
    stationPumps,
    models,
    predictions,
  };
}
