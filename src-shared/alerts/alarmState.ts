import type { AlertRow } from '../api/contract';
import { severityRank } from './rule';

// An alarm's ISA-18.2 state, one definition for every page (issue 34): the Alerts console, the
// Overview's banner and pump tiles, the navigation badge. Each state has its own mark and words,
// so it never rests on colour alone.

export type AlarmState = 'unacknowledged' | 'acknowledged' | 'returned' | 'shelved' | 'out-of-service' | 'cleared';

type AlarmFields = Pick<AlertRow, 'resolved_at' | 'acknowledged_by' | 'shelved_until' | 'out_of_service'>;

export function alarmState(a: AlarmFields): AlarmState {
  if (a.out_of_service) return 'out-of-service';
  if (a.shelved_until) return 'shelved';
  const active = a.resolved_at === null;
  if (active) return a.acknowledged_by ? 'acknowledged' : 'unacknowledged';
  return a.acknowledged_by ? 'cleared' : 'returned';
}

/** Its mark and words, and its place in the console (the one needing the operator first). */
export const ALARM_STATES: Record<AlarmState, { mark: string; text: string; rank: number }> = {
  unacknowledged: { mark: '◆', text: 'unack', rank: 0 },
  acknowledged: { mark: '◇', text: 'ack', rank: 1 },
  returned: { mark: '○', text: 'returned unack', rank: 2 },
  shelved: { mark: '⏸', text: 'shelved', rank: 3 },
  'out-of-service': { mark: '⊘', text: 'out of service', rank: 4 },
  cleared: { mark: '✓', text: 'cleared', rank: 5 },
};

/** Sounding: active and neither shelved nor out of service (what the banner and badge count). */
export const sounding = (a: AlarmFields) => {
  const state = alarmState(a);
  return state === 'unacknowledged' || state === 'acknowledged';
};

/** The console's default order: priority, then state, then newest first. */
export function alarmOrder(a: AlarmFields & Pick<AlertRow, 'severity' | 'timestamp'>, b: typeof a): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    ALARM_STATES[alarmState(a)].rank - ALARM_STATES[alarmState(b)].rank ||
    b.timestamp.localeCompare(a.timestamp)
  );
}
