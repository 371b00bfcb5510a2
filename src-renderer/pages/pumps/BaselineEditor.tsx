import { useEffect, useState } from 'react';
import { apiParams } from '../../../src-shared/api/contract';
import { fieldProblem, numberOf } from '../../../src-shared/api/plainIssues';
import type { PumpBaselineRecord } from '../../../src-shared/performance/baselineRecord';
import type { Grade } from '../../../src-shared/performance/grades';
import { api } from '../../api';
import { Field } from '../../components/Field';
import { GradeSelect } from '../../components/GradeSelect';
import { ErrorNote, Panel } from '../../components/Panel';

const FIELDS = [
  ['baseline_flow_gpm', 'Flow (gpm)'],
  ['baseline_discharge_pressure_psi', 'Discharge pressure, head (psi)'],
  ['baseline_power_hp', 'Power (hp)'],
  ['baseline_efficiency_percent', 'Efficiency (%)'],
] as const;
type BaselineField = (typeof FIELDS)[number][0];

/** Edit a pump's baseline values and grade, or take them from a healthy period of its data. */
export function BaselineEditor({
  baseline,
  first,
  last,
}: {
  baseline: PumpBaselineRecord;
  first: string | null;
  last: string | null;
}) {
  const [values, setValues] = useState<Record<BaselineField, string>>(
    () => Object.fromEntries(FIELDS.map(([f]) => [f, String(baseline[f])])) as Record<BaselineField, string>,
  );
  const [grade, setGrade] = useState<string>(baseline.tolerance_grade ?? '');
  const [period, setPeriod] = useState({ from: first?.slice(0, 10) ?? '', to: '' });
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setValues(Object.fromEntries(FIELDS.map(([f]) => [f, String(baseline[f])])) as Record<BaselineField, string>);
    setGrade(baseline.tolerance_grade ?? '');
  }, [baseline]);

  const act = async (work: () => Promise<PumpBaselineRecord>) => {
    setError(null);
    setMessage(null);
    try {
      const record = await work();
      setMessage(`Saved: baseline of ${record.well_id} (${record.source})`);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const problems = Object.fromEntries(
    FIELDS.map(([f]) => [f, fieldProblem(apiParams['performance.setBaseline'].shape[f], numberOf(values[f]))]),
  ) as Record<BaselineField, string | null>;
  const invalid = Object.values(problems).some((p) => p !== null);

  const save = () =>
    act(() =>
      api.call('performance.setBaseline', {
        well_id: baseline.well_id,
        ...(Object.fromEntries(FIELDS.map(([f]) => [f, numberOf(values[f])])) as Record<BaselineField, number>),
        tolerance_grade: grade ? (grade as Grade) : null,
      }),
    );
  const fromPeriod = () =>
    act(() => api.call('performance.baselineFromPeriod', { pump: baseline.well_id, from: period.from, to: period.to }));

  return (
    <Panel title="Baseline">
      <p className="muted small">
        {baseline.pump_type} · {baseline.horsepower} hp · {baseline.application} · from {baseline.source ?? 'unknown'}
      </p>
      <div className="settings-grid">
        {FIELDS.map(([field, label]) => (
          <Field
            key={field}
            label={label}
            value={values[field]}
            onChange={(text) => setValues({ ...values, [field]: text })}
            problem={problems[field]}
            inputMode="decimal"
            testId={`baseline-${field}`}
          />
        ))}
        {/* biome-ignore lint/a11y/noLabelWithoutControl: GradeSelect renders the select inside this label */}
        <label>
          HI 14.6 grade
          <GradeSelect value={grade} onChange={setGrade} emptyLabel="from application" testId="baseline-grade" />
        </label>
      </div>
      <div className="form-row">
        <button type="button" className="primary" onClick={save} disabled={invalid}>
          Save baseline
        </button>
      </div>
      <div className="form-row">
        <span>Take the baseline from a healthy period:</span>
        <input
          type="date"
          aria-label="Period from"
          value={period.from}
          min={first?.slice(0, 10)}
          max={last?.slice(0, 10)}
          onChange={(e) => setPeriod({ ...period, from: e.target.value })}
        />
        <span>to</span>
        <input
          type="date"
          aria-label="Period to"
          value={period.to}
          min={first?.slice(0, 10)}
          max={last?.slice(0, 10)}
          onChange={(e) => setPeriod({ ...period, to: e.target.value })}
        />
        <button type="button" onClick={fromPeriod} disabled={!period.from || !period.to}>
          Use as baseline
        </button>
      </div>
      {message && (
        <p className="small" role="status">
          {message}
        </p>
      )}
      {error && <ErrorNote message={error} />}
    </Panel>
  );
}
