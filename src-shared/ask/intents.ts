import { type AskContext, onlyOpen, type Period, periodOf, pumpOf, severityOf } from './slots';

// Plain-language questions about the station, answered offline: each intent recognises its
// questions from their words, fills its slots (pump, period, severity), writes the SQL (shown
// to the engineer, run in the read-only sandbox) and words the answer from the rows. Seed 002
// §12's six examples and what engineers ask around them; anything else gets the list of what
// can be asked, never a guess.

export type Row = Record<string, unknown>;

export interface Intent {
  id: string;
  /** An example question, for the list shown when a question is not understood. */
  example: string;
  matches(q: string): boolean;
  /** The SQL, or a reason it cannot be asked of this station (no pump named, no data). */
  plan(q: string, ctx: AskContext): { sql: string; period: Period | null; pump: string | null } | { refusal: string };
  answer(rows: Row[], plan: { period: Period | null; pump: string | null }, ctx: AskContext): string;
  /** How the rows chart best: a bar per category, or a line over time (none: a single figure). */
  chart?: { x: string; y: string; kind: 'bar' | 'line' };
}

const str = (s: string) => `'${s.replace(/'/g, "''")}'`;
const col = (s: string) => `"${s.replace(/"/g, '""')}"`;
const num = (v: unknown, digits = 1) =>
  typeof v === 'number' && Number.isFinite(v)
    ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '—';
const between = (p: Period) => `date BETWEEN ${str(p.from)} AND ${str(p.to)}`;
/** "today", "this week", "on 2025-03-04": as a phrase after a verb. */
const when = (p: Period | null) => p?.words ?? '';

/** The period or, without data, the reason. */
function needPeriod(q: string, ctx: AskContext, fallback: 'today' | 'all' = 'today') {
  return periodOf(q, ctx, fallback);
}

const NO_DATA = { refusal: 'there is no data yet: import a historian export first' };

/** The plan of an intent asked over a period: the period named (else today, or all data), then its SQL. */
function overPeriod(
  sql: (period: Period, ctx: AskContext) => string,
  options: { fallback?: 'today' | 'all'; pumps?: boolean } = {},
): Intent['plan'] {
  return (q, ctx) => {
    const period = needPeriod(q, ctx, options.fallback);
    if (!period || (options.pumps && ctx.pumps.length === 0)) return NO_DATA;
    return { period, pump: null, sql: sql(period, ctx) };
  };
}

export const INTENTS: Intent[] = [
  {
    id: 'energy-compare',
    example: 'Compare energy this month vs last month',
    matches: (q) =>
      /\b(energy|kwh|consum|electric|power use)/.test(q) && /\b(compare|vs\.?|versus|against|than)\b/.test(q),
    plan(q, ctx) {
      if (!ctx.lastDay) return NO_DATA;
      const weeks = /\bweek/.test(q);
      const now = periodOf(weeks ? 'this week' : 'this month', ctx) as Period;
      const before = periodOf(weeks ? 'last week' : 'last month', ctx) as Period;
      return {
        period: now,
        pump: null,
        sql: `SELECT ${str(now.words)} AS period, sum(total_kwh) AS kwh, count(*) AS days FROM daily_summary WHERE ${between(now)}
UNION ALL
SELECT ${str(before.words)}, sum(total_kwh), count(*) FROM daily_summary WHERE ${between(before)}`,
      };
    },
    answer(rows) {
      const [now, before] = rows;
      if (!now || !before || before.kwh === null)
        return `There is no data for ${before?.period ?? 'the earlier period'} to compare with.`;
      // Per day, so a month still running compares fairly with a whole one.
      const perDay = (r: Row) => Number(r.kwh) / Math.max(1, Number(r.days));
      const change = ((perDay(now) - perDay(before)) / perDay(before)) * 100;
      return `Energy ${now.period}: ${num(now.kwh)} kWh over ${now.days} days (${num(perDay(now))} kWh a day); ${before.period}: ${num(before.kwh)} kWh over ${before.days} days (${num(perDay(before))} kWh a day): ${change >= 0 ? '+' : ''}${num(change)} % a day.`;
    },
    chart: { x: 'period', y: 'kwh', kind: 'bar' },
  },
  {
    id: 'ran-most',
    example: 'Which pump ran most this week?',
    matches: (q) =>
      /\b(which|what)\b.*\bpumps?\b.*\b(ran|run|running|worked|on)\b.*\b(most|longest|least)\b|\bmost (run|running)\b|\blongest\b.*\bpump/.test(
        q,
      ),
    plan: overPeriod(
      (period) => `SELECT pump, round(sum(duration_min) / 60.0, 2) AS hours, count(*) AS runs FROM pump_sessions
WHERE ${between(period)} GROUP BY pump ORDER BY hours DESC`,
    ),
    answer(rows, { period }) {
      if (rows.length === 0) return `No pump ran ${when(period)}.`;
      const [top, ...rest] = rows;
      return `${top.pump} ran most ${when(period)}: ${num(top.hours, 2)} h in ${top.runs} runs${rest.length ? `; next ${rest[0].pump} with ${num(rest[0].hours, 2)} h` : ''}.`;
    },
    chart: { x: 'pump', y: 'hours', kind: 'bar' },
  },
  {
    id: 'energy-per-m3',
    example: 'What was the energy per m³ this week?',
    matches: (q) => /\b(energy|kwh)\b.*\b(per|\/)\s*(m3|m³|cubic|cubic met)/.test(q) || /\bspecific energy\b/.test(q),
    plan: overPeriod(
      (
        period,
      ) => `SELECT sum(total_kwh) AS kwh, sum(total_flow) AS m3, sum(total_kwh) / nullif(sum(total_flow), 0) AS kwh_per_m3
FROM daily_summary WHERE ${between(period)}`,
    ),
    answer: ([row], { period }) =>
      row?.kwh_per_m3 == null
        ? `No pumped volume is logged ${when(period)}.`
        : `Energy per m³ ${when(period)}: ${num(row.kwh_per_m3, 3)} kWh/m³ (${num(row.kwh)} kWh for ${num(row.m3)} m³).`,
  },
  {
    id: 'energy',
    example: "What is today's total energy consumption?",
    matches: (q) => /\b(energy|kwh|consum|electricity|power use|used)\b/.test(q),
    plan: overPeriod(
      (period) => `SELECT sum(total_kwh) AS kwh, count(*) AS days FROM daily_summary WHERE ${between(period)}`,
    ),
    answer: ([row], { period }) =>
      row?.kwh == null
        ? `No energy is logged ${when(period)}.`
        : `Energy ${when(period)}: ${num(row.kwh)} kWh${Number(row.days) > 1 ? ` over ${row.days} days` : ''}.`,
  },
  {
    id: 'alerts-per-rule',
    example: 'How many alerts per rule this month?',
    matches: (q) =>
      /\balerts?\b/.test(q) && /\b(per|by|each)\s+rule\b|\bwhich rules?\b|\bmost (common|frequent)\b/.test(q),
    plan: overPeriod(
      (period) =>
        `SELECT rule, count(*) AS alerts FROM alerts_log WHERE ${between(period)} GROUP BY rule ORDER BY alerts DESC, rule`,
      { fallback: 'all' },
    ),
    answer(rows, { period }) {
      if (rows.length === 0) return `No alert was raised ${when(period)}.`;
      const total = rows.reduce((s, r) => s + Number(r.alerts), 0);
      return `${total} alerts ${when(period)} from ${rows.length} rules; most from ${rows
        .slice(0, 3)
        .map((r) => `${r.rule} (${r.alerts})`)
        .join(', ')}.`;
    },
    chart: { x: 'rule', y: 'alerts', kind: 'bar' },
  },
  {
    id: 'alerts',
    example: 'Show recent critical alerts',
    matches: (q) => /\b(alerts?|alarms?)\b/.test(q),
    plan(q, ctx) {
      const named = periodOf(q, ctx, 'all');
      if (!named) return NO_DATA;
      // "Recent" with no period named: the last 7 days of data.
      const period =
        /\b(today|yesterday|week|month|days?|\d{4}-\d{2}-\d{2}|in [a-z]+)\b/.test(q) ||
        !/\brecent|latest|last\b/.test(q)
          ? named
          : (periodOf('last 7 days', ctx) as Period);
      const pump = pumpOf(q, ctx);
      const severity = severityOf(q);
      const filters = [
        between(period),
        severity ? `severity = ${str(severity)}` : null,
        onlyOpen(q) ? 'resolved = 0' : null,
        pump ? `pump = ${str(pump)}` : null,
      ].filter(Boolean);
      return {
        period,
        pump,
        sql: `SELECT strftime(timestamp, '%Y-%m-%d %H:%M') AS raised, rule, severity, pump, message,
       CASE WHEN resolved = 1 THEN strftime(resolved_at, '%Y-%m-%d %H:%M') END AS cleared
FROM alerts_log WHERE ${filters.join(' AND ')} ORDER BY timestamp DESC LIMIT 50`,
      };
    },
    answer(rows, { period, pump }, _ctx) {
      if (rows.length === 0) return `No such alert ${when(period)}${pump ? ` for ${pump}` : ''}.`;
      const open = rows.filter((r) => r.cleared === null).length;
      const latest = rows[0];
      return `${rows.length}${rows.length === 50 ? '+' : ''} alerts ${when(period)}${pump ? ` for ${pump}` : ''}, ${open} still open; the latest ${latest.raised}: ${latest.rule} ${latest.severity}${latest.pump ? ` ${latest.pump}` : ''}, ${latest.message}.`;
    },
  },
  {
    id: 'degrading',
    example: 'Is pump 3 degrading?',
    matches: (q) => /\b(degrad|wear|worn|efficien|health|deteriorat|getting worse)/.test(q),
    plan(q, ctx) {
      const pump = pumpOf(q, ctx);
      if (!pump) return { refusal: `name the pump (${ctx.pumps.join(', ')})` };
      if (!ctx.lastDay) return NO_DATA;
      return {
        period: null,
        pump,
        sql: `SELECT strftime(date, '%Y-%m-%d') AS day, efficiency_slope_7d, avg_flow_per_kwh, health_score, total_runtime_min
FROM pump_health WHERE pump = ${str(pump)} ORDER BY date DESC LIMIT 14`,
      };
    },
    answer(rows, { pump }) {
      const latest = rows.find((r) => r.efficiency_slope_7d !== null) ?? rows[0];
      if (!latest) return `${pump} has no health figures yet.`;
      const slope = Number(latest.efficiency_slope_7d);
      const verdict =
        latest.efficiency_slope_7d === null
          ? 'not enough running days for a 7-day efficiency trend'
          : slope < 0
            ? `yes: its m³/kWh falls ${num(Math.abs(slope), 3)} per day over the last 7 days`
            : `no: its m³/kWh holds (${slope >= 0 ? '+' : ''}${num(slope, 3)} per day over the last 7 days)`;
      return `${pump}: ${verdict}; health score ${num(latest.health_score, 0)} on ${latest.day} (${num(latest.avg_flow_per_kwh, 2)} m³/kWh).`;
    },
    chart: { x: 'day', y: 'avg_flow_per_kwh', kind: 'line' },
  },
  {
    id: 'peak-flow',
    example: 'What was the peak flow time today?',
    matches: (q) => /\b(peak|max(imum)?|highest|busiest)\b.*\bflow\b|\bflow\b.*\b(peak|max|highest)\b/.test(q),
    plan: overPeriod(
      (period) => `SELECT strftime(date, '%Y-%m-%d') AS day, peak_flow, peak_flow_hour FROM daily_summary
WHERE ${between(period)} AND peak_flow IS NOT NULL ORDER BY peak_flow DESC, date LIMIT 1`,
    ),
    answer: ([row], { period }) =>
      !row
        ? `No flow is logged ${when(period)}.`
        : `The peak flow ${when(period)} was ${num(row.peak_flow)} m³/h, in the hour from ${String(row.peak_flow_hour).padStart(2, '0')}:00${period && period.from !== period.to ? ` on ${row.day}` : ''}.`,
  },
  {
    id: 'starts',
    example: 'How many starts per pump this week?',
    matches: (q) => /\bstarts?\b|\bstarted\b|\bswitch(ed)? on\b|\bcycles?\b/.test(q),
    plan: overPeriod(
      (period, ctx) =>
        ctx.pumps
          .map(
            (p) =>
              `SELECT ${str(p)} AS pump, coalesce(sum(${col(`${p}_starts`)}), 0) AS starts FROM daily_summary WHERE ${between(period)}`,
          )
          .join('\nUNION ALL\n'),
      { pumps: true },
    ),
    answer(rows, { period }) {
      const sorted = [...rows].sort((a, b) => Number(b.starts) - Number(a.starts));
      const total = rows.reduce((s, r) => s + Number(r.starts), 0);
      return `${total} pump starts ${when(period)}: ${sorted.map((r) => `${r.pump} ${r.starts}`).join(', ')}.`;
    },
    chart: { x: 'pump', y: 'starts', kind: 'bar' },
  },
  {
    id: 'peak-tariff',
    example: 'How many hours did pumps run in peak tariff this week?',
    matches: (q) => /\bpeak\b.*\b(tariff|hours?|price|time)\b|\bon.?peak\b/.test(q) && !/\bflow\b/.test(q),
    plan: overPeriod(
      (period, ctx) =>
        ctx.pumps
          .map(
            (p) =>
              `SELECT ${str(p)} AS pump, round(coalesce(sum(${col(`${p}_on_minutes`)}), 0) / 60.0, 2) AS peak_hours FROM hourly_profile WHERE is_peak_hour = 1 AND ${between(period)}`,
          )
          .join('\nUNION ALL\n'),
      { pumps: true },
    ),
    answer(rows, { period }) {
      const total = rows.reduce((s, r) => s + Number(r.peak_hours), 0);
      const top = [...rows].sort((a, b) => Number(b.peak_hours) - Number(a.peak_hours))[0];
      return `Pumps ran ${num(total, 2)} h in peak tariff hours ${when(period)}${top && Number(top.peak_hours) > 0 ? `, most ${top.pump} (${num(top.peak_hours, 2)} h)` : ''}.`;
    },
    chart: { x: 'pump', y: 'peak_hours', kind: 'bar' },
  },
  {
    id: 'lowest-level',
    example: "What was the tank's lowest level this week?",
    matches: (q) =>
      /\b(lowest|minimum|min|low)\b.*\b(level|tank|well|reservoir)\b|\b(level|tank|well)\b.*\b(lowest|minimum)\b/.test(
        q,
      ),
    plan: overPeriod(
      (period) => `SELECT strftime(date, '%Y-%m-%d') AS day, min_hlt_level AS lowest FROM daily_summary
WHERE ${between(period)} AND min_hlt_level IS NOT NULL ORDER BY min_hlt_level, date LIMIT 1`,
    ),
    answer: ([row], { period }, ctx) =>
      !row
        ? `No level is logged ${when(period)}.`
        : `The ${ctx.kind === 'lift' ? 'wet well' : 'tank'}'s lowest level ${when(period)} was ${num(row.lowest, 2)} ${ctx.levelUnit}${period && period.from !== period.to ? `, on ${row.day}` : ''}.`,
  },
];

/** What can be asked: the examples, for a question not understood. */
export function whatCanBeAsked(): string {
  return `I can answer questions like: ${INTENTS.map((i) => `"${i.example}"`).join('; ')}.`;
}

/** The intent a question asks, or null. */
export function intentOf(question: string): Intent | null {
  const q = question.toLowerCase().replace(/[?!.,;:]+/g, ' ');
  return INTENTS.find((i) => i.matches(q)) ?? null;
}

export const normalise = (question: string) =>
  question
    .toLowerCase()
    .replace(/[?!,;:]+/g, ' ')
    .replace(/\s+/g, ' ');
