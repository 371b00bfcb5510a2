import { useCallback, useMemo, useState } from 'react';
import { CSS_PALETTE } from '../../src-shared/charts/palette';
import { dailyLineChart, hourlyProfileChart, perPumpDailyChart } from '../../src-shared/charts/stationCharts';
import { overviewTags } from '../../src-shared/station/model';
import { ErrorNote, Panel } from '../components/Panel';
import { PlotFigure } from '../components/PlotFigure';
import { useStationZone } from '../components/StationTime';
import { TimeChart } from '../components/TimeChart';
import { fmt, toDate, toNaiveMinute } from '../format';
import { useApi } from '../useApi';

const COLORS = ['var(--accent)', 'var(--accent-2)', '#8e24aa', '#ef6c00', '#c62828', '#558b2f'];
const PRESETS = [
  { label: '24 h', hours: 24 },
  { label: '7 days', hours: 168 },
  { label: '30 days', hours: 720 },
  { label: 'All', hours: null },
] as const;

function Trends() {
  const columns = useApi('analytics.columns', {});
  const model = useApi('station.config', {}).data;
  const zone = useStationZone();
  // Until the user picks signals: the station's level and flow.
  const [picked, setTags] = useState<string[] | null>(null);
  const tags = picked ?? (model ? overviewTags(model) : []);
  const [range, setRange] = useState<[Date, Date] | null>(null);
  const first = columns.data?.first ? toDate(columns.data.first) : null;
  const last = columns.data?.last ? toDate(columns.data.last) : null;
  const domain: [Date, Date] | null =
    range ?? (first && last ? [new Date(Math.max(+first, +last - 7 * 86400_000)), last] : null);
  const series = useApi(
    'station.series',
    domain
      ? { tags, from: toNaiveMinute(domain[0]), to: toNaiveMinute(domain[1]), width: 1400 }
      : { tags, lastHours: 168, width: 1400 },
  );
  const onZoom = useCallback((r: [Date, Date]) => setRange(r), []);
  const data = useMemo(
    () => new Map((series.data?.series ?? []).map((s) => [s.tag, s.points.map((p) => ({ t: toDate(p.t), v: p.v }))])),
    [series.data],
  );

  if (columns.error) return <ErrorNote message={columns.error.message} />;
  if (!domain || !first || !last) return <p className="muted">No readings yet: import a historian export.</p>;
  const span = +domain[1] - +domain[0];
  const shift = (fraction: number) => {
    const delta = span * fraction;
    const start = Math.max(+first, Math.min(+last - span, +domain[0] + delta));
    setRange([new Date(start), new Date(start + span)]);
  };
  const zoomOut = () => {
    const mid = (+domain[0] + +domain[1]) / 2;
    setRange([new Date(Math.max(+first, mid - span)), new Date(Math.min(+last, mid + span))]);
  };
  const toggle = (tag: string) =>
    setTags(tags.includes(tag) ? tags.filter((x) => x !== tag) : [...tags, tag].slice(-6));

  return (
    <Panel
      title="Trends"
      actions={
        <div className="toolbar">
          {PRESETS.map((p) => (
            <button
              key={p.label}
              type="button"
              onClick={() =>
                setRange(
                  p.hours === null ? [first, last] : [new Date(Math.max(+first, +last - p.hours * 3600_000)), last],
                )
              }
            >
              {p.label}
            </button>
          ))}
          <button type="button" onClick={() => shift(-0.5)} aria-label="Pan back">
            ◀
          </button>
          <button type="button" onClick={() => shift(0.5)} aria-label="Pan forward">
            ▶
          </button>
          <button type="button" onClick={zoomOut}>
            Zoom out
          </button>
        </div>
      }
    >
      <div className="trends">
        <fieldset className="tag-picker">
          <legend>Signals</legend>
          {(['tag', 'derived'] as const).map((group) => (
            <div key={group}>
              <div className="small muted">{group === 'tag' ? 'PLC tags' : 'Derived'}</div>
              {columns.data?.columns
                .filter((c) => c.group === group)
                .map((c) => (
                  <label key={c.name} className="check">
                    <input type="checkbox" checked={tags.includes(c.name)} onChange={() => toggle(c.name)} /> {c.name}
                  </label>
                ))}
            </div>
          ))}
        </fieldset>
        <div className="trend-charts" aria-busy={series.loading}>
          <p className="small muted" data-testid="trend-range">
            {toNaiveMinute(domain[0])} → {toNaiveMinute(domain[1])} ({zone}) · drag across a chart to zoom
          </p>
          {series.error && <ErrorNote message={series.error.message} />}
          {tags.map((tag, i) => (
            <TimeChart
              key={tag}
              data={data.get(tag) ?? []}
              domain={domain}
              label={tag}
              color={COLORS[i % COLORS.length]}
              onZoom={onZoom}
            />
          ))}
          <table className="data compact" aria-label="Range statistics">
            <thead>
              <tr>
                <th>Signal</th>
                <th>Min</th>
                <th>Max</th>
                <th>Points drawn</th>
              </tr>
            </thead>
            <tbody>
              {tags.map((tag) => {
                const values = (data.get(tag) ?? []).map((p) => p.v);
                return (
                  <tr key={tag} data-testid={`stats-${tag}`}>
                    <td>{tag}</td>
                    <td data-testid="min">{values.length ? fmt(Math.min(...values), 2) : '—'}</td>
                    <td data-testid="max">{values.length ? fmt(Math.max(...values), 2) : '—'}</td>
                    <td>{fmt(values.length)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
    </Panel>
  );
}

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
