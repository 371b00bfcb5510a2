import type { AlertAction, AlertKey } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import type { StationDb } from '../db/stationDb';

// ISA-18.2 lifecycle on top of alerts_log: acknowledge, shelve for a time with a reason, notes,
// and out-of-service per rule (or rule and pump). Every action is kept with who and when. Actions
// are keyed by rule, pump and raise time, which survive a rerun of the engine (ids do not).

const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

export interface ActionRequest extends Partial<AlertKey> {
  rule: string;
  action: AlertAction['action'];
  minutes?: number;
  text?: string;
}

export async function recordAction(
  db: StationDb,
  request: ActionRequest,
  user: string,
  now: number,
): Promise<AlertAction> {
  const perAlert =
    request.action === 'ack' ||
    request.action === 'shelve' ||
    request.action === 'unshelve' ||
    request.action === 'note';
  if (perAlert && !request.timestamp)
    throw new ApiError('invalid_params', `${request.action} needs the alert's timestamp`);
  if (perAlert) {
    const found = await db.one<{ cleared: string | null }>(
      `SELECT strftime(resolved_at, '%Y-%m-%d %H:%M:%S') AS cleared FROM alerts_log
       WHERE rule = ? AND pump IS NOT DISTINCT FROM ? AND timestamp = ?::TIMESTAMP`,
      [request.rule, request.pump ?? null, request.timestamp ?? null],
    );
    const name = `${request.rule}${request.pump ? ` ${request.pump}` : ''}`;
    if (!found) throw new ApiError('not_found', `no alert ${name} at ${request.timestamp}`);
    // Shelving silences an alarm that is sounding; one that has cleared has nothing to silence.
    if (request.action === 'shelve' && found.cleared)
      throw new ApiError('bad_input', `only an active alarm can be shelved: ${name} cleared at ${found.cleared}`);
  }
  if (request.action === 'shelve' && !(request.minutes && request.minutes > 0))
    throw new ApiError('invalid_params', 'shelving needs a time in minutes');
  if (
    (request.action === 'shelve' || request.action === 'out_of_service' || request.action === 'note') &&
    !request.text?.trim()
  ) {
    throw new ApiError('invalid_params', `${request.action === 'note' ? 'a note needs text' : 'give a reason'}`);
  }
  const action: AlertAction = {
    at: stamp(now),
    user: user,
    action: request.action,
    rule: request.rule,
    pump: request.pump ?? null,
    timestamp: request.timestamp ?? null,
    until: request.action === 'shelve' ? stamp(now + (request.minutes ?? 0) * 60_000) : null,
    text: request.text?.trim() || null,
  };
  await db.run(`INSERT INTO alert_actions VALUES (?::TIMESTAMP, ?, ?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?)`, [
    action.at,
    action.user,
    action.action,
    action.rule,
    action.pump,
    action.timestamp,
    action.until,
    action.text,
  ]);
  return action;
}

export async function journal(db: StationDb, key?: Partial<AlertKey> & { rule?: string }): Promise<AlertAction[]> {
  const filters: string[] = [];
  const params: string[] = [];
  if (key?.rule) {
    filters.push('rule = ?');
    params.push(key.rule);
  }
  if (key?.timestamp) {
    filters.push('(alert_time = ?::TIMESTAMP OR alert_time IS NULL)');
    params.push(key.timestamp);
  }
  if (key?.pump !== undefined && key.rule) {
    filters.push('(pump IS NOT DISTINCT FROM ? OR pump IS NULL)');
    params.push(key.pump as string);
  }
  return db.all<AlertAction & Record<string, unknown>>(
    `SELECT strftime(acted_at, '%Y-%m-%d %H:%M:%S') AS at, user_name AS "user", action, rule, pump, strftime(alert_time, '%Y-%m-%d %H:%M:%S') AS timestamp,
            strftime(until, '%Y-%m-%d %H:%M:%S') AS until, text
     FROM alert_actions ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY acted_at DESC, rowid DESC`,
    params,
  );
}

/** The lifecycle state of each alert in `rows` (acknowledged, shelved, out of service, notes) at `now`. */
export async function lifecycleStates(
  db: StationDb,
  now: number,
): Promise<
  Map<string, { ack: AlertAction | null; shelvedUntil: string | null; notes: number; outOfService: AlertAction | null }>
> {
  const actions = await journal(db);
  const states = new Map<
    string,
    { ack: AlertAction | null; shelvedUntil: string | null; notes: number; outOfService: AlertAction | null }
  >();
  const oos = new Map<string, AlertAction | null>();
  const nowText = stamp(now);
  for (const a of [...actions].reverse()) {
    if (a.action === 'out_of_service' || a.action === 'return_to_service') {
      oos.set(`${a.rule}|${a.pump ?? '*'}`, a.action === 'out_of_service' ? a : null);
      continue;
    }
    const key = `${a.rule}|${a.pump ?? ''}|${a.timestamp}`;
    const state = states.get(key) ?? { ack: null, shelvedUntil: null, notes: 0, outOfService: null };
    if (a.action === 'ack') state.ack = a;
    if (a.action === 'shelve') state.shelvedUntil = a.until !== null && a.until > nowText ? a.until : null;
    if (a.action === 'unshelve') state.shelvedUntil = null;
    if (a.action === 'note') state.notes++;
    states.set(key, state);
  }
  // Out-of-service applies to every alert of the rule (and pump, when given).
  for (const [scope, action] of oos)
    if (action) states.set(`oos|${scope}`, { ack: null, shelvedUntil: null, notes: 0, outOfService: action });
  return states;
}
