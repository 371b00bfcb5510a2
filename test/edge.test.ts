import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from '../src-edge/delivery';
import { StationDb } from '../src-main/db/stationDb';
import { createDemo } from '../src-main/demo/createDemo';
import { parseFault } from '../src-main/demo/faults';
import { writeRunToFailure } from '../src-main/demo/runToFailure';
import { generateSigningKey, packageArtifact } from '../src-main/edge/packageArtifact';
import { unpackArtifact } from '../src-main/edge/unpackArtifact';
import { importBaselines } from '../src-main/ingest/baselines';
import { importWideCsv } from '../src-main/ingest/pumpOperational';
import { readStationFile, saveStation } from '../src-main/ingest/stationConfig';
import { importMaintenance } from '../src-main/models/maintenanceLog';
import { promoteModel, saveModel } from '../src-main/models/registry';
import { trainModel } from '../src-main/models/train';
import { openProject, type Project } from '../src-main/project';
import { startDuckSink } from '../src-main/sink/sinkServer';
import type { FleetAnswer } from '../src-shared/edge/fleet';
import type { AnomalyPage, AnomalyPayload } from '../src-shared/edge/payload';

import { formatTimestamp, parseTimestamp } from '../src-shared/time';
import { pumpdeck, tempDir } from './helpers';

// The edge on loopback with real parts: the artifact built from a real project, unpacked, the
// bundled runner started as a site would (node runner.mjs --once), the reference sink on DuckDB.

const dir = tempDir();
const TOKEN = 'edge-test-token';
let project: Project;
let sinkDb: StationDb;
let sink: Awaited<ReturnType<typeof startDuckSink>>;
let port = 0;
let art = '';
const KEY = join(dir, 'keys', 'pumpdeck.key');

async function startTheSink() {
  sink = await startDuckSink({ db: sinkDb, token: TOKEN, port });
  port = Number(new URL(sink.url).port);
}

/** The site's wide CSV, as the site's historian writes it: hourly readings appended after its last. */
const SITE = join(dir, 'input', 'site.csv');
let siteEnd = parseTimestamp('2025-03-09 12:00');

/** Appends `count` readings `stepMinutes` apart (hourly by default) at `flowFactor` (and `headFactor`) of the baseline. */
function siteHours(count: number, flowFactor: number, headFactor = 1, stepMinutes = 60): string {
  mkdirSync(dirname(SITE), { recursive: true });
  const lines = existsSync(SITE)
    ? []
    : ['Timestamp,Flow (gpm),Discharge Pressure (psi),Motor Power (hp),Pump Efficiency (%)'];
  for (let h = 0; h < count; h += 1) {
    siteEnd += stepMinutes * 60_000;
    lines.push(
      [formatTimestamp(siteEnd), (253 * flowFactor).toFixed(2), (75.3 * headFactor).toFixed(2), '20.0', '60.0'].join(
        ',',
      ),
    );
  }
  appendFileSync(SITE, `${lines.join('\n')}\n`);
  return SITE;
}

/** Runs the runner as a site does; asynchronously, since the sink answers from this process. */
function runner(
  input: string,
  env: Record<string, string> = { ANOMALY_API_TOKEN: TOKEN },
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(
    process.execPath,
    [join(art, 'runner.mjs'), '--config', join(art, 'config/deployment_config.json'), '--once', '--input', input],
    { env: { PATH: process.env.PATH, ...env } },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

async function stored(): Promise<AnomalyPage> {
  const response = await fetch(`http://127.0.0.1:${port}/edge/anomalies?pageSize=1000&sortDirection=asc`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return (await response.json()) as AnomalyPage;
}

const spooled = () => {
  const spool = join(art, 'data', 'unsent_anomalies');
  return existsSync(spool) ? readdirSync(spool).filter((f) => f.endsWith('.json')) : [];
};

const spooledDescriptions = () =>
  spooled().map(
    (f) => JSON.parse(readFileSync(join(art, 'data', 'unsent_anomalies', f), 'utf8')).payload.description as string,
  );

beforeAll(async () => {
  const files = await writeRunToFailure({ out: join(dir, 'well'), days: 62, cycleDays: 30 });
  project = await openProject(join(dir, 'station.duckdb'));
  await importBaselines(project.db, files.baselines);
  await importWideCsv(project.db, files.operational, 'Well 1');
  await importMaintenance(project.db, files.maintenance);
  const model = await saveModel(
    project.db,
    await trainModel(project.db, { pump: 'Well 1', kind: 'rul', trees: 20 }),
    new Date(),
  );
  await promoteModel(project.db, 'Well 1', 'rul', model.version, new Date());
  sinkDb = await StationDb.open(join(dir, 'sink.duckdb'));
  await startTheSink();
  const zip = join(dir, 'well1.zip');
  await generateSigningKey(KEY, { makeFolder: true });
  const built = await packageArtifact(project.db, {
    pump: 'Well 1',
    out: zip,
    keyPath: KEY,
    apiUrl: `http://127.0.0.1:${port}`,
    siteId: 35482,
    pumpId: 1,
    debounceMinutes: 60,
    retries: 1,
    backoffSeconds: 0.2,
  });
  expect(built.bytes).toBeLessThan(1_000_000);
  art = unpackArtifact(zip, join(dir, 'site'));
}, 120_000);

afterAll(async () => {
  await sink.close();
  sinkDb.close();
  project.db.close();
});

describe('artifact', () => {
  it('holds the signed manifest, the model, configs, the bundled runner, systemd units, cron and README; no private key', () => {
    const manifest = JSON.parse(readFileSync(join(art, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files).sort()).toEqual([
      'README.md',
      'config/baseline.json',
      'config/column_mapping.json',
      'config/deployment_config.json',
      'config/tolerances.json',
      'cron.txt',
      'model/rul.json',
      'runner.mjs',
      'signing_key.pub',
      'systemd/pumpdeck-runner.service',
      'systemd/pumpdeck-runner.timer',
    ]);
    expect(manifest.source.from).toBe('2025-01-01 00:00:00');
    expect(readdirSync(art).some((f) => /key$|\.key|private/i.test(f))).toBe(false);
    expect(readFileSync(join(art, 'config/deployment_config.json'), 'utf8')).not.toContain(TOKEN);
    expect(readFileSync(join(art, 'runner.mjs'), 'utf8')).not.toMatch(/from ?"(?!node:)/);
  });

  it('refuses to package a production model that does not beat its naive baseline, unless confirmed', async () => {
    const weaken = (factor: number) =>
      project.db.run(
        `UPDATE model_registry SET metrics = json_merge_patch(metrics, json_object('naive_rmse', (metrics->>'rmse')::DOUBLE * ?))
         WHERE pump = 'Well 1' AND kind = 'rul' AND stage = 'production'`,
        [factor],
      );
    const options = { pump: 'Well 1', out: join(dir, 'weak.zip'), keyPath: KEY, apiUrl: 'http://127.0.0.1:1' };
    await weaken(0.5);
    try {
      await expect(packageArtifact(project.db, options)).rejects.toMatchObject({
        code: 'bad_input',
        message: expect.stringMatching(
          /^rul model v1 of pump Well 1 does not beat its naive baseline on its holdout \(RMSE/,
        ),
      });
      expect(existsSync(join(dir, 'weak.zip'))).toBe(false);
      const accepted = await packageArtifact(project.db, { ...options, acceptWeakModels: true });
      expect(accepted.notes.join(' ')).toMatch(/rul v1 does not beat its naive baseline .*: packaged on request/);
    } finally {
      await weaken(4); // back to a model that beats it (the naive RMSE twice the model's)
    }
  });
});

describe('runner against the sink', () => {
  it('reports a pump below its band with every seed payload field, once', async () => {
    const result = await runner(siteHours(24, 0.88));
    expect(result.code, result.err).toBe(0);
    const page = await stored();
    expect(page.total).toBe(1);
    const a = page.items[0];
    expect(a).toMatchObject({
      sourceType: 'log',
      siteId: 35482,
      pumpId: 1,
      sensorId: 101,
      timestamp: '2025-03-10T12:00:00Z',
    });
    expect(a.description).toMatch(/^flow below its 1U band: -12\.0 %/);
    expect(a.logValue).toBeCloseTo(253 * 0.88, 1);
    expect(a.additionalContext).toMatchObject({
      status: 'Warning',
      grade: '1U',
      all_deviations: expect.any(Object),
      baseline_values: expect.any(Object),
      current_values: expect.any(Object),
    });
    expect(a.metadata).toMatchObject({ modelVersion: '1', idempotencyKey: expect.any(String) });
    expect(typeof a.id).toBe('number');
    expect(a.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const health = JSON.parse(readFileSync(join(art, 'data/health.json'), 'utf8'));
    expect(health).toMatchObject({ ok: true, status: 'Warning', spooled: 0 });
    // Its health went to the API as a heartbeat (issue 33): the fleet sees the site alive.
    const fleet = (await (
      await fetch(`http://127.0.0.1:${port}/edge/sites`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as FleetAnswer;
    expect(fleet.sites).toEqual([
      expect.objectContaining({
        siteId: 35482,
        state: 'ok',
        heartbeatAt: expect.any(String),
        health: expect.objectContaining({
          ok: true,
          spooled: 0,
          runnerVersion: expect.any(String),
          lastRun: health.lastRun,
        }),
      }),
    ]);
  });

  it('holds the debounce across two --once runs (a new process each time)', async () => {
    const result = await runner(siteHours(1, 0.88, 1, 30));
    expect(result.code).toBe(0);
    expect((await stored()).total).toBe(1);
    expect(result.out).toContain('"reported":0');
  });

  it('an escalation bypasses the debounce', async () => {
    // The median over the newest dozen hours falls past the 1U band's failure limit.
    await runner(siteHours(14, 0.75));
    const page = await stored();
    expect(page.total).toBe(2);
    expect(page.items[1].additionalContext.status).toBe('Failure');
  });

  it('with the sink down, reports wait in the spool; when it is back, the next run delivers each exactly once', async () => {
    const before = (await stored()).total;
    await sink.close();
    const down = await runner(siteHours(24, 1.0, 0.9));
    expect(down.code).toBe(0);
    // The head fell 10 %: out of its band, and (with three days kept on site) an anomaly to the detector.
    const waiting = spooledDescriptions();
    expect(waiting).toContainEqual(expect.stringMatching(/^head below its 1U band/));
    expect(JSON.parse(readFileSync(join(art, 'data/health.json'), 'utf8')).delivery.error).toMatch(
      /ECONNREFUSED|fetch failed/,
    );
    await startTheSink();
    const up = await runner(siteHours(1, 1.0, 0.9, 10));
    expect(up.code).toBe(0);
    expect(spooled()).toHaveLength(0);
    const page = await stored();
    expect(page.items.filter((i) => i.sensorId === 102)).toHaveLength(1);
    expect(page.total).toBe(before + waiting.length);
  });

  it('a refused token (401) strands nothing: the report waits and goes once the token is right', async () => {
    const result = await runner(siteHours(24, 0.88), { ANOMALY_API_TOKEN: 'wrong' });
    expect(result.code).toBe(0);
    const waiting = spooledDescriptions();
    expect(waiting).toContainEqual(expect.stringMatching(/^flow below its 1U band/));
    expect(JSON.parse(readFileSync(join(art, 'data/health.json'), 'utf8'))).toMatchObject({
      ok: false,
      reason: 'API refuses the token (HTTP 401)',
    });
    expect(existsSync(join(art, 'data/rejected'))).toBe(false);
    const before = (await stored()).total;
    expect((await runner(siteHours(1, 0.88, 1, 30))).code).toBe(0);
    expect(spooled()).toHaveLength(0);
    expect((await stored()).total).toBe(before + waiting.length);
  });

  it("every report of a pump with a model in production carries the model's prediction (issue 22)", async () => {
    // A week and more of hourly rows: the RUL model predicts; the flow is out of its band.
    const result = await runner(siteHours(200, 0.88));
    const end = `${formatTimestamp(siteEnd).replace(' ', 'T')}Z`;
    expect(result.code, result.err).toBe(0);
    const last = (await stored()).items.filter((i) => i.timestamp === end);
    expect(last.map((i) => i.description)).toContainEqual(expect.stringMatching(/^flow below its 1U band/));
    for (const report of last)
      expect(report.metadata).toMatchObject({
        modelVersion: '1',
        prediction_rul_days: expect.any(Number),
        confidence: null, // no risk model in production for this pump
      });
  });

  it('reads only what was appended since the last run; a bad line keeps its line number; a replaced file is read again (issue 22)', async () => {
    const lastLog = (out: string) => JSON.parse(out.trim().split('\n').pop() as string);
    const before = statSync(SITE).size;
    const grown = await runner(siteHours(2, 0.88, 1, 5));
    expect(lastLog(grown.out).read).toEqual({ files: 1, bytes: statSync(SITE).size - before });
    const window = join(art, 'data', 'window.json');
    const written = statSync(window).mtimeMs;
    expect(lastLog((await runner(SITE)).out).read).toEqual({ files: 0, bytes: 0 });
    expect(statSync(window).mtimeMs).toBe(written); // nothing new: the window is not rewritten

    const lines = readFileSync(SITE, 'utf8').trimEnd().split('\n').length;
    appendFileSync(SITE, '2025-05-01 00:00:00,abc,75.3,20.0,60.0\n');
    const bad = await runner(SITE);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`site.csv: line ${lines + 1}: field Flow (gpm): not a number: 'abc'`);

    rmSync(SITE); // the historian starts a new file
    const rotated = await runner(siteHours(3, 0.88));
    expect(rotated.code, rotated.err).toBe(0);
    expect(lastLog(rotated.out).read).toEqual({ files: 1, bytes: statSync(SITE).size });
    expect(lastLog(rotated.out).asOf).toBe(formatTimestamp(siteEnd));
  });

  it('refuses a tampered artifact before it runs', async () => {
    const model = join(art, 'model/rul.json');
    const original = readFileSync(model, 'utf8');
    writeFileSync(model, original.replace('"version":1', '"version":9'));
    const result = await runner(siteHours(1, 0.5));
    writeFileSync(model, original);
    expect(result.code).toBe(3);
    expect(result.err).toContain('artifact refused: model/rul.json was changed');
    writeFileSync(join(art, 'config/extra.json'), '{}');
    const extra = await runner(siteHours(1, 0.5));
    expect(extra.code).toBe(3);
    expect(extra.err).toContain('config/extra.json is not in the signed manifest');
  });

  it('uses only a config the artifact signed: one beside it in data/ is refused, key pinned or not', async () => {
    rmSync(join(art, 'config/extra.json'), { force: true });
    const evil = join(art, 'data', 'evil.json');
    const config = JSON.parse(readFileSync(join(art, 'config/deployment_config.json'), 'utf8'));
    writeFileSync(evil, JSON.stringify({ ...config, api: { ...config.api, url: 'http://127.0.0.1:1' } }));
    for (const pinned of [{}, { PUMPDECK_TRUSTED_KEY: `${KEY}.pub` }]) {
      const child = spawnSync(process.execPath, [join(art, 'runner.mjs'), '--config', evil, '--once'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ANOMALY_API_TOKEN: TOKEN, ...pinned },
      });
      expect(child.status).toBe(3);
      expect(child.stderr).toContain('data/evil.json is not a config file signed in its manifest');
    }
  });
});

describe('station artifact', () => {
  let site = '';
  let historian = '';
  it('runs the shared alert engine on a narrow historian export and reports the trip once', async () => {
    const demo = await createDemo({
      out: join(dir, 'station-demo'),
      days: 1,
      seed: 3,
      faults: [parseFault('trip@1:00:03+12:P1')],
    });
    await saveStation(project.db, {
      config: (await readStationFile(demo.station)).model,
      derived: [],
    });
    const zip = join(dir, 'station.zip');
    await packageArtifact(project.db, {
      station: true,
      out: zip,
      keyPath: KEY,
      apiUrl: `http://127.0.0.1:${port}`,
      siteId: 99,
      pumpId: 0,
      retries: 0,
    });
    site = unpackArtifact(zip, join(dir, 'station-site'));
    historian = demo.historian;
    const run = () =>
      new Promise<number | null>((resolve) =>
        spawn(
          process.execPath,
          [
            join(site, 'runner.mjs'),
            '--config',
            join(site, 'config/deployment_config.json'),
            '--once',
            '--input',
            demo.historian,
          ],
          { env: { PATH: process.env.PATH, ANOMALY_API_TOKEN: TOKEN } },
        ).on('close', resolve),
      );
    expect(await run()).toBe(0);
    const page = await stored();
    const trips = page.items.filter((i) => i.siteId === 99 && i.additionalContext.rule === 'B-01');
    expect(trips).toHaveLength(1);
    expect(trips[0].description).toMatch(/^B-01 CRITICAL P1/);
    expect(trips[0].timestamp >= '2025-03-01T00:03:00Z').toBe(true);
    // A second run over the same export sees no new minutes: nothing more.
    expect(await run()).toBe(0);
    expect((await stored()).items.filter((i) => i.siteId === 99 && i.additionalContext.rule === 'B-01')).toHaveLength(
      1,
    );
  });

  it('a minute split across two runs of a live export is read whole: the same alarms and end state as one read', async () => {
    const lines = readFileSync(historian, 'utf8').split('\n');
    const cut = Math.floor(lines.length / 2) + 5; // a narrow export writes a line per tag: mid-minute
    const live = join(dir, 'live', 'export.csv');
    mkdirSync(dirname(live), { recursive: true });
    writeFileSync(live, `${lines.slice(0, cut).join('\n')}\n`);
    const stationRun = async (input: string, data: string) => {
      const out = spawnSync(
        process.execPath,
        [join(site, 'runner.mjs'), '--config', join(site, 'config/deployment_config.json'), '--once', '--input', input],
        { encoding: 'utf8', env: { PATH: process.env.PATH, PUMPDECK_DATA_DIR: data } },
      );
      expect(out.status, out.stderr).toBe(0);
      return JSON.parse(out.stdout.trim().split('\n').pop() as string);
    };
    const state = (data: string) => JSON.parse(readFileSync(join(data, 'state.json'), 'utf8'));
    const findings = (data: string) =>
      readdirSync(join(data, 'results'))
        .sort()
        .flatMap((f) => JSON.parse(readFileSync(join(data, 'results', f), 'utf8')).findings)
        .map((f: { subject: string; at: string; status: string }) => `${f.subject} ${f.at} ${f.status}`);

    const split = join(dir, 'live-data');
    await stationRun(live, split);
    const first = state(split);
    expect(first.inputs[live].held).toBe(true); // written just now: its newest minute waits
    const cutMinute = lines[cut - 1].split(',')[0].slice(0, 16);
    expect(first.lastMinute).toBeLessThan(parseTimestamp(cutMinute));
    appendFileSync(live, `${lines.slice(cut).join('\n')}`);
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(live, old, old); // left alone for ten minutes: read to its end
    const second = await stationRun(live, split);
    expect(second.read.bytes).toBeLessThan(statSync(live).size * 0.6);

    const whole = join(dir, 'whole-data');
    utimesSync(historian, old, old);
    await stationRun(historian, whole);
    expect(state(split).lastMinute).toBe(state(whole).lastMinute);
    expect(state(split).engine).toEqual(state(whole).engine);
    expect(findings(split).length).toBeGreaterThan(0);
    expect(findings(split)).toEqual(findings(whole));
    // Nothing new: nothing read. The state keeps a cursor for the input's files only.
    expect((await stationRun(live, split)).read).toEqual({ files: 0, bytes: 0 });
    expect(Object.keys(state(split).inputs)).toEqual([live]);
  });
});

describe('sink', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}/edge/anomalies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const payload: AnomalyPayload = {
    sourceType: 'log',
    description: 'test',
    siteId: 7,
    pumpId: 3,
    sensorId: 101,
    timestamp: '2025-06-01T10:00:00Z',
    logValue: 1.5,
    additionalContext: { status: 'Warning' },
    metadata: {},
  };

  it('checks the token, validates naming the field, limits the body, dedupes by idempotency key', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/edge/anomalies`)).status).toBe(401);
    expect((await post(payload, { authorization: 'Bearer nope' })).status).toBe(401);
    const bad = await post({ ...payload, pumpId: 'three' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'pumpId' });
    expect((await post('{not json')).status).toBe(400);
    expect((await post({ ...payload, description: 'x'.repeat(300_000) })).status).toBe(413);
    const first = await post(payload, { 'idempotency-key': 'k1' });
    const again = await post(payload, { 'idempotency-key': 'k1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: number }).id).toBe(((await first.json()) as { id: number }).id);
  });

  it('filters and pages as seed 000 describes', async () => {
    for (let i = 0; i < 5; i += 1) await post({ ...payload, pumpId: 4, timestamp: `2025-06-0${i + 1}T00:00:00Z` });
    const get = async (query: string) =>
      (await (
        await fetch(`http://127.0.0.1:${port}/edge/anomalies?${query}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).json()) as AnomalyPage;
    const page = await get('pumpId=4&page=2&pageSize=2&sortDirection=asc');
    expect(page).toMatchObject({ total: 5, skip: 2, take: 2 });
    expect(page.items.map((i) => i.timestamp)).toEqual(['2025-06-03T00:00:00Z', '2025-06-04T00:00:00Z']);
    expect((await get('pumpId=4&startDate=2025-06-02T00:00:00Z&endDate=2025-06-03T12:00:00Z')).total).toBe(2);
    const invalid = await fetch(`http://127.0.0.1:${port}/edge/anomalies?pageSize=5000`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(invalid.status).toBe(400);
  });
});

describe('delivery', () => {
  it('retries a 503 after its Retry-After, then delivers', async () => {
    let calls = 0;
    const server = createServer((_req, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(503, { 'retry-after': '7' }).end('busy');
      else res.writeHead(201).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const waits: number[] = [];
    const outcome = await deliver({} as AnomalyPayload, 'k', {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: 't',
      timeoutMs: 2000,
      retries: 3,
      backoffMs: 1000,
      sleep: async (ms) => void waits.push(ms),
    });
    server.close();
    expect(outcome).toEqual({ kind: 'delivered', status: 201 });
    expect(waits).toEqual([7000]);
  });

  it('backs off exponentially with jitter when nothing answers, and gives up', async () => {
    const waits: number[] = [];
    const outcome = await deliver({} as AnomalyPayload, 'k', {
      url: 'http://127.0.0.1:9',
      token: 't',
      timeoutMs: 500,
      retries: 3,
      backoffMs: 100,
      random: () => 0.5,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(outcome.kind).toBe('failed');
    expect(waits).toEqual([150, 250, 450]);
  });
});

describe('CLI', () => {
  it('keygen writes a key pair and will not overwrite it', () => {
    const key = join(dir, 'keys', 'site.key');
    expect(pumpdeck('keygen', '--out', key).code).toBe(0);
    expect(readFileSync(key, 'utf8')).toContain('PRIVATE KEY');
    expect(readFileSync(`${key}.pub`, 'utf8')).toContain('PUBLIC KEY');
    expect(pumpdeck('keygen', '--out', key).code).toBe(1);
  });
});
