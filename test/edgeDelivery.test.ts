import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spool } from '../src-edge/spool';
import { ensureSchema } from '../src-main/db/schema';
import { StationDb } from '../src-main/db/stationDb';
import { demoStationConfig } from '../src-main/demo/createDemo';
import { generateSigningKey, packageArtifact } from '../src-main/edge/packageArtifact';
import { unpackArtifact } from '../src-main/edge/unpackArtifact';
import { saveStation } from '../src-main/ingest/stationConfig';
import { startDuckSink } from '../src-main/sink/sinkServer';
import type { AnomalyPage, AnomalyPayload } from '../src-shared/edge/payload';
import { seededRandom } from '../src-shared/random';
import { REPO, tempDir } from './helpers';

// Issue 16: the edge runner loses or strands no report. A station artifact is run as a site runs
// it (node runner.mjs --once) against the real sink behind a proxy that misbehaves on purpose:
// damaged spool and state files, a rotated token, a report the API always fails on, and a soak
// of random failures, timeouts and dropped connections. Every report ends up stored exactly once.

const dir = tempDir();
const TOKEN = 'delivery-token';
let sinkDb: StationDb;
let sink: Awaited<ReturnType<typeof startDuckSink>>;
let proxy: Server;
let proxyUrl = '';
/** What the proxy does with the next request; it forwards to the sink by default. */
let behave: (key: string) => 'pass' | 'timeout' | 'drop' | number = () => 'pass';
let site = '';
const input = join(dir, 'input.csv');

function payload(n: number): AnomalyPayload {
  return {
    sourceType: 'log',
    description: `report ${n}`,
    siteId: 501,
    pumpId: 1,
    sensorId: 200,
    timestamp: new Date(Date.UTC(2025, 5, 1, 0, n)).toISOString(),
    logValue: n,
    additionalContext: { n },
    metadata: { idempotencyKey: `k${n}` },
  };
}

/** Puts reports n in `numbers` in the site's spool, as the runner would have. */
function spoolReports(numbers: number[]): Spool {
  const spool = new Spool(join(site, 'data/unsent_anomalies'), join(site, 'data/rejected'), join(site, 'data/corrupt'));
  // Spooled an hour ago (well inside the spool's 30 days), in order.
  for (const n of numbers) spool.add(`k${n}`, payload(n), Date.now() - 3_600_000 + n);
  return spool;
}

function runner(args: string[] = [], token = TOKEN): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(
    process.execPath,
    [
      join(site, 'runner.mjs'),
      '--config',
      join(site, 'config/deployment_config.json'),
      '--once',
      '--input',
      input,
      ...args,
    ],
    { env: { PATH: process.env.PATH, ANOMALY_API_TOKEN: token, ANOMALY_API_URL: proxyUrl } },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

const health = () => JSON.parse(readFileSync(join(site, 'data/health.json'), 'utf8'));
const jsonIn = (folder: string) =>
  existsSync(join(site, folder)) ? readdirSync(join(site, folder)).filter((f) => f.endsWith('.json')) : [];
const waiting = () => jsonIn('data/unsent_anomalies');

async function storedNumbers(): Promise<number[]> {
  const response = await fetch(`${sink.url}/edge/anomalies?siteId=501&pageSize=1000&sortDirection=asc`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return ((await response.json()) as AnomalyPage).items.map((i) => i.logValue).sort((a, b) => a - b);
}

async function clearSink(): Promise<void> {
  await sinkDb.run('DELETE FROM edge_anomalies');
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  sinkDb = await StationDb.open(join(dir, 'sink.duckdb'));
  sink = await startDuckSink({ db: sinkDb, token: TOKEN, port: 0 });
  proxy = createServer((req, res) => {
    void (async () => {
      const text = await body(req);
      const key = String(req.headers['idempotency-key'] ?? '');
      const action = behave(key);
      if (action === 'timeout') return; // never answers: the runner's timeout ends it
      if (typeof action === 'number') {
        res.writeHead(action, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: `proxy says ${action}` }));
      }
      const forwarded = await fetch(`${sink.url}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === 'POST' ? text : undefined,
      });
      // 'drop': the report landed, the answer is lost with the connection.
      if (action === 'drop') return req.socket.destroy();
      res.writeHead(forwarded.status, { 'content-type': 'application/json' });
      res.end(await forwarded.text());
    })();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const project = await StationDb.open(join(dir, 'project.duckdb'));
  await ensureSchema(project);
  await saveStation(project, { config: demoStationConfig(), derived: [] });
  const key = join(dir, 'signing.key');
  await generateSigningKey(key);
  await packageArtifact(project, {
    station: true,
    out: join(dir, 'station.zip'),
    keyPath: key,
    apiUrl: proxyUrl,
    siteId: 501,
    retries: 1,
    backoffSeconds: 0.05,
    timeoutSeconds: 1,
    setAside: { attempts: 2, baseMinutes: 0 },
  });
  project.close();
  site = unpackArtifact(join(dir, 'station.zip'), join(dir, 'site'));
  writeFileSync(input, 'Timestamp,Marker,TagIndex,Value\n2025-06-01 00:00:00,B,2,250\n');
}, 60_000);

afterAll(async () => {
  proxy.close();
  await sink.close();
  sinkDb.close();
});

describe('a damaged spool or state file', () => {
  it('a spool file cut short goes to data/corrupt/ and the other reports are still delivered', async () => {
    await clearSink();
    spoolReports([1, 2, 3, 4, 5]);
    const third = waiting()[2];
    truncateSync(join(site, 'data/unsent_anomalies', third), 20);
    const run = await runner();
    expect(run.code, run.err).toBe(0);
    expect(await storedNumbers()).toEqual([1, 2, 4, 5]);
    expect(waiting()).toEqual([]);
    expect(readdirSync(join(site, 'data/corrupt')).some((f) => f.endsWith(third))).toBe(true);
    expect(health().warnings.join(' ')).toContain(`${third} was unreadable (not valid JSON (cut short or garbled))`);
  });

  it('an empty state.json is set aside and the runner starts afresh, delivering new reports', async () => {
    writeFileSync(join(site, 'data/state.json'), '');
    spoolReports([6]);
    const run = await runner();
    expect(run.code, run.err).toBe(0);
    expect(await storedNumbers()).toContain(6);
    expect(health().warnings.join(' ')).toMatch(/state\.json was unreadable/);
    expect(JSON.parse(readFileSync(join(site, 'data/state.json'), 'utf8')).debounce).toBeDefined();
  });
});

describe('the API refusing the runner or one report', () => {
  it('a 401 (a rotated token) loses nothing: reports wait, health says why, and go once the token is right', async () => {
    await clearSink();
    spoolReports([10, 11, 12]);
    const refused = await runner([], 'old-token');
    expect(refused.code).toBe(0);
    expect(waiting()).toHaveLength(3);
    expect(health()).toMatchObject({ ok: false, reason: 'API refuses the token (HTTP 401)', spooled: 3 });
    expect(health().oldestWaitingMinutes).toBeGreaterThan(0);
    expect(existsSync(join(site, 'data/rejected')) ? readdirSync(join(site, 'data/rejected')) : []).toEqual([]);
    const fixed = await runner();
    expect(fixed.code).toBe(0);
    expect(await storedNumbers()).toEqual([10, 11, 12]);
    expect(health()).toMatchObject({ ok: true, reason: null, spooled: 0 });
  });

  it('a report the API always fails on waits alone while the newer go; set aside after its attempts, health names it until resent or cleared', async () => {
    await clearSink();
    spoolReports([20, 21, 22]);
    behave = (key) => (key === 'k20' ? 500 : 'pass');
    const first = await runner();
    expect(first.code).toBe(0);
    // The newer reports do not wait behind the one the API fails on (issue 35).
    expect(await storedNumbers()).toEqual([21, 22]);
    expect(waiting()).toHaveLength(1);
    const spooled = JSON.parse(readFileSync(join(site, 'data/unsent_anomalies', waiting()[0]), 'utf8'));
    expect(spooled).toMatchObject({ failures: 1, nextAttemptAt: expect.any(Number) });
    expect(health()).toMatchObject({ ok: false, spooled: 1 });
    expect(health().reason).toMatch(/^HTTP 500/);
    const second = await runner();
    expect(second.code).toBe(0);
    const rejected = readdirSync(join(site, 'data/rejected'));
    const reason = rejected.find((f) => f.endsWith('.reason.txt')) as string;
    expect(readFileSync(join(site, 'data/rejected', reason), 'utf8')).toMatch(
      /^undeliverable: HTTP 500.*\(2 attempts over/,
    );
    // Set aside is not delivered: health stays not ok and names it.
    expect(health()).toMatchObject({ ok: false, rejected: 1, spooled: 0 });
    expect(health().reason).toMatch(/^1 report set aside in rejected\/: --resend-rejected or --clear-set-aside$/);
    expect(health().setAside).toEqual([
      { file: rejected.find((f) => f.endsWith('.json')), reason: expect.stringMatching(/^undeliverable/) },
    ]);
    behave = () => 'pass';
    const resend = await runner(['--resend-rejected']);
    expect(resend.code).toBe(0);
    expect(await storedNumbers()).toEqual([20, 21, 22]);
    expect(readdirSync(join(site, 'data/rejected'))).toEqual([]);
    expect(health()).toMatchObject({ ok: true, rejected: 0 });
  });

  it('--clear-set-aside clears what was set aside and what retention dropped; health is ok again', async () => {
    await clearSink();
    spoolReports([40]);
    behave = () => 422;
    await runner();
    behave = () => 'pass';
    expect(health()).toMatchObject({ ok: false, rejected: 1 });
    // A report retention dropped (older than the spool keeps) is named too, until cleared.
    writeFileSync(join(site, 'data/dropped.json'), JSON.stringify(['000-old.json (older than 7 days)']));
    await runner();
    expect(health()).toMatchObject({ ok: false, dropped: ['000-old.json (older than 7 days)'] });
    expect(health().reason).toBe(
      '1 report set aside in rejected/; 1 report dropped by spool retention: --resend-rejected or --clear-set-aside',
    );
    const cleared = await runner(['--clear-set-aside']);
    expect(cleared.code).toBe(0);
    expect(health()).toMatchObject({ ok: true, rejected: 0, dropped: [] });
    expect(await storedNumbers()).toEqual([]);
  });

  it('a report the API calls invalid (422) is set aside at once with its reason', async () => {
    await clearSink();
    spoolReports([30, 31]);
    behave = (key) => (key === 'k30' ? 422 : 'pass');
    await runner();
    behave = () => 'pass';
    expect(await storedNumbers()).toEqual([31]);
    const reason = readdirSync(join(site, 'data/rejected')).find((f) => f.endsWith('.reason.txt')) as string;
    expect(readFileSync(join(site, 'data/rejected', reason), 'utf8')).toMatch(
      /^the API calls this report invalid: HTTP 422/,
    );
    await runner(['--resend-rejected']);
    expect(await storedNumbers()).toEqual([30, 31]);
  });
});

describe('soak: runs every few hundred ms against an API that fails at random', () => {
  it('stores every report exactly once through failures, timeouts, dropped answers and a spell of 401s', async () => {
    await clearSink();
    const random = seededRandom(16);
    let run = 0;
    const seen = new Map<string | number, number>();
    behave = () => {
      const r = random();
      const action =
        run >= 6 && run < 9 ? 401 : r < 0.2 ? 503 : r < 0.3 ? 'timeout' : r < 0.45 ? 'drop' : r < 0.5 ? 500 : 'pass';
      seen.set(action, (seen.get(action) ?? 0) + 1);
      return action;
    };
    const all = Array.from({ length: 45 }, (_, i) => 100 + i);
    for (; run < 24; run++) {
      // Reports keep arriving while the API misbehaves.
      if (run < 15) spoolReports(all.slice(run * 3, run * 3 + 3));
      const result = await runner();
      expect(result.code, result.err).toBe(0);
    }
    behave = () => 'pass';
    await runner(['--resend-rejected']); // anything set aside as undeliverable goes again, once calm
    // The API did misbehave in every way: answers lost after the report landed (a retry then
    // stores nothing twice), timeouts, 5xx and a spell of refused tokens.
    for (const action of ['drop', 'timeout', 503, 500, 401])
      expect(seen.get(action), String(action)).toBeGreaterThan(0);
    expect(waiting()).toEqual([]);
    expect(await storedNumbers()).toEqual(all);
  }, 240_000);
});

describe('pumpdeck anomalies: the seed query tool on a headless server (issue 22)', () => {
  function cli(
    args: string[],
    env: Record<string, string>,
  ): Promise<{ code: number | null; out: string; err: string }> {
    const child = spawn(join(REPO, 'bin/pumpdeck'), ['anomalies', ...args], {
      env: { PATH: process.env.PATH, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  }

  it('pages through every match, filters by site, pump and time, summarises and writes CSV', async () => {
    await clearSink();
    // 1,200 reports (more than a page of 1,000) for site 501, pumps 1 and 2, and 3 for another
    // site: written straight into the sink's table (posting them one by one takes 15 s).
    await sinkDb.run(
      `INSERT INTO edge_anomalies (idempotency_key, source_type, description, site_id, pump_id, sensor_id, "timestamp", ts,
         log_value, additional_context, metadata, created_at)
       SELECT 'q' || i, 'log', 'report ' || i, CASE WHEN i >= 1200 THEN 777 ELSE 501 END, 1 + i % 2, 200,
              strftime(TIMESTAMP '2025-06-01' + INTERVAL (i) MINUTE, '%Y-%m-%dT%H:%M:%SZ'), TIMESTAMP '2025-06-01' + INTERVAL (i) MINUTE,
              i, json_object('status', CASE WHEN i % 3 = 0 THEN 'Critical' ELSE 'Warning' END), '{}', '2026-01-01T00:00:00Z'
       FROM range(1203) t(i)`,
    );
    const csv = join(dir, 'anomalies.csv');
    const result = await cli(['--api', sink.url, '--site', '501', '--pump', '2', '--csv', csv, '--json'], {
      ANOMALY_API_TOKEN: TOKEN,
    });
    expect(result.code, result.err).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary).toMatchObject({ total: 600, truncated: false, byPump: { '2': 600 }, bySite: { '501': 600 } });
    expect(summary.byStatus).toEqual({ Warning: 400, Critical: 200 });
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(601);
    const window = await cli(
      ['--api', sink.url, '--site', '501', '--from', '2025-06-01T00:00:00Z', '--to', '2025-06-01T00:09:00Z'],
      {
        ANOMALY_API_TOKEN: TOKEN,
      },
    );
    expect(window.out.split('\n')[0]).toMatch(/^10 anomalies, /);
    expect(window.out).toMatch(/^by status: Warning \d+, Critical \d+$/m);
  }, 120_000);

  it('takes the token from the environment or a file, never a flag; a wrong one is named, not echoed', async () => {
    const noToken = await cli(['--api', sink.url], {});
    expect(noToken.code).toBe(2);
    expect(noToken.err).toContain('no token: set ANOMALY_API_TOKEN or give --token-file FILE');
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    expect((await cli(['--api', sink.url, '--token-file', tokenFile], {})).code).toBe(0);
    const wrong = await cli(['--api', sink.url], { ANOMALY_API_TOKEN: 'not-the-token' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/401/);
    expect(wrong.err).not.toContain('not-the-token');
  });
});
