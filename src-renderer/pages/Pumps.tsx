import { useMemo, useState } from 'react';
import type { FleetRow, PumpPerformance } from '../../src-shared/api/contract';
import type { ParameterPerformance } from '../../src-shared/performance/evaluate';
import { describeBand, type Grade, type Parameter } from '../../src-shared/performance/grades';
import { metricBeside, RECORDED_UNIT } from '../../src-shared/performance/units';
import { GradeSelect } from '../components/GradeSelect';
import { MaintenanceLog } from '../components/MaintenanceLog';
import { ErrorNote, Panel, Stat } from '../components/Panel';
import { ProposedBaselines } from '../components/ProposedBaselines';
import { TableWrap } from '../components/TableWrap';
import { fmt, signed, toDate } from '../format';
import { useApi } from '../useApi';
import { BaselineEditor } from './pumps/BaselineEditor';
import { DeviationChart, StatusStrip } from './pumps/DeviationChart';
import { StationPumpEnergy } from './pumps/StationPumpEnergy';

/** The projected crossing as the page shows it: none from a trend whose 95 % interval includes 0. */
function crossingText(p: ParameterPerformance): string {
  if (!p.crossing) return p.trend && !p.trend.significant ? 'no significant trend' : '—';
  if (p.crossing.days === 0) return 'outside now';
  return p.crossing.significant ? p.crossing.date : 'no significant trend';
}

function StatusChip({ status, testId }: { status: string | null; testId?: string }) {
  return (
    <span className={`chip status-${status ?? 'none'}`} data-testid={testId}>
      {status ?? 'no data'}
    </span>
  );
}

function FleetTable({
  fleet,
  selected,
  onSelect,
}: {
  fleet: FleetRow[];
  selected: string | null;
  onSelect: (pump: string) => void;
}) {
  return (
    <TableWrap label="Fleet table">
      <table className="data" data-testid="fleet">
        <thead>
          <tr>
            <th>Pump</th>
            <th>Status</th>
            <th>Grade</th>
            <th title="The parameter nearest its band's edge (over 100 %: outside it)">Worst parameter</th>
            <th>Out of band since</th>
            <th>Next projected crossing</th>
            <th>Newest reading</th>
          </tr>
        </thead>
        <tbody>
          {fleet.map((r) => (
            <tr
              key={r.pump}
              className={`sev-row ${r.pump === selected ? 'selected' : ''}`}
              onClick={() => onSelect(r.pump)}
              data-testid={`fleet-${r.pump}`}
            >
              <td>
                <button
                  type="button"
                  className="ghost"
                  onClick={() => onSelect(r.pump)}
                  aria-pressed={r.pump === selected}
                >
                  {r.pump}
                </button>
              </td>
              <td>
                <StatusChip status={r.status} />
              </td>
              <td>
                {r.grade} <span className="muted small">({r.gradeSource})</span>
              </td>
              <td data-testid={`fleet-${r.pump}-worst`}>
                {r.worstParameter
                  ? `${r.worstParameter} ${signed(r.worstDeviation, 1)} % (${fmt((r.worstBandUse ?? 0) * 100, 0)} % of its band)`
                  : '—'}
              </td>
              <td>{r.outOfBandSince ?? '—'}</td>
              <td data-testid={`fleet-${r.pump}-crossing`}>
                {r.nextCrossing
                  ? `${r.nextCrossing.parameter} ${r.nextCrossing.date} (${fmt(r.nextCrossing.days)} days)`
                  : 'no significant trend'}
              </td>
              <td>{r.asOf ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** A recorded value in the station's (metric) unit, with the file's unit as written beside it. */
function Measured({ parameter, value, testId }: { parameter: Parameter; value: number | null; testId?: string }) {
  if (value === null) return <span data-testid={testId}>—</span>;
  const beside = metricBeside(parameter, value);
  return (
    <>
      <span data-testid={testId}>{fmt(value, 2)}</span> <span className="unit">{RECORDED_UNIT[parameter]}</span>
      {beside && (
        <span className="muted small unit-alt">
          {' '}
          ({fmt(beside.value, 1)} {beside.unit})
        </span>
      )}
    </>
  );
}

function ParameterTable({ performance }: { performance: PumpPerformance }) {
  return (
    <TableWrap label="Parameters table">
      <table className="data" data-testid="parameters">
        <thead>
          <tr>
            <th>Parameter</th>
            <th>Baseline</th>
            <th title={`Median over the last ${performance.windowMinutes} minutes`}>Now</th>
            <th>Deviation %</th>
            <th>HI band</th>
            <th>State</th>
            <th>Severity</th>
            <th title="The first time it left its band (three windows in a row); a parameter back in band keeps the date">
              First left band
            </th>
            <th>Trend pt/week (95 %)</th>
            <th>Leaves band</th>
          </tr>
        </thead>
        <tbody>
          {performance.parameters.map((p) => (
            <tr key={p.parameter} data-testid={`param-${p.parameter}`}>
              <td>
                {p.parameter} {p.mandatory ? '' : <span className="muted small">(optional)</span>}
              </td>
              <td data-testid={`baseline-value-${p.parameter}`}>
                <Measured parameter={p.parameter} value={p.baseline} />
              </td>
              <td>
                <Measured parameter={p.parameter} value={p.current} testId={`current-${p.parameter}`} />
              </td>
              <td data-testid={`deviation-${p.parameter}`}>{signed(p.deviation)}</td>
              <td>{describeBand(p.band)}</td>
              <td
                data-testid={`state-${p.parameter}`}
                className={p.state === 'in' || p.baseline === null ? '' : 'warning'}
              >
                {p.baseline === null ? 'not logged' : p.state}
              </td>
              <td>{fmt(p.severity, 2)}</td>
              <td>
                {p.firstExceedance ? (
                  <>
                    {p.firstExceedance}
                    {p.state === 'in' && <span className="muted small"> (back in band)</span>}
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>
                {p.trend
                  ? `${signed(p.trend.perWeek)} (${signed(p.trend.perWeekLow)} .. ${signed(p.trend.perWeekHigh)})`
                  : '—'}
              </td>
              <td
                data-testid={`crossing-${p.parameter}`}
                title={
                  p.crossing && p.crossing.days > 0 && p.crossing.significant
                    ? `95 %: ${p.crossing.earliest ?? '?'} .. ${p.crossing.latest ?? 'not within 5 years'}`
                    : undefined
                }
              >
                {crossingText(p)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function PumpDetail({ pump }: { pump: string }) {
  const [grade, setGrade] = useState<Grade | ''>('');
  const [windowMinutes, setWindowMinutes] = useState(60);
  const [trendDays, setTrendDays] = useState(14);
  const perf = useApi('performance.pump', { pump, grade: grade || undefined, windowMinutes, trendDays });
  const predictions = useApi('models.predictions', {});
  const prediction = predictions.data?.find((x) => x.pump === pump);
  const maintenance = useApi('maintenance.list', { pump });
  const events = useMemo(
    () => (maintenance.data ?? []).map((m) => ({ t: toDate(m.at), label: m.kind })),
    [maintenance.data],
  );
  const lastFailure = (maintenance.data ?? []).filter((m) => m.kind === 'failure').at(-1);
  const p = perf.data;
  return (
    <>
      <Panel
        title={`Pump ${pump} against its baseline`}
        actions={
          <div className="form-row">
            <label>
              Grade{' '}
              <GradeSelect
                value={grade}
                onChange={(g) => setGrade(g as Grade | '')}
                emptyLabel={p ? `baseline's (${p.baseline.tolerance_grade ?? 'from application'})` : 'baseline'}
                testId="grade-select"
              />
            </label>
            <label>
              Window{' '}
              <select value={windowMinutes} onChange={(e) => setWindowMinutes(Number(e.target.value))}>
                {[1, 15, 60, 240, 1440].map((m) => (
                  <option key={m} value={m}>
                    {m < 60 ? `${m} min` : `${m / 60} h`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Trend over{' '}
              <select value={trendDays} onChange={(e) => setTrendDays(Number(e.target.value))}>
                {[7, 14, 28, 90].map((d) => (
                  <option key={d} value={d}>
                    {d} days
                  </option>
                ))}
              </select>
            </label>
          </div>
        }
      >
        {perf.error && <ErrorNote message={perf.error.message} />}
        {p && (
          <div aria-busy={perf.loading}>
            <div className="stats">
              <Stat label="Status" value={p.status ?? 'no data'} testId="pump-status" />
              <Stat label="HI 14.6 grade" value={p.grade} testId="pump-grade" hint={`from ${p.gradeSource}`} />
              <Stat
                label="Out of band since"
                value={p.outOfBandSince ?? '—'}
                hint={p.outOfBandHours !== null ? `${fmt(p.outOfBandHours, 1)} h` : undefined}
              />
              <Stat label="Newest reading" value={p.asOf ?? '—'} />
              <Stat
                label="Last failure logged"
                value={lastFailure ? lastFailure.at.slice(0, 10) : 'none'}
                testId="last-failure"
                hint={
                  lastFailure?.note ??
                  'From the maintenance log; failures, repairs and overhauls are marked on the charts'
                }
              />
              {prediction?.rulDays != null && (
                <Stat
                  label="Remaining useful life"
                  value={fmt(prediction.rulDays, 1)}
                  unit="days"
                  testId="pump-rul"
                  hint={`production model v${prediction.rulVersion}`}
                />
              )}
              {prediction?.risk != null && (
                <Stat
                  label={`Failure risk (${prediction.horizonDays} days)`}
                  value={fmt(prediction.risk * 100, 0)}
                  unit="%"
                  testId="pump-risk"
                  hint={`production model v${prediction.riskVersion}`}
                />
              )}
            </div>
            {p.efficiencyDerived && (
              <p className="muted small">
                Efficiency is not logged: derived from flow, head and power against the baseline's (Q·H/P).
              </p>
            )}
            <ParameterTable performance={p} />
            <h3>Status by day</h3>
            <StatusStrip performance={p} />
            <div className="grid-2">
              {/* A parameter the station does not log (no baseline value) has nothing to draw. */}
              {p.parameters
                .filter((x) => x.baseline !== null)
                .map((x) => (
                  <DeviationChart key={x.parameter} performance={p} parameter={x} events={events} />
                ))}
            </div>
          </div>
        )}
      </Panel>
      {p && <BaselineEditor baseline={p.baseline} first={p.first} last={p.asOf} />}
    </>
  );
}

export function PumpsPage() {
  const fleet = useApi('performance.fleet', {});
  const [selected, setSelected] = useState<string | null>(null);
  const pump = selected ?? fleet.data?.[0]?.pump ?? null;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Pumps</h1>
          <p className="muted">
            Performance against each pump's baseline (ANSI/HI 14.6), worst status first, then the soonest to leave its
            band; degradation trend and when it leaves its band.
          </p>
        </div>
      </div>
      <Panel title="Fleet">
        {fleet.error && <ErrorNote message={fleet.error.message} />}
        {fleet.data && fleet.data.length === 0 && (
          <p className="muted">
            No pump has a baseline yet: take the proposed ones below, or import a baseline file on the Import page.
          </p>
        )}
        {fleet.data && fleet.data.length > 0 && (
          <FleetTable fleet={fleet.data} selected={pump} onSelect={setSelected} />
        )}
      </Panel>
      {fleet.data && <ProposedBaselines />}
      {pump && <PumpDetail key={pump} pump={pump} />}
      {pump && <MaintenanceLog pump={pump} />}
      <StationPumpEnergy />
    </div>
  );
}
