import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { type AnomalySummary, anomaliesCsv, summarise } from '../../../src-shared/edge/anomalyStats';
import type { FleetAnswer } from '../../../src-shared/edge/fleet';
import { allAnomalies, querySites } from '../../edge/anomalyApiClient';
import { readAnomalyApi, saveAnomalyApi, savedAnomalyApi } from '../../edge/anomalyApiSettings';
import { checkOutput, writeOutputData } from '../../files/outputFile';
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

/** The fleet as a table: worst first, one site a line. */
function fleetLines(fleet: FleetAnswer): string[] {
  const rows = fleet.sites.map((s) => [
    String(s.siteId),
    s.state,
    s.heartbeatAt ?? 'never',
    s.lastReportAt ?? '—',
    String(s.health?.spooled ?? '—'),
    String(s.health?.rejected ?? '—'),
    String(s.perDay.reduce((n, d) => n + d.count, 0)),
    s.health?.ok === false ? (s.health.reason ?? 'not ok') : '',
  ]);
  const head = ['site', 'state', 'heartbeat', 'last report', 'spooled', 'set aside', '7 days', 'why'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const count = (state: string) => fleet.sites.filter((s) => s.state === state).length;
  return [
    `${fleet.sites.length} sites: ${count('silent')} silent (no heartbeat in ${fleet.staleMinutes} min), ${count('failing')} failing, ${count('ok')} ok (as of ${fleet.now})`,
    line(head),
    ...rows.map(line),
  ];
}

export const anomaliesCommand: Command = {
  name: 'anomalies',
  usage: `Usage: pumpdeck anomalies [--api URL] [--token-file F] [--site N] [--pump N] [--sensor N]
                         [--from T] [--to T] [--csv FILE [--force]] [--json]
       pumpdeck anomalies --sites [--stale-minutes N] [--json]
       pumpdeck anomalies --save-api URL [--token-file F] [--allow-host H ...]

Queries a central anomaly API (seed 000's /edge/anomalies: the reference sink, or any compatible
service), pages through every anomaly that matches, and prints summary statistics: by status,
site, pump, sensor and day. --csv FILE writes them all (nested fields as JSON text; an existing
FILE only with --force); --json prints the summary as JSON. Times are ISO 8601 (2025-03-01 or
2025-03-01T06:00:00Z).
--sites lists every site the API knows, silent ones first: its runner's last heartbeat and
health, its last report and its anomalies of the last 7 days (a site with no heartbeat in
--stale-minutes, 120 by default, is silent).
The API is the one saved with --save-api (the same setting as the Anomalies page), or --api URL
for this query. The token comes from ANOMALY_API_TOKEN or --token-file (never a flag value);
without --api, the saved token. A link-local or cloud metadata address (169.254.x.x, fe80::) is
refused unless --allow-host names its host in the saved settings. A URL has no query or fragment.`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      api: { type: 'string' },
      'save-api': { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      'token-file': { type: 'string' },
      site: { type: 'string' },
      pump: { type: 'string' },
      sensor: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'string' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      sites: { type: 'boolean' },
      'stale-minutes': { type: 'string' },
    });
    if (values.help) return printed(this.usage);
    if (values['save-api']) {
      const saved = await saveAnomalyApi({
        url: values['save-api'],
        token: values['token-file'] || process.env.ANOMALY_API_TOKEN ? tokenOf(values['token-file']) : undefined,
        allowHosts: values['allow-host'],
      });
      console.log(
        `saved the anomaly API ${saved.url}${saved.hasToken ? ' with its token' : ' (no token yet: give --token-file F)'}${saved.allowHosts.length ? `; allowed hosts: ${saved.allowHosts.join(', ')}` : ''}`,
      );
      return 0;
    }
    for (const name of ['from', 'to'] as const)
      if (values[name] && !ISO.test(values[name] as string))
        throw new UsageError(`invalid --${name}: ${values[name]} (ISO 8601, e.g. 2025-03-01 or 2025-03-01T06:00:00Z)`);
    const id = (name: 'site' | 'pump' | 'sensor') => intOption(values[name], name, [0, 2_147_483_647]);
    // Refused before the API is asked, not after.
    if (values.csv) await checkOutput(values.csv, { force: values.force });
    const api = values.api
      ? {
          url: values.api,
          token: tokenOf(values['token-file']),
          allowHosts: (await readAnomalyApi()).allowHosts,
        }
      : await savedAnomalyApi();
    if (values.sites) {
      const fleet = await querySites(api, {
        staleMinutes: intOption(values['stale-minutes'], 'stale-minutes', [1, 525_600]),
      });
      console.log(values.json ? JSON.stringify(fleet, null, 2) : fleetLines(fleet).join('\n'));
      return 0;
    }
    const { items, truncated } = await allAnomalies(api, {
      siteId: id('site'),
      pumpId: id('pump'),
      sensorId: id('sensor'),
      startDate: values.from,
      endDate: values.to,
    });
    const summary = summarise(items);
    if (values.csv) {
      const path = await writeOutputData(values.csv, anomaliesCsv(items), { force: values.force });
      console.error(`wrote ${items.length} anomalies to ${path}`);
    }
    console.log(
      values.json ? JSON.stringify({ ...summary, truncated }, null, 2) : summaryLines(summary, truncated).join('\n'),
    );
    return 0;
  },
};
