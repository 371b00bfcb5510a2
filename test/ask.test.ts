import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../src-main/api/handlers';
import { parseFault } from '../src-main/demo/faults';
import { createDemoProject, openProject, type Project } from '../src-main/project';
import { ApiClient } from '../src-shared/api/client';
import { ApiHost } from '../src-shared/api/host';
import { connectInMemory } from '../src-shared/api/inMemory';
import { fmt } from '../src-shared/format';
import { addDays } from '../src-shared/time';
import { pumpdeck, tempDir } from './helpers';

// Issue 17: questions in plain language, answered offline; each of seed 002's six questions and two
// rephrasings of it, checked against SQL written here, independently of the intents' SQL. And
// the SQL console's schema, saved queries, history and exports.

const dir = tempDir();
let project: Project;
let api: ApiClient;
let last = '';

beforeAll(async () => {
  // 40 days from 2025-03-01 with critical alerts in the last week (trips, a total power loss).
  project = await createDemoProject({
    dir: join(dir, 'demo'),
    days: 40,
    seed: 3,
    faults: ['trip@37:08:00+15:P2', 'alltrip@39:14:00+10', 'outage@40:03:00+20'].map(parseFault),
  });
  api = new ApiClient(
    connectInMemory(
      new ApiHost(createHandlers({ version: 't', project: () => project }), (e) => console.error('INTERNAL', e)),
    ),
  );
  last = (
    await project.db.single<{ d: string }>(`SELECT strftime(max("Timestamp"), '%Y-%m-%d') AS d FROM readings_wide`)
  ).d;
}, 240_000);

afterAll(() => project.db.close());

const ask = (question: string) => api.call('ask.question', { question });
const sql = <T extends Record<string, unknown>>(query: string) => project.db.all<T>(query);
/** Monday of the week of the newest day ("this week"). */
const monday = () => addDays(last, -((new Date(`${last}T00:00:00Z`).getUTCDay() + 6) % 7));

describe("seed 002's six questions, and two rephrasings of each", () => {
  it.each([
    'Which pump ran most this week?',
    'which pump ran the longest this week',
    'What pump was running most this week',
  ])('%s', async (question) => {
    const [top] = await sql<{ pump: string; hours: number }>(
      `SELECT pump, sum(duration_min) / 60.0 AS hours FROM pump_sessions WHERE date >= '${monday()}' AND date <= '${last}'
         GROUP BY pump ORDER BY hours DESC LIMIT 1`,
    );
    const answer = await ask(question);
    expect(answer.intent).toBe('ran-most');
    expect(answer.answer).toMatch(new RegExp(`^${top.pump} ran most this week: ${fmt(top.hours, 2)} h`));
    expect(answer.rows[0]).toEqual([top.pump, Number(top.hours.toFixed(2)), expect.any(Number)]);
  });

  it.each(["What is today's total energy consumption?", 'How much energy did we use today?', 'kWh today'])(
    '%s',
    async (question) => {
      const [day] = await sql<{ kwh: number }>(`SELECT total_kwh AS kwh FROM daily_summary WHERE date = '${last}'`);
      const answer = await ask(question);
      expect(answer.intent).toBe('energy');
      expect(answer.answer).toBe(`Energy today: ${fmt(day.kwh, 1)} kWh.`);
    },
  );

  it.each([
    'Compare energy this month vs last month',
    'energy this month versus last month',
    "this month's kWh against last month",
  ])('%s', async (question) => {
    const month = `${last.slice(0, 8)}01`;
    const [now] = await sql<{ kwh: number; days: number }>(
      `SELECT sum(total_kwh) AS kwh, count(*)::INTEGER AS days FROM daily_summary WHERE date BETWEEN '${month}' AND '${last}'`,
    );
    const [before] = await sql<{ kwh: number; days: number }>(
      `SELECT sum(total_kwh) AS kwh, count(*)::INTEGER AS days FROM daily_summary
         WHERE date >= '${month}'::DATE - INTERVAL 1 MONTH AND date < '${month}'`,
    );
    const change = ((now.kwh / now.days - before.kwh / before.days) / (before.kwh / before.days)) * 100;
    const answer = await ask(question);
    expect(answer.intent).toBe('energy-compare');
    expect(answer.answer).toContain(`this month: ${fmt(now.kwh, 1)} kWh over ${now.days} days`);
    expect(answer.answer).toContain(`last month: ${fmt(before.kwh, 1)} kWh over ${before.days} days`);
    expect(answer.answer).toContain(`${change >= 0 ? '+' : ''}${fmt(change, 1)} % a day`);
  });

  it.each(['Show recent critical alerts', 'latest critical alarms', 'list the recent CRITICAL alerts please'])(
    '%s',
    async (question) => {
      const rows = await sql<{ raised: string; rule: string }>(
        `SELECT strftime(timestamp, '%Y-%m-%d %H:%M') AS raised, rule FROM alerts_log
         WHERE severity = 'CRITICAL' AND date BETWEEN '${addDays(last, -6)}' AND '${last}' ORDER BY timestamp DESC`,
      );
      expect(rows.length).toBeGreaterThan(1); // the faults did raise some
      const answer = await ask(question);
      expect(answer.intent).toBe('alerts');
      expect(answer.rows.map((r) => [r[0], r[1]])).toEqual(rows.map((r) => [r.raised, r.rule]));
      expect(answer.answer).toMatch(
        new RegExp(
          `^${rows.length} alerts the last 7 days, \\d+ still open; the latest ${rows[0].raised}: ${rows[0].rule} CRITICAL`,
        ),
      );
    },
  );

  it.each(['Is Pump 3 degrading?', 'is P3 wearing out', "how is pump 3's efficiency trending"])(
    '%s',
    async (question) => {
      const [health] = await sql<{ slope: number; score: number; day: string }>(
        `SELECT efficiency_slope_7d AS slope, health_score AS score, strftime(date, '%Y-%m-%d') AS day FROM pump_health
       WHERE pump = 'P3' AND efficiency_slope_7d IS NOT NULL ORDER BY date DESC LIMIT 1`,
      );
      const answer = await ask(question);
      expect(answer.intent).toBe('degrading');
      expect(answer.answer).toMatch(new RegExp(`^P3: ${health.slope < 0 ? 'yes' : 'no'}: `));
      expect(answer.answer).toContain(`health score ${fmt(health.score, 0)} on ${health.day}`);
      // The HI 14.6 check of the same pump, from its baseline and operational data.
      expect(answer.answer).toMatch(
        /Against its baseline \(ANSI\/HI 14\.6, grade \w+\): (Normal|Warning|Critical|Failure)/,
      );
    },
  );

  it.each(['What was the peak flow time today?', 'when was the flow highest today', "today's maximum flow hour"])(
    '%s',
    async (question) => {
      const [peak] = await sql<{ flow: number; at: string }>(
        `SELECT "[PLC]FIT101_HR.PER_HR" AS flow, strftime("Timestamp", '%H:%M') AS at FROM readings_wide
         WHERE date = '${last}' AND flow IS NOT NULL ORDER BY flow DESC, "Timestamp" LIMIT 1`,
      );
      const answer = await ask(question);
      expect(answer.intent).toBe('signal-extreme');
      expect(answer.answer).toBe(
        `The ${question.includes('peak') ? 'peak' : 'highest'} station flow (FIT101) today was ${fmt(peak.flow, 1)} m³/h, at ${peak.at}.`,
      );
    },
  );
});

describe('around them', () => {
  it('starts per pump, energy per m³, hours in peak tariff, the lowest level, alerts per rule: each against SQL', async () => {
    const starts = await sql<{ s: number }>(
      `SELECT sum(P1_starts + P2_starts + P3_starts + P4_starts + P5_starts + P6_starts)::INTEGER AS s FROM daily_summary WHERE date = '${addDays(last, -1)}'`,
    );
    expect((await ask('how many starts per pump yesterday')).answer).toMatch(
      new RegExp(`^${starts[0].s} pump starts yesterday: `),
    );
    const [e] = await sql<{ e: number }>(
      `SELECT sum(total_kwh) / sum(total_flow) AS e FROM daily_summary WHERE date BETWEEN '${addDays(last, -6)}' AND '${last}'`,
    );
    expect((await ask('energy per m3 over the last 7 days')).answer).toContain(`${fmt(e.e, 3)} kWh/m³`);
    const [low] = await sql<{ v: number }>(
      `SELECT min(min_hlt_level) AS v FROM daily_summary WHERE date BETWEEN '${last.slice(0, 8)}01' AND '${last}'`,
    );
    expect((await ask("what was the tank's lowest level this month")).answer).toContain(`${fmt(low.v, 2)} cm`);
    const rules = await sql<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM alerts_log`);
    expect((await ask('alerts per rule overall')).answer).toMatch(new RegExp(`^${rules[0].n} alerts in all the data`));
    expect((await ask('hours in peak tariff this week')).intent).toBe('peak-tariff');
  });

  it('a question it does not understand gets the list of what it can answer, never a guess', async () => {
    const answer = await ask('what will the weather be tomorrow?');
    expect(answer).toMatchObject({ intent: null, sql: null, rows: [] });
    expect(answer.answer).toMatch(
      /^I do not know how to answer that \("weather", "tomorrow": not words I know\)\. I can answer questions like: "Compare energy/,
    );
    // The examples name the station's own pumps, never a "pump 3" it does not have.
    expect(answer.answer).toContain('"Is P3 degrading?"');
    const noPump = await ask('is it degrading?');
    expect(noPump.answer).toBe('To answer that, name the pump (P1, P2, P3, P4, P5, P6).');
  });

  it('pumpdeck ask prints the answer and its SQL; --json has answer, sql and rows', async () => {
    project.db.close();
    try {
      const plain = pumpdeck('ask', '--db', project.dbPath, "What is today's total energy consumption?");
      expect(plain.code, plain.err).toBe(0);
      expect(plain.out).toMatch(/^Energy today: [\d,.]+ kWh\.\n\nSELECT sum\(total_kwh\)/);
      const json = JSON.parse(pumpdeck('ask', '--db', project.dbPath, 'Which pump ran most this week?', '--json').out);
      expect(json).toMatchObject({
        intent: 'ran-most',
        sql: expect.stringContaining('pump_sessions'),
        rows: expect.any(Array),
      });
      expect(pumpdeck('ask', '--db', project.dbPath, 'sing me a song').code).toBe(1);
    } finally {
      // The CLI is another process: this one let go of the file for it, and takes it back.
      project = await openProject(project.dbPath);
    }
  });
});

describe('the SQL console', () => {
  it('a page asking for the schema three times at once gets it three times (one snapshot, shared)', async () => {
    const fresh = new ApiClient(connectInMemory(new ApiHost(createHandlers({ version: 't', project: () => project }))));
    const all = await Promise.all([1, 2, 3].map(() => fresh.call('sql.schema', {})));
    for (const { tables } of all) expect(tables.map((t) => t.name)).toContain('daily_summary');
    const rows = await Promise.all([1, 2].map(() => fresh.call('sql.run', { sql: 'SELECT count(*) FROM alerts_log' })));
    expect(rows[0].rows).toEqual(rows[1].rows);
  });

  it("browses the schema with row counts and the seed's descriptions", async () => {
    const { tables } = await api.call('sql.schema', {});
    const daily = tables.find((t) => t.name === 'daily_summary');
    expect(daily?.description).toMatch(/^Per day/);
    expect(daily?.columns.find((c) => c.name === 'P3_hours_on')).toMatchObject({
      type: 'DOUBLE',
      description: 'Hours the pump ran.',
    });
    expect(tables.find((t) => t.name === 'readings_wide')?.rows).toBe(40 * 1440);
    // The project's own tables and views, not DuckDB's catalog views.
    const own = await sql<{ name: string }>(
      `SELECT table_name AS name FROM duckdb_columns() WHERE database_name = current_database() AND NOT internal
       GROUP BY ALL ORDER BY name`,
    );
    expect(tables.map((t) => t.name)).toEqual(own.map((t) => t.name));
    expect(tables.map((t) => t.name)).not.toContain('duckdb_columns');
  });

  it('runs a query, keeps it in the history, saves and reopens it', async () => {
    const query = 'SELECT date, total_kwh FROM daily_summary ORDER BY date';
    const result = await api.call('sql.run', { sql: query });
    expect(result.rows).toHaveLength(40);
    expect(result.columns.map((c) => c.name)).toEqual(['date', 'total_kwh']);
    await expect(api.call('sql.run', { sql: 'SELECT nope FROM daily_summary' })).rejects.toMatchObject({
      code: 'bad_input',
    });
    const history = await api.call('sql.history', {});
    expect(history[0]).toMatchObject({
      sql: 'SELECT nope FROM daily_summary',
      rows: null,
      error: expect.stringContaining('nope'),
    });
    expect(history[1]).toMatchObject({ sql: query, rows: 40, error: null });
    await api.call('sql.save', { name: 'daily energy', sql: query });
    expect((await api.call('sql.saved', {})).map((q) => [q.name, q.sql])).toEqual([['daily energy', query]]);
    await api.call('sql.forget', { name: 'daily energy' });
    expect(await api.call('sql.saved', {})).toEqual([]);
  });

  it('exports a result as CSV and as Parquet that read back the same', async () => {
    const query = `SELECT date, total_kwh, peak_flow_hour FROM daily_summary WHERE date <= '2025-03-05' ORDER BY date`;
    const read = async (id: string) => {
      const chunks: Buffer[] = [];
      for (let offset = 0; ; ) {
        const part = await api.call('download.read', { id, offset });
        const bytes = Buffer.from(part.chunk, 'base64');
        chunks.push(bytes);
        if (part.done) return Buffer.concat(chunks);
        offset += bytes.length;
      }
    };
    const csv = await api.call('sql.export', { sql: query, format: 'csv' });
    expect((await read(csv.id)).toString().trim().split('\n')).toHaveLength(6);
    const parquet = await api.call('sql.export', { sql: query, format: 'parquet' });
    const file = join(dir, 'out.parquet');
    writeFileSync(file, await read(parquet.id));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const back = (
      await connection.runAndReadAll(`SELECT typeof(date), sum(total_kwh) FROM '${file}' GROUP BY ALL`)
    ).getRows();
    const [sum] = await sql<{ s: number }>(`SELECT sum(total_kwh) AS s FROM daily_summary WHERE date <= '2025-03-05'`);
    expect(back[0][0]).toBe('DATE');
    expect(back[0][1]).toBeCloseTo(sum.s, 6);
    connection.closeSync();
    instance.closeSync();
  });
});
