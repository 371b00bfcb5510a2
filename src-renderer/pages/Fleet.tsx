import { useCallback, useEffect, useState } from 'react';
import type { AnomalyApiSettings } from '../../src-shared/api/contract';
import { siteTrendChart } from '../../src-shared/charts/edgeCharts';
import { CSS_PALETTE } from '../../src-shared/charts/palette';
import type { FleetAnswer, SiteSummary } from '../../src-shared/edge/fleet';
import type { AnomalyPage } from '../../src-shared/edge/payload';
import { api } from '../api';
import { AnomalyApiSettingsForm } from '../components/AnomalyApiSettings';
import { AnomalyTable } from '../components/AnomalyTable';
import { ErrorNote, Panel, Stat } from '../components/Panel';
import { PlotFigure } from '../components/PlotFigure';
import { TableWrap } from '../components/TableWrap';

// Every site reporting to the anomaly API, the worst first (issue 33): a silent site (no
// heartbeat within the stale limit, or never) before a failing one (its runner says it is not
// ok), each said in words and a mark, not colour alone. A site opens its anomalies and a trend of
// the values it reported.

const STATE_TEXT: Record<SiteSummary['state'], string> = {
  silent: '■ silent',
  failing: '▲ failing',
  ok: 'ok',
};

const sum = (s: SiteSummary) => s.perDay.reduce((n, d) => n + d.count, 0);

function SiteDetail({ siteId }: { siteId: number }) {
  const [page, setPage] = useState<AnomalyPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPage(null);
    api
      .call('anomalies.query', { siteId, page: 1, pageSize: 1000, sortDirection: 'desc' })
      .then(setPage, (e: Error) => setError(e.message));
  }, [siteId]);
  // biome-ignore lint/style/noNonNullAssertion: drawn only with a page
  const trend = useCallback((w: number) => siteTrendChart(page!.items, CSS_PALETTE, w), [page]);
  return (
    <Panel title={`Site ${siteId}`}>
      {error && <ErrorNote message={error} />}
      {page && page.total === 0 && <p className="muted">Site {siteId} has reported no anomaly.</p>}
      {page && page.total > 0 && (
        <>
          <p className="muted small" data-testid="site-total">
            {page.total} anomalies{page.total > page.items.length ? ` (the newest ${page.items.length} drawn)` : ''}
          </p>
          <PlotFigure options={trend} label={`Values reported by site ${siteId}`} />
          <AnomalyTable
            items={page.items.slice(0, 50)}
            label={`Anomalies of site ${siteId}`}
            testId="site-anomalies"
            showSite={false}
          />
        </>
      )}
    </Panel>
  );
}

export function FleetPage() {
  const [ready, setReady] = useState(false);
  const [fleet, setFleet] = useState<FleetAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setFleet(await api.call('anomalies.sites', {}));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  // Loaded when the saved API is read and again each time it is saved.
  const onSaved = useCallback(
    (s: AnomalyApiSettings) => {
      const usable = Boolean(s.url && s.hasToken);
      setReady(usable);
      if (usable) void load();
    },
    [load],
  );
  const count = (state: SiteSummary['state']) => fleet?.sites.filter((s) => s.state === state).length ?? 0;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Fleet</h1>
          <p className="muted">
            Every site reporting to the anomaly API: silent and failing sites first, then by how long they have been
            quiet.
          </p>
        </div>
        <button type="button" onClick={() => void load()} disabled={!ready}>
          Refresh
        </button>
      </div>
      <Panel title="API">
        <AnomalyApiSettingsForm onSaved={onSaved} />
      </Panel>
      {error && <ErrorNote message={error} />}
      {fleet && (
        <Panel title={`${fleet.sites.length} sites`}>
          <div className="stats">
            <Stat
              label="Silent"
              value={String(count('silent'))}
              testId="fleet-silent"
              hint={`no heartbeat in ${fleet.staleMinutes} min`}
            />
            <Stat label="Failing" value={String(count('failing'))} testId="fleet-failing" />
            <Stat label="OK" value={String(count('ok'))} testId="fleet-ok" />
          </div>
          <TableWrap label="Sites">
            <table className="data" data-testid="fleet">
              <thead>
                <tr>
                  <th>Site</th>
                  <th>State</th>
                  <th>Last heartbeat</th>
                  <th>Last report</th>
                  <th>Waiting</th>
                  <th>Set aside</th>
                  <th>Anomalies, 7 days</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {fleet.sites.map((s) => (
                  <tr key={s.siteId} className={`fleet-${s.state}${open === s.siteId ? ' selected' : ''}`}>
                    <td>
                      <button type="button" className="link" onClick={() => setOpen(s.siteId)}>
                        Site {s.siteId}
                      </button>
                    </td>
                    <td>
                      <span className={`chip fleet-state-${s.state}`}>{STATE_TEXT[s.state]}</span>
                    </td>
                    <td>{s.heartbeatAt ?? 'never'}</td>
                    <td>{s.lastReportAt ?? '—'}</td>
                    <td>{s.health?.spooled ?? '—'}</td>
                    <td>{s.health?.rejected ?? '—'}</td>
                    <td title={s.perDay.map((d) => `${d.day}: ${d.count}`).join('\n')}>{sum(s)}</td>
                    <td>{s.health && !s.health.ok ? (s.health.reason ?? 'not ok') : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </Panel>
      )}
      {open !== null && <SiteDetail siteId={open} />}
    </div>
  );
}
