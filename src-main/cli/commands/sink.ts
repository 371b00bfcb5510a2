import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { StationDb } from '../../db/stationDb';
import { DuckAnomalyStore } from '../../sink/duckStore';
import { PgAnomalyStore } from '../../sink/pgStore';
import { startSink } from '../../sink/sinkServer';
import { loadSiteTokens } from '../../sink/siteTokens';
import type { AnomalyStore } from '../../sink/store';
import { type Command, intOption, parseCommandArgs, printed, UsageError } from '../command';

/** The server a PostgreSQL URL names, for messages: never its user or password. */
function pgServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the PostgreSQL URL';
  }
}

async function openStore(values: { db?: string; pg?: string }): Promise<{ store: AnomalyStore; close(): void }> {
  const pgUrl = values.pg ?? process.env.PUMPDECK_PG_URL;
  if (values.db && pgUrl) throw new UsageError('--db FILE or --pg URL, not both');
  if (pgUrl) {
    const store = await PgAnomalyStore.open(pgUrl).catch((error: Error & { code?: string }) => {
      // The driver's message may carry the user name; the code and the server are enough.
      throw new ApiError(
        'bad_input',
        `PostgreSQL at ${pgServer(pgUrl)} refused or did not answer (${error.code ?? 'no connection'})`,
      );
    });
    return { store, close: () => {} };
  }
  if (!values.db) throw new UsageError('--db FILE or --pg URL (or PUMPDECK_PG_URL) is required');
  const db = await StationDb.open(resolve(values.db));
  return { store: await DuckAnomalyStore.open(db), close: () => db.close() };
}

export const sinkCommand: Command = {
  name: 'sink',
  usage: `Usage: pumpdeck sink (--db FILE | --pg URL) --port N (--token T | --token-file F | --site-tokens F)
                    [--host H] [--stale-minutes N] [--retention-days N]

The anomaly API the edge runners report to. Serves POST and GET /edge/anomalies as seed 000
describes them: bearer tokens checked, payloads validated (400 names the field), bodies over
256 KB refused, a repeated Idempotency-Key answered with the stored anomaly instead of a
duplicate; GET filters pumpId, siteId, sensorId, startDate, endDate, page, pageSize,
sortDirection and answers {items, total, skip, take}. POST /edge/heartbeat takes a runner's
health; GET /edge/sites lists every site, silent ones first.

--db FILE            store in one DuckDB file (a laptop, a few sites; one sink process)
--pg URL             store in PostgreSQL (also PUMPDECK_PG_URL): several sink processes may share
                     it; the schema is created and migrated on start
--token T            one token that posts and reads every site (--token-file F: read from F)
--site-tokens F      JSON {"<token>": siteId | "*"}: a site's token posts and reads its own site,
                     "*" reads every site; a token may be written as sha256:<hex>
--stale-minutes N    a site with no heartbeat for N minutes is silent (default 120)
--retention-days N   remove anomalies whose reading is older than N days (at start, then hourly)

Binds 127.0.0.1 unless --host says otherwise. Stops on Ctrl+C or SIGTERM.`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      pg: { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      'site-tokens': { type: 'string' },
      host: { type: 'string' },
      'stale-minutes': { type: 'string' },
      'retention-days': { type: 'string' },
    });
    if (values.help) return printed(this.usage);
    const port = intOption(values.port, 'port', [0, 65535]);
    if (port === undefined) throw new UsageError('--port N is required');
    const staleMinutes = intOption(values['stale-minutes'], 'stale-minutes', [1, 525_600]);
    const retentionDays = intOption(values['retention-days'], 'retention-days', [1, 36_500]);
    const token =
      values.token ??
      (values['token-file'] ? (await readFile(resolve(values['token-file']), 'utf8')).trim() : undefined);
    if (!token && !values['site-tokens'])
      throw new UsageError('--token T, --token-file F or --site-tokens F is required');
    const tokens = await loadSiteTokens(values['site-tokens'] && resolve(values['site-tokens']), token);
    const { store, close } = await openStore(values);
    const log = (line: string) => console.log(line);
    const sink = await startSink({ store, tokens, port, host: values.host, staleMinutes, retentionDays, log }).catch(
      async (error: NodeJS.ErrnoException) => {
        await store.close();
        close();
        if (error.code === 'EADDRINUSE')
          throw new ApiError('bad_input', `port ${port} is in use: choose another with --port`);
        throw error;
      },
    );
    console.log(`anomaly API on ${sink.url}/edge/anomalies (${store.kind})`);
    await new Promise<void>((resolveStop) => {
      const stop = () => resolveStop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await sink.close();
    await store.close();
    close();
    return 0;
  },
};
