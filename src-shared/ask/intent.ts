import { ident, literal } from '../sql/quote';
import type { AskSignal } from './signals';
import { type AskContext, type Period, periodOf } from './slots';

// What every intent of the Ask box is made of (src-shared/ask/intents.ts lists them): it
// recognises its questions from their words, fills its slots, writes the SQL (shown to the
// engineer, run in the read-only sandbox) and words the answer from the rows.

export type Row = Record<string, unknown>;

/** What an intent understood of a question, beside its SQL. */
export interface Understood {
  period: Period | null;
  pump: string | null;
  /** The signal asked about, a level or value it is compared with, the periods compared, the weekday. */
  signal?: AskSignal;
  threshold?: { value: number; words: string; above: boolean };
  periods?: [Period, Period];
  weekday?: { days: number[]; words: string };
  /** The word the answer uses for what was asked: "peak", "lowest", "first", "last". */
  word?: string;
}

export type Plan = Understood & { sql: string };

export interface Intent {
  id: string;
  /** An example question, for the list shown when a question is not understood. */
  example: string;
  /** Whether the question (normalised) is this intent's; `ctx` knows the station's signals. */
  matches(q: string, ctx?: AskContext): boolean;
  /** The SQL, or a reason it cannot be asked of this station (no pump named, no such signal, no data). */
  plan(q: string, ctx: AskContext): Plan | { refusal: string };
  answer(rows: Row[], understood: Understood, ctx: AskContext): string;
  /** How the rows chart best: a bar per category, or a line over time (none: a single figure). */
  chart?: { x: string; y: string; kind: 'bar' | 'line' };
}

export const str = literal;
export const col = ident;
export const num = (v: unknown, digits = 1) =>
  typeof v === 'number' && Number.isFinite(v)
    ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '—';
export const between = (p: Period) => `date BETWEEN ${str(p.from)} AND ${str(p.to)}`;
/** "today", "this week", "on 2025-03-04": as a phrase after a verb. */
export const when = (p: Period | null) => p?.words ?? '';

export const NO_DATA = { refusal: 'there is no data yet: import a historian export first' };

/** The plan of an intent asked over a period: the period named (else today, or all data), then its SQL. */
export function overPeriod(
  sql: (period: Period, ctx: AskContext) => string,
  options: { fallback?: 'today' | 'all'; pumps?: boolean } = {},
): Intent['plan'] {
  return (q, ctx) => {
    const period = periodOf(q, ctx, options.fallback);
    if (!period || (options.pumps && ctx.pumps.length === 0)) return NO_DATA;
    return { period, pump: null, sql: sql(period, ctx) };
  };
}
