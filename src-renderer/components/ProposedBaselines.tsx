import { useState } from 'react';
import type { Parameter } from '../../src-shared/performance/grades';
import { CLEAR_BEFORE_EVENT_DAYS, PERIOD_GRADE } from '../../src-shared/performance/quietestPeriod';
import { metric } from '../../src-shared/performance/units';
import { api } from '../api';
import { fmt } from '../format';
import { useApi } from '../useApi';
import { ErrorNote, Panel } from './Panel';
import { TableWrap } from './TableWrap';

/**
 * A way forward on a station with no baselines (issue 34): each pump's baseline proposed from the
 * quietest days of its own history, the dates and the logged maintenance they keep clear of
 * stated, taken with one click. On Pumps and on Models.
 */
const inMetric = (parameter: Parameter, value: number | null) => {
  if (value === null) return '—';
  const shown = metric(parameter, value);
  return `${fmt(shown.value, 1)} ${shown.unit}`;
};

export function ProposedBaselines({ onlyMissing = true }: { onlyMissing?: boolean }) {
  const proposals = useApi('performance.proposeBaselines', {});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rows = (proposals.data ?? []).filter((p) => !onlyMissing || !p.hasBaseline);
  const ready = rows.filter((p) => p.period);
  // Nothing to offer (or not known yet): no panel, so a page with baselines is unchanged.
  if (proposals.error) return <ErrorNote message={proposals.error.message} />;
  if (!proposals.data || rows.length === 0) return null;
  const take = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.call('performance.takeProposedBaselines', { pumps: ready.map((p) => p.pump) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const days = rows[0]?.days ?? 7;
  return (
    <Panel title={ready.length ? 'Proposed baselines' : 'Pumps without a baseline'} className="proposed-baselines">
      <p className="muted small">
        No baseline yet for {rows.length === 1 ? 'this pump' : `${rows.length} pumps`}. PumpDeck proposes each from the
        quietest {days} days of its own history: the steadiest flow per kW
        {rows.some((p) => p.source === 'historian')
          ? ' at full speed (the historian logs no head: head and efficiency are not judged)'
          : ''}
        , clear of its logged repairs, failures and overhauls (a period ends at least {CLEAR_BEFORE_EVENT_DAYS} days
        before one and starts a day after). The grade is {PERIOD_GRADE} (a pump's own median is a centre, not a
        guarantee). Check the dates, then take them.
      </p>
      <TableWrap label="Proposed baselines">
        <table className="data" data-testid="proposed-baselines">
          <thead>
            <tr>
              <th>Pump</th>
              <th>Period</th>
              <th className="num">Readings</th>
              <th className="num">Flow</th>
              <th className="num">Power</th>
              <th className="num">Head</th>
              <th className="num" title="Flow per kW's coefficient of variation in the period">
                Spread %
              </th>
              <th>Kept clear of</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.pump} data-testid={`proposal-${p.pump}`}>
                <td>{p.pump}</td>
                {p.period && p.values ? (
                  <>
                    <td>
                      {p.period.from} → {p.period.to}
                    </td>
                    <td className="num">{fmt(p.period.readings)}</td>
                    <td className="num">{inMetric('flow', p.values.flow)}</td>
                    <td className="num">{inMetric('power', p.values.power)}</td>
                    <td className="num">{p.values.head === null ? 'not logged' : inMetric('head', p.values.head)}</td>
                    <td className="num">{fmt(p.period.spreadPct, 1)}</td>
                  </>
                ) : (
                  <td colSpan={6} className="muted">
                    No period serves: {p.reason}
                  </td>
                )}
                <td className="small">
                  {p.events.length
                    ? p.events.map((e) => `${e.kind} ${e.at.slice(0, 10)}`).join(', ')
                    : 'nothing logged'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {ready.length > 0 && (
        <div className="form-row">
          <button
            type="button"
            className="primary"
            onClick={take}
            disabled={busy || ready.length === 0}
            data-testid="take-proposed"
          >
            {busy ? 'Taking…' : `Take the ${ready.length} proposed baseline${ready.length === 1 ? '' : 's'}`}
          </button>
          <span className="muted small">Each can be edited afterwards on the Pumps page.</span>
        </div>
      )}
      {error && <ErrorNote message={error} />}
    </Panel>
  );
}
