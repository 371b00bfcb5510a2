import * as Plot from '@observablehq/plot';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ALARM_STATES, alarmOrder, alarmState } from '../../src-shared/alerts/alarmState';
import { SEVERITIES, severityRank } from '../../src-shared/alerts/rule';
import { type AlertRow, apiParams } from '../../src-shared/api/contract';
import type { ApiErrorValue } from '../../src-shared/api/errors';
import { fieldProblem, numberOf } from '../../src-shared/api/plainIssues';
import { instantInStationTime } from '../../src-shared/station/clock';
import { type NamedSignal, roleSignals } from '../../src-shared/station/model';
import { durationWords } from '../../src-shared/station/realTime';
import { api } from '../api';
import { IsoDateInput } from '../components/IsoDateInput';
import { ErrorNote, Panel, Stat } from '../components/Panel';
import { PlotFigure } from '../components/PlotFigure';
import { StationTime } from '../components/StationTime';
import { TableWrap } from '../components/TableWrap';
import { fmt, toDate, toNaiveMinute } from '../format';
import { savedOperator } from '../operator';
import { useApi } from '../useApi';

const GROUPS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;

function Kpis() {
  const kpis = useApi('alerts.kpis', {});
  const k = kpis.data;
  if (!k) return null;
  return (
    <section className="stats" aria-label="Alarm system KPIs">
      <Stat
        label="Alerts per day"
        value={fmt(k.perDay, 1)}
        testId="kpi-per-day"
        hint={`Per day of readings (${durationWords(k.loggedMinutes)} logged, whatever the rows). EEMUA 191: about 144 a day (1 per 10 min) is manageable`}
      />
      <Stat
        label="10-min periods in flood"
        value={fmt(k.floodPercent, 2)}
        unit="%"
        testId="kpi-flood"
        hint="More than 10 alerts in 10 minutes; good practice is under 1 %"
      />
      <Stat label="Top-10 rules' share" value={fmt(k.top10Share * 100, 0)} unit="%" />
      <Stat label="Chattering" value={fmt(k.chattering)} hint="A rule raised 3 or more times within a minute" />
      <Stat label="Stale (> 24 h)" value={fmt(k.stale)} />
      {SEVERITIES.map((s) => (
        <Stat key={s} label={s} value={fmt(k.bySeverity[s] ?? 0)} testId={`kpi-${s}`} />
      ))}
    </section>
  );
}

/** Signals the series call draws at most at once (the API's limit). */
const MAX_SIGNALS = 32;

/** The alert in a side drawer: every signal its rule reads around the episode, its actions and journal. */
function AlertDrawer({ alert, onDone, onClose }: { alert: AlertRow; onDone: () => void; onClose: () => void }) {
  // The episode and two hours either side, computed once per alert (the chart callback depends on them).
  const { start, end, from, to } = useMemo(() => {
    const start = toDate(alert.timestamp);
    const end = alert.resolved_at ? toDate(alert.resolved_at) : new Date(start.getTime() + 3600_000);
    return { start, end, from: new Date(start.getTime() - 2 * 3600_000), to: new Date(end.getTime() + 2 * 3600_000) };
  }, [alert.timestamp, alert.resolved_at]);
  const model = useApi('station.config', {}).data;
  const zone = model?.timezone;
  const rule = useApi('alerts.catalog', {}).data?.find((r) => r.code === alert.rule);
  const signals = model && rule ? roleSignals(model, rule.roles, alert.pump) : [];
  const drawn = signals.slice(0, MAX_SIGNALS);
  const series = useApi(
    'station.series',
    drawn.length
      ? { tags: drawn.map((s) => s.tag), from: toNaiveMinute(from), to: toNaiveMinute(to), width: 900 }
      : null,
  );
  const journal = useApi('alerts.journal', { rule: alert.rule, pump: alert.pump, timestamp: alert.timestamp });
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const minutesProblem = fieldProblem(apiParams['alerts.act'].shape.minutes.unwrap(), numberOf(minutes));
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const act = async (
    action: 'ack' | 'shelve' | 'unshelve' | 'note',
    extra: { minutes?: number; text?: string } = {},
  ) => {
    setError(null);
    try {
      await api.call('alerts.act', {
        action,
        rule: alert.rule,
        pump: alert.pump,
        timestamp: alert.timestamp,
        ...extra,
        ...(savedOperator() ? { operator: savedOperator() } : {}),
      });
      if (action === 'note') setNote('');
      if (action === 'shelve') setReason('');
      onDone();
    } catch (e) {
      setError(e as ApiErrorValue);
    }
  };
  const chart = useCallback(
    (signal: NamedSignal) => (width: number) => {
      const points = (series.data?.series.find((s) => s.tag === signal.tag)?.points ?? []).map((p) => ({
        t: toDate(p.t),
        v: p.v,
      }));
      return {
        width,
        height: signal.state ? 70 : 120,
        marginLeft: 56,
        x: { type: 'time' as const, domain: [from, to], label: null },
        y: {
          label: `↑ ${signal.name}${signal.unit ? ` (${signal.unit})` : ''}`,
          grid: true,
          ...(signal.state ? { domain: [0, 1], ticks: [0, 1], tickFormat: (d: number) => (d ? 'on' : 'off') } : {}),
        },
        marks: [
          Plot.rectX([{ a: start, b: end }], { x1: 'a', x2: 'b', fill: 'var(--crit)', fillOpacity: 0.12 }),
          // A run signal read against a threshold: the threshold, so running and stopped read at a glance.
          ...(signal.runsAbove === undefined
            ? []
            : [Plot.ruleY([signal.runsAbove], { stroke: 'var(--muted)', strokeDasharray: '4,3' })]),
          // States step; a missing reading leaves a gap instead of a line drawn across it.
          Plot.lineY(points, {
            x: 't',
            y: 'v',
            stroke: 'var(--accent)',
            curve: signal.state ? 'step-after' : 'linear',
          }),
        ],
      } satisfies Plot.PlotOptions;
    },
    [series.data, from, to, start, end],
  );
  const title = `${alert.rule} ${alert.pump ?? ''} · ${alert.message}`;
  return (
    <aside className="drawer" role="dialog" aria-label={title}>
      <header className="panel-head">
        <h2>{title}</h2>
        <button type="button" onClick={onClose} aria-label="Close the alert">
          ✕
        </button>
      </header>
      <p className="small muted">
        {rule ? `${rule.name}. ` : ''}Raised {alert.timestamp}
        {alert.resolved_at ? `, cleared ${alert.resolved_at} (${alert.duration_min} min)` : ', still active'} · value at
        trigger{' '}
        <span data-testid="value-at-trigger">
          {fmt(alert.value_at_trigger, 2)}
          {rule?.valueUnit ? ` ${rule.valueUnit}` : ''}
        </span>{' '}
        · the shaded span is the alert
      </p>
      <div className="form-row">
        <button type="button" className="primary" disabled={!!alert.acknowledged_by} onClick={() => void act('ack')}>
          Acknowledge
        </button>
        {alert.shelved_until && (
          <button type="button" onClick={() => void act('unshelve')}>
            Unshelve
          </button>
        )}
      </div>
      <div className="form-row">
        <label>
          Shelve for{' '}
          <input
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            size={4}
            aria-label="Shelve minutes"
            aria-invalid={minutesProblem ? true : undefined}
            aria-describedby={minutesProblem ? 'shelve-minutes-problem' : undefined}
          />{' '}
          min, because{' '}
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-label="Shelve reason"
            placeholder="why it may stay silent"
            disabled={!!alert.resolved_at}
          />
        </label>
        <button
          type="button"
          disabled={!!alert.resolved_at || !!minutesProblem || !reason.trim()}
          title={alert.resolved_at ? 'Only an active alarm can be shelved: this one has cleared' : undefined}
          onClick={() => void act('shelve', { minutes: Number(numberOf(minutes)), text: reason })}
        >
          Shelve
        </button>
        {minutesProblem && !alert.resolved_at && (
          <span id="shelve-minutes-problem" className="field-error">
            Minutes: {minutesProblem}
          </span>
        )}
        {alert.resolved_at && <span className="muted small">Cleared: only an active alarm can be shelved.</span>}
      </div>
      <div className="form-row">
        <input
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-label="Note"
          placeholder="a note for the journal"
        />
        <button type="button" onClick={() => void act('note', { text: note })}>
          Add note
        </button>
      </div>
      {error && <ErrorNote message={error.message} />}
      <h3>What the rule reads</h3>
      {drawn.map((signal) => (
        <PlotFigure
          key={signal.tag}
          label={`${signal.name} (${signal.tag}) around the alert`}
          options={chart(signal)}
        />
      ))}
      {signals.length > drawn.length && (
        <p className="small muted">
          {signals.length - drawn.length} more signals are not drawn (at most {MAX_SIGNALS} at once).
        </p>
      )}
      <h3>Journal</h3>
      <ul className="journal small" aria-label="Alert journal">
        {(journal.data ?? []).map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the journal is append-only: an entry keeps its place
          <li key={i}>
            {a.at} · {a.user} · {a.action.replaceAll('_', ' ')}
            {a.until ? ` until ${instantInStationTime(a.until, zone)}` : ''}
            {a.text ? `: ${a.text}` : ''}
          </li>
        ))}
        {journal.data?.length === 0 && <li className="muted">No actions yet.</li>}
      </ul>
    </aside>
  );
}

/** The 47 rules, with out-of-service per rule (or rule and pump) and who put it there. */
/** The station's pump ids, for the pump pickers. */
function usePumpIds(): string[] {
  return useApi('station.config', {}).data?.pumps.map((p) => p.id) ?? [];
}

function RuleCatalog() {
  const catalog = useApi('alerts.catalog', {});
  const pumpIds = usePumpIds();
  const applicable = (catalog.data ?? []).filter((r) => r.applicable).length;
  const journal = useApi('alerts.journal', {});
  const [reason, setReason] = useState('');
  const [pump, setPump] = useState('');
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const outOfService = new Map<string, { user: string; text: string | null; pump: string | null }>();
  for (const a of [...(journal.data ?? [])].reverse()) {
    const key = `${a.rule}|${a.pump ?? ''}`;
    if (a.action === 'out_of_service') outOfService.set(key, { user: a.user, text: a.text, pump: a.pump });
    if (a.action === 'return_to_service') outOfService.delete(key);
  }
  const act = async (action: 'out_of_service' | 'return_to_service', rule: string, forPump: string | null) => {
    setError(null);
    try {
      await api.call('alerts.act', {
        action,
        rule,
        pump: forPump,
        text: action === 'out_of_service' ? reason : undefined,
        ...(savedOperator() ? { operator: savedOperator() } : {}),
      });
      journal.reload();
    } catch (e) {
      setError(e as ApiErrorValue);
    }
  };
  return (
    <Panel title={`Rule catalog (${applicable} of ${catalog.data?.length ?? 0} rules apply to this station)`}>
      <details>
        <summary>
          Every rule with its condition, what it reads, delays and operator hint; take a rule out of service
        </summary>
        <div className="form-row">
          <label>
            Reason{' '}
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-label="Out-of-service reason"
              placeholder="e.g. FIT101 replaced, under test"
            />
          </label>
          <select value={pump} onChange={(e) => setPump(e.target.value)} aria-label="Out-of-service pump">
            <option value="">whole rule</option>
            {pumpIds.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </div>
        {error && <ErrorNote message={error.message} />}
        <TableWrap label="Rule catalog table">
          <table className="data compact" aria-label="Rule catalog">
            <thead>
              <tr>
                <th>Rule</th>
                <th>Severity</th>
                <th>Name</th>
                <th>Condition and what it reads</th>
                <th>Delays</th>
                <th>Operator hint</th>
                <th>Service</th>
              </tr>
            </thead>
            <tbody>
              {(catalog.data ?? []).map((r) => {
                const oos = [...outOfService.entries()].filter(([key]) => key.startsWith(`${r.code}|`));
                return (
                  <tr
                    key={r.code}
                    data-testid={`rule-${r.code}`}
                    data-applicable={r.applicable}
                    className={r.applicable ? undefined : 'muted'}
                  >
                    <td>{r.code}</td>
                    <td>
                      <span className={`chip sev-${r.severity}`}>{r.severity}</span>
                    </td>
                    <td className="small">{r.name}</td>
                    <td className="small">
                      {r.condition}
                      <div className="muted" data-testid={`rule-${r.code}-applies`}>
                        reads {r.reads.length ? r.reads.join(', ') : 'the time stamps'}
                        {r.pumps.length > 0 && r.pumps.length < (pumpIds.length || Infinity)
                          ? ` · pumps ${r.pumps.join(', ')}`
                          : ''}{' '}
                        · {r.reason}
                      </div>
                    </td>
                    <td className="small">
                      on {r.onDelayMin} min / off {r.offDelayMin} min
                    </td>
                    <td className="small">{r.hint}</td>
                    <td className="small">
                      {oos.map(([key, o]) => (
                        <div key={key} data-testid="oos">
                          out of service{o.pump ? ` for ${o.pump}` : ''} by {o.user}
                          {o.text ? `: ${o.text}` : ''}{' '}
                          <button type="button" onClick={() => void act('return_to_service', r.code, o.pump)}>
                            Return
                          </button>
                        </div>
                      ))}
                      <button type="button" onClick={() => void act('out_of_service', r.code, pump || null)}>
                        Out of service
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </Panel>
  );
}

type SortKey = 'priority' | 'severity' | 'rule' | 'pump' | 'timestamp' | 'cleared' | 'state';

const COMPARE: Record<SortKey, (a: AlertRow, b: AlertRow) => number> = {
  // The console's default (ISA-18.2): priority, then state (unacknowledged first), then newest.
  priority: alarmOrder,
  severity: (a, b) => severityRank(a.severity) - severityRank(b.severity),
  rule: (a, b) => a.rule.localeCompare(b.rule),
  pump: (a, b) => (a.pump ?? '').localeCompare(b.pump ?? ''),
  timestamp: (a, b) => a.timestamp.localeCompare(b.timestamp),
  // Active alarms (no duration yet) last when ascending: they are the longest so far.
  cleared: (a, b) => (a.duration_min ?? Number.POSITIVE_INFINITY) - (b.duration_min ?? Number.POSITIVE_INFINITY),
  state: (a, b) => ALARM_STATES[alarmState(a)].rank - ALARM_STATES[alarmState(b)].rank,
};
const COLUMNS: Array<[SortKey, string]> = [
  ['severity', 'Severity'],
  ['rule', 'Rule'],
  ['pump', 'Pump'],
  ['timestamp', 'Raised'],
  ['cleared', 'Cleared'],
];
/** The feed shows the newest this many; more are counted, not hidden silently. */
const FEED_LIMIT = 500;

const keyOf = (a: AlertRow) => `${a.rule}|${a.pump}|${a.timestamp}`;

export function AlertsPage() {
  const pumpIds = usePumpIds();
  const zone = useApi('station.config', {}).data?.timezone;
  const [severity, setSeverity] = useState<string[]>(['CRITICAL', 'HIGH', 'WARNING']);
  const [group, setGroup] = useState('');
  const [pump, setPump] = useState('');
  const [openOnly, setOpenOnly] = useState(false);
  const [from, setFrom] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'priority', descending: false });
  const [bulkError, setBulkError] = useState<ApiErrorValue | null>(null);
  const filter = {
    group: group ? [group as (typeof GROUPS)[number]] : undefined,
    pump: pump || undefined,
    openOnly,
    from: from ? `${from} 00:00` : undefined,
  };
  const alerts = useApi('alerts.list', {
    ...filter,
    severity: severity as Array<(typeof SEVERITIES)[number]>,
    limit: FEED_LIMIT,
  });
  const counts = useApi('alerts.counts', filter);
  const matching = severity.reduce((n, s) => n + (counts.data?.[s] ?? 0), 0);
  const rows = useMemo(() => {
    const compare = COMPARE[sort.key];
    return [...(alerts.data ?? [])].sort((a, b) => (sort.descending ? -compare(a, b) : compare(a, b)));
  }, [alerts.data, sort]);
  const current = alerts.data?.find((a) => keyOf(a) === selected) ?? null;
  const unacknowledged = rows.filter((a) => !a.acknowledged_by);
  const toAck = unacknowledged.filter((a) => checked.has(keyOf(a)));
  const reload = () => {
    alerts.reload();
    counts.reload();
  };
  const acknowledgeChecked = async () => {
    setBulkError(null);
    try {
      await api.call('alerts.ackMany', {
        keys: toAck.map((a) => ({ rule: a.rule, pump: a.pump, timestamp: a.timestamp })),
        ...(savedOperator() ? { operator: savedOperator() } : {}),
      });
      setChecked(new Set());
      reload();
    } catch (e) {
      setBulkError(e as ApiErrorValue);
    }
  };
  const toggle = (key: string) =>
    setChecked((set) => {
      const next = new Set(set);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const sortBy = (key: SortKey) =>
    setSort((s) => ({ key, descending: s.key === key ? !s.descending : key === 'timestamp' }));

  return (
    <div className="page alerts">
      <header className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted">
            The station's alarm rules, one episode per alert; acknowledge, shelve and annotate (ISA-18.2).
          </p>
        </div>
      </header>
      <Kpis />
      <Panel title="Alert feed">
        <fieldset className="form-row plain" aria-label="Filters">
          {SEVERITIES.map((s) => (
            <label key={s} className={`sev sev-${s}`}>
              <input
                type="checkbox"
                checked={severity.includes(s)}
                onChange={() => setSeverity((v) => (v.includes(s) ? v.filter((x) => x !== s) : [...v, s]))}
              />{' '}
              {s} (<span data-testid={`count-${s}`}>{counts.data ? fmt(counts.data[s] ?? 0) : '…'}</span>)
            </label>
          ))}
          <select value={group} onChange={(e) => setGroup(e.target.value)} aria-label="Group">
            <option value="">All groups</option>
            {GROUPS.map((g) => (
              <option key={g}>{g}</option>
            ))}
          </select>
          <select value={pump} onChange={(e) => setPump(e.target.value)} aria-label="Pump">
            <option value="">All pumps</option>
            {pumpIds.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
          <label>
            From <IsoDateInput label="From date" value={from} onChange={setFrom} />
          </label>
          <label>
            <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} /> Active only
          </label>
        </fieldset>
        <div className="form-row">
          <button
            type="button"
            className="primary"
            disabled={toAck.length === 0}
            onClick={() => void acknowledgeChecked()}
          >
            Acknowledge selected ({toAck.length})
          </button>
          <StationTime />
          {alerts.data && matching > alerts.data.length && (
            <span className="small warning" data-testid="feed-cap">
              Showing the newest {fmt(alerts.data.length)} of {fmt(matching)}: narrow the filters to see the rest.
            </span>
          )}
        </div>
        {alerts.error && <ErrorNote message={alerts.error.message} />}
        {bulkError && <ErrorNote message={bulkError.message} />}
        <TableWrap label="Alert feed table" className="feed">
          <table className="data" aria-label="Alerts">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label="Select every unacknowledged alert shown"
                    checked={unacknowledged.length > 0 && toAck.length === unacknowledged.length}
                    onChange={(e) => setChecked(new Set(e.target.checked ? unacknowledged.map(keyOf) : []))}
                  />
                </th>
                {COLUMNS.map(([key, label]) => (
                  <th key={key} aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                    <button type="button" className="sort" onClick={() => sortBy(key)}>
                      {label}
                      {sort.key === key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                    </button>
                  </th>
                ))}
                <th>Message</th>
                <th aria-sort={sort.key === 'state' ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="sort" onClick={() => sortBy('state')}>
                    State{sort.key === 'state' ? (sort.descending ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr
                  key={keyOf(a)}
                  className={`sev-row sev-${a.severity} state-${alarmState(a)} ${keyOf(a) === selected ? 'selected' : ''}`}
                  data-testid={`alert-${a.rule}-${a.pump ?? 'station'}`}
                  tabIndex={0}
                  onClick={() => setSelected(keyOf(a))}
                  onKeyDown={(e) => e.key === 'Enter' && setSelected(keyOf(a))}
                >
                  {/* biome-ignore lint/a11y/useKeyWithClickEvents: the click only keeps the row from opening; the checkbox has its own keys */}
                  <td onClick={(e) => e.stopPropagation()}>
                    <input
                      type="checkbox"
                      aria-label={`Select ${a.rule} ${a.pump ?? ''} ${a.timestamp}`}
                      disabled={!!a.acknowledged_by}
                      checked={checked.has(keyOf(a)) && !a.acknowledged_by}
                      onChange={() => toggle(keyOf(a))}
                    />
                  </td>
                  <td>
                    <span className={`chip sev-${a.severity}`}>{a.severity}</span>
                  </td>
                  <td>{a.rule}</td>
                  <td>{a.pump ?? '—'}</td>
                  <td>{a.timestamp}</td>
                  <td>{a.resolved_at ? `${a.resolved_at} (${a.duration_min} min)` : 'active'}</td>
                  <td>{a.message}</td>
                  <td data-testid="state">
                    <span className="state-mark" aria-hidden>
                      {ALARM_STATES[alarmState(a)].mark}{' '}
                    </span>
                    {[
                      alarmState(a) === 'shelved' || alarmState(a) === 'out-of-service'
                        ? ''
                        : a.acknowledged_by
                          ? `ack ${a.acknowledged_by}`
                          : ALARM_STATES[alarmState(a)].text,
                      a.shelved_until ? `shelved until ${instantInStationTime(a.shelved_until, zone)}` : '',
                      a.notes ? `${a.notes} note${a.notes > 1 ? 's' : ''}` : '',
                      a.out_of_service ? 'out of service' : '',
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {alerts.data?.length === 0 && <p className="muted">No alerts match.</p>}
        </TableWrap>
      </Panel>
      {current && <AlertDrawer key={selected} alert={current} onDone={reload} onClose={() => setSelected(null)} />}
      <RuleCatalog />
    </div>
  );
}
