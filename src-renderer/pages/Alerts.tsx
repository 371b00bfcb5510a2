import * as Plot from '@observablehq/plot';
import { useCallback, useMemo, useState } from 'react';
import type { AlertRow } from '../../src-shared/api/contract';
import type { ApiErrorValue } from '../../src-shared/api/errors';
import { overviewTags, pumpKwTag } from '../../src-shared/station/model';
import { api } from '../api';
import { ErrorNote, Panel, Stat } from '../components/Panel';
import { PlotFigure } from '../components/PlotFigure';
import { fmt, toDate, toNaiveMinute } from '../format';
import { savedOperator } from '../operator';
import { useApi } from '../useApi';

const SEVERITIES = ['CRITICAL', 'HIGH', 'WARNING', 'INFO'] as const;
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
        hint="EEMUA 191: about 144 a day (1 per 10 min) is manageable"
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

function AlertDetail({ alert, onDone }: { alert: AlertRow; onDone: () => void }) {
  // The episode and two hours either side, computed once per alert (the chart callback depends on them).
  const { start, end, from, to } = useMemo(() => {
    const start = toDate(alert.timestamp);
    const end = alert.resolved_at ? toDate(alert.resolved_at) : new Date(start.getTime() + 3600_000);
    return { start, end, from: new Date(start.getTime() - 2 * 3600_000), to: new Date(end.getTime() + 2 * 3600_000) };
  }, [alert.timestamp, alert.resolved_at]);
  const model = useApi('station.config', {}).data;
  const kw = model ? pumpKwTag(model, alert.pump) : undefined;
  const tags = model ? [...overviewTags(model), ...(kw ? [kw] : [])] : [];
  const series = useApi('station.series', { tags, from: toNaiveMinute(from), to: toNaiveMinute(to), width: 900 });
  const journal = useApi('alerts.journal', { rule: alert.rule, pump: alert.pump, timestamp: alert.timestamp });
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [error, setError] = useState<ApiErrorValue | null>(null);
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
    (tag: string) => (width: number) => {
      const points = (series.data?.series.find((s) => s.tag === tag)?.points ?? []).map((p) => ({
        t: toDate(p.t),
        v: p.v,
      }));
      return {
        width,
        height: 130,
        marginLeft: 56,
        x: { type: 'time' as const, domain: [from, to], label: null },
        y: { label: `↑ ${tag}`, grid: true },
        marks: [
          Plot.rectX([{ a: start, b: end }], { x1: 'a', x2: 'b', fill: 'var(--crit)', fillOpacity: 0.12 }),
          Plot.lineY(points, { x: 't', y: 'v', stroke: 'var(--accent)' }),
        ],
      } satisfies Plot.PlotOptions;
    },
    [series.data, from, to, start, end],
  );
  return (
    <Panel title={`${alert.rule} ${alert.pump ?? ''} · ${alert.message}`} className="alert-detail">
      <p className="small muted">
        Raised {alert.timestamp}
        {alert.resolved_at ? `, cleared ${alert.resolved_at} (${alert.duration_min} min)` : ', still active'} · value at
        trigger {fmt(alert.value_at_trigger, 2)} · the shaded span is the alert
      </p>
      {tags.map((tag) => (
        <PlotFigure key={tag} label={`${tag} around the alert`} options={chart(tag)} />
      ))}
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
          <input value={minutes} onChange={(e) => setMinutes(e.target.value)} size={4} aria-label="Shelve minutes" />{' '}
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
          disabled={!!alert.resolved_at}
          title={alert.resolved_at ? 'Only an active alarm can be shelved: this one has cleared' : undefined}
          onClick={() => void act('shelve', { minutes: Number(minutes), text: reason })}
        >
          Shelve
        </button>
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
      <h3>Journal</h3>
      <ul className="journal small" aria-label="Alert journal">
        {(journal.data ?? []).map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the journal is append-only: an entry keeps its place
          <li key={i}>
            {a.at} · {a.user} · {a.action.replaceAll('_', ' ')}
            {a.until ? ` until ${a.until}` : ''}
            {a.text ? `: ${a.text}` : ''}
          </li>
        ))}
        {journal.data?.length === 0 && <li className="muted">No actions yet.</li>}
      </ul>
    </Panel>
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
        <table className="data compact">
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
                  <td>{r.name}</td>
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
      </details>
    </Panel>
  );
}

export function AlertsPage() {
  const pumpIds = usePumpIds();
  const [severity, setSeverity] = useState<string[]>(['CRITICAL', 'HIGH', 'WARNING']);
  const [group, setGroup] = useState('');
  const [pump, setPump] = useState('');
  const [openOnly, setOpenOnly] = useState(false);
  const [from, setFrom] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const alerts = useApi('alerts.list', {
    severity: severity as Array<(typeof SEVERITIES)[number]>,
    group: group ? [group as (typeof GROUPS)[number]] : undefined,
    pump: pump || undefined,
    openOnly,
    from: from ? `${from} 00:00` : undefined,
    limit: 500,
  });
  const keyOf = (a: AlertRow) => `${a.rule}|${a.pump}|${a.timestamp}`;
  const current = alerts.data?.find((a) => keyOf(a) === selected) ?? null;
  const counts = Object.fromEntries(
    SEVERITIES.map((s) => [s, (alerts.data ?? []).filter((a) => a.severity === s).length]),
  );

  return (
    <div className="page alerts">
      <header className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted">
            The 47 rules of seed 002, one episode per alert; acknowledge, shelve and annotate (ISA-18.2).
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
              {s} ({counts[s]})
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
            From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From date" />
          </label>
          <label>
            <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} /> Active only
          </label>
        </fieldset>
        {alerts.error && <ErrorNote message={alerts.error.message} />}
        <div className="table-wrap feed">
          <table className="data" aria-label="Alerts">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Rule</th>
                <th>Pump</th>
                <th>Raised</th>
                <th>Cleared</th>
                <th>Message</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {(alerts.data ?? []).map((a) => (
                <tr
                  key={keyOf(a)}
                  className={`sev-row sev-${a.severity} ${keyOf(a) === selected ? 'selected' : ''}`}
                  data-testid={`alert-${a.rule}-${a.pump ?? 'station'}`}
                  tabIndex={0}
                  onClick={() => setSelected(keyOf(a))}
                  onKeyDown={(e) => e.key === 'Enter' && setSelected(keyOf(a))}
                >
                  <td>
                    <span className={`chip sev-${a.severity}`}>{a.severity}</span>
                  </td>
                  <td>{a.rule}</td>
                  <td>{a.pump ?? '—'}</td>
                  <td>{a.timestamp}</td>
                  <td>{a.resolved_at ? `${a.resolved_at} (${a.duration_min} min)` : 'active'}</td>
                  <td>{a.message}</td>
                  <td data-testid="state">
                    {[
                      a.acknowledged_by ? `ack ${a.acknowledged_by}` : 'unack',
                      a.shelved_until ? `shelved until ${a.shelved_until}` : '',
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
        </div>
      </Panel>
      {current && <AlertDetail key={selected} alert={current} onDone={alerts.reload} />}
      <RuleCatalog />
    </div>
  );
}
