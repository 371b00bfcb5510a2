import { z } from 'zod';
import type { AnomalySummary } from '../edge/anomalyStats';
import type { FleetAnswer } from '../edge/fleet';
import type { AnomalyPage } from '../edge/payload';
import type { ForecasterName } from '../forecast/forecasters';
import type { ForecastPromotion } from '../forecast/registry';
import type { AnomalyEvent } from '../models/anomalyEvents';
import type { ModelKind } from '../models/bundle';
import type { ForestParams } from '../models/forest';
import type { GradeSource, PumpBaselineRecord } from '../performance/baselineRecord';
import type { PumpEvaluation } from '../performance/evaluate';
import { GRADE_NAMES, type Grade, type Parameter } from '../performance/grades';
import type { QuietestPeriod } from '../performance/quietestPeriod';
import type { PumpSpecificEnergy } from '../performance/specificEnergy';
import type { PumpStatus } from '../performance/tolerance';
import type { StationField, StationModel } from '../station/model';
import type { TagInfo } from '../station/tagCatalog';

// The one API contract. Every method takes one JSON argument and returns plain JSON; the param
// schemas below are both the validation at the dispatcher and the source of the param types.

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const isoMinute = z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/, 'expected YYYY-MM-DD HH:MM[:SS]');

/** Who acts: the name set at the console; the OS user when absent. */
const operatorName = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), 'no control characters');

const modelKind = z.enum(['rul', 'risk']);
const modelRef = z
  .object({ pump: z.string().min(1).max(64), kind: modelKind, version: z.number().int().min(1) })
  .strict();

/** A query of the saved anomaly API (anomalies.configure): filters only, never a URL (issue 35). */
const anomalyQuery = z
  .object({
    pumpId: z.number().int().optional(),
    siteId: z.number().int().optional(),
    sensorId: z.number().int().optional(),
    startDate: z.string().max(40).optional(),
    endDate: z.string().max(40).optional(),
  })
  .strict();

const reportRequest = z
  .object({
    from: isoDay.optional(),
    to: isoDay.optional(),
    /** Pumps in the pump section (all with a baseline when absent). */
    pumps: z.array(z.string().min(1).max(64)).max(64).optional(),
    sections: z
      .array(z.enum(['summary', 'station', 'alerts', 'pumps', 'models']))
      .min(1)
      .optional(),
  })
  .strict();

export const apiParams = {
  'app.info': z.object({}).strict(),
  'station.config': z.object({}).strict(),
  'station.overview': z.object({ day: isoDay.optional() }).strict(),
  'station.series': z
    .object({
      tags: z.array(z.string().min(1)).min(1).max(32),
      from: isoMinute.optional(),
      to: isoMinute.optional(),
      /** Last N hours before the newest reading, when from/to are not given. */
      lastHours: z
        .number()
        .positive()
        .max(24 * 366 * 5)
        .optional(),
      /** Pixel columns the chart has; the server downsamples (M4) to about 4 points per column. */
      width: z.number().int().min(10).max(10_000).default(1200),
    })
    .strict(),
  /** Sends a file to the main side in base64 chunks (the browser cannot hand over a path). */
  'import.upload': z
    .object({
      uploadId: z
        .string()
        .regex(/^[a-z0-9]{16}$/)
        .optional(),
      name: z.string().min(1).max(255),
      offset: z.number().int().min(0),
      chunk: z.string().max(1_000_000),
    })
    .strict(),
  'import.preview': z.object({ file: z.string().min(1) }).strict(),
  'import.run': z.discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('historian'),
        file: z.string().min(1),
        tagTable: z.string().min(1).optional(),
        dateOrder: z.enum(['mdy', 'dmy']).optional(),
        /** The operator confirmed importing a file of which over half the samples are dropped. */
        allowDrops: z.boolean().optional(),
        /** The station model (station.json's shape) the operator confirmed for a project's first file. */
        station: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('wide'),
        file: z.string().min(1),
        pump: z.string().min(1).max(64),
        mapping: z
          .object({ flow: z.string(), head: z.string(), power: z.string(), efficiency: z.string() })
          .partial()
          .strict()
          .optional(),
      })
      .strict(),
    z.object({ kind: z.literal('baselines'), file: z.string().min(1) }).strict(),
    z.object({ kind: z.literal('maintenance'), file: z.string().min(1) }).strict(),
    z.object({ kind: z.literal('station'), file: z.string().min(1) }).strict(),
  ]),
  'station.settings': z.object({}).strict(),
  'station.update': z
    .object({
      rated_kw: z.number().positive().optional(),
      hlt_physical_max: z.number().positive().optional(),
      fit101_physical_max: z.number().positive().optional(),
      daily_energy_budget_kwh: z.number().positive().optional(),
      peak_hours: z.array(z.tuple([z.number().int().min(0).max(24), z.number().int().min(0).max(24)])).optional(),
      interval_min: z.number().int().min(1).max(1440).optional(),
    })
    .strict(),
  /** Replaces the station model (validated as station.json is) and rebuilds every table from it. */
  'station.setModel': z.object({ model: z.record(z.string(), z.unknown()) }).strict(),
  /** A model suggested from the stored data: tag names, units and values. */
  'station.suggest': z.object({}).strict(),
  'analytics.columns': z.object({}).strict(),
  'alerts.list': z
    .object({
      from: isoMinute.optional(),
      to: isoMinute.optional(),
      severity: z.array(z.enum(['CRITICAL', 'HIGH', 'WARNING', 'INFO'])).optional(),
      group: z.array(z.enum(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'])).optional(),
      pump: z.string().optional(),
      openOnly: z.boolean().optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
    })
    .strict(),
  /** Alerts per severity under the feed's other filters: the counts beside the severity boxes. */
  'alerts.counts': z
    .object({
      from: isoMinute.optional(),
      to: isoMinute.optional(),
      group: z.array(z.enum(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'])).optional(),
      pump: z.string().optional(),
      openOnly: z.boolean().optional(),
    })
    .strict(),
  'alerts.kpis': z.object({ from: isoMinute.optional(), to: isoMinute.optional() }).strict(),
  'alerts.catalog': z.object({}).strict(),
  /** Acknowledges several alerts at once (one journal entry each), all or none. */
  'alerts.ackMany': z
    .object({
      keys: z
        .array(
          z
            .object({ rule: z.string().regex(/^[A-H]-0\d$/), pump: z.string().nullable(), timestamp: isoMinute })
            .strict(),
        )
        .min(1)
        .max(1000),
      operator: operatorName.optional(),
    })
    .strict(),
  'alerts.act': z
    .object({
      action: z.enum(['ack', 'shelve', 'unshelve', 'note', 'out_of_service', 'return_to_service']),
      rule: z.string().regex(/^[A-H]-0\d$/),
      pump: z.string().nullable().optional(),
      timestamp: isoMinute.optional(),
      minutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .optional(),
      text: z.string().max(2000).optional(),
      operator: operatorName.optional(),
    })
    .strict(),
  'alerts.journal': z
    .object({ rule: z.string().optional(), pump: z.string().nullable().optional(), timestamp: isoMinute.optional() })
    .strict(),
  'analytics.daily': z.object({ from: isoDay.optional(), to: isoDay.optional() }).strict(),
  'performance.fleet': z.object({}).strict(),
  'performance.pump': z
    .object({
      pump: z.string().min(1).max(64),
      /** Overrides the grade for this look only (the baseline's grade is changed with performance.setBaseline). */
      grade: z.enum(GRADE_NAMES).optional(),
      from: isoMinute.or(isoDay).optional(),
      to: isoMinute.or(isoDay).optional(),
      windowMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .optional(),
      trendDays: z.number().int().min(3).max(366).optional(),
    })
    .strict(),
  'performance.baselines': z.object({}).strict(),
  'performance.setBaseline': z
    .object({
      well_id: z.string().min(1).max(64),
      pump_type: z.string().max(200).optional(),
      horsepower: z.number().positive().optional(),
      application: z.string().max(200).optional(),
      baseline_flow_gpm: z.number().positive().optional(),
      baseline_discharge_pressure_psi: z.number().positive().optional(),
      baseline_power_hp: z.number().positive().optional(),
      baseline_efficiency_percent: z.number().positive().max(100).optional(),
      tolerance_grade: z.enum(GRADE_NAMES).nullable().optional(),
    })
    .strict(),
  'performance.baselineFromPeriod': z
    .object({
      pump: z.string().min(1).max(64),
      from: isoMinute.or(isoDay),
      to: isoMinute.or(isoDay),
      horsepower: z.number().positive().optional(),
      application: z.string().max(200).optional(),
    })
    .strict(),
  'performance.stationPumps': z.object({}).strict(),
  'performance.proposeBaselines': z.object({ days: z.number().int().min(1).max(90).optional() }).strict(),
  'performance.takeProposedBaselines': z
    .object({
      pumps: z.array(z.string().min(1).max(64)).max(200).optional(),
      days: z.number().int().min(1).max(90).optional(),
    })
    .strict(),
  'report.preview': reportRequest,
  'report.build': reportRequest.extend({ format: z.enum(['pdf', 'zip']) }).strict(),
  /** Reads back a built file (report, artifact) in base64 chunks. */
  'download.read': z.object({ id: z.string().regex(/^[a-f0-9]{16}$/), offset: z.number().int().min(0) }).strict(),
  'maintenance.list': z.object({ pump: z.string().min(1).max(64).optional() }).strict(),
  'maintenance.add': z
    .object({
      pump: z.string().min(1).max(64),
      at: isoMinute.or(isoDay),
      kind: z.enum(['failure', 'repair', 'overhaul']),
      note: z.string().max(500).nullable().optional(),
    })
    .strict(),
  'models.train': z
    .object({
      pump: z.string().min(1).max(64),
      kind: modelKind,
      from: isoMinute.or(isoDay).optional(),
      to: isoMinute.or(isoDay).optional(),
      trees: z.number().int().min(10).max(500).optional(),
    })
    .strict(),
  'models.list': z.object({ pump: z.string().min(1).max(64).optional() }).strict(),
  'models.detail': modelRef,
  'models.promote': modelRef,
  'models.rollback': modelRef,
  'models.predictions': z.object({}).strict(),
  'models.anomalies': z
    .object({
      pump: z.string().min(1).max(64),
      from: isoMinute.or(isoDay).optional(),
      to: isoMinute.or(isoDay).optional(),
    })
    .strict(),
  'edge.package': z
    .object({
      pump: z.string().min(1).max(64).optional(),
      station: z.boolean().optional(),
      modelVersions: z
        .object({ rul: z.number().int().min(1).optional(), risk: z.number().int().min(1).optional() })
        .strict()
        .optional(),
      /** The engineer confirmed packaging a model that does not beat its naive baseline. */
      acceptWeakModels: z.boolean().optional(),
      apiUrl: z.string().regex(/^https?:\/\/\S+$/, 'expected an http:// or https:// URL'),
      siteId: z.number().int().min(0),
      pumpId: z.number().int().min(0),
      debounceMinutes: z.number().int().min(0).max(1440),
      intervalSeconds: z.number().int().min(10).max(86_400),
    })
    .strict(),
  'anomalies.query': anomalyQuery
    .extend({
      page: z.number().int().min(1).default(1),
      pageSize: z.number().int().min(1).max(1000).default(50),
      sortDirection: z.enum(['asc', 'desc']).default('desc'),
    })
    .strict(),
  /** Every anomaly matching the filters (up to 20,000): summary statistics and the CSV export. */
  'anomalies.summary': anomalyQuery,
  /** The fleet: every site the saved anomaly API knows, silent ones first (issue 33). */
  'anomalies.sites': z.object({ staleMinutes: z.number().int().min(1).max(525_600).optional() }).strict(),
  /** The anomaly API the console reads: its URL, whether a token is saved, the hosts allowed beyond the usual. */
  'anomalies.settings': z.object({}).strict(),
  'anomalies.configure': z
    .object({
      url: z.string().min(1).max(500),
      /** A new token; omitted keeps the saved one, null removes it. */
      token: z.string().min(1).max(4096).nullable().optional(),
      /** Hosts allowed although link-local (a site's own appliance at 169.254.x.x). */
      allowHosts: z.array(z.string().min(1).max(253)).max(20).optional(),
    })
    .strict(),
  /** The SQL console: one read-only SELECT in the sandbox (docs/security.md). */
  'sql.run': z
    .object({
      sql: z.string().min(1).max(100_000),
      maxRows: z.number().int().min(1).max(100_000).default(100_000),
    })
    .strict(),
  'sql.schema': z.object({}).strict(),
  /** The last result of sql.run written as a file to download. */
  'sql.export': z.object({ sql: z.string().min(1).max(100_000), format: z.enum(['csv', 'parquet']) }).strict(),
  'sql.saved': z.object({}).strict(),
  'sql.save': z.object({ name: z.string().min(1).max(120), sql: z.string().min(1).max(100_000) }).strict(),
  'sql.forget': z.object({ name: z.string().min(1).max(120) }).strict(),
  'sql.history': z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
  /** A question in plain language, answered offline (src-shared/ask). */
  'ask.question': z.object({ question: z.string().min(1).max(500) }).strict(),
  /** The flow the pumps must meet from an origin (default after the newest data), by the backtest's model. */
  'forecast.run': z.object({ at: isoMinute.optional(), hours: z.number().int().min(1).max(168).default(24) }).strict(),
  /** Each forecast run's models and backtest RMSE (the RMSE trend). */
  'forecast.performance': z.object({ limit: z.number().int().min(1).max(2000).default(300) }).strict(),
  /** The cheapest pump schedule for a window (HiGHS). */
  'optimize.run': z
    .object({
      at: isoMinute.optional(),
      hours: z.number().int().min(1).max(72).default(24),
      slotMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)]).default(60),
      maxStartsPerDay: z.number().int().min(0).max(96).optional(),
    })
    .strict(),
  /** The optional language model for questions the intents do not cover; off by default. */
  'ask.model': z.object({}).strict(),
  'ask.configureModel': z
    .object({
      enabled: z.boolean(),
      url: z
        .string()
        .max(500)
        .refine((u) => u === '' || /^https?:\/\/[^\s]+$/.test(u), 'must be an http:// or https:// address'),
      model: z.string().max(200),
      /** A new key; omitted keeps the saved one, null removes it. */
      key: z.string().min(1).max(1000).nullable().optional(),
    })
    .strict()
    .refine(
      (s) => !s.enabled || (s.url !== '' && s.model !== ''),
      'an enabled model needs an address and a model name',
    ),
} as const;

export type ApiMethod = keyof typeof apiParams;
export type ApiParams<M extends ApiMethod> = z.input<(typeof apiParams)[M]>;
/** Params after validation and defaults, as handlers see them. */
export type ApiParsedParams<M extends ApiMethod> = z.output<(typeof apiParams)[M]>;

export interface ApiResults {
  'app.info': AppInfo;
  'station.config': StationModel;
  'station.overview': StationOverview;
  'station.series': StationSeries;
  'import.upload': { uploadId: string; file: string; bytes: number };
  'import.preview': FilePreview;
  'import.run': ImportResult;
  'station.settings': StationSettings;
  'station.update': StationSettings;
  'station.setModel': StationSettings;
  'station.suggest': StationSuggestion;
  'analytics.columns': AnalyticsColumns;
  'alerts.list': AlertRow[];
  'alerts.kpis': AlarmKpis;
  'alerts.counts': Record<string, number>;
  'alerts.ackMany': { acknowledged: number };
  'alerts.catalog': AlertRuleInfo[];
  'alerts.act': AlertAction;
  'alerts.journal': AlertAction[];
  'analytics.daily': DailyAnalytics;
  'performance.fleet': FleetRow[];
  'performance.pump': PumpPerformance;
  'performance.baselines': PumpBaselineRecord[];
  'performance.setBaseline': PumpBaselineRecord;
  'performance.baselineFromPeriod': PumpBaselineRecord;
  'performance.stationPumps': PumpSpecificEnergy[];
  'performance.proposeBaselines': BaselineProposal[];
  'performance.takeProposedBaselines': PumpBaselineRecord[];
  'report.preview': { markdown: string; period: { from: string; to: string } };
  'report.build': {
    reportId: string;
    name: string;
    bytes: number;
    pages: number;
    period: { from: string; to: string };
    seconds: number;
  };
  'download.read': { chunk: string; offset: number; bytes: number; done: boolean };
  'maintenance.list': MaintenanceEntry[];
  'maintenance.add': MaintenanceEntry;
  'models.train': ModelSummary;
  'models.list': ModelSummary[];
  'models.detail': { model: ModelSummary; evaluation: ModelEvaluation };
  'models.promote': Promotion;
  'models.rollback': ModelSummary;
  'models.predictions': PumpPrediction[];
  'models.anomalies': AnomalyTimeline;
  'edge.package': {
    id: string;
    name: string;
    bytes: number;
    version: string;
    models: string[];
    notes: string[];
    files: string[];
    keyFingerprint: string;
  };
  'anomalies.query': AnomalyPage;
  'anomalies.summary': { summary: AnomalySummary; csv: string; truncated: boolean };
  'anomalies.sites': FleetAnswer;
  'anomalies.settings': AnomalyApiSettings;
  'anomalies.configure': AnomalyApiSettings;
  'sql.run': SqlResult;
  'sql.schema': SqlSchema;
  'sql.export': { id: string; name: string; bytes: number; rows: number };
  'sql.saved': SavedQuery[];
  'sql.save': SavedQuery;
  'sql.forget': { name: string };
  'sql.history': SqlHistoryEntry[];
  'ask.question': AskAnswer;
  'ask.model': LanguageModelSettings;
  'forecast.run': ForecastResult;
  'forecast.performance': ForecastRun[];
  'optimize.run': OptimizeResult;
  'ask.configureModel': LanguageModelSettings;
}

export interface MaintenanceEntry {
  pump: string;
  at: string;
  kind: 'failure' | 'repair' | 'overhaul';
  note: string | null;
}

export type ModelStage = 'candidate' | 'production' | 'archived';

/** A registry row without the model itself. */
export interface ModelSummary {
  pump: string;
  kind: ModelKind;
  version: number;
  createdAt: string;
  stage: ModelStage;
  dataFrom: string;
  dataTo: string;
  trainRows: number;
  testRows: number;
  holdout: { from: string; to: string };
  params: ForestParams;
  metrics: Record<string, number>;
  promotedAt: string | null;
  note: string | null;
}

export interface ModelEvaluation {
  predictions: Array<{ t: string; actual: number; predicted: number }>;
  importance: Array<{ feature: string; importance: number }>;
}

/** A promotion attempt: both models on the candidate's holdout (seed 002). */
export interface Promotion {
  promoted: boolean;
  /** RMSE (lower is better) for RUL models, F1 (higher is better) for risk models. */
  metric: 'rmse' | 'f1';
  candidate: number;
  /** The naive baseline's score on the candidate's holdout (null for a model trained before it was kept). */
  naive: number | null;
  /** Production's score on the holdout rows neither trained on (null: no production model, or not compared). */
  production: number | null;
  productionVersion: number | null;
  holdout: { from: string; to: string };
  reason: string;
  model: ModelSummary;
}

export interface PumpPrediction {
  pump: string;
  asOf: string | null;
  rulDays: number | null;
  rulVersion: number | null;
  /** Probability of failing within horizonDays. */
  risk: number | null;
  riskVersion: number | null;
  horizonDays: number | null;
  /** Each production model's holdout quality in words ("RMSE 4.2 d vs naive 9.1 d, 3 failures learned"). */
  rulQuality: string | null;
  riskQuality: string | null;
}

export interface AnomalyTimeline {
  pump: string;
  /** Where the detector comes from: the production model's, or fitted now on the first 14 days. */
  source: string;
  signals: string[];
  threshold: number;
  points: Array<{ t: string; score: number; anomaly: 0 | 1 }>;
  /** The anomalous spans as events: start, end, peak and the signals that drove each. */
  spans: Array<Pick<AnomalyEvent, 'from' | 'to' | 'peak' | 'drivers'>>;
}

/** A pump against its baseline (seed 000 PumpMonitor.analyze plus degradation). */
export interface PumpPerformance extends PumpEvaluation {
  pump: string;
  baseline: PumpBaselineRecord;
  gradeSource: GradeSource;
}

/** A pump's baseline proposed from the quietest days of its history, clear of its logged maintenance. */
export interface BaselineProposal {
  pump: string;
  days: number;
  hasBaseline: boolean;
  /** Where its readings come from: its operational file, or the historian at full speed (no head). */
  source: 'operational' | 'historian' | null;
  period: QuietestPeriod | null;
  /** The period's medians: what the baseline would hold. */
  values: Record<'flow' | 'head' | 'power' | 'efficiency', number | null> | null;
  /** The pump's logged maintenance: the period keeps clear of every entry. */
  events: MaintenanceEntry[];
  /** Why no period serves (null when one does). */
  reason: string | null;
}

/** One line of the fleet table. */
export interface FleetRow {
  pump: string;
  grade: Grade;
  gradeSource: GradeSource;
  status: PumpStatus | null;
  asOf: string | null;
  readings: number;
  /** The parameter nearest its band's edge (or furthest past it), its deviation and how much of the band it uses (1 = at the edge). */
  worstParameter: Parameter | null;
  worstDeviation: number | null;
  worstBandUse: number | null;
  outOfBandSince: string | null;
  /** The soonest projected band crossing (from a significant trend) of a parameter still inside its band. */
  nextCrossing: { parameter: Parameter; date: string; days: number } | null;
}

export type FileKind = 'historian' | 'tag-table' | 'baselines' | 'wide' | 'station-json' | 'maintenance';

/** The historian shapes PumpDeck reads (docs/decisions.md, "Real exports"). */
export type SourceLayout = 'seed' | 'rsview' | 'wide' | 'rsview-dbf' | 'rsview-wide-dbf';

export interface FilePreview {
  /** How later calls refer to the file (an upload, or a file picked in the desktop app). */
  file: string;
  name: string;
  bytes: number;
  /**
   * historian: a narrow export or a dBase data log; wide: a time column and signals, imported as
   * station signals (historian) or as one pump's operational data.
   */
  kind: FileKind;
  sourceLayout?: SourceLayout;
  delimiter: string;
  columns: string[];
  preview: string[][];
  dateOrder?: 'ymd' | 'mdy' | 'dmy' | 'ambiguous';
  timeColumn?: string;
  /** Units a units row under the header gives, by column. */
  units?: Record<string, string>;
  /** Wide files: a first column mapping by names (or the one saved for the pump). */
  suggestedMapping?: Partial<Record<'flow' | 'head' | 'power' | 'efficiency', string>>;
}

export type { StationField };

export interface StationSettings {
  config: StationModel;
  /** No model stored yet: the seed's station is assumed until an import or station.json sets one. */
  assumed?: boolean;
  /** Constants derived from the data rather than given: shown as such. */
  derived: StationField[];
  /** The model was suggested from the data (tag names, units, values), not given: why, role by role. */
  suggested?: string[];
}

/** A station model suggested from the data, with the reason of each role, and the tags left raw. */
export interface StationSuggestion {
  input: { model: StationModel; missing: StationField[] };
  reasons: string[];
  unmapped: string[];
}

export interface HistorianImportSummary {
  file: string;
  layout: SourceLayout;
  bytes: number;
  /** Data rows of the file (narrow: one per sample; wide: one per time). */
  rowsRead: number;
  samplesRead: number;
  /** Samples pivoted (their minute kept; a missing value still counts). */
  samplesKept: number;
  /** Samples not used, by reason; `superseded`: a later sample of the same tag-minute won. */
  dropped: { ended: number; marker: number; status: Record<string, number>; nonFinite: number; superseded: number };
  /** Share of the samples read that were dropped (0..1). */
  dropShare: number;
  /** Empty, NA, #N/A ... cells: stored as NULL. */
  missingValues: number;
  /** Rows (one per minute, or per logging interval) the file gave, new and replaced. */
  minutes: number;
  newMinutes: number;
  updatedMinutes: number;
  /** Real time the rows cover (each row stands for its step, at most the interval; gaps count nothing). */
  loggedMinutes: number;
  first: string | null;
  last: string | null;
  /** The file's logging interval in minutes (its median step), and the station's after the import. */
  interval: number;
  gaps: number;
  gapMinutes: number;
  /** Raw tags the file carries, and those new to the project. */
  tags: number;
  newTags: string[];
  tagTable: { path: string; found: boolean } | null;
  /** The day/month order used for dates that have one. */
  dateOrder: 'mdy' | 'dmy' | 'ymd' | null;
  skippedColumns: Array<{ name: string; reason: string }>;
  tables: Record<string, number>;
  /** The station tables still empty after the import, and why (no pump in the model, no pump ran, ...). */
  emptyTables: Record<string, string>;
  stationDerived: StationField[];
  /** The station model was suggested from this file (no station.json, no stored model): why, role by role. */
  stationSuggested: string[] | null;
  /** Most important first: a drop over 1 % leads. */
  warnings: string[];
  seconds: number;
  /** Seconds per phase, for the benchmark. */
  timings: Record<string, number>;
}

export interface ImportResult {
  kind: 'historian' | 'wide' | 'baselines' | 'station' | 'maintenance';
  /** One line for the operator. */
  message: string;
  warnings: string[];
  historian?: HistorianImportSummary;
  rows?: number;
  /** A station model: the station tables' rows after every one was recomputed with it. */
  tables?: Record<string, number>;
  /** A historian import: the forecast retrained (a week of new data), in a line; null when not due. */
  retrain?: string | null;
}

export interface AnalyticsColumns {
  first: string | null;
  last: string | null;
  /** Every chartable column with its display name, description and unit. */
  columns: TagInfo[];
}

export interface DailyAnalytics {
  days: Array<{
    date: string;
    total_flow: number | null;
    total_kwh: number | null;
    energy_per_m3: number | null;
    peak_kwh_share: number | null;
    hours_on: Record<string, number>;
    starts: Record<string, number>;
  }>;
  /** Average over the days of each hour of the day. */
  hourly: Array<{
    hour: number;
    avg_flow: number | null;
    avg_kwh: number | null;
    avg_pumps_on: number | null;
    is_peak_hour: number;
  }>;
}

export type ApiResult<M extends ApiMethod> = ApiResults[M];

/** Server-pushed events that are not answers to a call. */
export interface ApiEvents {
  /** Tables changed (an import finished, alerts were acknowledged ...): views reload. */
  'data.changed': { tables: string[] };
}
export type ApiEventName = keyof ApiEvents;

/** Progress of one long call; `fraction` is null when the total is unknown. */
export interface Progress {
  phase: string;
  fraction: number | null;
  done?: number;
  total?: number;
  unit?: string;
  etaSeconds?: number | null;
}

export interface AppInfo {
  version: string;
  project: { dbPath: string; name: string; isDemo: boolean } | null;
  user: string;
}

export interface PumpTile {
  pump: string;
  running: boolean;
  kwNow: number | null;
  /** A VFD pump's speed now (Hz), null for a fixed-speed pump; `ratedKw` to read kW against. */
  hzNow: number | null;
  ratedKw: number | null;
  hoursOnToday: number;
  kwhToday: number;
  startsToday: number;
  runtimeHoursTotal: number | null;
}

export interface StationOverview {
  stationName: string;
  /** booster: the pumps fill a tank; lift: they empty a wet well. */
  kind: 'booster' | 'lift';
  /** The newest reading; "today" is the day of this reading, not the wall clock. */
  asOf: string | null;
  day: string | null;
  /** The readings: first and last row, how many rows, the logging interval and the real time they cover. */
  dataRange: { first: string; last: string; rows: number; interval: number; loggedMinutes: number } | null;
  pumps: PumpTile[];
  /** The tank or wet well: level in its unit, % of its range, the range and the operating band (%). */
  tank: {
    level: number | null;
    pct: number | null;
    min: number;
    physicalMax: number;
    unit: string;
    band: [number, number];
    /** Whether the band was confirmed by the engineer, proposed from the station's history, or seed 002's default. */
    bandSource: 'confirmed' | 'proposed' | 'default';
    /** The level alarm limits (LL, L, H, HH) the D rules test, in % of the range and in the level's unit. */
    limits: Array<{ name: 'LL' | 'L' | 'H' | 'HH'; pct: number; level: number; rule: string }>;
  };
  /** The level and flow signals the page charts (the model's tags) and what to call them. */
  signals: {
    level: { tag: string; name: string } | null;
    flow: { tag: string; name: string } | null;
    inflow: { tag: string; name: string } | null;
  };
  flowNow: number | null;
  flowUnit: string;
  pumpsOnNow: number;
  energyTodayKwh: number;
  volumeTodayM3: number;
  energyPerM3Today: number | null;
  dailyBudgetKwh: number;
  /** Alerts raised and not cleared at the newest reading (null when there are no readings). */
  openAlerts: number | null;
}

export interface SeriesPoint {
  t: string;
  v: number;
}

export interface StationSeries {
  from: string | null;
  to: string | null;
  series: Array<{ tag: string; points: SeriesPoint[] }>;
}

/** A row of alerts_log (seed 002 §7.6). */
export interface AlertRow {
  id: number;
  rule: string;
  severity: 'CRITICAL' | 'HIGH' | 'WARNING' | 'INFO';
  pump: string | null;
  timestamp: string;
  resolved_at: string | null;
  duration_min: number | null;
  message: string;
  value_at_trigger: number | null;
  resolved: number;
  /** ISA-18.2 state: who acknowledged and when, shelved until, notes, out of service. */
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  shelved_until: string | null;
  notes: number;
  out_of_service: boolean;
}

export interface AlertKey {
  rule: string;
  pump: string | null;
  timestamp: string;
}

export interface AlertAction {
  at: string;
  user: string;
  action: 'ack' | 'shelve' | 'unshelve' | 'note' | 'out_of_service' | 'return_to_service';
  rule: string;
  pump: string | null;
  timestamp: string | null;
  until: string | null;
  text: string | null;
}

/** Alarm-system KPIs (EEMUA 191 / ISA-18.2), every rate per real time: the one alarm-rate figure of every page and report. */
export interface AlarmKpis {
  from: string | null;
  to: string | null;
  /** Real time the readings cover (each row weighs the minutes it stands for). */
  loggedMinutes: number;
  alerts: number;
  perTenMinutes: number;
  perDay: number;
  criticalPerDay: number;
  floodPeriods: number;
  floodPercent: number;
  busiestTenMinutes: number;
  top10: Array<{ rule: string; count: number; share: number }>;
  top10Share: number;
  chattering: number;
  stale: number;
  bySeverity: Record<string, number>;
}

/** A catalog rule as data (without its code), for the UI. */
export interface AlertRuleInfo {
  code: string;
  group: string;
  name: string;
  severity: string;
  scope: string;
  condition: string;
  onDelayMin: number;
  offDelayMin: number;
  clear: string;
  hint: string;
  decision?: string;
  /** The station roles it reads, in words ("a level signal", "a run state"), and its constants. */
  reads: string[];
  /** The same roles by name ('level', 'run', 'kw', ...): the signals the alert's detail draws. */
  roles: string[];
  /** The unit of an alert's value at trigger on this station ("%", "kW", "cm/min"). */
  valueUnit: string;
  constants: string[];
  /** Whether this station has what the rule reads; if not, why ("not applicable: needs an inflow meter"). */
  applicable: boolean;
  reason: string;
  /** Pump rules: the pumps (ids) it runs for on this station. */
  pumps: string[];
}

export interface SqlResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  /** More rows than maxRows: only the first are here. */
  truncated: boolean;
  seconds: number;
}

export interface SqlSchema {
  tables: Array<{
    name: string;
    rows: number;
    description: string | null;
    columns: Array<{ name: string; type: string; description: string | null }>;
  }>;
}

export interface SavedQuery {
  name: string;
  sql: string;
  savedAt: string;
}

export interface SqlHistoryEntry {
  at: string;
  sql: string;
  rows: number | null;
  seconds: number | null;
  error: string | null;
}

/** The language model's settings as the console sees them: never the key itself. */
/** The anomaly API the console reads (the token itself never leaves the main side). */
export interface AnomalyApiSettings {
  url: string | null;
  hasToken: boolean;
  allowHosts: string[];
}

export interface LanguageModelSettings {
  enabled: boolean;
  /** The OpenAI-compatible API's base, e.g. http://127.0.0.1:11434/v1 */
  url: string;
  model: string;
  hasKey: boolean;
}

export interface AskAnswer {
  /** One sentence, in words. */
  answer: string;
  /** The intent that answered, 'language-model' for SQL the configured model wrote; null when not understood. */
  intent: string | null;
  sql: string | null;
  columns: string[];
  rows: unknown[][];
  /** A chart that helps, when there are several rows: a bar per category or a line over time. */
  chart: { x: string; y: string; kind: 'bar' | 'line' } | null;
}

// Forecast and schedule (issue 20).

/** One model of one forecast run (model_performance). */
export interface ForecastRun {
  runAt: string;
  origin: string;
  model: ForecasterName;
  chosen: boolean;
  rmse: number | null;
  mae: number | null;
}

export interface ForecastPoint {
  time: string;
  flow: number;
  /** The station's own figure for that hour, when the data has it (a past origin). */
  actual: number | null;
  /** The level (% of the stored volume) at that time under the station's own control, forecast; null without one. */
  level: number | null;
  actual_level: number | null;
}

export interface ForecastResult {
  target: string;
  unit: 'm3/h';
  model: ForecasterName;
  /** When the model could not forecast from this origin and another's hours were used, why. */
  fallback: string | null;
  origin: string;
  points: ForecastPoint[];
  backtest: {
    rmse: number;
    baseline_rmse: number;
    origins: number;
    /** Each model on the scoring origins (never used to choose), with its RMSE on the choosing ones (what it was chosen by). */
    models: Array<{ model: ForecasterName; rmse: number; mae: number; r2: number; choosing_rmse: number | null }>;
    /** How many of the origins chose the model, and how many scored it. */
    choose_origins: number;
    score_origins: number;
    /** The best on the choosing origins, when the baseline check set it aside. */
    set_aside: ForecasterName | null;
  } | null;
  /** From the newest data: whether the backtest's candidate replaced the production model, and why. */
  registry: ForecastPromotion | null;
  /** The level's forecast: the model its own backtest chose, and its RMSE (% points) against the baseline's. */
  level: { model: ForecasterName; rmse: number; baseline_rmse: number } | null;
  /** Input drift (PSI of the last 7 days against the learning window) and error drift per origin. */
  drift: {
    psi: number;
    psi_warning: boolean;
    error: {
      by_origin: Array<{ origin: string; rmse: number }>;
      recent_rmse: number;
      earlier_rmse: number;
      warning: boolean;
    } | null;
  } | null;
}

export interface OptimizeSlot {
  time: string;
  pumps: Record<string, 0 | 1>;
  flow: number;
  kw: number;
  /** Level in % of the level's range at the end of the slot. */
  level: number;
  demand: number;
  price: number;
}

export interface OptimizeResult {
  /** fallback: no schedule holds the band on the forecast; the one closest to it is shown, and `reason` says why. */
  status: 'optimal' | 'feasible' | 'fallback' | 'infeasible';
  /** For an infeasible window: which constraint cannot be met; for a fallback: why none holds the band. */
  reason: string | null;
  origin: string;
  slotMinutes: number;
  slots: OptimizeSlot[];
  kwh: number;
  cost: number;
  currency: string | null;
  band_pct: [number, number];
  actual_kwh: number | null;
  actual_cost: number | null;
  /**
   * For a past window: what the closed-loop replay (with what it leaves unpumped priced) saved
   * against what the station paid, at equal end state. Null when no saving can be claimed (the
   * replay left the band, or left more than the next day can pump): `savings_note` says why.
   */
  savings_pct: number | null;
  savings_note: string | null;
  /** Savings over hindsight savings, %: how much of what was there to save the schedule saved. */
  capture_pct: number | null;
  /**
   * The schedule as the station would have run it in a past window: closed loop (re-forecast and
   * re-planned every hour from what was known then, run against the demand that came, with the
   * interlocks at the band's ends), its level, and what it left unpumped.
   */
  replay: {
    level: number[];
    min_pct: number;
    max_pct: number;
    held_band: boolean;
    end_pct: number;
    actual_end_pct: number;
    ends_no_worse: boolean;
    kwh: number;
    cost: number;
    /** m³ left past the station's own end, and what pumping them after the window costs (the next day's hours at their real prices, cheapest first). */
    owed_m3: number;
    owed_cost: number | null;
    /** Plans made (one an hour), those that found no schedule within the band and took the closest, slots an interlock acted in. */
    plans: number;
    fallbacks: number;
    interlocked: number;
  } | null;
  forecast: Pick<ForecastResult, 'model' | 'backtest'>;
  solve_s: number;
  /** How far from the best possible the schedule is proved to be, % (null: infeasible). */
  gap_pct: number | null;
  /**
   * For a past window, the most any schedule could have saved: the programme on the demand that
   * came, with pumps free to run part of a slot and to switch at will, and what it leaves unpumped
   * priced as the replay's is. A bound: no schedule saves more.
   */
  hindsight: { cost: number; kwh: number; savings_pct: number } | null;
}
