import { useCallback, useMemo } from 'react';
import { CSS_PALETTE } from '../../src-shared/charts/palette';
import { dailyLineChart, hourlyProfileChart, perPumpDailyChart } from '../../src-shared/charts/stationCharts';
import { ErrorNote, Panel } from '../components/Panel';
import { PlotFigure } from '../components/PlotFigure';
import { fmt, toDate } from '../format';
import { useApi } from '../useApi';
import { Trends } from './analytics/Trends';

function DailyCharts() {
  const daily = useApi('analytics.daily', {});
  const model = useApi('station.config', {}).data;
  const d = daily.data;
  const days = useMemo(() => (d?.days ?? []).map((x) => ({ ...x, day: toDate(x.date) })), [d]);
  const perPump = useCallback(
    (key: 'hours_on' | 'starts') => {
      const pumps = model?.pumps.map((p) => p.id) ?? [];
      return days.flatMap((x) => pumps.map((pump) => ({ day: x.day, pump, value: x[key][pump] ?? 0 })));
    },
    [days, model],
  );
  const line = useCallback(
    (y: 'energy_per_m3' | 'peak_kwh_share', label: string, percent = false) =>
      (width: number) =>
        dailyLineChart(
          days.map((x) => ({ day: x.day, value: x[y] })),
          label,
          CSS_PALETTE,
          width,
          { percent },
        ),
    [days],
  );
  const pumpRows = useCallback(
    (key: 'hours_on' | 'starts', label: string) => (width: number) =>
      perPumpDailyChart(perPump(key), label, CSS_PALETTE, width),
    [perPump],
  );
  const hourly = useCallback((width: number) => hourlyProfileChart(d?.hourly ?? [], CSS_PALETTE, width), [d]);
  if (daily.error) return <ErrorNote message={daily.error.message} />;
  if (!d) return null;
  const recent = [...d.days].reverse().slice(0, 14);
  return (
    <>
      <Panel title="Daily summary">
        <div className="grid-2">
          <PlotFigure label="Energy per m³ per day" options={line('energy_per_m3', '↑ kWh per m³')} />
          <PlotFigure
            label="Share of energy used in peak tariff hours"
            options={line('peak_kwh_share', '↑ peak-hour share of kWh (%)', true)}
          />
          <PlotFigure label="Pump hours per day" options={pumpRows('hours_on', 'hours')} />
          <PlotFigure label="Pump starts per day" options={pumpRows('starts', 'starts')} />
        </div>
        <table className="data compact" aria-label="Recent days">
          <thead>
            <tr>
              <th>Day</th>
              <th>Energy (kWh)</th>
              <th>Pumped (m³)</th>
              <th>kWh/m³</th>
              <th>Peak share</th>
              <th>Starts</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((x) => (
              <tr key={x.date} data-testid={`day-${x.date}`}>
                <td>{x.date}</td>
                <td data-testid="kwh">{fmt(x.total_kwh, 1)}</td>
                <td data-testid="m3">{fmt(x.total_flow, 1)}</td>
                <td data-testid="kwh-per-m3">{fmt(x.energy_per_m3, 3)}</td>
                <td>{x.peak_kwh_share === null ? '—' : `${fmt(x.peak_kwh_share * 100, 1)} %`}</td>
                <td data-testid="starts">{fmt(Object.values(x.starts).reduce((a, b) => a + b, 0))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title="Hourly profile (average day; peak tariff hours in amber)">
        <PlotFigure label="Average flow by hour of day" options={hourly} />
      </Panel>
    </>
  );
}

export function AnalyticsPage() {
  return (
    <div className="page analytics">
      <header className="page-head">
        <div>
          <h1>Analytics</h1>
          <p className="muted">
            Any signal over any range, downsampled on the server (M4) so a year draws at once and keeps every spike.
          </p>
        </div>
      </header>
      <Trends />
      <DailyCharts />
    </div>
  );
}
