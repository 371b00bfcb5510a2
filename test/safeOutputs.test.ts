import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHandlers } from '../src-main/api/handlers';
import { StationDb } from '../src-main/db/stationDb';
import { isLinkLocalOrMetadata } from '../src-main/edge/anomalyApiClient';
import { createDemoProject, openProject, type Project } from '../src-main/project';
import { ApiClient } from '../src-shared/api/client';
import type { ApiError } from '../src-shared/api/errors';
import { ApiHost } from '../src-shared/api/host';
import { connectInMemory } from '../src-shared/api/inMemory';
import { stationInput } from '../src-shared/station/parse';
import { pumpdeck, REPO, tempDir } from './helpers';

// Issue 35, one test per hole the probe found: nothing a command writes can destroy a file, the
// anomaly API cannot be pointed anywhere by a call, uploads and snapshots do not outlive the run,
// station numbers are physical, malformed calls get an answer, SQL refusals give the real reason.

const dir = tempDir();
let project: Project;
let dbPath: string;
let api: ApiClient;

beforeAll(async () => {
  project = await createDemoProject({ dir: join(dir, 'demo'), days: 3, seed: 2 });
  dbPath = project.dbPath;
  api = new ApiClient(connectInMemory(new ApiHost(createHandlers({ version: 't', project: () => project }))));
}, 120_000);

afterAll(() => project.db.close());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: ApiError) => e,
  );

/** Runs the CLI with the project let go (DuckDB: one writer per file), then takes it back. */
async function cli(...args: string[]) {
  project.db.close();
  try {
    return pumpdeck(...args);
  } finally {
    project = await openProject(dbPath);
  }
}

async function stillADatabase(path: string) {
  const db = await StationDb.open(path, { readOnly: true });
  try {
    return (await db.single<{ n: number }>('SELECT count(*)::INTEGER AS n FROM readings_wide')).n;
  } finally {
    db.close();
  }
}

describe('nothing a command writes can destroy a file', () => {
  it('report --out onto the project, or any database, is refused with or without --force; the database stays', async () => {
    const rows = await stillADatabase(dbPath);
    const other = join(dir, 'other.duckdb');
    const copy = await StationDb.open(other);
    await copy.run('CREATE TABLE t AS SELECT 1 AS x');
    copy.close();
    for (const [out, format, force] of [
      [dbPath, 'md', false],
      [dbPath, 'pdf', true],
      [other, 'md', true],
    ] as const) {
      const run = await cli('report', '--db', dbPath, '--format', format, '--out', out, ...(force ? ['--force'] : []));
      expect(run.code, run.out).not.toBe(0);
      expect(run.err).toMatch(/a file this command reads|is a database/);
    }
    expect(await stillADatabase(dbPath)).toBe(rows);
    const kept = await StationDb.open(other, { readOnly: true });
    expect(await kept.single<{ x: number }>('SELECT x FROM t')).toEqual({ x: 1 });
    kept.close();
  });

  it('an existing file is replaced only with --force; a missing folder is not created, a file is not a folder; /proc is refused at once', async () => {
    const out = join(dir, 'r.md');
    writeFileSync(out, 'my notes');
    const refused = await cli('report', '--db', dbPath, '--format', 'md', '--out', out);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('already exists: add --force to replace it');
    expect(readFileSync(out, 'utf8')).toBe('my notes');
    const forced = await cli('report', '--db', dbPath, '--format', 'md', '--out', out, '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^# /);
    expect(existsSync(join(dir, 'r-charts'))).toBe(true);
    const missing = join(dir, 'no-such-folder', 'r.md');
    const noFolder = await cli('report', '--db', dbPath, '--format', 'md', '--out', missing);
    expect(noFolder.code).not.toBe(0);
    expect(noFolder.err).toContain('does not exist: create it first');
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
    const underFile = await cli('report', '--db', dbPath, '--format', 'md', '--out', join(out, 'x.md'));
    expect(underFile.code).not.toBe(0);
    expect(underFile.err).toContain(`${out} is a file, not a folder`);
    const proc = await cli('report', '--db', dbPath, '--format', 'md', '--out', '/proc/x.md');
    expect(proc.code).not.toBe(0);
    expect(proc.err).toContain('a system folder');
    // No partial file is left beside a refused or finished output.
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('package, anomalies --csv and detect refuse a database or an existing file the same way', async () => {
    const pkg = await cli('package', '--db', dbPath, '--station', '--out', dbPath, '--force');
    expect(pkg.err).toMatch(/a file this command reads: PumpDeck never writes over it/);
    const csv = await cli('anomalies', '--api', 'http://127.0.0.1:9', '--csv', dbPath, '--force');
    expect(csv.err).toMatch(/is a database/);
    const input = join(dir, 'sensors.csv');
    writeFileSync(
      input,
      `datetime;a;b\n${Array.from({ length: 60 }, (_, i) => `2025-01-01 00:${String(i).padStart(2, '0')}:00;${i % 7};${i % 5}`).join('\n')}\n`,
    );
    const onInput = await cli('detect', '--input', input, '--train-rows', '30', '--out', input, '--force');
    expect(onInput.err).toMatch(/a file this command reads: PumpDeck never writes over it/);
    expect(readFileSync(input, 'utf8')).toMatch(/^datetime;a;b/);
    expect(await stillADatabase(dbPath)).toBeGreaterThan(0);
  });
});

describe('the anomaly API is a setting, not a URL in each call', () => {
  let recorded: string[] = [];
  let server: Server;
  let base = '';
  const home = tempDir();
  beforeAll(async () => {
    process.env.PUMPDECK_HOME = home;
    server = createServer((req, res) => {
      recorded.push(`${req.url} ${req.headers.authorization}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [], total: 0, skip: 0, take: 50 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    delete process.env.PUMPDECK_HOME;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a call naming a URL is refused; the saved one is called with its path before the query; the token never comes back', async () => {
    const named = await failure(api.call('anomalies.query', { url: 'http://169.254.169.254', token: 'x' } as never));
    expect(named).toMatchObject({ code: 'invalid_params' });
    expect(await failure(api.call('anomalies.query', {}))).toMatchObject({
      message: expect.stringMatching(/^no anomaly API set/),
    });
    expect(await failure(api.call('anomalies.configure', { url: `${base}?x=1`, token: 't' }))).toMatchObject({
      code: 'invalid_params',
      message: expect.stringContaining('no query or fragment'),
    });
    const saved = await api.call('anomalies.configure', { url: `${base}/api/`, token: 'secret-token' });
    expect(saved).toEqual({ url: `${base}/api`, hasToken: true, allowHosts: [] });
    expect(JSON.stringify(await api.call('anomalies.settings', {}))).not.toContain('secret-token');
    expect(statSync(join(home, 'anomaly-api.token')).mode & 0o777).toBe(0o600);
    recorded = [];
    await api.call('anomalies.query', { siteId: 7 });
    expect(recorded).toEqual([
      '/api/edge/anomalies?siteId=7&page=1&pageSize=50&sortDirection=desc Bearer secret-token',
    ]);
  });

  it('link-local and metadata addresses are refused unless the settings allow the host; a closed port and a mute one read alike', async () => {
    await api.call('anomalies.configure', { url: 'http://169.254.169.254', token: 't' });
    const metadata = await failure(api.call('anomalies.query', {}));
    expect(metadata?.message).toMatch(/link-local or cloud metadata address, refused unless/);
    for (const address of ['169.254.10.1', 'fe80::1', '::ffff:169.254.169.254', 'fd00:ec2::254'])
      expect(isLinkLocalOrMetadata(address), address).toBe(true);
    expect(isLinkLocalOrMetadata('127.0.0.1')).toBe(false);
    // A port with nothing on it, and one whose listener never answers HTTP: the same words, no detail.
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const mute = createTcpServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const messages: string[] = [];
    for (const port of [closedPort, (mute.address() as AddressInfo).port]) {
      await api.call('anomalies.configure', { url: `http://127.0.0.1:${port}`, token: 't' });
      messages.push(((await failure(api.call('anomalies.query', {}))) as ApiError).message.replace(/:\d+/, ':N'));
    }
    mute.close();
    expect(messages).toEqual([
      'http://127.0.0.1:N: the API did not answer',
      'http://127.0.0.1:N: the API did not answer',
    ]);
  });
});

describe('files left behind', () => {
  it('serve keeps uploads and snapshots in run folders only its user can read, removed at SIGTERM; a killed run’s are swept', async () => {
    // A run folder of a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max default).
    const stale = join(tmpdir(), 'pumpdeck-run-4194305-uploads-dead');
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'left.csv'), 'x');
    project.db.close();
    const token = 'run-folder-token-0123456789abcdefghij';
    const child = spawn(join(REPO, 'bin/pumpdeck'), ['serve', '--db', dbPath, '--port', '0'], {
      env: { ...process.env, PUMPDECK_SERVE_TOKEN: token, PUMPDECK_HOME: tempDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stderr.on('data', (d) => {
          out += d;
        });
        child.stdout.on('data', (d) => {
          out += d;
          const m = /Open (http:\/\/[^/]+)\//.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', () => reject(new Error(out)));
      });
      const call = async (method: string, params: unknown) =>
        (
          await fetch(`${url}/api/${method}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(params),
          })
        ).json();
      const upload = (await call('import.upload', {
        name: 'maintenance.csv',
        offset: 0,
        chunk: Buffer.from('pump,date,kind,note\nP1,2025-03-02,repair,seal\n').toString('base64'),
      })) as { uploadId: string; file: string };
      await call('sql.run', { sql: 'SELECT 1' });
      const mine = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`pumpdeck-run-${child.pid}-`));
      expect(
        mine()
          .map((f) => f.replace(/-[0-9a-f]+$/, ''))
          .sort(),
      ).toEqual([`pumpdeck-run-${child.pid}-console`, `pumpdeck-run-${child.pid}-uploads`]);
      for (const folder of mine()) expect(statSync(join(tmpdir(), folder)).mode & 0o777).toBe(0o700);
      expect(existsSync(stale)).toBe(false);
      // Imported: the uploaded copy is gone at once.
      const uploads = join(tmpdir(), mine().find((f) => f.includes('-uploads-')) as string);
      expect(readdirSync(uploads)).toHaveLength(1);
      expect(statSync(join(uploads, upload.uploadId, 'maintenance.csv')).mode & 0o777).toBe(0o600);
      await call('import.run', { kind: 'maintenance', file: upload.file });
      expect(readdirSync(uploads)).toEqual([]);
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(mine()).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      project = await openProject(dbPath);
    }
  });
});

describe('station numbers are physical', () => {
  it.each([
    [{ level: { tag: 'L', unit: 'm', max: 1e308, area_m2: 30 } }, 'level.max', 'at most 1,000 m'],
    [{ level: { tag: 'L', unit: 'm', max: 4, area_m2: 1e308 } }, 'level.area_m2', 'at most 1,000,000 m²'],
    [{ flow: { tag: 'F', unit: 'm3/h', max: 1e12 } }, 'flow.max', 'at most 1,000,000 m3/h'],
    [{ pumps: [{ id: 'P1', run: 'R', rated_kw: 5e9 }] }, 'pumps.0.rated_kw', 'at most 100,000 kW'],
  ])('%j is refused naming %s', (given, field, range) => {
    const model = { name: 'x', kind: 'lift', pumps: [], ...given };
    expect(() => stationInput(model, 'station.json')).toThrow(`station.json: field ${field}: `);
    expect(() => stationInput(model, 'station.json')).toThrow(range);
  });

  it('the constants-style station.json takes a time zone, as the DST warning says; station --set refuses 1e308 before anything', async () => {
    expect(stationInput({ name: 'S', timezone: 'Europe/Helsinki' }, 'station.json').model.timezone).toBe(
      'Europe/Helsinki',
    );
    const file = join(dir, 'huge.json');
    writeFileSync(file, JSON.stringify({ name: 'S', hlt_physical_max: 1e308 }));
    const set = await cli('station', '--db', dbPath, '--set', file);
    expect(set.code).not.toBe(0);
    expect(set.err).toMatch(/field level\.max: 1e\+308 is not physical/);
    expect(set.err).not.toMatch(/HiGHS|at .*\.ts/);
  });
});

describe('malformed calls get an answer; SQL refusals say why', () => {
  it('a WebSocket call with no id, a string id or a null id gets an error with id null, and the connection lives on', async () => {
    const { startBridge } = await import('../src-main/server/bridge');
    const host = new ApiHost(createHandlers({ version: 't', project: () => project }));
    const bridge = await startBridge({ host, token: 'ws-token', port: 0 });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws?token=ws-token`);
      await new Promise((resolve) => ws.once('open', resolve));
      const replies: unknown[] = [];
      ws.on('message', (data) => replies.push(JSON.parse(String(data))));
      for (const bad of [
        { type: 'call', method: 'app.info', params: {} },
        { type: 'call', id: 'one', method: 'app.info', params: {} },
        { type: 'call', id: null, method: 'app.info', params: {} },
      ])
        ws.send(JSON.stringify(bad));
      ws.send(JSON.stringify({ type: 'call', id: 4, method: 'sql.run', params: { sql: 'SELECT 42 AS x' } }));
      await expect.poll(() => replies.length, { timeout: 10_000 }).toBe(4);
      expect(replies.slice(0, 3)).toEqual(
        Array(3).fill({ type: 'error', id: null, error: expect.objectContaining({ code: 'invalid_params' }) }),
      );
      expect(replies[3]).toMatchObject({ type: 'result', id: 4 });
      ws.close();
    } finally {
      await bridge.close();
    }
  });

  it('a PIVOT without its values is refused for what it is, not as "2 statements"', async () => {
    const refused = await failure(api.call('sql.run', { sql: 'PIVOT readings_wide ON hour USING count(*)' }));
    expect(refused?.message).toMatch(/a PIVOT without its values listed first creates a type/);
    const listed = await api.call('sql.run', {
      sql: 'PIVOT (SELECT 1 AS a, 0 AS hour) ON hour IN (0, 1) USING sum(a)',
    });
    expect(listed.rows).toEqual([[1, null]]);
  });
});
