import { MAX_ID } from './payload';

// The fleet (issue 33): what a runner tells the anomaly API about itself between reports (its
// heartbeat: the health.json it wrote), and what the API answers about every site it knows. One
// shape for the runner, the sink's stores, the console's Fleet page and `anomalies --sites`.

/** The part of a runner's health.json a heartbeat carries. */
export interface SiteHealth {
  ok: boolean;
  reason: string | null;
  /** When the runner last ran (ISO 8601). */
  lastRun: string | null;
  /** The newest reading it judged. */
  asOf: string | null;
  /** Reports waiting in its spool. */
  spooled: number;
  /** Reports set aside in rejected/. */
  rejected: number;
  /** Reports spool retention dropped, not yet cleared. */
  dropped: number;
  runnerVersion: string | null;
  artifact: string | null;
}

export interface Heartbeat {
  siteId: number;
  health: SiteHealth;
}

/** One site as the fleet sees it. */
export interface SiteSummary {
  siteId: number;
  /** When the API last received a report from the site (ISO 8601). */
  lastReportAt: string | null;
  /** The reading time of its newest anomaly. */
  lastAnomalyAt: string | null;
  /** Anomalies per UTC day over the last 7 days (reading time), oldest first. */
  perDay: Array<{ day: string; count: number }>;
  heartbeatAt: string | null;
  health: SiteHealth | null;
  /**
   * silent: no heartbeat within the stale limit (or never); failing: its runner says it is not
   * ok (a refused token, reports set aside); ok otherwise.
   */
  state: 'silent' | 'failing' | 'ok';
}

export interface FleetAnswer {
  sites: SiteSummary[];
  staleMinutes: number;
  /** The API's clock when it answered. */
  now: string;
}

const MAX_TEXT = 500;

const text = (v: unknown): string | null => (typeof v === 'string' ? v.slice(0, MAX_TEXT) : null);
const count = (v: unknown): number => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : 0);

/** The heartbeat a runner's health.json makes: only known fields, bounded. */
export function heartbeatOf(siteId: number, health: Record<string, unknown>): Heartbeat {
  return {
    siteId,
    health: {
      ok: health.ok === true,
      reason: text(health.reason),
      lastRun: text(health.lastRun),
      asOf: text(health.asOf),
      spooled: count(health.spooled),
      rejected: count(health.rejected),
      dropped: Array.isArray(health.dropped) ? health.dropped.length : count(health.dropped),
      runnerVersion: text(health.runnerVersion),
      artifact: text(health.artifact),
    },
  };
}

/** What is wrong with a posted heartbeat (the field and why), or null. */
export function heartbeatProblem(value: unknown): { field: string; message: string } | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { field: '(body)', message: 'a JSON object {siteId, health}' };
  const { siteId, health } = value as Record<string, unknown>;
  if (!(Number.isInteger(siteId) && (siteId as number) >= 0 && (siteId as number) <= MAX_ID))
    return { field: 'siteId', message: `an integer from 0 to ${MAX_ID}` };
  if (typeof health !== 'object' || health === null || Array.isArray(health))
    return { field: 'health', message: "an object (the runner's health.json)" };
  if (typeof (health as Record<string, unknown>).ok !== 'boolean')
    return { field: 'health.ok', message: 'true or false' };
  return null;
}

/** A site's state from its newest heartbeat. */
export function siteState(heartbeatAt: string | null, health: SiteHealth | null, now: number, staleMinutes: number) {
  if (!heartbeatAt || now - Date.parse(heartbeatAt) > staleMinutes * 60_000) return 'silent' as const;
  return health?.ok ? ('ok' as const) : ('failing' as const);
}

const RANK = { silent: 0, failing: 1, ok: 2 };

/** Worst first: silent sites, then failing, each the longest quiet first, then by id. */
export function sortSites(sites: SiteSummary[]): SiteSummary[] {
  const quiet = (s: SiteSummary) => (s.heartbeatAt ? Date.parse(s.heartbeatAt) : Number.NEGATIVE_INFINITY);
  return [...sites].sort((a, b) => RANK[a.state] - RANK[b.state] || quiet(a) - quiet(b) || a.siteId - b.siteId);
}

/** The last 7 UTC days ending with `now`'s, oldest first. */
export function lastSevenDays(now: number): string[] {
  const today = Math.floor(now / 86_400_000);
  return Array.from({ length: 7 }, (_, i) => new Date((today - 6 + i) * 86_400_000).toISOString().slice(0, 10));
}
