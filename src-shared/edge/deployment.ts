import * as z from 'zod/mini';
import { GRADE_NAMES } from '../performance/grades';

// deployment_config.json: what an edge artifact runs and where it reports (seed 000
// DeploymentConfig: api, site_info, anomaly_reporting, inference). Never holds the API token.
// Written with zod/mini, zod's tree-shakable build: the runner bundle stays small (the full
// build was 440 KB of a 540 KB runner).

const positive = (max: number) => z.number().check(z.positive(), z.maximum(max));
const int = (min: number, max?: number) =>
  max === undefined ? z.int().check(z.minimum(min)) : z.int().check(z.minimum(min), z.maximum(max));

export const deploymentSchema = z.strictObject({
  format: z.literal('pumpdeck-edge/1'),
  kind: z.enum(['pump', 'station']),
  /** The pump's id in the project (pump artifacts). */
  pump: z.nullable(z.string().check(z.minLength(1))),
  api: z.strictObject({
    url: z.url(),
    /** A file holding the bearer token when ANOMALY_API_TOKEN is not set. */
    tokenFile: z.nullable(z.string().check(z.minLength(1))),
    timeoutSeconds: positive(300),
    retries: int(0, 10),
    backoffSeconds: z.number().check(z.minimum(0), z.maximum(600)),
  }),
  site: z.strictObject({ siteId: z.int(), pumpId: z.int(), sensorIds: z.record(z.string(), z.int()) }),
  reporting: z.strictObject({
    enabled: z.boolean(),
    debounceMinutes: z.number().check(z.minimum(0), z.maximum(24 * 60)),
    minRowsForModel: int(1),
  }),
  grade: z.nullable(z.enum(GRADE_NAMES)),
  schedule: z.strictObject({ intervalSeconds: int(10, 86_400), input: z.string().check(z.minLength(1)) }),
  storage: z.strictObject({
    dataDir: z.string().check(z.minLength(1)),
    spoolMaxAgeDays: positive(36_500),
    spoolMaxMb: positive(1e6),
    resultsKeepDays: positive(36_500),
    /** A report the API keeps failing on alone is set aside after this many attempts (default 8). */
    setAsideAfterAttempts: z.optional(int(1, 10_000)),
    /** Its first wait after a failure, doubling after each, with jitter (default 5 minutes). */
    retryBaseMinutes: z.optional(z.number().check(z.minimum(0), z.maximum(24 * 60))),
    /** Older artifacts' setting (a report was held this long before it was set aside): read, no longer used. */
    setAsideAfterHours: z.optional(z.number().check(z.minimum(0), z.maximum(24 * 365))),
  }),
});

export type DeploymentConfig = z.infer<typeof deploymentSchema>;

/** The sensor id for a parameter or rule; seed 000's example numbers flow 101, head 102 … */
export const DEFAULT_SENSOR_IDS: Record<string, number> = {
  flow: 101,
  head: 102,
  power: 103,
  efficiency: 104,
  model: 190,
  anomaly: 191,
  station: 200,
};

/** A report the API fails on alone: 8 attempts, waits from 5 minutes doubling (about 10 hours in all). */
export const DEFAULT_SET_ASIDE = { attempts: 8, baseMinutes: 5 };
