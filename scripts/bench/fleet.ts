// npm run bench:fleet (issue 33): a fleet of simulated edge runners against the anomaly API, on
// loopback only. A throwaway PostgreSQL cluster, two sink processes on it, and RUNNERS runners
// (1,000 by default) using the runner's own delivery code (its durable spool, flush with backoff,
// idempotency keys, heartbeats), each reporting every ~10 s for SECONDS (120). Midway one sink is
// killed with SIGKILL and started again. Then every runner drains its spool, and the database is
// counted: reports sent, acknowledged, stored, duplicates and lost (must be 0 and 0), throughput
// and latency. The same run against the DuckDB sink (one process: DuckDB has one writer) beside it.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { deliver, postHeartbeat } from '../../src-edge/delivery';
import { flushSpool } from '../../src-edge/flush';
import { Spool } from '../../src-edge/spool';
import { StationDb } from '../../src-main/db/stationDb';
import type { AnomalyPayload } from '../../src-shared/edge/payload';
import { startPgCluster } from '../pgCluster';
import { startSinkProcess } from '../startPumpdeck';

const RUNNERS = Number(process.env.FLEET_RUNNERS ?? 1000);
const SECONDS = Number(process.env.FLEET_SECONDS ?? 120);
const EVERY_MS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'pumpdeck-bench-fleet-'));
const tokenOf = (site: number) => `bench-site-${site}-token-0123456789`;
writeFileSync(
  join(dir, 'tokens.json'),
  JSON.stringify(Object.fromEntries(Array.from({ length: RUNNERS }, (_, i) => [tokenOf(i + 1), i + 1]))),
);

interface Sink {
  url: string;
  child: ChildProcess;
}

async function startSink(store: string[], port: number): Promise<Sink> {
  const started = await startSinkProcess([...store, '--port', String(port), '--site-tokens', join(dir, 'tokens.json')]);
  return { url: started.url, child: started.process };
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : Number.NaN;
};

interface Outcome {
  store: string;
  sinks: number;
  sent: number;
  acknowledged: number;
  stored: number;
  duplicates: number;
  lost: number;
  heartbeats: number;
  perSecond: number;
  p50: number;
  p99: number;
  drainSeconds: number;
}

/** RUNNERS runners for SECONDS against `urls` (runner i to urls[i % n]); `kill` at half time. */
async function fleet(
  name: string,
  urls: string[],
  kill: () => Promise<void>,
): Promise<Omit<Outcome, 'stored' | 'duplicates' | 'lost'> & { keys: string[] }> {
  const keys: string[] = [];
  const latencies: number[] = [];
  let acknowledged = 0;
  let heartbeats = 0;
  const started = Date.now();
  const until = started + SECONDS * 1000;
  const policy = { attempts: 8, baseMinutes: 0.05 };
  const quiet = () => {};
  const runner = async (i: number) => {
    const site = i + 1;
    const token = tokenOf(site);
    const url = urls[i % urls.length];
    const root = join(dir, name, `runner-${site}`);
    const spool = new Spool(join(root, 'spool'), join(root, 'rejected'), join(root, 'corrupt'));
    const cycle = async () => {
      const summary = await flushSpool(
        spool,
        async (entry) => {
          const t0 = performance.now();
          const outcome = await deliver(entry.payload, entry.key, {
            url,
            token,
            timeoutMs: 10_000,
            retries: 1,
            backoffMs: 500,
          });
          if (outcome.kind === 'delivered') {
            latencies.push(performance.now() - t0);
            acknowledged += 1;
          }
          return outcome;
        },
        policy,
        Date.now(),
        quiet,
      );
      const failed = await postHeartbeat(
        {
          siteId: site,
          health: {
            ok: summary.error === null,
            reason: summary.error,
            lastRun: new Date().toISOString(),
            asOf: null,
            spooled: summary.waiting,
            rejected: 0,
            dropped: 0,
            runnerVersion: 'bench',
            artifact: null,
          },
        },
        { url, token, timeoutMs: 10_000 },
      );
      if (!failed) heartbeats += 1;
      return summary;
    };
    await new Promise((r) => setTimeout(r, Math.random() * EVERY_MS)); // runners do not start in step
    for (let seq = 0; Date.now() < until; seq += 1) {
      const key = `bench-${name}-${site}-${seq}`;
      const payload: AnomalyPayload = {
        sourceType: 'bench',
        description: `pump ${site} anomaly ${seq}`,
        siteId: site,
        pumpId: 1,
        sensorId: 1,
        timestamp: new Date().toISOString(),
        logValue: Math.random() * 100,
        additionalContext: { status: 'Warning' },
        metadata: { idempotencyKey: key },
      };
      spool.add(key, payload, Date.now());
      keys.push(key);
      await cycle();
      await new Promise((r) => setTimeout(r, EVERY_MS * (0.8 + 0.4 * Math.random())));
    }
    // Drain: what waits goes once the sinks answer (bounded).
    for (let tries = 0; spool.list().length && tries < 60; tries += 1) {
      await new Promise((r) => setTimeout(r, 1000));
      await cycle();
    }
  };
  const killer = new Promise<void>((r) => setTimeout(() => void kill().then(r), (SECONDS * 1000) / 2));
  await Promise.all([killer, ...Array.from({ length: RUNNERS }, (_, i) => runner(i))]);
  const ended = Date.now();
  return {
    store: name,
    sinks: urls.length,
    sent: keys.length,
    acknowledged,
    heartbeats,
    perSecond: acknowledged / SECONDS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    drainSeconds: Math.max(0, (ended - until) / 1000),
    keys,
  };
}

async function restartAfterKill(sink: Sink, store: string[], port: number): Promise<Sink> {
  sink.child.kill('SIGKILL');
  console.log(`  ${new Date().toISOString()} SIGKILL to the sink on port ${port}; starting it again in 3 s`);
  await new Promise((r) => setTimeout(r, 3000));
  return startSink(store, port);
}

const results: Outcome[] = [];

/** A run's outcome from the keys the store holds: stored, duplicated, and sent but not stored. */
function counted(run: Awaited<ReturnType<typeof fleet>>, storedKeys: string[]): Outcome {
  const unique = new Set(storedKeys);
  return {
    ...run,
    stored: storedKeys.length,
    duplicates: storedKeys.length - unique.size,
    lost: run.keys.filter((k) => !unique.has(k)).length,
  };
}
const freePort = async () => {
  const { createServer } = await import('node:net');
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
};

// PostgreSQL: two sinks on one database.
{
  const cluster = await startPgCluster();
  try {
    const url = cluster.database('fleet');
    const store = ['--pg', url];
    const ports = [await freePort(), await freePort()];
    const sinks = [await startSink(store, ports[0]), await startSink(store, ports[1])];
    console.log(`PostgreSQL: ${RUNNERS} runners for ${SECONDS} s on two sinks`);
    const run = await fleet(
      'postgres',
      sinks.map((s) => s.url),
      async () => {
        sinks[0] = await restartAfterKill(sinks[0], store, ports[0]);
      },
    );
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const stored = await client.query('SELECT idempotency_key AS k FROM edge_anomalies');
    await client.end();
    results.push(
      counted(
        run,
        stored.rows.map((r) => r.k as string),
      ),
    );
    for (const s of sinks) s.child.kill('SIGTERM');
  } finally {
    cluster.stop();
  }
}

// DuckDB: one sink process on one file.
{
  const file = join(dir, 'sink.duckdb');
  const store = ['--db', file];
  const port = await freePort();
  let sink = await startSink(store, port);
  console.log(`DuckDB: ${RUNNERS} runners for ${SECONDS} s on one sink`);
  const run = await fleet('duckdb', [sink.url], async () => {
    sink = await restartAfterKill(sink, store, port);
  });
  sink.child.kill('SIGTERM');
  await new Promise((r) => sink.child.once('exit', r));
  const db = await StationDb.open(file);
  const storedKeys = (await db.all<{ k: string }>('SELECT idempotency_key AS k FROM edge_anomalies')).map((r) => r.k);
  db.close();
  results.push(counted(run, storedKeys));
}

console.log(
  `\n${RUNNERS} runners, ${SECONDS} s, one sink SIGKILLed and restarted at half time; loopback, ${process.platform}, 2 cores`,
);
console.table(
  results.map((r) => ({
    store: r.store,
    sinks: r.sinks,
    sent: r.sent,
    acknowledged: r.acknowledged,
    stored: r.stored,
    duplicates: r.duplicates,
    lost: r.lost,
    heartbeats: r.heartbeats,
    'reports/s': Number(r.perSecond.toFixed(1)),
    'p50 ms': Number(r.p50.toFixed(1)),
    'p99 ms': Number(r.p99.toFixed(1)),
    'drain s': Number(r.drainSeconds.toFixed(1)),
  })),
);
rmSync(dir, { recursive: true, force: true });
const bad = results.filter((r) => r.lost || r.duplicates);
if (bad.length) {
  console.error(`FAILED: ${bad.map((r) => `${r.store} lost ${r.lost}, duplicates ${r.duplicates}`).join('; ')}`);
  process.exit(1);
}
