import { between, col, type Intent, NO_DATA, num, overPeriod, type Row, str, when } from './intent';
import { SIGNAL_INTENTS } from './signalIntents';
import {
  type AskContext,
  COMPARING,
  comparedPeriods,
  onlyOpen,
  type Period,
  periodOf,
  pumpOf,
  severityOf,
} from './slots';

// Plain-language questions about the station, answered offline (src-shared/ask/intent.ts says
// what an intent is). Seed 002 §12's six examples and what engineers ask around them; the
// questions about any signal (src-shared/ask/signalIntents.ts); anything else gets "I do not
// know", never another question's answer.

const STATION_INTENTS: Intent[] = [
  {
    id: 'energy-compare',
    example: 'Compare energy this month vs last month',
    matches: (q) => /\b(energy|kwh|consum|electric|power use)/.test(q) && COMPARING.test(q),
    plan(q, ctx) {
      const periods = comparedPeriods(q, ctx);
      if (!periods) return NO_DATA;
      const [now, before] = periods;
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
    // Hours run in the peak tariff's hours; "the peak price" is the price's highest (signal-extreme).
    matches: (q) =>
      /\b(peak|on.?peak)\b.*\b(tariff|hours?)\b/.test(q) &&
      /\b(hours?|run|ran|running)\b/.test(q) &&
      !/\bflow\b/.test(q),
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
];

/**
 * In the order they are tried: a comparison of energy before one of a signal, the price paid
 * before a signal's extremes, the alerts (whose "high" is a severity) before a level's "high".
 */
export const INTENTS: Intent[] = [
  ...STATION_INTENTS.slice(0, 1),
  ...SIGNAL_INTENTS.slice(0, 2),
  ...STATION_INTENTS.slice(1),
  ...SIGNAL_INTENTS.slice(2),
];

/** An intent's example in the station's own words: its pumps by their ids ("Is P1.3 degrading?"). */
export function exampleFor(intent: Intent, pumps: readonly string[]): string {
  const pump = pumps[2] ?? pumps[0];
  return pump ? intent.example.replace('pump 3', pump) : intent.example;
}

/** What can be asked: the examples in the station's words, for a question not understood. */
export function whatCanBeAsked(pumps: readonly string[] = []): string {
  return `I can answer questions like: ${INTENTS.map((i) => `"${exampleFor(i, pumps)}"`).join('; ')}.`;
}

/** The intent a (normalised) question asks, or null. */
export function intentOf(q: string, ctx?: AskContext): Intent | null {
  return INTENTS.find((i) => i.matches(q, ctx)) ?? null;
}

export const normalise = (question: string) =>
  question
    .toLowerCase()
    .replace(/[?!,;:]+/g, ' ')
    .replace(/\s+/g, ' ');
