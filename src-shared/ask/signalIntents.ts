import { durationWords, intervalWords } from '../station/realTime';
import { between, type Intent, NO_DATA, num, type Plan, type Row, str, type Understood, when } from './intent';
import { type AskSignal, roleNamed, signalOf } from './signals';
import { type AskContext, COMPARING, comparedPeriods, type Period, periodOf, pumpOf, weekdayOf } from './slots';

// Questions about any signal the station logs, in its own words (issue 31): its extremes and when
// they came, its average, its hourly average by weekday, when it last went above or below a limit,
// one period against another, and the price the pumps paid (weighted by their kWh). Every value
// is read from readings_wide in real time: a 15-minute row weighs 15 minutes, never one.

/** Minutes each row stands for. */
const W = 'coalesce(interval_min, 1)';

/** The signal's readings in a period: t, date, hour, day_of_week, w (minutes) and v, missing values left out. */
const readings = (s: AskSignal, period: Period, where = '') =>
  `(SELECT "Timestamp" AS t, date, hour, day_of_week, ${W} AS w, ${s.sql} AS v FROM readings_wide
  WHERE ${between(period)}${where}) AS r WHERE v IS NOT NULL`;

const value = (v: unknown, s: AskSignal) => `${num(v, s.digits)}${s.unit ? ` ${s.unit}` : ''}`;
/** The signal as a sentence's subject: "The wet well level", a raw tag by its own name. */
const subject = (s: AskSignal) => (s.role === 'tag' ? `${s.name[0].toUpperCase()}${s.name.slice(1)}` : `The ${s.name}`);
/** A time in a period: the clock time alone within one day, else the date and time. */
const at = (time: unknown, period: Period | null) =>
  period && period.from === period.to ? String(time).slice(11) : String(time);
/** "(15-minute rows)" on a coarse log, where each value is a row's average. */
const rowsNote = (ctx: AskContext) => (ctx.interval > 1 ? ` (${intervalWords(ctx.interval)} rows)` : '');

const EXTREME_HIGH = /\b(peak|max|maximum|highest|top|biggest|largest|most)\b/;
const EXTREME_LOW = /\b(lowest|min|minimum|least|smallest|bottom)\b/;
const HOURLY = /\b(per hour|by hour|hourly|each hour|every hour|hour by hour|hour of the day)\b/;
const AVERAGE = /\b(average|avg|mean|typical)\b/;
const CROSSING =
  /\b(above|over|exceed\w*|below|under|beneath|drop\w*|fell|fall\w*|went|go|gone|rose|rise\w*|reach\w*|hit)\b/;

/** The signal a question names, or why it cannot be answered here. */
function signalAsked(q: string, ctx: AskContext): { signal: AskSignal; pump: string | null } | { refusal: string } {
  const pump = pumpOf(q, ctx);
  const signal = signalOf(q, ctx.signals, pump);
  if (signal) return { signal, pump };
  const role = roleNamed(q);
  if (pump) return { refusal: `${pump} logs no ${role ?? 'such signal'} of its own in this station's data` };
  return { refusal: `this station's data has no ${role ?? 'such signal'}` };
}

/** Whether a question names a signal this intent could answer about (the station's or a tag). */
const namesSignal = (q: string, ctx: AskContext) => roleNamed(q) !== null || signalOf(q, ctx.signals, null) !== null;

/** A signal question over a period: the signal, the period (else `fallback`), then the SQL. */
function signalPlan(
  fallback: 'today' | 'all',
  build: (signal: AskSignal, period: Period, q: string, ctx: AskContext) => Plan | { refusal: string },
): Intent['plan'] {
  return (q, ctx) => {
    const period = periodOf(q, ctx, fallback);
    if (!period) return NO_DATA;
    const asked = signalAsked(q, ctx);
    if ('refusal' in asked) return asked;
    return build(asked.signal, period, q, ctx);
  };
}

/** The level or value a "when did it go above/below" question names, in the signal's unit. */
function thresholdOf(q: string, s: AskSignal, ctx: AskContext): Understood['threshold'] | { refusal: string } {
  // "Reach" and "hit" take their direction from the limit: reach the stop level is going down to it.
  const above = /\b(above|over|exceed\w*|rose|rise\w*|higher)\b/.test(q)
    ? true
    : /\b(below|under|beneath|drop\w*|fell|fall\w*|lower)\b/.test(q)
      ? false
      : null;
  // Numbers of the signal's name, its pump, or a date are not the threshold.
  const rest = [...s.phrases, ...(s.pump ? [s.pump.toLowerCase()] : [])]
    .reduce((text, p) => text.split(p).join(' '), q)
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, ' ')
    .replace(/\b(last|past|previous)\s+\d+\s+days?\b/g, ' ');
  const number = /(?:^|\s)(-?\d+(?:\.\d+)?)\s*(%|percent)?/.exec(rest);
  const bands = s.role === 'level' ? ctx.bands : null;
  if (number) {
    const raw = Number(number[1]);
    if (number[2] && !bands) return { refusal: `a percentage needs the level's range: give ${s.name} in ${s.unit}` };
    const level = number[2] && bands ? bands.min + (raw / 100) * (bands.max - bands.min) : raw;
    const words = number[2] ? `${num(raw, 0)} % (${value(level, s)})` : value(level, s);
    return { value: level, words, above: above ?? true };
  }
  if (!bands) return { refusal: `say above or below what value of ${s.name}, in ${s.unit || 'its unit'}` };
  const limit = (name: string) => bands.limits.find((l) => l.name === name);
  const named: Array<[RegExp, number | null | undefined, string, boolean]> = [
    [/\b(high high|hh|overflow)\b/, limit('HH')?.level, 'its high-high alarm', true],
    [/\b(low low|ll|empty|dry)\b/, limit('LL')?.level, 'its low-low alarm', false],
    [/\bstop\b/, bands.stop, 'its stop level', false],
    [/\bhigh\b/, bands.high, 'the high end of its operating band', true],
    [/\blow\b/, bands.low, 'the low end of its operating band', false],
  ];
  const found = named.find(([words, level]) => words.test(q) && level !== null && level !== undefined);
  if (!found) return { refusal: `say above or below what: a value in ${s.unit}, or high, low, stop, overflow` };
  const [, level, words, naturally] = found;
  return { value: level as number, words: `${words} (${value(level, s)})`, above: above ?? naturally };
}

export const SIGNAL_INTENTS: Intent[] = [
  {
    id: 'price-paid',
    example: 'What was the average price paid this month?',
    matches: (q) => /\b(price|cost|tariff|rate)\b/.test(q) && /\b(paid|pay|paying|weighted|effective|bought)\b/.test(q),
    plan(q, ctx) {
      const period = periodOf(q, ctx, 'today');
      if (!period) return NO_DATA;
      if (!ctx.price)
        return { refusal: 'the station needs a price signal or a tariff (station.json "price" or "tariff")' };
      return {
        period,
        pump: null,
        sql: `SELECT sum(total_kw * w * p) / nullif(sum(total_kw * w), 0) AS paid, sum(p * w) / nullif(sum(w), 0) AS mean_price,
       sum(total_kw * w) / 60 AS kwh
FROM (SELECT total_kw, ${W} AS w, ${ctx.price.sql} AS p FROM readings_wide WHERE ${between(period)}) AS r
WHERE p IS NOT NULL AND total_kw IS NOT NULL`,
      };
    },
    answer([row], { period }, ctx) {
      const unit = ctx.price?.unit ?? '';
      if (row?.paid == null) return `No energy was bought ${when(period)}.`;
      const below = ((Number(row.mean_price) - Number(row.paid)) / Number(row.mean_price)) * 100;
      return `The pumps paid ${num(row.paid, 2)} ${unit} on average ${when(period)}, weighted by the ${num(row.kwh)} kWh they used; the price averaged ${num(row.mean_price, 2)} ${unit} over the same hours: ${num(Math.abs(below))} % ${below >= 0 ? 'below' : 'above'} it.`;
    },
  },
  {
    id: 'signal-compare',
    example: 'Average inflow this week compared with last week',
    matches: (q, ctx) => COMPARING.test(q) && ctx !== undefined && namesSignal(q, ctx),
    plan(q, ctx) {
      const periods = comparedPeriods(q, ctx);
      if (!periods) return NO_DATA;
      const asked = signalAsked(q, ctx);
      if ('refusal' in asked) return asked;
      const s = asked.signal;
      const stat = EXTREME_HIGH.test(q) ? 'max(v)' : EXTREME_LOW.test(q) ? 'min(v)' : 'sum(v * w) / sum(w)';
      return {
        period: periods[0],
        periods,
        pump: asked.pump,
        signal: s,
        sql: periods
          .map((p) => `SELECT ${str(p.words)} AS period, ${stat} AS value, sum(w) AS minutes FROM ${readings(s, p)}`)
          .join('\nUNION ALL\n'),
      };
    },
    answer(rows, { signal, periods }) {
      const s = signal as AskSignal;
      const [now, before] = rows;
      if (now?.value == null || before?.value == null)
        return `There is no ${s.name} logged ${now?.value == null ? periods?.[0].words : periods?.[1].words} to compare.`;
      const change = ((Number(now.value) - Number(before.value)) / Math.abs(Number(before.value))) * 100;
      return `${subject(s)} ${now.period}: ${value(now.value, s)}; ${before.period}: ${value(before.value, s)}: ${change >= 0 ? '+' : ''}${num(change)} %.`;
    },
    chart: { x: 'period', y: 'value', kind: 'bar' },
  },
  {
    id: 'signal-when',
    example: 'When did the level last go above high?',
    matches: (q, ctx) => /\bwhen\b/.test(q) && CROSSING.test(q) && ctx !== undefined && namesSignal(q, ctx),
    plan: signalPlan('all', (s, period, q, ctx) => {
      const threshold = thresholdOf(q, s, ctx);
      if (!threshold || 'refusal' in threshold) return threshold ?? { refusal: 'say above or below what' };
      const beyond = (x: string) => `${x} ${threshold.above ? '>' : '<'} ${threshold.value}`;
      return {
        period,
        pump: s.pump,
        signal: s,
        threshold,
        word: /\bfirst\b/.test(q) ? 'first' : 'last',
        sql: `WITH s AS (SELECT t, v, w, lag(v) OVER (ORDER BY t) AS prev FROM ${readings(s, period)}),
e AS (SELECT t, v, w, sum(CASE WHEN ${beyond('v')} AND NOT coalesce(${beyond('prev')}, FALSE) THEN 1 ELSE 0 END) OVER (ORDER BY t) AS episode
      FROM s WHERE ${beyond('v')})
SELECT strftime(min(t), '%Y-%m-%d %H:%M') AS crossed, ${threshold.above ? 'max' : 'min'}(v) AS extreme, sum(w) AS minutes, count(*) OVER () AS times
FROM e GROUP BY episode ORDER BY min(t) ${/\bfirst\b/.test(q) ? 'ASC' : 'DESC'} LIMIT 1`,
      };
    }),
    answer([row], { signal, threshold, period, word }, ctx) {
      const s = signal as AskSignal;
      const t = threshold as NonNullable<Understood['threshold']>;
      const side = t.above ? 'above' : 'below';
      if (!row) return `${subject(s)} did not go ${side} ${t.words} ${when(period)}.`;
      const times = Number(row.times);
      return `${subject(s)} ${word} went ${side} ${t.words} at ${row.crossed} and stayed ${side} for ${durationWords(Number(row.minutes))}, ${t.above ? 'reaching' : 'down to'} ${value(row.extreme, s)}${rowsNote(ctx)}; ${times} time${times === 1 ? '' : 's'} ${when(period)}.`;
    },
  },
  {
    id: 'signal-hourly',
    example: 'Average flow per hour on Mondays',
    matches: (q, ctx) => HOURLY.test(q) && ctx !== undefined && namesSignal(q, ctx),
    plan: signalPlan('all', (s, period, q) => {
      const weekday = weekdayOf(q);
      return {
        period,
        pump: s.pump,
        signal: s,
        ...(weekday ? { weekday } : {}),
        sql: `SELECT hour, sum(v * w) / sum(w) AS value, count(DISTINCT date) AS days FROM ${readings(
          s,
          period,
          weekday ? ` AND day_of_week IN (${weekday.days.join(', ')})` : '',
        )}
GROUP BY hour ORDER BY hour`,
      };
    }),
    answer(rows, { signal, weekday, period }) {
      const s = signal as AskSignal;
      if (rows.length === 0)
        return `No ${s.name} is logged ${weekday?.words ?? ''} ${when(period)}.`.replace(/ +/g, ' ');
      // The earliest hour where hours tie.
      const top = [...rows].sort((a, b) => Number(b.value) - Number(a.value))[0];
      const low = [...rows].sort((a, b) => Number(a.value) - Number(b.value))[0];
      const days = Math.max(...rows.map((r) => Number(r.days)));
      const hour = (r: Row) => `${String(r.hour).padStart(2, '0')}:00`;
      return `${subject(s)} by hour ${weekday ? `${weekday.words} ` : ''}(${days} day${days === 1 ? '' : 's'} ${when(period)}): highest ${value(top.value, s)} in the hour from ${hour(top)}, lowest ${value(low.value, s)} from ${hour(low)}.`;
    },
    chart: { x: 'hour', y: 'value', kind: 'line' },
  },
  {
    id: 'signal-extreme',
    example: 'What was the peak inflow this week?',
    matches: (q, ctx) => (EXTREME_HIGH.test(q) || EXTREME_LOW.test(q)) && ctx !== undefined && namesSignal(q, ctx),
    plan: signalPlan('today', (s, period, q) => {
      const low = EXTREME_LOW.test(q) && !EXTREME_HIGH.test(q);
      return {
        period,
        pump: s.pump,
        signal: s,
        word: low ? 'lowest' : /\bpeak\b/.test(q) ? 'peak' : 'highest',
        sql: `SELECT strftime(t, '%Y-%m-%d %H:%M') AS at, v AS value FROM ${readings(s, period)}
ORDER BY v ${low ? 'ASC' : 'DESC'}, t LIMIT 1`,
      };
    }),
    answer([row], { signal, word, period }, ctx) {
      const s = signal as AskSignal;
      if (!row) return `No ${s.name} is logged ${when(period)}.`;
      return `The ${word} ${s.name} ${when(period)} was ${value(row.value, s)}, at ${at(row.at, period)}${rowsNote(ctx)}.`;
    },
  },
  {
    id: 'signal-average',
    example: 'What was the average level yesterday?',
    matches: (q, ctx) => AVERAGE.test(q) && ctx !== undefined && namesSignal(q, ctx),
    plan: signalPlan('today', (s, period) => ({
      period,
      pump: s.pump,
      signal: s,
      sql: `SELECT sum(v * w) / sum(w) AS mean, min(v) AS lowest, max(v) AS highest, sum(w) AS minutes FROM ${readings(s, period)}`,
    })),
    answer([row], { signal, period }, ctx) {
      const s = signal as AskSignal;
      if (row?.mean == null) return `No ${s.name} is logged ${when(period)}.`;
      return `The average ${s.name} ${when(period)} was ${value(row.mean, s)} over ${durationWords(Number(row.minutes))} logged${rowsNote(ctx)}; lowest ${value(row.lowest, s)}, highest ${value(row.highest, s)}.`;
    },
  },
];
