import { useCallback, useState } from 'react';
import { ALARM_STATES, alarmOrder, alarmState, sounding } from '../../src-shared/alerts/alarmState';
import type { AlertRow, PumpPrediction, PumpTile, StationOverview, StationSeries } from '../../src-shared/api/contract';
import {
  type ChartLimit,
  pumpStateStrip,
  type RunSpell,
  runSpells,
  signalChart,
} from '../../src-shared/charts/stationCharts';
import { DEFAULT_BAND_PCT, levelPast } from '../../src-shared/station/levelBands';
import { rowsInRealTime } from '../../src-shared/station/realTime';
import { labelOf } from '../../src-shared/station/words';
import { MINUTE_MS } from '../../src-shared/time';
import { ErrorNote, Panel, Stat } from '../components/Panel';
import { PlotFigure } from '../components/PlotFigure';
import { fmt, toDate } from '../format';
import { useApi } from '../useApi';

const RANGES = [
  { id: '24h', label: '24 h', hours: 24 },
  { id: '7d', label: '7 days', hours: 168 },
] as const;

/** Where the Overview's operating band comes from, in words (docs/station.md). */
const BAND_SOURCE: Record<StationOverview['tank']['bandSource'], string> = {
  confirmed: "the station's own (station.json)",
  proposed: "proposed from the station's history: confirm or correct it in station.json",
  default: `PumpDeck's default (${DEFAULT_BAND_PCT.join('–')} %): give the station's own in station.json`,
};

function PumpCard({
  tile,
  alarms,
  setAside,
  prediction,
  empty,
}: {
  tile: PumpTile;
  /** Its sounding alarms, the one to read first first. */
  alarms: AlertRow[];
  /** Its active alarms shelved or out of service: said on the tile, not sounding. */
  setAside: AlertRow[];
  prediction?: PumpPrediction;
  /** No readings yet: nothing is known of the pump, not "stopped" or "0". */
  empty: boolean;
}) {
  const known = (text: string) => (empty ? '—' : text);
  const first = alarms[0];
  const alerts = alarms.length;
  return (
    <article
      // ISA-101: a pump running normally is quiet grey; colour is for an alarm, by its priority.
      className={`pump ${tile.running ? 'running' : 'stopped'}${first ? ` alarm sev-${first.severity}` : ''}`}
      data-testid={`pump-${tile.pump}`}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: each tile is a Tab stop so a keyboard or screen-reader user hears every pump's state
      tabIndex={0}
      aria-label={`Pump ${tile.pump}`}
    >
      <header>
        <h3>
          {tile.pump}
          {alerts > 0 && (
            <a
              className="alert-badge"
              href="#/alerts"
              data-testid={`pump-${tile.pump}-alerts`}
              title={`${alerts} active alert${alerts > 1 ? 's' : ''}`}
            >
              {alerts}
            </a>
          )}
        </h3>
        <span className="badge" data-testid={`pump-${tile.pump}-state`}>
          {empty ? 'No data' : tile.running ? 'Running' : 'Stopped'}
        </span>
      </header>
      {first && (
        <p className="tile-alarm" data-testid={`pump-${tile.pump}-alarm`}>
          <span className={`chip sev-${first.severity}`}>{first.severity}</span> {ALARM_STATES[alarmState(first)].mark}{' '}
          {ALARM_STATES[alarmState(first)].text} {first.rule} {first.message}{' '}
          <span className="muted small">since {first.timestamp.slice(5, 16)}</span>
        </p>
      )}
      {setAside.length > 0 && (
        <p className="small muted" data-testid={`pump-${tile.pump}-set-aside`}>
          {setAside
            .map((a) => `${ALARM_STATES[alarmState(a)].mark} ${a.rule} ${ALARM_STATES[alarmState(a)].text}`)
            .join(' · ')}
        </p>
      )}
      <dl>
        <dt>Power</dt>
        <dd data-testid={`pump-${tile.pump}-kw`}>
          {known(fmt(tile.kwNow, 1))} <span className="unit">kW</span>
        </dd>
        {tile.ratedKw && tile.kwNow !== null && tile.running && !empty ? (
          <>
            <dt title={`Power against its rated ${fmt(tile.ratedKw, 1)} kW`}>Load</dt>
            <dd data-testid={`pump-${tile.pump}-load`}>
              {fmt((tile.kwNow / tile.ratedKw) * 100, 0)} <span className="unit">% of rated</span>
            </dd>
          </>
        ) : null}
        {tile.hzNow !== null && (
          <>
            <dt>Speed</dt>
            <dd data-testid={`pump-${tile.pump}-hz`}>
              {known(fmt(tile.hzNow, 1))} <span className="unit">Hz</span>
            </dd>
          </>
        )}
        <dt>On today</dt>
        <dd>
          <span data-testid={`pump-${tile.pump}-hours`}>{known(fmt(tile.hoursOnToday, 2))}</span>{' '}
          <span className="unit">h</span>
        </dd>
        <dt>Energy today</dt>
        <dd>
          <span data-testid={`pump-${tile.pump}-kwh`}>{known(fmt(tile.kwhToday, 1))}</span>{' '}
          <span className="unit">kWh</span>
        </dd>
        <dt>Starts</dt>
        <dd data-testid={`pump-${tile.pump}-starts`}>{known(fmt(tile.startsToday))}</dd>
        <dt>Run hours</dt>
        <dd>
          {known(fmt(tile.runtimeHoursTotal, 0))}
          {tile.runtimeHoursTotal !== null && !empty && <span className="unit"> h</span>}
        </dd>
        {prediction?.rulDays != null && (
          <>
            <dt title={`production RUL model v${prediction.rulVersion}, as of ${prediction.asOf}`}>RUL</dt>
            <dd data-testid={`pump-${tile.pump}-rul`}>
              {fmt(prediction.rulDays, 1)} d{' '}
              <span className="quality-badge" data-testid={`pump-${tile.pump}-rul-quality`}>
                {prediction.rulQuality}
              </span>
            </dd>
          </>
        )}
        {prediction?.risk != null && (
          <>
            <dt
              title={`probability of failing within ${prediction.horizonDays} days (risk model v${prediction.riskVersion})`}
            >
              Risk
            </dt>
            <dd data-testid={`pump-${tile.pump}-risk`}>
              {fmt(prediction.risk * 100, 0)} %{' '}
              <span className="quality-badge" data-testid={`pump-${tile.pump}-risk-quality`}>
                {prediction.riskQuality}
              </span>
            </dd>
          </>
        )}
      </dl>
    </article>
  );
}

/** "Tank HLT101" or "Wet well level": what the operator calls the basin and its level signal. */
function basinLabel(o: StationOverview): string {
  const basin = o.kind === 'lift' ? 'Wet well' : 'Tank';
  const name = o.signals.level?.name ?? '';
  return name.toLowerCase().includes(basin.toLowerCase()) ? name : `${basin} ${name}`.trim();
}

/**
 * The tank or wet well: its level, and a bar with the operating band and the LL/L/H/HH limits; past
 * a limit the stat takes its priority's colour and says which (ISA-101: colour only for abnormal).
 */
function LevelStat({
  overview: o,
  empty,
  alarms,
}: {
  overview: StationOverview;
  empty: boolean;
  /** The sounding alarms: a limit's own rule, when sounding, gives the colour its priority. */
  alarms: AlertRow[];
}) {
  const { tank } = o;
  const past = empty ? null : levelPast(tank.pct, tank.limits);
  const rule = tank.limits.find((l) => l.name === past)?.rule;
  const sounding = alarms.find((a) => a.rule === rule);
  const severity = sounding?.severity ?? (past === 'HH' || past === 'LL' ? 'CRITICAL' : past ? 'WARNING' : null);
  // A label too close to the one before it goes under the bar (unless that one did).
  const limits = [...tank.limits]
    .sort((a, b) => a.pct - b.pct)
    .reduce<Array<(typeof tank.limits)[number] & { below: boolean }>>((out, l) => {
      const previous = out[out.length - 1];
      out.push({ ...l, below: !!previous && !previous.below && l.pct - previous.pct < 12 });
      return out;
    }, []);
  return (
    <div
      className={`stat level-stat${severity ? ` alarm sev-${severity}` : ''}`}
      data-testid="level-stat"
      title={`Operating band ${fmt(tank.band[0], 0)}–${fmt(tank.band[1], 0)} % of the range: ${BAND_SOURCE[tank.bandSource]}`}
    >
      <div className="stat-label">{basinLabel(o)}</div>
      <div className="stat-value">
        <span data-testid="tank-pct">{empty ? 'no data' : fmt(tank.pct, 1)}</span>
        {!empty && <span className="unit"> %</span>}
        {past && (
          <span className={`chip sev-${severity}`} data-testid="tank-past">
            {past === 'H' || past === 'HH' ? `above ${past}` : `below ${past}`}
          </span>
        )}
      </div>
      {!empty && (
        <div className="small muted">
          {fmt(tank.level, 2)} {tank.unit}
        </div>
      )}
      <div className="level-bar" aria-hidden="true">
        <div className="level-band" style={{ left: `${tank.band[0]}%`, width: `${tank.band[1] - tank.band[0]}%` }} />
        {!empty && tank.pct !== null && (
          <div className="level-fill" style={{ width: `${Math.min(100, Math.max(0, tank.pct))}%` }} />
        )}
        {limits.map((l) => (
          <span
            key={l.name}
            className={`level-limit${l.below ? ' below' : ''}`}
            style={{ left: `${l.pct}%` }}
            data-testid={`level-limit-${l.name}`}
          >
            {l.name}
          </span>
        ))}
      </div>
    </div>
  );
}

/** "Tank level HLT101" or "Wet well level": the level chart's name. */
function levelLabel(o: StationOverview): string {
  const name = o.signals.level?.name ?? '';
  return /level/i.test(name) ? name : `${o.kind === 'lift' ? 'Wet well' : 'Tank'} level ${name}`.trim();
}

function TrendCharts({ hours, overview: o }: { hours: number; overview: StationOverview }) {
  const { level, flow } = o.signals;
  const tags = [level?.tag, flow?.tag].filter((t): t is string => t !== undefined);
  const series = useApi('station.series', tags.length ? { tags, lastHours: hours, width: 1400 } : null);
  const chart = useCallback(
    (tag: string, label: string, color: string, max?: number, limits: ChartLimit[] = []) =>
      (width: number) => {
        const points = (series.data as StationSeries | null)?.series.find((s) => s.tag === tag)?.points ?? [];
        return signalChart(
          points.map((p) => ({ t: toDate(p.t), v: p.v })),
          label,
          color,
          width,
          { max, limits, limitColor: 'var(--crit)' },
        );
      },
    [series.data],
  );
  if (series.error) return <ErrorNote message={series.error.message} />;
  return (
    <div className="charts" aria-busy={series.loading}>
      {level && (
        <PlotFigure
          label={`${levelLabel(o)} over the last ${hours} hours, with its alarm limits ${o.tank.limits
            .map((l) => `${l.name} ${fmt(l.level, 0)} ${o.tank.unit}`)
            .join(', ')}`}
          options={chart(
            level.tag,
            `↑ ${levelLabel(o)} (${o.tank.unit})`,
            'var(--accent)',
            o.tank.physicalMax,
            o.tank.limits.map((l) => ({ label: l.name, value: l.level })),
          )}
        />
      )}
      {flow && (
        <PlotFigure
          label={`${labelOf('Flow', flow.name)} over the last ${hours} hours`}
          options={chart(flow.tag, `↑ ${flow.name} (${o.flowUnit})`, 'var(--accent-2)')}
        />
      )}
      {!level && !flow && <p className="muted">The station model maps no level or flow signal to chart.</p>}
    </div>
  );
}

/**
 * The alarms sounding now, by priority, unacknowledged first, newest first: the first thing an
 * operator reads (ISA-101). Shelved and out-of-service alarms are not sounding: they are counted
 * apart, not mixed in.
 */
function ActiveAlarms({ alarms }: { alarms: AlertRow[] | null }) {
  const sorted = (alarms ?? []).filter(sounding).sort(alarmOrder);
  const shelved = (alarms ?? []).filter((a) => alarmState(a) === 'shelved').length;
  const outOfService = (alarms ?? []).filter((a) => alarmState(a) === 'out-of-service').length;
  const aside = [shelved ? `${shelved} shelved` : '', outOfService ? `${outOfService} out of service` : ''].filter(
    Boolean,
  );
  return (
    <section
      className="alarm-strip"
      aria-label="Active alarms"
      data-testid="active-alarms"
      data-sounding={sorted.length > 0 || undefined}
    >
      {alarms === null ? (
        <span className="muted">Loading alarms…</span>
      ) : sorted.length === 0 ? (
        <span className="muted">No active alarms</span>
      ) : (
        <ul>
          {sorted.map((a) => (
            <li key={`${a.rule}|${a.pump}|${a.timestamp}`} className={`state-${alarmState(a)}`}>
              <span className={`chip sev-${a.severity}`}>{a.severity}</span>{' '}
              <span className="state-mark" title={ALARM_STATES[alarmState(a)].text}>
                {ALARM_STATES[alarmState(a)].mark} {ALARM_STATES[alarmState(a)].text}
              </span>{' '}
              <a href="#/alerts">{a.rule}</a> {a.pump && !a.message.startsWith(a.pump) ? `${a.pump} ` : ''}
              {a.message} <span className="muted small">since {a.timestamp.slice(5, 16)}</span>
            </li>
          ))}
        </ul>
      )}
      {aside.length > 0 && (
        <span className="small muted" data-testid="alarms-aside">
          {' '}
          Not sounding: {aside.join(', ')}
        </span>
      )}
    </section>
  );
}

/** Which pumps ran in the last 24 hours: a row per pump. */
function PumpStates({ asOf }: { asOf: string }) {
  const model = useApi('station.config', {}).data;
  const pumps = model?.pumps ?? [];
  const series = useApi(
    'station.series',
    pumps.length ? { tags: pumps.map((p) => p.run.tag).slice(0, 32), lastHours: 24, width: 1400 } : null,
  );
  const chart = useCallback(
    (width: number) => {
      const end = toDate(asOf);
      const spells: RunSpell[] = pumps.flatMap((p) => {
        const points = series.data?.series.find((s) => s.tag === p.run.tag)?.points ?? [];
        return runSpells(
          p.id,
          points.map((q) => ({ t: toDate(q.t), v: q.v })),
          p.run.above ?? 0.5,
          15 * MINUTE_MS,
        );
      });
      return pumpStateStrip(
        spells,
        pumps.map((p) => p.id),
        [new Date(+end - 24 * 60 * MINUTE_MS), end],
        'var(--muted)',
        width,
      );
    },
    [series.data, pumps, asOf],
  );
  if (series.error) return <ErrorNote message={series.error.message} />;
  return (
    <div aria-busy={series.loading}>
      <PlotFigure label="Pumps running over the last 24 hours, one row per pump" options={chart} />
      <p className="small muted">A bar: the pump ran. A break in a bar: no readings.</p>
    </div>
  );
}

export function OverviewPage() {
  const overview = useApi('station.overview', {});
  const active = useApi('alerts.list', { openOnly: true, limit: 1000 });
  const predictions = useApi('models.predictions', {});
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('24h');
  const o = overview.data;
  if (overview.error) return <ErrorNote message={overview.error.message} />;
  if (!o) return <div className="loading">Loading station…</div>;
  // A project with no readings yet says so: never "0.0 kWh" or "Stopped" for what is not known.
  const empty = !o.asOf;
  const value = (text: string) => (empty ? 'no data' : text);
  const budgetPct = !empty && o.dailyBudgetKwh > 0 ? (o.energyTodayKwh / o.dailyBudgetKwh) * 100 : null;
  const hours = RANGES.find((r) => r.id === range)?.hours ?? 24;

  return (
    <div className="page overview">
      <header className="page-head">
        <div>
          <h1 data-testid="station-name">{o.stationName}</h1>
          <p className="muted">
            {o.asOf ? (
              <>
                As of <strong data-testid="as-of">{o.asOf}</strong> · day <span data-testid="day">{o.day}</span> · data{' '}
                {o.dataRange?.first} → {o.dataRange?.last}{' '}
                <span data-testid="data-span">
                  ({o.dataRange && rowsInRealTime(o.dataRange.rows, o.dataRange.interval, o.dataRange.loggedMinutes)})
                </span>
              </>
            ) : (
              'No readings yet: import a historian export.'
            )}
          </p>
        </div>
      </header>

      <ActiveAlarms alarms={active.error ? [] : (active.data ?? null)} />

      <section className="stats" aria-label="Today">
        <Stat
          label="Energy today"
          value={value(fmt(o.energyTodayKwh, 1))}
          unit={empty ? undefined : 'kWh'}
          testId="energy-today"
          hint={
            budgetPct !== null ? `${fmt(budgetPct, 0)} % of the ${fmt(o.dailyBudgetKwh)} kWh daily budget` : undefined
          }
        />
        <Stat
          label="Pumped today"
          value={value(fmt(o.volumeTodayM3, 1))}
          unit={empty ? undefined : 'm³'}
          testId="volume-today"
        />
        <Stat
          label="Energy per m³"
          value={value(fmt(o.energyPerM3Today, 3))}
          unit={empty ? undefined : 'kWh/m³'}
          testId="energy-per-m3"
        />
        <LevelStat overview={o} empty={empty} alarms={(active.data ?? []).filter(sounding)} />
        <Stat
          label={labelOf('Flow', o.signals.flow?.name ?? '')}
          value={value(fmt(o.flowNow, 1))}
          unit={empty ? undefined : o.flowUnit}
          testId="flow-now"
        />
        <Stat label="Pumps running" value={value(`${o.pumpsOnNow} / ${o.pumps.length}`)} testId="pumps-on" />
        <Stat
          label="Open alerts"
          value={o.openAlerts === null ? '—' : fmt(o.openAlerts)}
          testId="open-alerts"
          hint={o.openAlerts === null ? 'The alert engine has not run on this station yet' : undefined}
        />
      </section>
      {budgetPct !== null && (
        // biome-ignore lint/a11y/useSemanticElements: a styled bar that also shows a day over budget; the role gives it meter semantics
        <div
          className="budget"
          role="meter"
          aria-label="Daily energy budget"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(budgetPct)}
        >
          <div className="budget-track">
            <div
              className="budget-bar"
              style={{ width: `${Math.min(100, budgetPct)}%` }}
              data-over={budgetPct > 100 || undefined}
            />
          </div>
          <span className="small muted">
            {fmt(budgetPct, 0)} % of daily budget ({fmt(o.dailyBudgetKwh)} kWh)
          </span>
        </div>
      )}

      <section className="pumps" aria-label="Pumps">
        {o.pumps.map((tile) => (
          <PumpCard
            key={tile.pump}
            tile={tile}
            alarms={(active.data ?? []).filter((a) => a.pump === tile.pump && sounding(a)).sort(alarmOrder)}
            setAside={(active.data ?? []).filter((a) => a.pump === tile.pump && !sounding(a))}
            prediction={predictions.data?.find((p) => p.pump === tile.pump)}
            empty={empty}
          />
        ))}
      </section>

      <div className="overview-grid">
        <Panel
          title={o.kind === 'lift' ? 'Wet well level and flow' : 'Tank level and flow'}
          actions={
            <div className="segmented" role="tablist" aria-label="Range">
              {RANGES.map((r) => (
                <button
                  key={r.id}
                  type="button"
                  role="tab"
                  aria-selected={range === r.id}
                  onClick={() => setRange(r.id)}
                >
                  {r.label}
                </button>
              ))}
            </div>
          }
        >
          <TrendCharts hours={hours} overview={o} />
        </Panel>
        {o.asOf && (
          <Panel title="Pumps running, last 24 hours">
            <PumpStates asOf={o.asOf} />
          </Panel>
        )}
      </div>
    </div>
  );
}
