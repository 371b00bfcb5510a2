import { useCallback, useEffect, useMemo, useState } from 'react';
import { gapThreshold, runSpells, type TimePoint, withGaps } from '../../../src-shared/charts/stationCharts';
import { lowerBound } from '../../../src-shared/sorted';
import { overviewTags } from '../../../src-shared/station/model';
import type { TagInfo } from '../../../src-shared/station/tagCatalog';
import { clockDateTime, HOUR_MS, MINUTE_MS } from '../../../src-shared/time';
import { useHourCycle } from '../../clock';
import { IsoDateInput } from '../../components/IsoDateInput';
import { ErrorNote, Panel } from '../../components/Panel';
import { useStationZone } from '../../components/StationTime';
import { type Episode, type Marker, type Trace, TrendChart } from '../../components/TrendChart';
import { fmt, toDate, toNaiveMinute } from '../../format';
import { hashParams, setHashParams } from '../../hashState';
import { useApi } from '../../useApi';

// The trend tool (issue 18): find a signal by name, description or unit; overlay signals of one
// unit on one axis; states as lanes; a crosshair that reads every trace at one time; gaps left as
// gaps; an absolute range in the station's time; alarm episodes and maintenance marked; the range
// and the signals in the URL.

const COLORS = ['var(--accent)', 'var(--accent-2)', '#8e24aa', '#ef6c00', '#c62828', '#558b2f', '#00838f', '#6d4c41'];
const PRESETS = [
  { label: '24 h', hours: 24 },
  { label: '7 days', hours: 168 },
  { label: '30 days', hours: 720 },
  { label: 'All', hours: null },
] as const;
/** Signals drawn at once: the series call's limit, said on the page rather than applied silently. */
const MAX_TRACES = 32;
/** Pixel columns the server down-samples each trace to. */
const SERIES_WIDTH = 1400;

const minuteText = (d: Date) => toNaiveMinute(d).replace(' ', 'T');
const fromMinuteText = (text: string) => (text ? toDate(`${text.replace('T', ' ')}:00`) : null);

/** The range and signals the URL carries, if any. */
function urlState(): { tags: string[] | null; range: [Date, Date] | null } {
  const params = hashParams();
  const tags = params.getAll('tag');
  const from = fromMinuteText(params.get('from') ?? '');
  const to = fromMinuteText(params.get('to') ?? '');
  return { tags: tags.length ? tags : null, range: from && to && from < to ? [from, to] : null };
}

/** A trace's value at `t`: its last point at or before it (`times` its points' ms), unless a gap lies between. */
function valueAt(points: TimePoint[], times: Float64Array, t: Date, maxStepMs: number): number | null {
  const found = lowerBound(times, Math.floor(+t) + 1) - 1;
  if (found < 0 || +t - times[found] > maxStepMs) return null;
  return points[found].v;
}

function matches(info: TagInfo, query: string): boolean {
  const q = query.trim().toLowerCase();
  return !q || [info.label, info.name, info.description, info.unit ?? ''].some((s) => s.toLowerCase().includes(q));
}

function SignalPicker({
  catalog,
  picked,
  onToggle,
}: {
  catalog: TagInfo[];
  picked: string[];
  onToggle: (name: string) => void;
}) {
  const [query, setQuery] = useState('');
  const shown = catalog
    .filter((c) => picked.includes(c.name) || matches(c, query))
    .sort(
      (a, b) =>
        Number(picked.includes(b.name)) - Number(picked.includes(a.name)) ||
        a.group.localeCompare(b.group) * -1 ||
        a.label.localeCompare(b.label),
    );
  const full = picked.length >= MAX_TRACES;
  return (
    <fieldset className="tag-picker">
      <legend>Signals</legend>
      <input
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="name, description or unit"
        aria-label="Search signals"
      />
      <p className="small muted" data-testid="picked-count">
        {picked.length} of at most {MAX_TRACES} signals drawn
        {full ? ': clear one to add another' : ''}
      </p>
      {shown.map((c) => (
        <label key={c.name} className="check" title={`${c.name}: ${c.description}`}>
          <input
            type="checkbox"
            checked={picked.includes(c.name)}
            disabled={full && !picked.includes(c.name)}
            onChange={() => onToggle(c.name)}
          />{' '}
          {c.label}
          {c.unit ? <span className="muted"> ({c.unit})</span> : ''}
          {c.label !== c.name && <span className="muted small"> · {c.name}</span>}
        </label>
      ))}
      {shown.length === 0 && <p className="small muted">No signal matches “{query}”.</p>}
    </fieldset>
  );
}

/** A minute of the data's range, typed in station time. */
function MinuteInput({
  label,
  value,
  onChange,
  bounds,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  bounds: [Date, Date];
}) {
  return (
    <label title={`data ${minuteText(bounds[0]).replace('T', ' ')} → ${minuteText(bounds[1]).replace('T', ' ')}`}>
      {label} <IsoDateInput withTime label={label} value={value} onChange={onChange} />
    </label>
  );
}

// Long because the tool's state (signals, range, hover) and its toolbar, charts and readout table read top to bottom.
export function Trends() {
  const columns = useApi('analytics.columns', {});
  const model = useApi('station.config', {}).data;
  const zone = useStationZone();
  const cycle = useHourCycle();
  const initial = useMemo(urlState, []);
  const [picked, setPicked] = useState<string[] | null>(initial.tags);
  const tags = useMemo(() => (picked ?? (model ? overviewTags(model) : [])).slice(0, MAX_TRACES), [picked, model]);
  const [range, setRange] = useState<[Date, Date] | null>(initial.range);
  const [hover, setHover] = useState<Date | null>(null);
  const firstText = columns.data?.first ?? null;
  const lastText = columns.data?.last ?? null;
  const [first, last] = useMemo(
    () => [firstText ? toDate(firstText) : null, lastText ? toDate(lastText) : null],
    [firstText, lastText],
  );
  const domain = useMemo<[Date, Date] | null>(
    () => range ?? (first && last ? [new Date(Math.max(+first, +last - 7 * 24 * HOUR_MS)), last] : null),
    [range, first, last],
  );
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  useEffect(() => {
    if (!domain) return;
    setFromText(minuteText(domain[0]));
    setToText(minuteText(domain[1]));
  }, [domain]);
  useEffect(() => {
    const params = new URLSearchParams();
    if (range) {
      params.set('from', minuteText(range[0]));
      params.set('to', minuteText(range[1]));
    }
    for (const tag of picked ?? []) params.append('tag', tag);
    setHashParams(params);
  }, [picked, range]);

  const span = domain ? { from: toNaiveMinute(domain[0]), to: toNaiveMinute(domain[1]) } : null;
  const series = useApi(
    'station.series',
    tags.length === 0
      ? null
      : span
        ? { tags, ...span, width: SERIES_WIDTH }
        : { tags, lastHours: 168, width: SERIES_WIDTH },
  );
  const alerts = useApi('alerts.list', span ? { ...span, limit: 500 } : { limit: 1 });
  const maintenance = useApi('maintenance.list', {});
  const onZoom = useCallback((r: [Date, Date]) => setRange(r), []);
  const info = useMemo(() => new Map((columns.data?.columns ?? []).map((c) => [c.name, c])), [columns.data]);

  // The server's M4 buckets: the range over the pixel columns asked for.
  const bucketMs = domain ? (+domain[1] - +domain[0]) / SERIES_WIDTH : 0;
  const traces = useMemo(() => {
    return tags.map((tag, i) => {
      const raw = (series.data?.series.find((s) => s.tag === tag)?.points ?? []).map((p) => ({
        t: toDate(p.t),
        v: p.v,
      }));
      const gap = gapThreshold(raw, Math.max(2 * MINUTE_MS, 3 * bucketMs));
      const meta = info.get(tag);
      const label = meta?.label ?? tag;
      return {
        key: tag,
        label,
        color: COLORS[i % COLORS.length],
        raw,
        times: Float64Array.from(raw, (p) => +p.t),
        gap,
        points: withGaps(raw, gap),
        spells: meta?.state ? runSpells(label, raw, 0.5, gap) : undefined,
        unit: meta?.unit ?? null,
        state: meta?.state ?? false,
      };
    });
  }, [series.data, tags, info, bucketMs]);
  const episodes: Episode[] = useMemo(
    () =>
      domain
        ? (alerts.data ?? []).map((a) => ({
            from: toDate(a.timestamp),
            to: a.resolved_at ? toDate(a.resolved_at) : domain[1],
            label: `${a.rule} ${a.pump ?? ''}`,
          }))
        : [],
    [alerts.data, domain],
  );
  // Only the events in the range: one before it would be drawn left of the plot, over the page (issue 34).
  const markers: Marker[] = useMemo(
    () =>
      (maintenance.data ?? [])
        .map((m) => ({ t: toDate(m.at), label: `${m.pump} ${m.kind}` }))
        .filter((m) => domain !== null && m.t >= domain[0] && m.t <= domain[1]),
    [maintenance.data, domain],
  );
  // One chart per unit (a unitless signal alone), the states together as lanes.
  const groups = useMemo(() => {
    const byUnit = new Map<string, typeof traces>();
    for (const t of traces.filter((x) => !x.state)) {
      const key = t.unit ?? `(no unit) ${t.key}`;
      byUnit.set(key, [...(byUnit.get(key) ?? []), t]);
    }
    return [...byUnit.entries()];
  }, [traces]);
  const states = traces.filter((t) => t.state);

  if (columns.error) return <ErrorNote message={columns.error.message} />;
  if (!domain || !first || !last) return <p className="muted">No readings yet: import a historian export.</p>;
  const width = +domain[1] - +domain[0];
  const shift = (fraction: number) => {
    const start = Math.max(+first, Math.min(+last - width, +domain[0] + width * fraction));
    setRange([new Date(start), new Date(start + width)]);
  };
  const zoomOut = () => {
    const mid = (+domain[0] + +domain[1]) / 2;
    setRange([new Date(Math.max(+first, mid - width)), new Date(Math.min(+last, mid + width))]);
  };
  const toggle = (tag: string) => setPicked(tags.includes(tag) ? tags.filter((x) => x !== tag) : [...tags, tag]);
  const typed = [fromMinuteText(fromText), fromMinuteText(toText)] as const;
  const typedValid = typed[0] !== null && typed[1] !== null && typed[0] < typed[1];

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
                  p.hours === null ? [first, last] : [new Date(Math.max(+first, +last - p.hours * HOUR_MS)), last],
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
        <SignalPicker catalog={columns.data?.columns ?? []} picked={tags} onToggle={toggle} />
        <div className="trend-charts" aria-busy={series.loading}>
          <div className="form-row">
            <MinuteInput label="From" value={fromText} onChange={setFromText} bounds={[first, last]} />
            <MinuteInput label="To" value={toText} onChange={setToText} bounds={[first, last]} />
            <button
              type="button"
              disabled={!typedValid}
              onClick={() => typed[0] && typed[1] && setRange([typed[0], typed[1]])}
            >
              Show range
            </button>
            <span className="small muted">({zone})</span>
          </div>
          <p className="small muted" data-testid="trend-range">
            {toNaiveMinute(domain[0])} → {toNaiveMinute(domain[1])} ({zone}) · drag across a chart to zoom · alarms
            shaded, maintenance marked
          </p>
          {series.error && <ErrorNote message={series.error.message} />}
          {groups.map(([unit, group]) => (
            <TrendChart
              key={unit}
              traces={group as Trace[]}
              domain={domain}
              label={group.map((t) => t.label).join(', ') + (group[0].unit ? ` (${group[0].unit})` : '')}
              yLabel={group[0].unit ?? group[0].label}
              episodes={episodes}
              markers={markers}
              hover={hover}
              onHover={setHover}
              onZoom={onZoom}
            />
          ))}
          {states.length > 0 && (
            <TrendChart
              traces={states as Trace[]}
              domain={domain}
              label={`States: ${states.map((t) => t.label).join(', ')}`}
              yLabel="state"
              lanes
              episodes={episodes}
              markers={markers}
              hover={hover}
              onHover={setHover}
              onZoom={onZoom}
            />
          )}
          <table className="data compact" aria-label="Range statistics">
            <thead>
              <tr>
                <th>Signal</th>
                <th>Unit</th>
                <th>Min</th>
                <th>Max</th>
                <th data-testid="cursor-time">{hover ? `At ${clockDateTime(hover, cycle)}` : 'At the cursor'}</th>
                <th>Points drawn</th>
              </tr>
            </thead>
            <tbody>
              {traces.map((t) => {
                const values = t.raw.map((p) => p.v);
                const now = hover ? valueAt(t.raw, t.times, hover, t.gap) : null;
                return (
                  <tr key={t.key} data-testid={`stats-${t.key}`}>
                    <td title={t.key}>
                      <span className="swatch" style={{ background: t.color }} aria-hidden /> {t.label}
                    </td>
                    <td>{t.unit ?? '—'}</td>
                    <td data-testid="min">{values.length ? fmt(Math.min(...values), 2) : '—'}</td>
                    <td data-testid="max">{values.length ? fmt(Math.max(...values), 2) : '—'}</td>
                    <td data-testid="at-cursor">
                      {now === null ? '—' : `${fmt(now, 2)}${t.unit ? ` ${t.unit}` : ''}`}
                    </td>
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
