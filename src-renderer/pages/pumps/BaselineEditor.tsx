import { useEffect, useState } from 'react';
import { apiParams } from '../../../src-shared/api/contract';
import { fieldProblem, numberOf } from '../../../src-shared/api/plainIssues';
import type { PumpBaselineRecord } from '../../../src-shared/performance/baselineRecord';
import type { Grade } from '../../../src-shared/performance/grades';
import { api } from '../../api';
import { Field } from '../../components/Field';
import { GradeSelect } from '../../components/GradeSelect';
import { IsoDateInput } from '../../components/IsoDateInput';
import { ErrorNote, Panel } from '../../components/Panel';

const FIELDS = [
  ['baseline_flow_gpm', 'Flow (gpm)'],
  ['baseline_discharge_pressure_psi', 'Discharge pressure, head (psi)'],
  ['baseline_power_hp', 'Power (hp)'],
  ['baseline_efficiency_percent', 'Efficiency (%)'],
] as const;
type BaselineField = (typeof FIELDS)[number][0];
const OPTIONAL = new Set<BaselineField>(['baseline_discharge_pressure_psi', 'baseline_efficiency_percent']);

const textOf = (baseline: PumpBaselineRecord) =>
  Object.fromEntries(FIELDS.map(([f]) => [f, baseline[f] === null ? '' : String(baseline[f])])) as Record<
    BaselineField,
    string
  >;

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
  const [values, setValues] = useState<Record<BaselineField, string>>(() => textOf(baseline));
  const [grade, setGrade] = useState<string>(baseline.tolerance_grade ?? '');
  const [period, setPeriod] = useState({ from: first?.slice(0, 10) ?? '', to: '' });
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setValues(textOf(baseline));
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

  // Head and efficiency a station does not log stay empty (not judged), and may stay so.
  const unlogged = (f: BaselineField) => OPTIONAL.has(f) && baseline[f] === null && values[f].trim() === '';
  const problems = Object.fromEntries(
    FIELDS.map(([f]) => [
      f,
      unlogged(f) ? null : fieldProblem(apiParams['performance.setBaseline'].shape[f], numberOf(values[f])),
    ]),
  ) as Record<BaselineField, string | null>;
  const invalid = Object.values(problems).some((p) => p !== null);

  const save = () =>
    act(() =>
      api.call('performance.setBaseline', {
        well_id: baseline.well_id,
        ...(Object.fromEntries(FIELDS.filter(([f]) => !unlogged(f)).map(([f]) => [f, numberOf(values[f])])) as Record<
          BaselineField,
          number
        >),
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
        <IsoDateInput label="Period from" value={period.from} onChange={(from) => setPeriod({ ...period, from })} />
        <span>to</span>
        <IsoDateInput label="Period to" value={period.to} onChange={(to) => setPeriod({ ...period, to })} />
        <span className="muted small">
          data {first?.slice(0, 10)} → {last?.slice(0, 10)}
        </span>
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
