import { useCallback, useState } from 'react';
import type { AnomalyApiSettings } from '../../src-shared/api/contract';
import { anomalyTimelineChart, pumpComparisonChart } from '../../src-shared/charts/edgeCharts';
import { CSS_PALETTE } from '../../src-shared/charts/palette';
import type { AnomalySummary } from '../../src-shared/edge/anomalyStats';
import type { AnomalyPage } from '../../src-shared/edge/payload';
import { api } from '../api';
import { AnomalyApiSettingsForm } from '../components/AnomalyApiSettings';
import { AnomalyTable } from '../components/AnomalyTable';
import { ErrorNote, Panel, Stat } from '../components/Panel';
import { PlotFigure } from '../components/PlotFigure';

type Filters = { pumpId: string; siteId: string; sensorId: string; startDate: string; endDate: string };

function downloadText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Seed 000 AnomalyQueryTool: any compatible anomaly API, filters, pages, statistics, timeline, pumps compared, CSV. */
export function AnomaliesPage() {
  const [ready, setReady] = useState(false);
  const onSaved = useCallback((s: AnomalyApiSettings) => setReady(Boolean(s.url && s.hasToken)), []);
  const [filters, setFilters] = useState<Filters>({ pumpId: '', siteId: '', sensorId: '', startDate: '', endDate: '' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [sortDirection, setSort] = useState<'asc' | 'desc'>('desc');
  const [result, setResult] = useState<AnomalyPage | null>(null);
  const [summary, setSummary] = useState<{ summary: AnomalySummary; csv: string; truncated: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const query = () => {
    const num = (v: string) => (v.trim() === '' ? undefined : Number(v));
    return {
      pumpId: num(filters.pumpId),
      siteId: num(filters.siteId),
      sensorId: num(filters.sensorId),
      startDate: filters.startDate || undefined,
      endDate: filters.endDate || undefined,
    };
  };
  const load = async (toPage = page) => {
    setError(null);
    try {
      const [p, s] = await Promise.all([
        api.call('anomalies.query', { ...query(), page: toPage, pageSize, sortDirection }),
        api.call('anomalies.summary', query()),
      ]);
      setResult(p);
      setSummary(s);
      setPage(toPage);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  // The charts are drawn only once a summary is loaded.
  // biome-ignore lint/style/noNonNullAssertion: drawn only with a summary
  const timeline = useCallback((w: number) => anomalyTimelineChart(summary!.summary, CSS_PALETTE, w), [summary]);
  // biome-ignore lint/style/noNonNullAssertion: drawn only with a summary
  const pumps = useCallback((w: number) => pumpComparisonChart(summary!.summary, CSS_PALETTE, w), [summary]);
  const pages = result ? Math.max(1, Math.ceil(result.total / result.take)) : 1;
  const filter = (name: keyof Filters, label: string, type = 'text') => (
    <label>
      {label}
      <input
        type={type}
        value={filters[name]}
        onChange={(e) => setFilters({ ...filters, [name]: e.target.value })}
        aria-label={label}
      />
    </label>
  );

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Anomalies</h1>
          <p className="muted">
            What the edge runners reported, from any compatible anomaly API (PumpDeck's sink or another).
          </p>
        </div>
      </div>
      <Panel title="API">
        <AnomalyApiSettingsForm onSaved={onSaved} />
      </Panel>
      <Panel title="Query">
        <div className="settings-grid">
          {filter('pumpId', 'Pump id')}
          {filter('siteId', 'Site id')}
          {filter('sensorId', 'Sensor id')}
          {filter('startDate', 'From (ISO time)')}
          {filter('endDate', 'To (ISO time)')}
          <label>
            Order
            <select
              value={sortDirection}
              onChange={(e) => setSort(e.target.value as 'asc' | 'desc')}
              aria-label="Order"
            >
              <option value="desc">newest first</option>
              <option value="asc">oldest first</option>
            </select>
          </label>
          <label>
            Page size
            <select value={pageSize} onChange={(e) => setPageSize(Number(e.target.value))} aria-label="Page size">
              {[10, 25, 50, 100].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
        </div>
        <div className="form-row">
          <button type="button" className="primary" onClick={() => load(1)} disabled={!ready}>
            Query
          </button>
          {summary && (
            <button type="button" onClick={() => downloadText('anomalies.csv', summary.csv)}>
              Export CSV
            </button>
          )}
        </div>
        {error && <ErrorNote message={error} />}
      </Panel>
      {summary && (
        <Panel title="Summary">
          <div className="stats">
            <Stat
              label="Anomalies"
              value={String(summary.summary.total)}
              testId="anomaly-total"
              hint={summary.truncated ? 'the first 20,000' : undefined}
            />
            <Stat label="From" value={summary.summary.range.start ?? '—'} />
            <Stat label="To" value={summary.summary.range.end ?? '—'} />
            {Object.entries(summary.summary.byStatus).map(([status, n]) => (
              <Stat key={status} label={status} value={String(n)} testId={`status-${status}`} />
            ))}
          </div>
          <p className="muted small">
            By pump:{' '}
            {Object.entries(summary.summary.byPump)
              .map(([k, n]) => `${k}: ${n}`)
              .join(', ')}{' '}
            · by site:{' '}
            {Object.entries(summary.summary.bySite)
              .map(([k, n]) => `${k}: ${n}`)
              .join(', ')}{' '}
            · by sensor:{' '}
            {Object.entries(summary.summary.bySensor)
              .map(([k, n]) => `${k}: ${n}`)
              .join(', ')}
          </p>
          <div className="grid-2">
            <PlotFigure options={timeline} label="Anomalies per day by status" />
            <PlotFigure options={pumps} label="Pumps compared" />
          </div>
        </Panel>
      )}
      {result && (
        <Panel title={`Anomalies ${result.skip + 1}–${result.skip + result.items.length} of ${result.total}`}>
          <AnomalyTable items={result.items} label="Anomalies table" testId="anomalies" />
          <div className="form-row">
            <button type="button" onClick={() => load(page - 1)} disabled={page <= 1}>
              Previous
            </button>
            <span>
              page {page} of {pages}
            </span>
            <button type="button" onClick={() => load(page + 1)} disabled={page >= pages}>
              Next
            </button>
          </div>
        </Panel>
      )}
    </div>
  );
}
