import { z } from 'zod';
import type { StationConfig } from '../station';
import type { PumpId } from '../tags';

// The one API contract. Every method takes one JSON argument and returns plain JSON; the param
// schemas below are both the validation at the dispatcher and the source of the param types.

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const isoMinute = z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/, 'expected YYYY-MM-DD HH:MM[:SS]');

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
      lastHours: z.number().positive().max(24 * 366 * 5).optional(),
      /** Pixel columns the chart has; the server downsamples (M4) to about 4 points per column. */
      width: z.number().int().min(10).max(10_000).default(1200),
    })
    .strict(),
} as const;

export type ApiMethod = keyof typeof apiParams;
export type ApiParams<M extends ApiMethod> = z.input<(typeof apiParams)[M]>;
/** Params after validation and defaults, as handlers see them. */
export type ApiParsedParams<M extends ApiMethod> = z.output<(typeof apiParams)[M]>;

export interface ApiResults {
  'app.info': AppInfo;
  'station.config': StationConfig;
  'station.overview': StationOverview;
  'station.series': StationSeries;
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
  pump: PumpId;
  running: boolean;
  kwNow: number | null;
  hoursOnToday: number;
  kwhToday: number;
  startsToday: number;
  runtimeHoursTotal: number | null;
}

export interface StationOverview {
  stationName: string;
  /** The newest reading; "today" is the day of this reading, not the wall clock. */
  asOf: string | null;
  day: string | null;
  dataRange: { first: string; last: string; minutes: number } | null;
  pumps: PumpTile[];
  tank: { level: number | null; pct: number | null; physicalMax: number; unit: string };
  flowNow: number | null;
  flowUnit: string;
  pumpsOnNow: number;
  energyTodayKwh: number;
  volumeTodayM3: number;
  energyPerM3Today: number | null;
  dailyBudgetKwh: number;
  /** Null until the alert engine fills alerts_log. */
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
