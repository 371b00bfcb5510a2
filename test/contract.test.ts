import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../src-main/api/handlers';
import { createDemoProject, type Project } from '../src-main/project';
import { type Bridge, startBridge } from '../src-main/server/bridge';
import { connectWebSocket } from '../src-main/server/wsConnection';
import { ApiClient } from '../src-shared/api/client';
import { ApiHost } from '../src-shared/api/host';
import { connectInMemory } from '../src-shared/api/inMemory';
import { TAG } from '../src-shared/tags';
import { tempDir } from './helpers';

// The same calls through the in-memory and the WebSocket transport give equal results, on a real
// DuckDB file built from demo data, served by a real bridge on loopback.

let project: Project;
let bridge: Bridge;
let memory: ApiClient;
let socket: ApiClient;
let closeSocket: () => void;
const token = 'test-token-1234567890';

beforeAll(async () => {
  project = await createDemoProject({ dir: join(tempDir(), 'demo'), days: 3, seed: 7 });
  const host = new ApiHost(createHandlers({ version: 'test', project: () => project }));
  bridge = await startBridge({ host, token, port: 0 });
  memory = new ApiClient(connectInMemory(host));
  const connection = await connectWebSocket(`http://127.0.0.1:${bridge.port}`, token);
  closeSocket = connection.close;
  socket = new ApiClient(connection);
});

afterAll(async () => {
  closeSocket?.();
  await bridge?.close();
  project?.db.close();
});

const CALLS = [
  ['app.info', {}],
  ['station.config', {}],
  ['station.overview', {}],
  ['station.overview', { day: '2025-03-02' }],
  ['station.series', { tags: [TAG.level, TAG.flow], lastHours: 24, width: 200 }],
  ['station.series', { tags: [TAG.kw('P1')], from: '2025-03-01 06:00', to: '2025-03-01 07:00' }],
] as const;

/** A JSON value with every number cut to 12 significant digits. */
function significant(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v));
}

describe('one contract, two transports', () => {
  it.each(CALLS)('%s %j answers the same in memory and over WebSocket', async (method, params) => {
    // DuckDB sums in parallel: the last bit of a sum may differ between two calls, not the transport.
    const viaMemory = significant(await memory.call(method, params as never));
    const viaSocket = significant(await socket.call(method, params as never));
    expect(viaSocket).toEqual(viaMemory);
  });

  it('journals an alarm action under the operator named, else the OS user; a name with control characters is refused', async () => {
    const key = { rule: 'B-01', pump: 'P1' };
    const named = await socket.call('alerts.act', {
      action: 'out_of_service',
      ...key,
      text: 'contactor replaced',
      operator: ' Maija K. ',
    });
    expect(named.user).toBe('Maija K.');
    const unnamed = await memory.call('alerts.act', { action: 'return_to_service', ...key });
    expect(unnamed.user).toBe((await memory.call('app.info', {})).user);
    await expect(
      memory.call('alerts.act', { action: 'return_to_service', ...key, operator: 'evil\u001b[2J' }),
    ).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('no control characters') });
  });

  it('says what is wrong with a parameter in plain words, naming the field (issue 18)', async () => {
    const site = { station: true, apiUrl: 'http://127.0.0.1:1', siteId: 1, pumpId: 1, debounceMinutes: 60 };
    await expect(memory.call('edge.package', { ...site, intervalSeconds: -5 })).rejects.toMatchObject({
      code: 'invalid_params',
      message: 'invalid intervalSeconds for edge.package: at least 10',
    });
    await expect(memory.call('edge.package', { ...site, intervalSeconds: 1.5 })).rejects.toMatchObject({
      message: 'invalid intervalSeconds for edge.package: a whole number is needed',
    });
    await expect(memory.call('edge.package', { ...site, intervalSeconds: null } as never)).rejects.toMatchObject({
      message: 'invalid intervalSeconds for edge.package: a number is needed',
    });
    await expect(memory.call('alerts.list', { severity: ['LOUD'] } as never)).rejects.toMatchObject({
      message: 'invalid severity.0 for alerts.list: one of CRITICAL, HIGH, WARNING, INFO',
    });
  });

  it('counts alerts per severity under the feed filters, and acknowledges several at once or none', async () => {
    await project.db.run(
      `INSERT INTO alerts_log (timestamp, date, hour, severity, rule, pump, message, resolved, resolved_at, duration_min) VALUES
       ('2025-03-02 12:00:00', '2025-03-02', 12, 'HIGH', 'B-04', 'P2', 'bulk: one', 0, NULL, NULL),
       ('2025-03-02 12:05:00', '2025-03-02', 12, 'WARNING', 'A-04', 'P2', 'bulk: two', 0, NULL, NULL)`,
    );
    try {
      const before = await memory.call('alerts.counts', { pump: 'P2' });
      expect(before.HIGH).toBeGreaterThanOrEqual(1);
      expect(before.WARNING).toBeGreaterThanOrEqual(1);
      const all = await memory.call('alerts.list', { pump: 'P2' });
      expect(Object.values(before).reduce((a, b) => a + b, 0)).toBe(all.length);
      const keys = [
        { rule: 'B-04', pump: 'P2', timestamp: '2025-03-02 12:00:00' },
        { rule: 'A-04', pump: 'P2', timestamp: '2025-03-02 12:05:00' },
      ];
      // One unknown alarm refuses the lot: nothing half-acknowledged.
      await expect(
        memory.call('alerts.ackMany', {
          keys: [...keys, { rule: 'B-04', pump: 'P9', timestamp: '2025-03-02 12:00:00' }],
        }),
      ).rejects.toMatchObject({ code: 'not_found' });
      const states = async () =>
        (await memory.call('alerts.list', { pump: 'P2' }))
          .filter((a) => a.message.startsWith('bulk:'))
          .map((a) => a.acknowledged_by);
      expect(await states()).toEqual([null, null]);
      expect(await memory.call('alerts.ackMany', { keys, operator: 'Maija K.' })).toEqual({ acknowledged: 2 });
      expect(await states()).toEqual(['Maija K.', 'Maija K.']);
    } finally {
      await project.db.run(`DELETE FROM alerts_log WHERE message LIKE 'bulk:%'`);
    }
  });

  it('shelves only an active alarm, with a reason', async () => {
    await project.db.run(
      `INSERT INTO alerts_log (timestamp, date, hour, severity, rule, pump, message, resolved, resolved_at, duration_min) VALUES
       ('2025-03-02 10:00:00', '2025-03-02', 10, 'HIGH', 'B-02', 'P2', 'test: active', 0, NULL, NULL),
       ('2025-03-02 11:00:00', '2025-03-02', 11, 'HIGH', 'B-02', 'P3', 'test: cleared', 1, '2025-03-02 11:20:00', 20)`,
    );
    try {
      const active = {
        action: 'shelve' as const,
        rule: 'B-02',
        pump: 'P2',
        timestamp: '2025-03-02 10:00:00',
        minutes: 30,
      };
      await expect(memory.call('alerts.act', active)).rejects.toMatchObject({ message: 'give a reason' });
      expect(await socket.call('alerts.act', { ...active, text: 'sensor being replaced' })).toMatchObject({
        action: 'shelve',
        text: 'sensor being replaced',
      });
      await expect(
        memory.call('alerts.act', { ...active, pump: 'P3', timestamp: '2025-03-02 11:00:00', text: 'why not' }),
      ).rejects.toMatchObject({
        code: 'bad_input',
        message: 'only an active alarm can be shelved: B-02 P3 cleared at 2025-03-02 11:20:00',
      });
    } finally {
      await project.db.run(`DELETE FROM alerts_log WHERE message LIKE 'test: %'`);
      await project.db.run(`DELETE FROM alert_actions WHERE rule = 'B-02'`);
    }
  });

  it('fails the same way on both', async () => {
    const bad = { tags: ['[PLC]NOPE'] };
    const a = await memory.call('station.series', bad).catch((e) => ({ code: e.code, message: e.message }));
    const b = await socket.call('station.series', bad).catch((e) => ({ code: e.code, message: e.message }));
    expect(a).toEqual({ code: 'not_found', message: 'unknown tag: [PLC]NOPE' });
    expect(b).toEqual(a);
  });

  it('returns an hour of minute data unreduced', async () => {
    const result = await socket.call('station.series', {
      tags: [TAG.kw('P1')],
      from: '2025-03-01 06:00',
      to: '2025-03-01 07:00',
    });
    expect(result.series[0].points).toHaveLength(61);
  });

  it('downsamples a long range to at most four points per pixel column, keeping the extremes', async () => {
    const result = await memory.call('station.series', { tags: [TAG.level], width: 50 });
    const points = result.series[0].points;
    expect(points.length).toBeLessThanOrEqual(4 * 51);
    const [{ lo, hi }] = await project.db.all<{ lo: number; hi: number }>(
      `SELECT min("[PLC]HLT101.OUTPUT") lo, max("[PLC]HLT101.OUTPUT") hi FROM readings_wide`,
    );
    expect(Math.min(...points.map((p) => p.v))).toBe(lo);
    expect(Math.max(...points.map((p) => p.v))).toBe(hi);
  });
});

describe('browser-mode security', () => {
  it('refuses a WebSocket without the token', async () => {
    await expect(connectWebSocket(`http://127.0.0.1:${bridge.port}`, 'wrong')).rejects.toThrow(/401/);
  });

  it('serves HTTP calls only with the bearer token', async () => {
    const url = `http://127.0.0.1:${bridge.port}/api/app.info`;
    expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(401);
    const ok = await fetch(url, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(await memory.call('app.info', {}));
    const bad = await fetch(`http://127.0.0.1:${bridge.port}/api/station.series`, {
      method: 'POST',
      body: '{"tags":[]}',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid_params' });
  });

  it('says which port is taken, and what to do', async () => {
    const host = new ApiHost(createHandlers({ version: 'test', project: () => project }));
    await expect(startBridge({ host, token, port: bridge.port })).rejects.toMatchObject({
      code: 'bad_input',
      message: `port ${bridge.port} on 127.0.0.1 is in use: pass --port N, or --port 0 for a free one`,
    });
  });

  it('binds loopback only by default', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });
});
