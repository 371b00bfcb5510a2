import { createHash } from 'node:crypto';
import {
  type FleetAnswer,
  type Heartbeat,
  lastSevenDays,
  type SiteHealth,
  type SiteSummary,
  siteState,
  sortSites,
} from '../../src-shared/edge/fleet';
import type { AnomalyPage, AnomalyPayload, StoredAnomaly } from '../../src-shared/edge/payload';

// Where the anomaly API keeps what the runners send (issue 33): one interface, two stores. DuckDB
// (duckStore.ts) for a laptop, a test or a few sites: one process, one file. PostgreSQL
// (pgStore.ts) for a fleet: several sink processes on one database, duplicates refused by the
// database's own unique key. The HTTP layer (sinkServer.ts) does not know which it has.

export interface QueryFilter {
  pumpId?: number;
  siteId?: number;
  sensorId?: number;
  startDate?: string;
  endDate?: string;
  page: number;
  pageSize: number;
  sortDirection: 'asc' | 'desc';
}

export type AddResult = { anomaly: StoredAnomaly; replay: boolean } | { conflict: true };

export interface AnomalyStore {
  /** Which store, for the log and the bench. */
  readonly kind: 'duckdb' | 'postgres';
  /**
   * Stores a payload once per idempotency key: the same key again returns the stored anomaly
   * (`replay`), the same key with another payload is a conflict.
   */
  add(payload: AnomalyPayload, key: string | null, now: Date): Promise<AddResult>;
  query(filter: QueryFilter): Promise<AnomalyPage>;
  /** Keeps a site's newest heartbeat. */
  heartbeat(beat: Heartbeat, now: Date): Promise<void>;
  /** Every site with a report or a heartbeat, and the `known` ones (from the site tokens) too. */
  sites(options: { siteId?: number; known: readonly number[]; staleMinutes: number; now: Date }): Promise<FleetAnswer>;
  /** Removes anomalies whose reading is older than `days`; returns how many. */
  prune(days: number, now: Date): Promise<number>;
  close(): Promise<void>;
}

/** A payload's identity for idempotency: JSON with sorted keys, hashed. */
export function payloadDigest(payload: AnomalyPayload): string {
  const canonical = (value: unknown): unknown =>
    typeof value !== 'object' || value === null
      ? value
      : Array.isArray(value)
        ? value.map(canonical)
        : Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          );
  return createHash('sha256')
    .update(JSON.stringify(canonical(payload)))
    .digest('hex');
}

const json = (value: unknown): Record<string, unknown> =>
  typeof value === 'string' ? JSON.parse(value) : ((value as Record<string, unknown> | null) ?? {});
const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));

/** A stored row (either store's column names) as the API returns it. */
export function storedAnomaly(r: Record<string, unknown>): StoredAnomaly {
  return {
    id: Number(r.id),
    sourceType: r.source_type as string,
    description: r.description as string,
    siteId: Number(r.site_id),
    pumpId: Number(r.pump_id),
    sensorId: Number(r.sensor_id),
    timestamp: r.timestamp as string,
    logValue: Number(r.log_value),
    additionalContext: json(r.additional_context),
    metadata: json(r.metadata),
    createdAt: iso(r.created_at),
  };
}

/** The payload's columns in insert order (both stores). */
export function payloadColumns(payload: AnomalyPayload): Array<string | number> {
  return [
    payload.sourceType,
    payload.description,
    payload.siteId,
    payload.pumpId,
    payload.sensorId,
    payload.timestamp,
    payload.timestamp,
    payload.logValue,
    JSON.stringify(payload.additionalContext ?? {}),
    JSON.stringify(payload.metadata ?? {}),
  ];
}

/** What each store reads for the fleet, assembled into its answer the same way. */
export interface FleetRows {
  /** Per site: the newest report's receipt and reading times. */
  reports: Array<{ site_id: unknown; last_report: unknown; last_anomaly: unknown }>;
  /** Per site and UTC day of reading, over the last 7 days. */
  days: Array<{ site_id: unknown; day: unknown; n: unknown }>;
  beats: Array<{ site_id: unknown; heartbeat_at: unknown; health: unknown }>;
}

export function fleetAnswer(
  rows: FleetRows,
  options: { siteId?: number; known: readonly number[]; staleMinutes: number; now: Date },
): FleetAnswer {
  const now = options.now.getTime();
  const week = lastSevenDays(now);
  const ids = new Set<number>(options.known);
  for (const r of [...rows.reports, ...rows.beats]) ids.add(Number(r.site_id));
  if (options.siteId !== undefined) for (const id of ids) if (id !== options.siteId) ids.delete(id);
  const sites = [...ids].map((siteId): SiteSummary => {
    const report = rows.reports.find((r) => Number(r.site_id) === siteId);
    const beat = rows.beats.find((r) => Number(r.site_id) === siteId);
    const heartbeatAt = beat ? iso(beat.heartbeat_at) : null;
    const health = beat ? (json(beat.health) as unknown as SiteHealth) : null;
    return {
      siteId,
      lastReportAt: report ? iso(report.last_report) : null,
      lastAnomalyAt: report ? String(report.last_anomaly) : null,
      perDay: week.map((day) => ({
        day,
        count: Number(rows.days.find((d) => Number(d.site_id) === siteId && iso(d.day).slice(0, 10) === day)?.n ?? 0),
      })),
      heartbeatAt,
      health,
      state: siteState(heartbeatAt, health, now, options.staleMinutes),
    };
  });
  return { sites: sortSites(sites), staleMinutes: options.staleMinutes, now: options.now.toISOString() };
}
