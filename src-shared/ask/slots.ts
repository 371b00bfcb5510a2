import type { LevelBands } from '../station/levelBands';
import { addDays } from '../time';
import type { AskSignal } from './signals';

// The slots of a plain-language question: the pump it names, the period, a severity, whether only
// open alerts count. Read from the words alone, deterministic; "today" is the newest day in the
// data (as everywhere in PumpDeck), not the wall clock.

export interface Period {
  from: string;
  to: string;
  /** How the answer names it: "today", "this week", "2025-03-01 to 2025-03-07". */
  words: string;
}

export interface AskContext {
  /** The station model's pump ids, in order. */
  pumps: string[];
  /** The newest day with data (YYYY-MM-DD); null for an empty project. */
  lastDay: string | null;
  firstDay: string | null;
  kind: 'booster' | 'lift';
  levelUnit: string;
  /** The signals a question can name (src-shared/ask/signals.ts). */
  signals: AskSignal[];
  /** The level's limits (its operating band and alarms), null without a level. */
  bands: LevelBands | null;
  /** Minutes a row stands for (1 on minute data, 15 on quarter-hour averages). */
  interval: number;
  /** The price per kWh of each row as SQL and its unit, null when the station has neither price nor tariff. */
  price: { sql: string; unit: string } | null;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Monday of the week of `day`. */
function weekStart(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

function monthStart(day: string): string {
  return `${day.slice(0, 8)}01`;
}

function monthEnd(first: string): string {
  const d = new Date(`${first}T00:00:00Z`);
  return addDays(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10), -1);
}

/** The period a question names, or `fallback` ("today" by default) when it names none. */
export function periodOf(q: string, ctx: AskContext, fallback: 'today' | 'all' = 'today'): Period | null {
  const last = ctx.lastDay;
  if (!last) return null;
  const dates = [...q.matchAll(/\b(\d{4}-\d{2}-\d{2})\b/g)].map((m) => m[1]);
  if (dates.length >= 2) {
    const [from, to] = [dates[0], dates[1]].sort();
    return { from, to, words: `${from} to ${to}` };
  }
  if (dates.length === 1) return { from: dates[0], to: dates[0], words: `on ${dates[0]}` };
  const lastN = /\b(?:last|past|previous)\s+(\d+)\s+days?\b/.exec(q);
  if (lastN) return { from: addDays(last, -(Number(lastN[1]) - 1)), to: last, words: `the last ${lastN[1]} days` };
  if (/\byesterday\b/.test(q)) {
    const day = addDays(last, -1);
    return { from: day, to: day, words: 'yesterday' };
  }
  if (/\btoday\b|\btonight\b|\bthis morning\b/.test(q)) return { from: last, to: last, words: 'today' };
  if (/\blast\s+week\b|\bprevious\s+week\b/.test(q)) {
    const from = addDays(weekStart(last), -7);
    return { from, to: addDays(from, 6), words: 'last week' };
  }
  if (/\b(this|current)\s+week\b|\bweek\b/.test(q)) return { from: weekStart(last), to: last, words: 'this week' };
  if (/\blast\s+month\b|\bprevious\s+month\b/.test(q)) {
    const from = monthStart(addDays(monthStart(last), -1));
    return { from, to: monthEnd(from), words: 'last month' };
  }
  if (/\b(this|current)\s+month\b|\bmonth\b/.test(q)) return { from: monthStart(last), to: last, words: 'this month' };
  const month = MONTHS.findIndex((m) => new RegExp(`\\b(in|during)\\s+${m}\\b`).test(q));
  if (month >= 0) {
    const year = Number(last.slice(0, 4)) - (month + 1 > Number(last.slice(5, 7)) ? 1 : 0);
    const from = `${year}-${String(month + 1).padStart(2, '0')}-01`;
    return { from, to: monthEnd(from), words: `in ${MONTHS[month][0].toUpperCase()}${MONTHS[month].slice(1)}` };
  }
  if (/\b(ever|all time|overall|so far|in total|whole)\b/.test(q) || fallback === 'all')
    return { from: ctx.firstDay ?? last, to: last, words: 'in all the data' };
  return { from: last, to: last, words: 'today' };
}

/** The pump a question names ("pump 3", "P3", "P1.3", "pmp01"), matched against the station's ids. */
export function pumpOf(q: string, ctx: AskContext): string | null {
  const byId = ctx.pumps.find((id) =>
    new RegExp(`(^|[^\\w.])${id.toLowerCase().replace('.', '\\.')}($|[^\\w.])`).test(q),
  );
  if (byId) return byId;
  const m = /\bpump\s*(?:no\.?\s*|number\s*|#\s*)?([a-z]*\s*\d+(?:\.\d+)?)\b/.exec(q);
  if (!m) return null;
  const said = m[1].replace(/\s+/g, '');
  return (
    ctx.pumps.find((id) => id.toLowerCase() === said) ??
    ctx.pumps.find((id) => id.toLowerCase() === `p${said}`) ??
    ctx.pumps.find((id) => id.replace(/\D+/g, '') === said.replace(/\D+/g, '') && /\d/.test(said)) ??
    null
  );
}

export function severityOf(q: string): 'CRITICAL' | 'HIGH' | 'WARNING' | 'INFO' | null {
  if (/\bcritical\b/.test(q)) return 'CRITICAL';
  if (/\bhigh\b/.test(q)) return 'HIGH';
  if (/\bwarnings?\b/.test(q)) return 'WARNING';
  if (/\binfo\b/.test(q)) return 'INFO';
  return null;
}

/** "Open", "unresolved", "active", "still": only alerts not cleared yet. */
export const onlyOpen = (q: string) =>
  /\b(open|unresolved|active|still|ongoing|not (yet )?(cleared|resolved))\b/.test(q);

/** The words that compare two things. */
export const COMPARING = /\b(compare[ds]?|comparing|vs\.?|versus|against|than)\b/;

/** The period of the same kind just before `p`: this month → last month, today → yesterday. */
function periodBefore(p: Period, ctx: AskContext): Period {
  const named: Record<string, string> = { 'this month': 'last month', 'this week': 'last week', today: 'yesterday' };
  const same = named[p.words] ? periodOf(named[p.words], ctx) : null;
  if (same) return same;
  const days = Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000) + 1;
  const to = addDays(p.from, -1);
  const from = addDays(to, -(days - 1));
  return { from, to, words: from === to ? `on ${from}` : `${from} to ${to}` };
}

/**
 * The two periods a comparison names, each side of its comparing word ("this month compared with
 * last month", "yesterday vs today"); one side named is compared with the period before it
 * ("this week against before") or with the current one ("compare energy with last week"); none,
 * this month against last month. Null without data.
 */
export function comparedPeriods(q: string, ctx: AskContext): [Period, Period] | null {
  if (!ctx.lastDay) return null;
  const at = COMPARING.exec(q);
  const [left, right] = at ? [q.slice(0, at.index), q.slice(at.index + at[0].length)] : [q, ''];
  const names = (side: string) => /\b(today|yesterday|week|month|days?|\d{4}-\d{2}-\d{2}|in [a-z]+)\b/.test(side);
  const first = names(left) ? periodOf(left, ctx) : null;
  const second = names(right) ? periodOf(right, ctx) : null;
  if (first && second) return [first, second];
  if (first) return [first, periodBefore(first, ctx)];
  const current = periodOf(
    /\bweek/.test(q) ? 'this week' : /\b(day|today|yesterday)\b/.test(q) ? 'today' : 'this month',
    ctx,
  );
  if (!current) return null;
  return [current, second ?? periodBefore(current, ctx)];
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The weekdays a question names ("on Monday", "on weekdays", "at weekends"), as DuckDB's day_of_week (Sunday 0). */
export function weekdayOf(q: string): { days: number[]; words: string } | null {
  if (/\bweekdays?\b|\bworking days?\b/.test(q)) return { days: [1, 2, 3, 4, 5], words: 'on weekdays' };
  if (/\bweekends?\b/.test(q)) return { days: [0, 6], words: 'at weekends' };
  const day = WEEKDAYS.findIndex((d) => new RegExp(`\\b${d}s?\\b`).test(q));
  if (day < 0) return null;
  return { days: [day], words: `on ${WEEKDAYS[day][0].toUpperCase()}${WEEKDAYS[day].slice(1)}s` };
}
