import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { type AnomalySummary, anomaliesCsv, summarise } from '../../../src-shared/edge/anomalyStats';
import { allAnomalies } from '../../edge/anomalyApiClient';
import { type Command, intOption, parseCommandArgs, printed, UsageError } from '../command';

// Seed 000/001's query_anomalies.py for a headless server: query the central anomaly API by site,
// pump, sensor and time, page through every match, print the summary and export CSV.

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The token: --token-file, else $ANOMALY_API_TOKEN. Never a flag value (it would show in `ps`). */
function tokenOf(file: string | undefined): string {
  if (file) {
    const path = resolve(file);
    if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such token file`);
    const token = readFileSync(path, 'utf8').trim();
    if (!token) throw new ApiError('bad_input', `${path}: the token file is empty`);
    return token;
  }
  const token = process.env.ANOMALY_API_TOKEN?.trim();
  if (!token) throw new UsageError('no token: set ANOMALY_API_TOKEN or give --token-file FILE');
  return token;
}

function summaryLines(s: AnomalySummary, truncated: boolean): string[] {
  const counts = (title: string, map: Record<string, number>) =>
    `${title}: ${
      Object.entries(map)
        .sort((a, b) => b[1] - a[1])
        .map(([key, n]) => `${key} ${n}`)
        .join(', ') || '—'
    }`;
  const days = new Map<string, number>();
  for (const d of s.perDay) days.set(d.date, (days.get(d.date) ?? 0) + d.count);
  return [
    `${s.total} anomalies${truncated ? ' (the first 20,000: narrow the filters for the rest)' : ''}, ${s.range.start ?? '—'} .. ${s.range.end ?? '—'}`,
    counts('by status', s.byStatus),
    counts('by site', s.bySite),
    counts('by pump', s.byPump),
    counts('by sensor', s.bySensor),
    `per day: ${[...days].map(([day, n]) => `${day} ${n}`).join(', ') || '—'}`,
  ];
}

export const anomaliesCommand: Command = {
  name: 'anomalies',
  usage: `Usage: pumpdeck anomalies --api URL [--token-file F] [--site N] [--pump N] [--sensor N]
                         [--from T] [--to T] [--csv FILE] [--json]

Queries a central anomaly API (seed 000's /edge/anomalies: the reference sink, or any compatible
service), pages through every anomaly that matches, and prints summary statistics: by status,
site, pump, sensor and day. --csv FILE writes them all (nested fields as JSON text); --json prints
the summary as JSON. The token comes from ANOMALY_API_TOKEN, or from --token-file; it is never
given on the command line. Times are ISO 8601 (2025-03-01 or 2025-03-01T06:00:00Z).`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      api: { type: 'string' },
      'token-file': { type: 'string' },
      site: { type: 'string' },
      pump: { type: 'string' },
      sensor: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.api) throw new UsageError('--api URL is required');
    for (const name of ['from', 'to'] as const)
      if (values[name] && !ISO.test(values[name] as string))
        throw new UsageError(`invalid --${name}: ${values[name]} (ISO 8601, e.g. 2025-03-01 or 2025-03-01T06:00:00Z)`);
    const id = (name: 'site' | 'pump' | 'sensor') => intOption(values[name], name, [0, 2_147_483_647]);
    const { items, truncated } = await allAnomalies({
      url: values.api,
      token: tokenOf(values['token-file']),
      siteId: id('site'),
      pumpId: id('pump'),
      sensorId: id('sensor'),
      startDate: values.from,
      endDate: values.to,
    });
    const summary = summarise(items);
    if (values.csv) {
      const path = resolve(values.csv);
      writeFileSync(path, anomaliesCsv(items));
      console.error(`wrote ${items.length} anomalies to ${path}`);
    }
    console.log(
      values.json ? JSON.stringify({ ...summary, truncated }, null, 2) : summaryLines(summary, truncated).join('\n'),
    );
    return 0;
  },
};
