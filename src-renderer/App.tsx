import { useEffect, useState } from 'react';
import { sounding } from '../src-shared/alerts/alarmState';
import { connectionState, onConnectionState } from './api';
import { setHourCycle, useHourCycle } from './clock';
import { ConnectionBanner } from './components/ConnectionBanner';
import { ReportDialog } from './components/ReportDialog';
import { StationTime } from './components/StationTime';
import { setOperator, useOperator } from './operator';
import { AlertsPage } from './pages/Alerts';
import { AnalyticsPage } from './pages/Analytics';
import { AnomaliesPage } from './pages/Anomalies';
import { ConsolePage } from './pages/Console';
import { EdgePage } from './pages/Edge';
import { FleetPage } from './pages/Fleet';
import { ImportPage } from './pages/Import';
import { ModelsPage } from './pages/Models';
import { OverviewPage } from './pages/Overview';
import { PlanningPage } from './pages/Planning';
import { PumpsPage } from './pages/Pumps';
import { useTheme } from './theme';
import { useApi } from './useApi';

const PAGES = [
  { id: 'overview', title: 'Overview', key: '1', render: () => <OverviewPage /> },
  { id: 'alerts', title: 'Alerts', key: '2', render: () => <AlertsPage /> },
  { id: 'pumps', title: 'Pumps', key: '3', render: () => <PumpsPage /> },
  { id: 'models', title: 'Models', key: '4', render: () => <ModelsPage /> },
  { id: 'analytics', title: 'Analytics', key: '5', render: () => <AnalyticsPage /> },
  { id: 'planning', title: 'Forecast & schedule', key: '0', render: () => <PlanningPage /> },
  { id: 'edge', title: 'Edge export', key: '6', render: () => <EdgePage /> },
  { id: 'anomalies', title: 'Anomalies', key: '7', render: () => <AnomaliesPage /> },
  { id: 'fleet', title: 'Fleet', key: null, render: () => <FleetPage /> },
  { id: 'import', title: 'Import', key: '8', render: () => <ImportPage /> },
  { id: 'console', title: 'Console', key: '9', render: () => <ConsolePage /> },
] as const;
type PageId = (typeof PAGES)[number]['id'];

function pageFromHash(): PageId {
  const id = window.location.hash.replace(/^#\/?/, '').split('?')[0];
  return (PAGES.find((p) => p.id === id)?.id ?? 'overview') as PageId;
}

export function App() {
  const [page, setPage] = useState<PageId>(pageFromHash);
  const [theme, toggleTheme] = useTheme();
  const [conn, setConn] = useState(connectionState());
  const [reporting, setReporting] = useState(false);
  const operator = useOperator();
  const cycle = useHourCycle();
  const info = useApi('app.info', {});
  const open = useApi('alerts.list', { openOnly: true, severity: ['CRITICAL', 'HIGH'], limit: 1000 });

  useEffect(() => onConnectionState(setConn), []);
  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    // Alt+1..9 switch pages, as in most operator consoles.
    const onKey = (event: KeyboardEvent) => {
      const target = PAGES.find((p) => event.altKey && p.key === event.key);
      if (target) window.location.hash = `#/${target.id}`;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const current = PAGES.find((p) => p.id === page) ?? PAGES[0];
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Pages">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            ◉
          </span>
          PumpDeck
        </div>
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a
                href={`#/${p.id}`}
                aria-current={p.id === page ? 'page' : undefined}
                title={p.key ? `Alt+${p.key}` : undefined}
              >
                {p.title}
                {p.id === 'alerts' && !!open.data?.filter(sounding).length && (
                  <span
                    className="alert-badge"
                    data-testid="nav-alert-badge"
                    title="Active CRITICAL and HIGH alarms, shelved and out-of-service ones aside"
                  >
                    {open.data.filter(sounding).length}
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <button type="button" onClick={() => setReporting(true)}>
            Report…
          </button>
          <button
            type="button"
            className="ghost"
            onClick={toggleTheme}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
          <label className="operator small">
            Operator{' '}
            <input
              aria-label="Operator"
              defaultValue={operator}
              placeholder={info.data?.user ?? ''}
              maxLength={60}
              onBlur={(e) => setOperator(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
              title="Alarm actions are journaled under this name (empty: your computer's user name)"
            />
          </label>
          <label className="small">
            <input type="checkbox" checked={cycle === 24} onChange={(e) => setHourCycle(e.target.checked ? 24 : 12)} />{' '}
            24-hour clock
          </label>
          <StationTime />
          <div className="muted small" data-testid="project-path" title={info.data?.project?.dbPath}>
            {info.data?.project
              ? `${info.data.project.isDemo ? 'Demo · ' : ''}${info.data.project.dbPath.split(/[\\/]/).pop()}`
              : ''}
          </div>
          <div className={`conn conn-${conn}`}>
            {conn === 'ipc' ? 'Desktop' : conn === 'websocket' ? 'Browser mode' : 'Disconnected'}
          </div>
          <div className="muted small">v{info.data?.version}</div>
        </div>
      </nav>
      <main className="content" id="main">
        <ConnectionBanner state={conn} />
        {current.render()}
      </main>
      {reporting && <ReportDialog onClose={() => setReporting(false)} />}
    </div>
  );
}
