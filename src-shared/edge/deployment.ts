import { z } from 'zod';
import { GRADE_NAMES } from '../performance/grades';

// deployment_config.json: what an edge artifact runs and where it reports (seed 000
// DeploymentConfig: api, site_info, anomaly_reporting, inference). Never holds the API token.

export const deploymentSchema = z
  .object({
    format: z.literal('pumpdeck-edge/1'),
    kind: z.enum(['pump', 'station']),
    /** The pump's id in the project (pump artifacts). */
    pump: z.string().min(1).nullable(),
    api: z
      .object({
        url: z.string().url(),
        /** A file holding the bearer token when ANOMALY_API_TOKEN is not set. */
        tokenFile: z.string().min(1).nullable(),
        timeoutSeconds: z.number().positive().max(300),
        retries: z.number().int().min(0).max(10),
        backoffSeconds: z.number().min(0).max(600),
      })
      .strict(),
    site: z.object({ siteId: z.number().int(), pumpId: z.number().int(), sensorIds: z.record(z.string(), z.number().int()) }).strict(),
    reporting: z.object({ enabled: z.boolean(), debounceMinutes: z.number().min(0).max(24 * 60), minRowsForModel: z.number().int().min(1) }).strict(),
    grade: z.enum(GRADE_NAMES).nullable(),
    schedule: z.object({ intervalSeconds: z.number().int().min(10).max(86_400), input: z.string().min(1) }).strict(),
    storage: z.object({ dataDir: z.string().min(1), spoolMaxAgeDays: z.number().positive(), spoolMaxMb: z.number().positive(), resultsKeepDays: z.number().positive() }).strict(),
  })
  .strict();

export type DeploymentConfig = z.infer<typeof deploymentSchema>;

/** The sensor id for a parameter or rule; seed 000's example numbers flow 101, head 102 … */
export const DEFAULT_SENSOR_IDS: Record<string, number> = { flow: 101, head: 102, power: 103, efficiency: 104, model: 190, anomaly: 191, station: 200 };
