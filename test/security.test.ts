import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantPath } from '../src-main/api/fileRefs';
import { createHandlers } from '../src-main/api/handlers';
import { StationDb } from '../src-main/db/stationDb';
import { unpackArtifact } from '../src-main/edge/unpackArtifact';
import { createDemoProject, type Project } from '../src-main/project';
import { type Bridge, startBridge } from '../src-main/server/bridge';
import { startDuckSink } from '../src-main/sink/sinkServer';
import { SqlSandbox } from '../src-main/sql/sandbox';
import { ApiClient } from '../src-shared/api/client';
import type { ApiError } from '../src-shared/api/errors';
import { ApiHost } from '../src-shared/api/host';
import { connectInMemory } from '../src-shared/api/inMemory';
import { pumpdeck, tempDir } from './helpers';

// Each probe of the hardening issue, as an attacker or a careless client would send it: the API
// reads only files the user chose and never echoes them, user SQL cannot leave the database, a bad
// frame or payload ends one request, never a server.

const dir = tempDir();
const TOKEN = 'security-test-token';
const SECRET = 'root:x:0:0:SECRET-CONTENT';
let project: Project;
let api: ApiClient;
let bridge: Bridge;
const internalErrors: unknown[] = [];

beforeAll(async () => {
  project = await createDemoProject({ dir: join(dir, 'demo'), days: 2, seed: 11 });
  const host = new ApiHost(createHandlers({ version: 't', project: () => project }), (error) =>
    internalErrors.push(error),
  );
  api = new ApiClient(connectInMemory(host));
  bridge = await startBridge({ host, token: TOKEN, port: 0, onInternalError: (e) => internalErrors.push(e) });
  writeFileSync(join(dir, 'creds.csv'), `user,password\n${SECRET},hunter2\n`);
}, 120_000);

afterAll(async () => {
  await bridge.close();
  project.db.close();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: ApiError) => e,
  );

describe('the API reads only files the user chose', () => {
  it.each([
    ['import.preview', { file: join(dir, 'creds.csv') }],
    ['import.preview', { file: '/etc/passwd' }],
    ['import.run', { kind: 'station', file: '/etc/passwd' }],
    ['import.run', { kind: 'historian', file: 'upload:0123456789abcdef/../../etc/passwd' }],
    ['import.run', { kind: 'historian', file: 'grant:0123456789abcdef' }],
  ] as const)('%s %j is refused without reading the file', async (method, params) => {
    const error = await failure(api.call(method, params as never));
    expect(error).toMatchObject({ code: 'invalid_params' });
    expect(JSON.stringify(error)).not.toMatch(/root:|SECRET|hunter2/);
  });

  it('a path granted by the desktop dialog is read; a name inside a file grant is not', async () => {
    const ref = grantPath(join(dir, 'demo', 'station.json'));
    const preview = await api.call('import.preview', { file: ref });
    expect(preview.kind).toBe('station-json');
    await expect(api.call('import.preview', { file: `${ref}/creds.csv` })).rejects.toMatchObject({
      code: 'invalid_params',
    });
  });

  it("an error quotes at most a short, escaped excerpt of the user's own file", async () => {
    const upload = async (name: string, text: string) =>
      (await api.call('import.upload', { name, offset: 0, chunk: Buffer.from(text).toString('base64') })).file;
    const passwd = readFileSync('/etc/passwd', 'utf8');
    const layout = await failure(api.call('import.preview', { file: await upload('p.csv', passwd) }));
    expect(layout?.message).toMatch(/unknown layout/);
    expect(layout?.message).not.toContain(passwd.split('\n')[0]);
    const station = await failure(
      api.call('import.run', { kind: 'station', file: await upload('s.json', `{"name": ${SECRET}}`) }),
    );
    expect(station).toMatchObject({ code: 'bad_input' });
    expect(station?.message).not.toContain('SECRET');
  });
});

describe('anomalies.query against the API the user saved', () => {
  let inner: Server;
  let innerUrl = '';
  const home = tempDir();
  beforeAll(async () => {
    process.env.PUMPDECK_HOME = home;
    // An internal service the console's machine can reach: its answers must never come back.
    inner = createServer((req, res) => {
      if (req.url?.startsWith('/redirect')) {
        res.writeHead(302, { location: `${innerUrl}/admin/keys` }).end();
        return;
      }
      res.writeHead(req.url?.includes('/admin') ? 200 : 500, { 'content-type': 'text/plain' }).end(SECRET);
    });
    await new Promise<void>((resolve) => inner.listen(0, '127.0.0.1', resolve));
    innerUrl = `http://127.0.0.1:${(inner.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    delete process.env.PUMPDECK_HOME;
    await new Promise<void>((resolve) => inner.close(() => resolve()));
  });
  const querySaved = async (url: string) => {
    await api.call('anomalies.configure', { url, token: 't' });
    return failure(api.call('anomalies.query', {}));
  };

  it.each([
    [`/admin`, /not JSON/],
    [`/other`, /HTTP 500/],
    [`/redirect`, /redirect/],
  ])('%s: the body is never echoed', async (path, why) => {
    const error = await querySaved(`${innerUrl}${path}`);
    expect(error).toMatchObject({ code: 'bad_input' });
    expect(error?.message).toMatch(why);
    expect(JSON.stringify(error)).not.toContain('SECRET');
  });

  it('a JSON answer that is not an anomaly page is refused without quoting it', async () => {
    const json = createServer((_req, res) => res.end(JSON.stringify({ items: [{ secret: SECRET }], total: 1 })));
    await new Promise<void>((resolve) => json.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(json.address() as AddressInfo).port}`;
    const error = await querySaved(url);
    json.close();
    expect(error?.message).toMatch(/not an anomaly API answer/);
    expect(JSON.stringify(error)).not.toContain('SECRET');
  });
});

describe('browser mode survives malformed input', () => {
  const port = () => bridge.port;

  /** Opens an authenticated WebSocket by hand and writes raw bytes after the handshake. */
  async function rawFrame(bytes: Buffer): Promise<void> {
    const socket = connect(port(), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `GET /ws?token=${TOKEN} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write(bytes);
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.once('error', () => resolve());
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 2000);
    });
  }

  const masked = (opcode: number, payload: Buffer, declaredLength = payload.length) => {
    const head =
      declaredLength < 126
        ? Buffer.from([0x80 | opcode, 0x80 | declaredLength])
        : declaredLength < 65536
          ? Buffer.from([0x80 | opcode, 0x80 | 126, declaredLength >> 8, declaredLength & 255])
          : Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127]), Buffer.from(bigLength(declaredLength))]);
    const mask = Buffer.from([1, 2, 3, 4]);
    return Buffer.concat([head, mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]);
  };
  const bigLength = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    return b;
  };

  async function stillServes(): Promise<void> {
    const response = await fetch(`http://127.0.0.1:${port()}/api/app.info`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
  }

  it.each([
    ['a 14-byte header announcing 2 MiB', () => masked(0x1, Buffer.alloc(0), 2 * 1024 * 1024)],
    ['an unmasked frame', () => Buffer.from([0x81, 0x02, 0x7b, 0x7d])],
    ['a real 2 MiB message', () => masked(0x1, Buffer.alloc(2 * 1024 * 1024, 0x20))],
    ['invalid UTF-8', () => masked(0x1, Buffer.from([0xc3, 0x28, 0xff]))],
    ['JSON that is not a message', () => masked(0x1, Buffer.from('null'))],
    ['a message with a bad id', () => masked(0x1, Buffer.from('{"type":"call","id":{},"method":"app.info"}'))],
  ])('%s closes that connection only', async (_name, frame) => {
    await rawFrame(frame());
    await stillServes();
  });

  it('a bad HTTP request or body is a 4xx; a bug is a 500 without its detail', async () => {
    const post = (path: string, body: string) =>
      fetch(`http://127.0.0.1:${port()}${path}`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
    const notJson = await post('/api/app.info', `{"x": "${SECRET}`);
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).not.toContain('SECRET');
    const socket = connect(port(), '127.0.0.1');
    socket.write('GARBAGE / HTTP/9\r\n\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    await stillServes();
  });
});

describe('user SQL runs sandboxed', () => {
  let db = '';
  let other = '';
  beforeAll(async () => {
    db = join(dir, 'sandboxed.duckdb');
    other = join(dir, 'other.duckdb');
    const setup = await StationDb.open(db);
    await setup.run('CREATE TABLE alerts_log AS SELECT range AS id FROM range(5)');
    setup.close();
    const second = await StationDb.open(other);
    await second.run('CREATE TABLE alerts_log AS SELECT range AS id FROM range(3)');
    second.close();
  });

  const probes = () => [
    `COPY (SELECT 'pwned') TO '${db}'`,
    `ATTACH '${other}' AS x (READ_WRITE); DELETE FROM x.alerts_log`,
    `ATTACH '${other}' AS x`,
    `EXPORT DATABASE '${join(dir, 'export')}'`,
    `PRAGMA profile_output = '${join(dir, 'profile.txt')}'`,
    `SELECT * FROM read_csv('/etc/passwd')`,
    `SELECT * FROM read_text('/etc/passwd')`,
    `SELECT * FROM '/etc/passwd'`,
    `SELECT * FROM glob('/root/*')`,
    `SET memory_limit = '100GB'`,
    `SELECT 1; SELECT 2`,
    `INSTALL httpfs`,
    `LOAD httpfs`,
    `DELETE FROM alerts_log`,
    `CREATE TABLE t AS SELECT 1`,
    `CALL pragma_version()`,
  ];

  it('refuses each way out in the sandbox, leaving every file as it was', async () => {
    const before = statSync(db).mtimeMs;
    const sandbox = await SqlSandbox.open(db);
    try {
      for (const sql of probes()) {
        const error = await failure(sandbox.run(sql));
        expect(error, sql).toMatchObject({ code: 'bad_input' });
        expect(error?.message, sql).toMatch(/^refused: |Catalog Error/);
      }
      const ok = await sandbox.run('SELECT count(*) AS n FROM alerts_log');
      expect(ok.rows).toEqual([[5]]);
    } finally {
      sandbox.close();
    }
    expect(statSync(db).mtimeMs).toBe(before);
    for (const written of ['export', 'profile.txt']) expect(existsSync(join(dir, written))).toBe(false);
    const check = await StationDb.open(other, { readOnly: true });
    expect(await check.all('SELECT count(*) AS n FROM alerts_log')).toEqual([{ n: 3 }]);
    check.close();
  });

  it('caps rows and time', async () => {
    const sandbox = await SqlSandbox.open(db);
    try {
      const capped = await sandbox.run('SELECT * FROM range(1000)', { maxRows: 10, timeoutMs: 10_000 });
      expect(capped).toMatchObject({ truncated: true });
      expect(capped.rows).toHaveLength(10);
      const slow = await failure(
        sandbox.run('SELECT count(*) FROM range(1000000000) a, range(1000) b', { maxRows: 10, timeoutMs: 200 }),
      );
      expect(slow?.message).toMatch(/ran past its limit of 0.2 s/);
    } finally {
      sandbox.close();
    }
  });

  it('the SQL console over browser mode (POST /api/sql.run) refuses them, and the project is untouched', async () => {
    const before = await api.call('sql.run', { sql: 'SELECT count(*) AS n FROM readings_wide' });
    for (const sql of [
      ...probes(),
      `COPY (SELECT 1) TO '${join(dir, 'x.parquet')}'`,
      `SELECT * FROM read_parquet('${db}')`,
    ]) {
      const response = await fetch(`http://127.0.0.1:${new URL(bridge.url).port}/api/sql.run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sql }),
      });
      const body = (await response.json()) as { code: string; message: string };
      expect(response.status, sql).toBe(422);
      expect(body.code, sql).toBe('bad_input');
      expect(body.message, sql).toMatch(/^refused: |Catalog Error/);
      expect(body.message).not.toContain('root:');
    }
    expect(existsSync(join(dir, 'x.parquet'))).toBe(false);
    expect(await api.call('sql.run', { sql: 'SELECT count(*) AS n FROM readings_wide' })).toMatchObject({
      rows: before.rows,
    });
    // Nothing of the project changed: it still has its tables and rows.
    expect((await project.db.single<{ n: number }>('SELECT count(*)::INTEGER AS n FROM readings_wide')).n).toBe(
      before.rows[0][0],
    );
  });

  it('pumpdeck query refuses them too, with exit code 1 and a clear line', () => {
    for (const sql of [
      `COPY (SELECT 1) TO '${join(dir, 'x.csv')}'`,
      'SELECT 1; SELECT 2',
      `SELECT * FROM read_csv('/etc/passwd')`,
    ]) {
      const result = pumpdeck('query', '--db', db, '--sql', sql);
      expect(result.code, sql).toBe(1);
      expect(result.err, sql).toMatch(/pumpdeck query: refused: /);
      expect(result.err).not.toContain('root:');
    }
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });
});

describe('the reference sink answers a client mistake with a 4xx, never its internals', () => {
  let sinkDb: StationDb;
  let sink: Awaited<ReturnType<typeof startDuckSink>>;
  const valid = {
    sourceType: 'log',
    description: 'flow below band',
    siteId: 1,
    pumpId: 2,
    sensorId: 101,
    timestamp: '2025-03-07T10:00:00Z',
    logValue: 1.5,
    additionalContext: {},
    metadata: {},
  };
  beforeAll(async () => {
    sinkDb = await StationDb.open(join(dir, 'sink.duckdb'));
    sink = await startDuckSink({ db: sinkDb, token: TOKEN, port: 0 });
  });
  afterAll(async () => {
    await sink.close();
    sinkDb.close();
  });
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${sink.url}/edge/anomalies`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    });
  const get = (query: string) =>
    fetch(`${sink.url}/edge/anomalies?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });

  it.each([
    ['siteId 3000000000', { ...valid, siteId: 3_000_000_000 }, 'siteId'],
    ['a timestamp of "March 7"', { ...valid, timestamp: 'March 7' }, 'timestamp'],
    ['an object as idempotencyKey', { ...valid, metadata: { idempotencyKey: { a: 1 } } }, 'metadata.idempotencyKey'],
  ])('POST with %s: 400 naming the field', async (_name, payload, field) => {
    const response = await post(JSON.stringify(payload));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ field });
  });

  it('POST with context nested 10,000 deep: 400, and the sink goes on', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const response = await post(JSON.stringify(valid).replace('"additionalContext":{}', `"additionalContext":${deep}`));
    expect(response.status).toBe(400);
    expect((await post(JSON.stringify(valid))).status).toBe(201);
  });

  it.each([
    ['page=1e21', 'page'],
    ['startDate=March%207', 'startDate'],
    ['pumpId=99999999999', 'pumpId'],
  ])('GET ?%s: 400 naming the field', async (query, field) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ field });
  });

  it('a reused idempotency key with another body is a 409; the same body is a replay', async () => {
    const key = { 'idempotency-key': 'k-1' };
    expect((await post(JSON.stringify(valid), key)).status).toBe(201);
    const replay = await post(JSON.stringify(valid), key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replay')).toBe('true');
    const conflict = await post(JSON.stringify({ ...valid, logValue: 99 }), key);
    expect(conflict.status).toBe(409);
  });
});

describe('unpacking an artifact', () => {
  it('refuses an entry that would land outside its folder (zip slip), writing nothing', () => {
    const zip = join(dir, 'slip.zip');
    writeFileSync(zip, zipSync({ 'manifest.json': new Uint8Array([123, 125]), '../escaped.txt': new Uint8Array([1]) }));
    expect(() => unpackArtifact(zip, join(dir, 'unpacked'))).toThrow(/would be written outside/);
    expect(existsSync(join(dir, 'escaped.txt'))).toBe(false);
    expect(existsSync(join(dir, 'unpacked', 'manifest.json'))).toBe(false);
  });
});
