import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../src-main/api/handlers';
import { createDemoProject, openProject, type Project } from '../src-main/project';
import { ApiClient } from '../src-shared/api/client';
import { ApiHost } from '../src-shared/api/host';
import { connectInMemory } from '../src-shared/api/inMemory';
import { fmt } from '../src-shared/format';
import { durationWords } from '../src-shared/station/realTime';
import { addDays } from '../src-shared/time';
import { pumpdeck, tempDir } from './helpers';

// Issue 31: questions about any signal in the station's own words, on both demo stations (the
// booster's minute data and the lift station's 15-minute rows): extremes and their times, when a
// signal last went above or below a level, one period against another, the price paid weighted by
// the kWh, hourly averages by weekday. Every answer is checked against SQL written here, on the
// raw tags (not the intents' SQL); a question outside them is "I do not know", exit 1.

interface Station {
  name: 'booster' | 'lift';
  project: Project;
  api: ApiClient;
  last: string;
  /** Raw-tag SQL written here: the level, the station flow (m³/h), the pumps' kW, the price. */
  level: string;
  levelName: string;
  levelUnit: string;
  flow: string;
  flowName: string;
  kw: string;
  price: string;
  priceUnit: string;
  /** The rows' interval: 15-minute rows say so. */
  rowsNote: string;
}

const dir = tempDir();
const stations: Station[] = [];

const BOOSTER_KW = [1, 2, 3, 4, 5, 6].map((p) => `"[PLC]P${p}KWH_HR.PER_HR"`);
const LIFT_KW = ['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '2.3', '2.4'].map((p) => `"Pump power ${p}"`);

beforeAll(async () => {
  const [booster, lift] = await Promise.all([
    createDemoProject({ dir: join(dir, 'booster'), days: 40, seed: 5 }),
    createDemoProject({ dir: join(dir, 'lift'), days: 40, seed: 5, station: 'lift' }),
  ]);
  const common = async (project: Project) => ({
    project,
    api: new ApiClient(connectInMemory(new ApiHost(createHandlers({ version: 't', project: () => project })))),
    last: (
      await project.db.single<{ d: string }>(`SELECT strftime(max("Timestamp"), '%Y-%m-%d') AS d FROM readings_wide`)
    ).d,
  });
  stations.push(
    {
      name: 'booster',
      ...(await common(booster)),
      level: '"[PLC]HLT101.OUTPUT"',
      levelName: 'tank level (HLT101)',
      levelUnit: 'cm',
      flow: '"[PLC]FIT101_HR.PER_HR"',
      flowName: 'station flow (FIT101)',
      kw: `list_sum([${BOOSTER_KW.join(', ')}])`,
      // The demo's tariff: 0.30 EUR/kWh in its peak hours 06-10 and 17-21, else 0.12.
      price: `CASE WHEN hour("Timestamp") BETWEEN 6 AND 9 OR hour("Timestamp") BETWEEN 17 AND 20 THEN 0.30 ELSE 0.12 END`,
      priceUnit: 'EUR/kWh',
      rowsNote: '',
    },
    {
      name: 'lift',
      ...(await common(lift)),
      level: '"Wet well level"',
      levelName: 'wet well level',
      levelUnit: 'm',
      flow: '"Discharge flow"',
      flowName: 'station flow (Discharge flow)',
      kw: `list_sum([${LIFT_KW.join(', ')}])`,
      price: '"Electricity price"',
      priceUnit: 'c/kWh',
      rowsNote: ' (15-minute rows)',
    },
  );
}, 300_000);

afterAll(() => {
  for (const s of stations) s.project.db.close();
});

const monday = (last: string) => addDays(last, -((new Date(`${last}T00:00:00Z`).getUTCDay() + 6) % 7));

describe.each(['booster', 'lift'] as const)('on the %s demo', (name) => {
  const st = () => stations.find((s) => s.name === name) as Station;
  const ask = (question: string) => st().api.call('ask.question', { question });
  const sql = <T extends Record<string, unknown>>(query: string) => st().project.db.all<T>(query);
  const cap = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;
  /** Minutes a row stands for: its step from the one before, at most the log's interval (1 or 15). */
  const I = name === 'lift' ? 15 : 1;
  const W = `least(coalesce(date_diff('minute', lag("Timestamp") OVER (ORDER BY "Timestamp"), "Timestamp"), ${I}), ${I})`;

  it('extremes and their times: the highest level this week, the lowest yesterday, the peak flow today', async () => {
    const { last, level, levelName, levelUnit, flow, flowName, rowsNote } = st();
    const extreme = async (expr: string, from: string, to: string, order: 'ASC' | 'DESC') =>
      (
        await sql<{ v: number; at: string }>(
          `SELECT ${expr} AS v, strftime("Timestamp", '%Y-%m-%d %H:%M') AS at FROM readings_wide
           WHERE "Timestamp"::DATE BETWEEN '${from}' AND '${to}' AND v IS NOT NULL ORDER BY v ${order}, "Timestamp" LIMIT 1`,
        )
      )[0];
    const high = await extreme(level, monday(last), last, 'DESC');
    const highest = await ask('What was the highest level this week?');
    expect(highest.intent).toBe('signal-extreme');
    expect(highest.answer).toBe(
      `The highest ${levelName} this week was ${fmt(high.v, 2)} ${levelUnit}, at ${high.at}${rowsNote}.`,
    );
    const low = await extreme(level, addDays(last, -1), addDays(last, -1), 'ASC');
    expect((await ask('lowest level yesterday')).answer).toBe(
      `The lowest ${levelName} yesterday was ${fmt(low.v, 2)} ${levelUnit}, at ${low.at.slice(11)}${rowsNote}.`,
    );
    const peak = await extreme(flow, last, last, 'DESC');
    expect((await ask('peak flow today')).answer).toBe(
      `The peak ${flowName} today was ${fmt(peak.v, 1)} m³/h, at ${peak.at.slice(11)}${rowsNote}.`,
    );
    if (name === 'lift') {
      // The inflow is logged as m³ per 15 minutes: the answer is in m³/h.
      const inflow = await extreme('"Inflow" * 4', last, last, 'DESC');
      expect((await ask('peak inflow')).answer).toBe(
        `The peak inflow today was ${fmt(inflow.v, 1)} m³/h, at ${inflow.at.slice(11)}${rowsNote}.`,
      );
    } else {
      const none = await ask('peak inflow');
      expect(none).toMatchObject({ intent: 'signal-extreme', sql: null });
      expect(none.answer).toBe("To answer that, this station's data has no inflow.");
    }
  });

  it('times: when the level last went above a value, above its high limit, below a share of its range', async () => {
    const { level, levelName, levelUnit, rowsNote, project } = st();
    const rows = await sql<{ t: string; v: number; w: number }>(
      `SELECT strftime("Timestamp", '%Y-%m-%d %H:%M') AS t, ${level} AS v, ${W} AS w FROM readings_wide
       WHERE ${level} IS NOT NULL ORDER BY "Timestamp"`,
    );
    /** The episodes beyond x, walked here row by row: start, extreme, real minutes. */
    const episodes = (x: number, above: boolean) => {
      const out: Array<{ start: string; extreme: number; minutes: number }> = [];
      const beyond = (v: number) => (above ? v > x : v < x);
      rows.forEach((r, i) => {
        if (!beyond(r.v)) return;
        if (i === 0 || !beyond(rows[i - 1].v)) out.push({ start: r.t, extreme: r.v, minutes: 0 });
        const e = out[out.length - 1];
        e.extreme = above ? Math.max(e.extreme, r.v) : Math.min(e.extreme, r.v);
        e.minutes += r.w;
      });
      return out;
    };
    const [{ x }] = await sql<{ x: number }>(`SELECT round(quantile_cont(${level}, 0.9), 1) AS x FROM readings_wide`);
    const above = episodes(x, true);
    expect(above.length).toBeGreaterThan(1);
    const lastAbove = above[above.length - 1];
    const answer = await ask(`When did the level last go above ${x} ${levelUnit}?`);
    expect(answer.intent).toBe('signal-when');
    expect(answer.answer).toBe(
      `The ${levelName} last went above ${fmt(x, 2)} ${levelUnit} at ${lastAbove.start} and stayed above for ${durationWords(lastAbove.minutes)}, reaching ${fmt(lastAbove.extreme, 2)} ${levelUnit}${rowsNote}; ${above.length} times in all the data.`,
    );
    // Its operating band's high end, from station.json.
    const model = (
      await project.db.single<{ v: string }>(`SELECT value::VARCHAR AS v FROM project_meta WHERE key = 'station'`)
    ).v;
    const { min, max, operating } = JSON.parse(model).config.level;
    const overHigh = episodes(operating.high, true);
    const limit = `the high end of its operating band (${fmt(operating.high, 2)} ${levelUnit})`;
    const high = await ask('when did the level last go above high');
    expect(high.answer).toBe(
      overHigh.length === 0
        ? `The ${levelName} did not go above ${limit} in all the data.`
        : `The ${levelName} last went above ${limit} at ${overHigh[overHigh.length - 1].start} and stayed above for ${durationWords(overHigh[overHigh.length - 1].minutes)}, reaching ${fmt(overHigh[overHigh.length - 1].extreme, 2)} ${levelUnit}${rowsNote}; ${overHigh.length} times in all the data.`,
    );
    // A share of the range: 40 % of min..max, the first time it dropped below.
    const share = min + 0.4 * (max - min);
    const under = episodes(share, false);
    const first = await ask('when did the level first drop below 40 %');
    expect(first.answer).toBe(
      under.length === 0
        ? `The ${levelName} did not go below 40 % (${fmt(share, 2)} ${levelUnit}) in all the data.`
        : `The ${levelName} first went below 40 % (${fmt(share, 2)} ${levelUnit}) at ${under[0].start} and stayed below for ${durationWords(under[0].minutes)}, down to ${fmt(under[0].extreme, 2)} ${levelUnit}${rowsNote}; ${under.length} times in all the data.`,
    );
  });

  it('comparisons: the average flow this week against last week, energy this month against last month', async () => {
    const { last, flow, flowName } = st();
    const mean = async (from: string, to: string) =>
      (
        await sql<{ v: number }>(
          `WITH r AS (SELECT ${flow} AS v, ${W} AS w, "Timestamp"::DATE AS d FROM readings_wide)
           SELECT sum(v * w) / sum(w) AS v FROM r WHERE v IS NOT NULL AND d BETWEEN '${from}' AND '${to}'`,
        )
      )[0].v;
    const thisWeek = await mean(monday(last), last);
    const lastWeek = await mean(addDays(monday(last), -7), addDays(monday(last), -1));
    const change = ((thisWeek - lastWeek) / lastWeek) * 100;
    const answer = await ask('average flow this week compared with last week');
    expect(answer.intent).toBe('signal-compare');
    expect(answer.answer).toBe(
      `The ${flowName} this week: ${fmt(thisWeek, 1)} m³/h; last week: ${fmt(lastWeek, 1)} m³/h: ${change >= 0 ? '+' : ''}${fmt(change, 1)} %.`,
    );
    const month = `${last.slice(0, 8)}01`;
    const kwh = async (from: string, to: string) =>
      (
        await sql<{ kwh: number; days: number }>(
          `WITH r AS (SELECT ${st().kw} AS kw, ${W} AS w, "Timestamp"::DATE AS d FROM readings_wide)
           SELECT sum(kw * w) / 60 AS kwh, count(DISTINCT d)::INTEGER AS days FROM r WHERE d BETWEEN '${from}' AND '${to}'`,
        )
      )[0];
    const now = await kwh(month, last);
    const before = await kwh(`${addDays(month, -31).slice(0, 8)}01`, addDays(month, -1));
    const energy = await ask('energy this month compared with last month');
    expect(energy.intent).toBe('energy-compare');
    expect(energy.answer).toContain(`this month: ${fmt(now.kwh, 1)} kWh over ${now.days} days`);
    expect(energy.answer).toContain(`last month: ${fmt(before.kwh, 1)} kWh over ${before.days} days`);
  });

  it('the price paid: weighted by the kWh the pumps used, beside the time average of the price', async () => {
    const { last, kw, price, priceUnit } = st();
    const month = `${last.slice(0, 8)}01`;
    const [p] = await sql<{ paid: number; mean: number; kwh: number }>(
      `WITH r AS (SELECT ${kw} AS kw, ${price} AS p, ${W} AS w, "Timestamp"::DATE AS d FROM readings_wide)
       SELECT sum(kw * p * w) / sum(kw * w) AS paid, sum(p * w) / sum(w) AS mean, sum(kw * w) / 60 AS kwh
       FROM r WHERE kw IS NOT NULL AND p IS NOT NULL AND d BETWEEN '${month}' AND '${last}'`,
    );
    const below = ((p.mean - p.paid) / p.mean) * 100;
    for (const question of ['What was the average price paid this month?', 'price we paid per kWh this month']) {
      const answer = await ask(question);
      expect(answer.intent).toBe('price-paid');
      expect(answer.answer).toBe(
        `The pumps paid ${fmt(p.paid, 2)} ${priceUnit} on average this month, weighted by the ${fmt(p.kwh, 1)} kWh they used; the price averaged ${fmt(p.mean, 2)} ${priceUnit} over the same hours: ${fmt(Math.abs(below), 1)} % ${below >= 0 ? 'below' : 'above'} it.`,
      );
    }
  });

  it('hourly averages by weekday: the flow by hour on Mondays', async () => {
    const { flow, flowName } = st();
    const hours = await sql<{ h: number; v: number; days: number }>(
      `WITH r AS (SELECT ${flow} AS v, ${W} AS w, "Timestamp" AS t FROM readings_wide)
       SELECT hour(t) AS h, sum(v * w) / sum(w) AS v, count(DISTINCT t::DATE)::INTEGER AS days FROM r
       WHERE v IS NOT NULL AND dayname(t) = 'Monday' GROUP BY h ORDER BY h`,
    );
    expect(hours).toHaveLength(24);
    const top = [...hours].sort((a, b) => b.v - a.v)[0];
    const low = [...hours].sort((a, b) => a.v - b.v)[0];
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    const answer = await ask('average flow per hour on Monday');
    expect(answer.intent).toBe('signal-hourly');
    expect(answer.answer).toBe(
      `${cap(`the ${flowName}`)} by hour on Mondays (${Math.max(...hours.map((h) => h.days))} days in all the data): highest ${fmt(top.v, 1)} m³/h in the hour from ${hh(top.h)}, lowest ${fmt(low.v, 1)} m³/h from ${hh(low.h)}.`,
    );
    expect(answer.rows).toHaveLength(24);
    expect(answer.chart).toEqual({ x: 'hour', y: 'value', kind: 'line' });
  });
});

describe('a question it cannot answer', () => {
  it('gets "I do not know", never another question\'s answer; the CLI exits 1', async () => {
    const lift = stations.find((s) => s.name === 'lift') as Station;
    // Known words around an unknown one: not the energy, not the level.
    for (const question of [
      'average rainfall today',
      'energy of the wind today',
      'highest level of chlorine this week',
    ]) {
      const answer = await lift.api.call('ask.question', { question });
      expect(answer, question).toMatchObject({ intent: null, sql: null });
      expect(answer.answer).toMatch(/^I do not know how to answer that \("/);
    }
    lift.project.db.close();
    try {
      const unknown = pumpdeck('ask', '--db', lift.project.dbPath, '--offline', 'what will the weather be tomorrow');
      expect(unknown.code).toBe(1);
      expect(unknown.out).toMatch(/^I do not know how to answer that/);
      const answered = pumpdeck('ask', '--db', lift.project.dbPath, '--offline', 'average price paid this week');
      expect(answered.code, answered.err).toBe(0);
      expect(answered.out).toMatch(/^The pumps paid [\d.]+ c\/kWh on average this week/);
    } finally {
      lift.project = await openProject(lift.project.dbPath);
      lift.api = new ApiClient(
        connectInMemory(new ApiHost(createHandlers({ version: 't', project: () => lift.project }))),
      );
    }
  });
});
