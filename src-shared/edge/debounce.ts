import { type PumpStatus, statusRank } from '../performance/tolerance';

// Seed 000 should_report_anomaly, with its state kept between runs (an hourly cron starts a new
// process each time; the seed kept it in memory and so reported every hour).

export interface DebounceState {
  /** Per subject (a parameter, a rule): when it was last reported and with what status. */
  subjects: Record<string, { reportedAt: number; status: PumpStatus }>;
}

export type ReportDecision = { report: true; reason: string } | { report: false; reason: string };

/**
 * Normal: nothing to report, and the subject's timer resets. An escalation (a worse status than
 * last reported) bypasses the debounce. Otherwise one report per `debounceMinutes`.
 */
export function shouldReport(
  state: DebounceState,
  subject: string,
  status: PumpStatus,
  now: number,
  debounceMinutes: number,
): ReportDecision {
  const last = state.subjects[subject];
  if (status === 'Normal') {
    delete state.subjects[subject];
    return { report: false, reason: 'status is Normal' };
  }
  if (last && statusRank(status) > statusRank(last.status)) {
    state.subjects[subject] = { reportedAt: now, status };
    return { report: true, reason: `escalated from ${last.status} to ${status}` };
  }
  if (last && now - last.reportedAt < debounceMinutes * 60_000) {
    return {
      report: false,
      reason: `reported ${Math.round((now - last.reportedAt) / 60_000)} min ago (debounce ${debounceMinutes} min)`,
    };
  }
  state.subjects[subject] = { reportedAt: now, status };
  return { report: true, reason: last ? `still ${status} after the debounce` : `new ${status}` };
}
