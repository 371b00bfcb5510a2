import { type ChildProcess, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSinkProcess } from '../scripts/startPumpdeck';
import { StationDb } from '../src-main/db/stationDb';
import { DuckAnomalyStore } from '../src-main/sink/duckStore';
import { PgAnomalyStore } from '../src-main/sink/pgStore';
import { startSink } from '../src-main/sink/sinkServer';
import { hashToken, loadSiteTokens } from '../src-main/sink/siteTokens';
import type { AnomalyStore } from '../src-main/sink/store';
import type { FleetAnswer } from '../src-shared/edge/fleet';
import type { AnomalyPage, AnomalyPayload } from '../src-shared/edge/payload';
import { REPO, tempDir } from './helpers';

// Issue 33: one contract for the anomaly API, run against both stores (DuckDB for a laptop,
// PostgreSQL for a fleet, the real server the global setup started); then two sink processes on
// one PostgreSQL sharing the same reports.

const dir = tempDir();
const MASTER = 'master-token-0123456789';
const SITE7 = 'site-seven-token-0123456789';
const SITE8 = 'site-eight-token-0123456789';
const READER = 'reader-token-0123456789abc';

/** A new database on the cluster, its URL. */
async function pgDatabase(name: string): Promise<string> {
  const url = inject('pgUrl');
  if (!url) throw new Error(`no PostgreSQL for the tests: ${inject('pgError')}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name}`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return url.replace(/\/postgres$/, `/${name}`);
}

const now = Date.now();
const isoAgo = (hours: number) => new Date(now - hours * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');

function payload(n: number, over: Partial<AnomalyPayload> = {}): AnomalyPayload {
  return {
    sourceType: 'edge-runner',
    description: `anomaly ${n}`,
    siteId: 7,
    pumpId: 1 + (n % 3),
    sensorId: 10 + (n % 2),
    timestamp: isoAgo(n),
    logValue: n * 1.5,
    additionalContext: { status: n % 2 ? 'Warning' : 'Failure' },
    metadata: { idempotencyKey: `key-${n}` },
    ...over,
  };
}

const STORES: Array<[string, () => Promise<AnomalyStore>]> = [
  ['DuckDB', async () => DuckAnomalyStore.open(await StationDb.open(join(dir, 'sink.duckdb')))],
  ['PostgreSQL', async () => PgAnomalyStore.open(await pgDatabase('contract'))],
];

describe.each(STORES)('the anomaly API on %s', (_name, open) => {
  let store: AnomalyStore;
  let sink: Awaited<ReturnType<typeof startSink>>;
  const call = async (method: string, path: string, token: string | null, body?: unknown, headers = {}) => {
    const res = await fetch(`${sink.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        'content-type': 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    store = await open();
    const file = join(dir, `tokens-${store.kind}.json`);
    // Site 8's token written as its hash: the sink needs no more; site 9 has never reported.
    writeFileSync(
      file,
      JSON.stringify({
        [SITE7]: 7,
        [`sha256:${hashToken(SITE8)}`]: 8,
        [READER]: '*',
        'site-nine-token-0123456789': 9,
      }),
    );
    sink = await startSink({ store, tokens: await loadSiteTokens(file, MASTER), port: 0, staleMinutes: 60 });
  });
  afterAll(async () => {
    await sink.close();
    await store.close();
  });

  it('stores a report once per idempotency key: 201, then 200 with the same id; another payload under it is 409', async () => {
    const first = await call('POST', '/edge/anomalies', SITE7, payload(1));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ...payload(1), id: expect.any(Number), createdAt: expect.any(String) });
    const again = await call('POST', '/edge/anomalies', SITE7, payload(1));
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replay')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const other = await call('POST', '/edge/anomalies', SITE7, payload(1, { logValue: 99 }));
    expect(other.status).toBe(409);
    expect(other.body.field).toBe('idempotencyKey');
    // The header key is the key when both are given.
    const byHeader = await call('POST', '/edge/anomalies', SITE7, payload(2), { 'idempotency-key': 'header-2' });
    expect(byHeader.status).toBe(201);
    expect((await call('POST', '/edge/anomalies', SITE7, payload(2), { 'idempotency-key': 'header-2' })).status).toBe(
      200,
    );
  });

  it('refuses what is not a report, naming the field; no token is 401, a big body 413, another path 404', async () => {
    const bad = await call('POST', '/edge/anomalies', SITE7, payload(3, { siteId: -1 }));
    expect(bad).toMatchObject({ status: 400, body: { field: 'siteId' } });
    expect((await call('POST', '/edge/anomalies', SITE7, '{"not json')).body.field).toBe('(body)');
    expect(
      (await call('POST', '/edge/anomalies', SITE7, payload(3, { timestamp: '2025-02-30T00:00:00Z' }))).body.field,
    ).toBe('timestamp');
    expect((await call('GET', '/edge/anomalies', null)).status).toBe(401);
    expect((await call('GET', '/edge/anomalies', 'wrong-token-0123456789')).status).toBe(401);
    expect((await call('POST', '/edge/anomalies', SITE7, 'x'.repeat(300_000))).status).toBe(413);
    expect((await call('GET', '/edge/other', SITE7)).status).toBe(404);
    expect((await call('DELETE', '/edge/anomalies', MASTER)).status).toBe(405);
    expect((await call('GET', '/edge/anomalies?pageSize=5000', MASTER)).body.field).toBe('pageSize');
  });

  it('filters by site, pump, sensor and time, pages and sorts as the seed says', async () => {
    for (let n = 10; n < 40; n += 1)
      expect((await call('POST', '/edge/anomalies', MASTER, payload(n, { siteId: 7 + (n % 2) }))).status).toBe(201);
    const all = (await call('GET', '/edge/anomalies?pageSize=1000&sortDirection=asc', READER)).body as AnomalyPage;
    expect(all.total).toBe(32);
    const times = all.items.map((a) => Date.parse(a.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const mine = (q: string) => call('GET', `/edge/anomalies?${q}`, MASTER).then((r) => r.body as AnomalyPage);
    const expected = (f: (a: AnomalyPage['items'][number]) => boolean) => all.items.filter(f).length;
    expect((await mine('pumpId=2&pageSize=1000')).total).toBe(expected((a) => a.pumpId === 2));
    expect((await mine('siteId=8&sensorId=11&pageSize=1000')).total).toBe(
      expected((a) => a.siteId === 8 && a.sensorId === 11),
    );
    const window = `startDate=${isoAgo(30)}&endDate=${isoAgo(20)}&pageSize=1000`;
    expect((await mine(window)).total).toBe(
      expected(
        (a) =>
          Date.parse(a.timestamp) >= now - 30 * 3_600_000 - 1000 && Date.parse(a.timestamp) <= now - 20 * 3_600_000,
      ),
    );
    const page2 = await mine('page=2&pageSize=10&sortDirection=desc');
    expect(page2).toMatchObject({ total: 32, skip: 10, take: 10 });
    expect(page2.items.map((a) => a.id)).toEqual(
      [...all.items]
        .reverse()
        .slice(10, 20)
        .map((a) => a.id),
    );
  });

  it("a site's token posts and reads its own site only (403 otherwise); a reader reads every site and posts nothing", async () => {
    expect(await call('POST', '/edge/anomalies', SITE7, payload(50, { siteId: 8 }))).toMatchObject({
      status: 403,
      body: { field: 'siteId' },
    });
    expect((await call('POST', '/edge/anomalies', SITE8, payload(51, { siteId: 8 }))).status).toBe(201);
    const seven = (await call('GET', '/edge/anomalies?pageSize=1000', SITE7)).body as AnomalyPage;
    expect(seven.total).toBeGreaterThan(0);
    expect(new Set(seven.items.map((a) => a.siteId))).toEqual(new Set([7]));
    expect((await call('GET', '/edge/anomalies?siteId=8', SITE7)).status).toBe(403);
    const everything = (await call('GET', '/edge/anomalies?pageSize=1000', READER)).body as AnomalyPage;
    expect(new Set(everything.items.map((a) => a.siteId))).toEqual(new Set([7, 8]));
    expect((await call('POST', '/edge/anomalies', READER, payload(52))).status).toBe(403);
    expect((await call('POST', '/edge/heartbeat', SITE7, { siteId: 8, health: { ok: true } })).status).toBe(403);
  });

  it('heartbeats: the fleet lists every site, the one that never reported first as silent, a failing runner next', async () => {
    expect((await call('POST', '/edge/heartbeat', SITE7, { siteId: 7, health: { ok: true, spooled: 0 } })).status).toBe(
      204,
    );
    const failing = {
      ok: false,
      reason: 'API refuses the token (HTTP 401)',
      spooled: 12,
      rejected: 1,
      dropped: ['a', 'b'],
    };
    expect((await call('POST', '/edge/heartbeat', SITE8, { siteId: 8, health: failing })).status).toBe(204);
    expect((await call('POST', '/edge/heartbeat', SITE8, { siteId: 8, health: 'fine' })).body.field).toBe('health');
    const fleet = (await call('GET', '/edge/sites', READER)).body as FleetAnswer;
    expect(fleet.sites.map((s) => [s.siteId, s.state])).toEqual([
      [9, 'silent'],
      [8, 'failing'],
      [7, 'ok'],
    ]);
    const eight = fleet.sites[1];
    expect(eight.health).toMatchObject({ ok: false, reason: failing.reason, spooled: 12, rejected: 1, dropped: 2 });
    // Anomalies per day over the last 7 days, by reading time, as the query counts them.
    const listed = (await call('GET', '/edge/anomalies?siteId=8&pageSize=1000', READER)).body as AnomalyPage;
    for (const { day, count } of eight.perDay)
      expect(count, day).toBe(listed.items.filter((a) => a.timestamp.slice(0, 10) === day).length);
    expect(eight.lastAnomalyAt).toBe(
      listed.items.reduce((a, b) => (Date.parse(a.timestamp) > Date.parse(b.timestamp) ? a : b)).timestamp,
    );
    expect(fleet.sites[0]).toMatchObject({ heartbeatAt: null, lastReportAt: null });
    // A site sees itself only.
    expect(((await call('GET', '/edge/sites', SITE7)).body as FleetAnswer).sites.map((s) => s.siteId)).toEqual([7]);
    expect((await call('GET', '/edge/sites?siteId=8', SITE7)).status).toBe(403);
  });

  it('retention removes anomalies older than the days kept, nothing newer', async () => {
    const before = ((await call('GET', '/edge/anomalies?pageSize=1', READER)).body as AnomalyPage).total;
    const old = await call('POST', '/edge/anomalies', MASTER, payload(60, { timestamp: '2020-01-01T00:00:00Z' }));
    expect(old.status).toBe(201);
    expect(await store.prune(365, new Date())).toBe(1);
    expect(((await call('GET', '/edge/anomalies?pageSize=1', READER)).body as AnomalyPage).total).toBe(before);
  });
});

describe('the DuckDB sink killed with SIGKILL', () => {
  it('starts again on its file with every report it acknowledged', async () => {
    const db = join(dir, 'killed.duckdb');
    const start = () => startSinkProcess(['--db', db, '--token', MASTER]);
    const first = await start();
    for (let n = 0; n < 20; n += 1) {
      const r = await fetch(`${first.url}/edge/anomalies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload(n)),
      });
      expect(r.status).toBe(201);
    }
    first.process.kill('SIGKILL');
    await new Promise((r) => first.process.once('exit', r));
    // Its WAL holds the reports, not the tables' definitions: it replays (duckdb#19712).
    const second = await start();
    try {
      const page = (await (
        await fetch(`${second.url}/edge/anomalies?pageSize=100`, { headers: { authorization: `Bearer ${MASTER}` } })
      ).json()) as AnomalyPage;
      expect(page.total).toBe(20);
    } finally {
      second.process.kill('SIGTERM');
    }
  });
});

describe('a fleet: two sink processes on one PostgreSQL', () => {
  const sinks: ChildProcess[] = [];
  afterAll(() => {
    for (const s of sinks) s.kill('SIGTERM');
  });

  const startOn = async (pgUrl: string) => {
    const started = await startSinkProcess(['--pg', pgUrl, '--token', MASTER]);
    sinks.push(started.process);
    return started.url;
  };

  it('the same 500 reports sent to both at once: 500 stored, no duplicate, every answer 201 or a replay of it', async () => {
    const url = await pgDatabase('fleet');
    const [a, b] = await Promise.all([startOn(url), startOn(url)]);
    const post = (base: string, n: number) =>
      fetch(`${base}/edge/anomalies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json', 'idempotency-key': `r-${n}` },
        body: JSON.stringify(payload(n, { siteId: n % 50 })),
      }).then(async (r) => ({ status: r.status, id: ((await r.json()) as { id: number }).id }));
    const answers = await Promise.all(Array.from({ length: 500 }, (_, n) => Promise.all([post(a, n), post(b, n)])));
    for (const [x, y] of answers) {
      expect([x.status, y.status].sort()).toEqual([200, 201]);
      expect(x.id).toBe(y.id);
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const counted = await client.query(
      'SELECT count(*)::int AS n, count(DISTINCT idempotency_key)::int AS keys FROM edge_anomalies',
    );
    const schema = await client.query('SELECT max(version)::int AS v FROM pumpdeck_sink_schema');
    await client.end();
    expect(counted.rows[0]).toEqual({ n: 500, keys: 500 });
    expect(schema.rows[0].v).toBe(2);
    // The CLI's fleet table through the same API: 50 sites, none with a heartbeat yet.
    const home = tempDir();
    const env = { ...process.env, PUMPDECK_HOME: home, ANOMALY_API_TOKEN: MASTER };
    const saved = spawnCli(['anomalies', '--save-api', a], env);
    expect(saved.code, saved.err).toBe(0);
    const sites = spawnCli(['anomalies', '--sites', '--json'], env);
    expect(sites.code, sites.err).toBe(0);
    const fleet = JSON.parse(sites.out) as FleetAnswer;
    expect(fleet.sites).toHaveLength(50);
    expect(fleet.sites.every((s) => s.state === 'silent')).toBe(true);
    expect(spawnCli(['anomalies', '--sites'], env).out).toContain('50 sites: 50 silent');
  });
});

/** The CLI with a given environment (pumpdeck() gives each call a data folder of its own). */
function spawnCli(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(join(REPO, 'bin/pumpdeck'), args, { encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
