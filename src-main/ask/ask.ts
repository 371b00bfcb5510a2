import type { AskAnswer, LanguageModelSettings } from '../../src-shared/api/contract';
import type { Row } from '../../src-shared/ask/intent';
import { INTENTS, intentOf, normalise, whatCanBeAsked } from '../../src-shared/ask/intents';
import { askSignals, priceSql, type TagInfo } from '../../src-shared/ask/signals';
import type { AskContext } from '../../src-shared/ask/slots';
import { unknownWords } from '../../src-shared/ask/vocabulary';
import { levelBands } from '../../src-shared/station/levelBands';
import { seedStation } from '../../src-shared/station/model';
import { StationSql } from '../../src-shared/station/stationSql';
import { displayUnit } from '../../src-shared/station/units';
import type { StationDb } from '../db/stationDb';
import { migrateStation } from '../ingest/stationConfig';
import { pumpPerformance } from '../performance/pumpPerformance';
import type { SqlSandbox } from '../sql/sandbox';
import { schemaText, sqlFromLanguageModel } from './languageModel';

// `pumpdeck ask` and the Ask box: a question in plain language, answered offline by the intents
// (src-shared/ask) with SQL that runs in the read-only sandbox. The answer comes with its SQL and
// rows, so the engineer can check it and open it in the console.

const rowsOf = (result: { columns: Array<{ name: string }>; rows: unknown[][] }): Row[] =>
  result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]])));

/**
 * What the intents need to know of the station: its pumps, its days of data, its kind, its level's
 * unit and limits, the signals a question can name, how long a row stands for, its price.
 */
export async function askContext(sandbox: SqlSandbox): Promise<AskContext> {
  const meta = rowsOf(await sandbox.run(`SELECT value::VARCHAR AS value FROM project_meta WHERE key = 'station'`));
  const station = (meta[0] ? migrateStation(JSON.parse(String(meta[0].value)))?.config : undefined) ?? seedStation();
  const [days] = rowsOf(
    await sandbox.run(
      `SELECT strftime(min("Timestamp"), '%Y-%m-%d') AS first, strftime(max("Timestamp"), '%Y-%m-%d') AS last FROM readings_wide`,
    ),
  );
  const columns = rowsOf(
    await sandbox.run(`SELECT column_name FROM information_schema.columns WHERE table_name = 'readings_wide'`),
  ).map((r) => String(r.column_name));
  const tags = rowsOf(
    await sandbox.run('SELECT tag, unit, description FROM tag_meta ORDER BY tag'),
  ) as unknown as TagInfo[];
  const sql = new StationSql(station, columns);
  return {
    pumps: station.pumps.map((p) => p.id),
    firstDay: (days?.first as string | null) ?? null,
    lastDay: (days?.last as string | null) ?? null,
    kind: station.kind,
    levelUnit: displayUnit(station.level?.unit),
    signals: askSignals(station, sql, tags),
    bands: levelBands(station),
    interval: Math.max(1, station.interval_min),
    price: priceSql(station, sql),
  };
}

/**
 * Answers a question. `db` (the project, when there is one open) adds what SQL alone does not
 * give: a pump's HI 14.6 status for "is it degrading".
 */
export async function askQuestion(
  sandbox: SqlSandbox,
  question: string,
  db?: StationDb,
  options: { model?: LanguageModelSettings; signal?: AbortSignal } = {},
): Promise<AskAnswer> {
  const q = normalise(question);
  const ctx = await askContext(sandbox);
  // Only a question whose every word is understood is answered: a few known words in another
  // question would get that question's answer.
  const unknown = unknownWords(q, ctx);
  const intent = unknown.length ? null : intentOf(q, ctx);
  if (!intent && options.model?.enabled) return askLanguageModel(sandbox, question, options.model, options.signal);
  if (!intent)
    return {
      answer: `I do not know how to answer that${unknown.length ? ` (${unknown.map((w) => `"${w}"`).join(', ')}: not words I know)` : ''}. ${whatCanBeAsked(ctx.pumps)}`,
      intent: null,
      sql: null,
      columns: [],
      rows: [],
      chart: null,
    };
  const plan = intent.plan(q, ctx);
  if ('refusal' in plan)
    return {
      answer: `To answer that, ${plan.refusal}.`,
      intent: intent.id,
      sql: null,
      columns: [],
      rows: [],
      chart: null,
    };
  const result = await sandbox.run(plan.sql, { maxRows: 1000, timeoutMs: 15_000 });
  const rows = rowsOf(result);
  let answer = intent.answer(rows, plan, ctx);
  if (intent.id === 'degrading' && plan.pump && db) answer += await hiStatus(db, plan.pump);
  return {
    answer,
    intent: intent.id,
    sql: plan.sql,
    columns: result.columns.map((c) => c.name),
    rows: result.rows,
    chart: intent.chart && rows.length > 1 ? intent.chart : null,
  };
}

/** A question the intents do not cover, answered by SQL the configured model wrote from the schema. */
async function askLanguageModel(
  sandbox: SqlSandbox,
  question: string,
  model: LanguageModelSettings,
  signal?: AbortSignal,
): Promise<AskAnswer> {
  const sql = await sqlFromLanguageModel(model, await schemaText(sandbox), question, signal);
  const result = await sandbox.run(sql, { maxRows: 1000, timeoutMs: 15_000, signal });
  const single =
    result.rows.length === 1 && result.columns.length === 1 ? ` The answer is ${String(result.rows[0][0])}.` : '';
  return {
    answer: `${model.model} wrote this SQL from the table names (check it before you rely on it); it returned ${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? ' (the first 1,000)' : ''}.${single}`,
    intent: 'language-model',
    sql,
    columns: result.columns.map((c) => c.name),
    rows: result.rows,
    chart: null,
  };
}

/** " HI 14.6 (2B): Warning, flow −6.2 % (band −8 to +8 %)." when the pump has a baseline. */
async function hiStatus(db: StationDb, pump: string): Promise<string> {
  try {
    const p = await pumpPerformance(db, { pump });
    const worst = [...p.parameters].sort((a, b) => b.severity - a.severity)[0];
    const deviation =
      worst?.deviation === null || worst?.deviation === undefined
        ? ''
        : `, ${worst.parameter} ${worst.deviation > 0 ? '+' : ''}${worst.deviation.toFixed(1)} %`;
    return ` Against its baseline (ANSI/HI 14.6, grade ${p.grade}): ${p.status ?? 'no data'}${deviation}.`;
  } catch {
    return ''; // no baseline: the SQL answer stands alone
  }
}

export { INTENTS };
