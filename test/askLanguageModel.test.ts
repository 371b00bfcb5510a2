import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../src-main/api/handlers';
import { sqlOfReply } from '../src-main/ask/languageModel';
import { createDemoProject, openProject, type Project } from '../src-main/project';
import { ApiClient } from '../src-shared/api/client';
import { ApiHost } from '../src-shared/api/host';
import { connectInMemory } from '../src-shared/api/inMemory';
import { REPO, tempDir } from './helpers';

// Issue 17's optional language model: off by default; when the user turns it on, only questions the
// intents do not cover go to it, with the schema and the question and never a row; its SQL runs in
// the sandbox. The endpoint here is a stub OpenAI-compatible server on loopback.

const dir = tempDir();
const home = join(dir, 'home');
let project: Project;
let api: ApiClient;
let server: Server;
let url = '';
let reply: { status: number; content: string } = { status: 200, content: '' };
const requests: Array<{ authorization?: string; body: string }> = [];

beforeAll(async () => {
  process.env.PUMPDECK_HOME = home;
  project = await createDemoProject({ dir: join(dir, 'demo'), days: 8, seed: 5 });
  api = new ApiClient(connectInMemory(new ApiHost(createHandlers({ version: 't', project: () => project }))));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({ authorization: req.headers.authorization, body });
      if (req.url !== '/v1/chat/completions') return res.writeHead(404).end();
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(
        reply.status === 200
          ? JSON.stringify({ choices: [{ message: { role: 'assistant', content: reply.content } }] })
          : '{"error": "secret internal detail of the endpoint"}',
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}, 240_000);

afterAll(async () => {
  project.db.close();
  await new Promise((done) => server.close(done));
  delete process.env.PUMPDECK_HOME;
});

beforeEach(() => {
  requests.length = 0;
  reply = { status: 200, content: '' };
});

const STARTS_SQL = 'SELECT pump, count(*) AS sessions FROM pump_sessions GROUP BY pump ORDER BY pump';
const UNCOVERED = 'list the number of sessions of each pump';

describe('the optional language model', () => {
  it('is off by default: an uncovered question gets the list of what can be asked, and nothing is sent', async () => {
    expect(await api.call('ask.model', {})).toEqual({ enabled: false, url: '', model: '', hasKey: false });
    const answer = await api.call('ask.question', { question: UNCOVERED });
    expect(answer.intent).toBeNull();
    expect(requests).toHaveLength(0);
  });

  it('keeps the key in a file only the user can read, and never hands it back', async () => {
    await expect(
      api.call('ask.configureModel', { enabled: true, url: 'file:///etc/passwd', model: 'm' }),
    ).rejects.toMatchObject({ code: 'invalid_params' });
    await expect(api.call('ask.configureModel', { enabled: true, url: '', model: '' })).rejects.toMatchObject({
      code: 'invalid_params',
    });
    const settings = await api.call('ask.configureModel', { enabled: true, url, model: 'stub-1', key: 'sk-test-123' });
    expect(settings).toEqual({ enabled: true, url, model: 'stub-1', hasKey: true });
    expect(JSON.stringify(settings)).not.toContain('sk-test');
    expect(statSync(join(home, 'language-model.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(home, 'language-model.json'), 'utf8')).not.toContain('sk-test');
  });

  it('answers an uncovered question with its SQL, sent the schema and the question but no rows', async () => {
    reply.content = `Here you go:\n\`\`\`sql\n${STARTS_SQL};\n\`\`\``;
    const answer = await api.call('ask.question', { question: UNCOVERED });
    expect(answer.intent).toBe('language-model');
    expect(answer.sql).toBe(STARTS_SQL);
    const expected = await project.db.all<{ pump: string; sessions: number }>(STARTS_SQL);
    expect(answer.rows).toEqual(expected.map((r) => [r.pump, r.sessions]));
    expect(answer.answer).toMatch(new RegExp(`^stub-1 wrote this SQL .* it returned ${expected.length} rows\\.$`));

    expect(requests).toHaveLength(1);
    expect(requests[0].authorization).toBe('Bearer sk-test-123');
    const sent = JSON.parse(requests[0].body) as { model: string; messages: Array<{ content: string }> };
    expect(sent.model).toBe('stub-1');
    const text = sent.messages.map((m) => m.content).join('\n');
    expect(text).toContain(UNCOVERED);
    expect(text).toMatch(/pump_sessions\(.*duration_min/);
    // No value of the station's data is in what was sent: not a reading, not a day's energy.
    const { kwh, level } = await project.db.single<{ kwh: number; level: number }>(
      `SELECT (SELECT max(total_kwh) FROM daily_summary) AS kwh, (SELECT max("[PLC]HLT101.OUTPUT") FROM readings_wide) AS level`,
    );
    for (const value of [kwh, level]) expect(requests[0].body).not.toContain(String(value).slice(0, 7));
  });

  it('questions the intents cover never go to the model', async () => {
    const answer = await api.call('ask.question', { question: 'Which pump ran most this week?' });
    expect(answer.intent).toBe('ran-most');
    expect(requests).toHaveLength(0);
  });

  it("the model's SQL runs in the sandbox: a write or a file read is refused", async () => {
    const target = join(dir, 'escaped.csv');
    for (const sql of [
      `COPY (SELECT 1) TO '${target}'`,
      "SELECT * FROM read_text('/etc/passwd')",
      'DROP TABLE alerts_log',
    ]) {
      reply.content = sql;
      await expect(api.call('ask.question', { question: UNCOVERED })).rejects.toMatchObject({
        code: 'bad_input',
        message: expect.stringMatching(/^refused: /),
      });
    }
    expect(existsSync(target)).toBe(false);
    expect(
      (await project.db.single<{ n: number }>('SELECT count(*)::INTEGER AS n FROM alerts_log')).n,
    ).toBeGreaterThanOrEqual(0);
  });

  it('an endpoint that fails is named with its status, never with what it said', async () => {
    reply = { status: 500, content: '' };
    const error = await api.call('ask.question', { question: UNCOVERED }).catch((e) => e);
    expect(error).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/answered HTTP 500/) });
    expect(error.message).not.toContain('secret');
    await api.call('ask.configureModel', { enabled: true, url: 'http://127.0.0.1:9/v1', model: 'stub-1' });
    await expect(api.call('ask.question', { question: UNCOVERED })).rejects.toMatchObject({
      message: expect.stringMatching(/could not be reached/),
    });
    // The key is kept when the settings change without one.
    expect((await api.call('ask.model', {})).hasKey).toBe(true);
    await api.call('ask.configureModel', { enabled: true, url, model: 'stub-1' });
  });

  it('pumpdeck ask uses the same settings, and --offline never calls the model', async () => {
    reply.content = STARTS_SQL;
    project.db.close();
    try {
      const run = (...args: string[]) =>
        promisify(execFile)(join(REPO, 'bin/pumpdeck'), ['ask', '--db', project.dbPath, ...args], {
          env: { ...process.env, PUMPDECK_HOME: home },
        }).catch((e: { code: number; stdout: string }) => e);
      const json = JSON.parse((await run(UNCOVERED, '--json')).stdout as string);
      expect(json).toMatchObject({ intent: 'language-model', sql: STARTS_SQL });
      expect(requests).toHaveLength(1);
      const offline = await run(UNCOVERED, '--offline');
      expect((offline as { code?: number }).code).toBe(1);
      expect(requests).toHaveLength(1);
    } finally {
      project = await openProject(project.dbPath);
    }
  });

  it('reads the SQL out of a fenced reply or a bare one', () => {
    expect(sqlOfReply('```sql\nSELECT 1;\n```')).toBe('SELECT 1');
    expect(sqlOfReply('Sure.\n```\nSELECT 2\n```\nDone.')).toBe('SELECT 2');
    expect(sqlOfReply('  SELECT 3;  ')).toBe('SELECT 3');
  });
});
