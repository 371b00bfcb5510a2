import { useState } from 'react';
import type { ApiResult } from '../../src-shared/api/contract';
import { apiParams } from '../../src-shared/api/contract';
import { fieldProblem, numberOf } from '../../src-shared/api/plainIssues';
import { beatsNaive, qualityText } from '../../src-shared/models/naive';
import { api } from '../api';
import { Field } from '../components/Field';
import { ErrorNote, Panel } from '../components/Panel';
import { BusyBar } from '../components/ProgressBar';
import { download } from '../download';
import { fmt } from '../format';
import { useApi } from '../useApi';
import { useLongCall } from '../useLongCall';

const STEPS = ['Target', 'Site and API', 'Review', 'Build'] as const;

const SITE_FIELDS = [
  ['apiUrl', 'Anomaly API URL'],
  ['siteId', 'Site id'],
  ['pumpId', 'Pump id at the API'],
  ['intervalSeconds', 'Run every (s)'],
  ['debounceMinutes', 'Debounce (min)'],
] as const;
type SiteField = (typeof SITE_FIELDS)[number][0];

/** The export wizard: pump or station, model versions, site and API, schedule and debounce; review; build. */
export function EdgePage() {
  const baselines = useApi('performance.baselines', {});
  const [step, setStep] = useState(0);
  const [target, setTarget] = useState<string>('');
  const [versions, setVersions] = useState<{ rul?: number; risk?: number }>({});
  // The form's text as typed; checked field by field against the API's own schema.
  const [form, setForm] = useState<Record<SiteField, string>>({
    apiUrl: 'http://127.0.0.1:8787',
    siteId: '1',
    pumpId: '1',
    debounceMinutes: '60',
    intervalSeconds: '3600',
  });
  const value = (key: SiteField) => (key === 'apiUrl' ? form.apiUrl.trim() : numberOf(form[key]));
  const problems = Object.fromEntries(
    SITE_FIELDS.map(([key]) => [key, fieldProblem(apiParams['edge.package'].shape[key], value(key))]),
  ) as Record<SiteField, string | null>;
  const siteValid = SITE_FIELDS.every(([key]) => problems[key] === null);
  const site = {
    apiUrl: form.apiUrl.trim(),
    siteId: Number(value('siteId')),
    pumpId: Number(value('pumpId')),
    debounceMinutes: Number(value('debounceMinutes')),
    intervalSeconds: Number(value('intervalSeconds')),
  };
  const { busy, error, run } = useLongCall();
  const [acceptWeak, setAcceptWeak] = useState(false);
  const [built, setBuilt] = useState<ApiResult<'edge.package'> | null>(null);
  const pump = target && target !== '__station' ? target : undefined;
  const models = useApi('models.list', { pump: pump ?? '__none__' });
  const chosenTarget = target || baselines.data?.[0]?.well_id || '__station';

  const build = () =>
    run(
      'Packaging',
      async (signal, onProgress) => {
        const request =
          chosenTarget === '__station'
            ? { station: true }
            : { pump: chosenTarget, modelVersions: versions, acceptWeakModels: acceptWeak || undefined };
        const result = await api.call('edge.package', { ...request, ...site }, { signal, onProgress });
        await download(result.id, result.name, 'application/zip');
        setBuilt(result);
      },
      'Cancelled: no artifact was written.',
    );

  const byKind = (kind: 'rul' | 'risk') => (models.data ?? []).filter((m) => m.kind === kind);
  /** The models the artifact would carry that do not beat their naive baseline: packaged only when confirmed. */
  const weak = pump
    ? (['rul', 'risk'] as const).flatMap((kind) => {
        const version = versions[kind] ?? byKind(kind).find((m) => m.stage === 'production')?.version;
        const model = byKind(kind).find((m) => m.version === version);
        return model && !beatsNaive(model) ? [model] : [];
      })
    : [];
  const modelLabel = (kind: 'rul' | 'risk') => {
    const chosen = versions[kind] ?? byKind(kind).find((m) => m.stage === 'production')?.version;
    return chosen ? `${kind} v${chosen}` : `no ${kind} model`;
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Edge export</h1>
          <p className="muted">
            A signed artifact for a Raspberry Pi: the pump's models and checks, or the station's alert rules, with the
            headless runner.
          </p>
        </div>
      </div>
      <ol className="wizard-steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      {step === 0 && (
        <Panel title="What runs at the site">
          <div className="settings-grid">
            <label>
              Pump or station
              <select
                aria-label="Target"
                value={chosenTarget}
                onChange={(e) => {
                  setTarget(e.target.value);
                  setVersions({});
                }}
              >
                {baselines.data?.map((b) => (
                  <option key={b.well_id} value={b.well_id}>
                    pump {b.well_id}: HI checks, models, anomaly detector
                  </option>
                ))}
                <option value="__station">the station: the 47 alert rules on its historian export</option>
              </select>
            </label>
            {pump &&
              (['rul', 'risk'] as const).map((kind) => (
                <label key={kind}>
                  {kind === 'rul' ? 'RUL model' : 'Risk model'}
                  <select
                    aria-label={`${kind} model`}
                    value={versions[kind] ?? ''}
                    onChange={(e) =>
                      setVersions({ ...versions, [kind]: e.target.value ? Number(e.target.value) : undefined })
                    }
                  >
                    <option value="">
                      production{' '}
                      {byKind(kind).find((m) => m.stage === 'production')
                        ? `(v${byKind(kind).find((m) => m.stage === 'production')?.version})`
                        : '(none: HI checks only)'}
                    </option>
                    {byKind(kind).map((m) => (
                      <option key={m.version} value={m.version}>
                        v{m.version} ({m.stage})
                      </option>
                    ))}
                  </select>
                </label>
              ))}
          </div>
        </Panel>
      )}
      {step === 1 && (
        <Panel title="Site, API and schedule">
          <div className="settings-grid">
            {SITE_FIELDS.map(([key, label]) => (
              <Field
                key={key}
                label={label}
                value={form[key]}
                onChange={(text) => setForm({ ...form, [key]: text })}
                problem={problems[key]}
                inputMode={key === 'apiUrl' ? 'url' : 'numeric'}
              />
            ))}
          </div>
          <p className="muted small">
            The API token never goes into the artifact: the site sets ANOMALY_API_TOKEN or a token file.
          </p>
        </Panel>
      )}
      {step === 2 && (
        <Panel title="Review">
          <dl className="review" data-testid="review">
            <dt>Target</dt>
            <dd>{chosenTarget === '__station' ? 'station (alert rules)' : `pump ${chosenTarget}`}</dd>
            {pump && (
              <>
                <dt>Models</dt>
                <dd>
                  {modelLabel('rul')}, {modelLabel('risk')}
                </dd>
              </>
            )}
            <dt>API</dt>
            <dd>
              {site.apiUrl} · site {site.siteId} · pump {site.pumpId}
            </dd>
            {weak.map((m) => (
              <dd key={m.kind} className="warning" data-testid="weak-model">
                ⚠ {m.kind} v{m.version} does not beat its naive baseline on its holdout ({qualityText(m)}): its
                predictions are no better than a guess.
              </dd>
            ))}
            <dt>Schedule</dt>
            <dd>
              every {site.intervalSeconds} s · debounce {site.debounceMinutes} min
            </dd>
          </dl>
        </Panel>
      )}
      {step === 3 && (
        <Panel title="Build">
          <div className="form-row">
            {weak.length > 0 && (
              <label className="warning">
                <input type="checkbox" checked={acceptWeak} onChange={(e) => setAcceptWeak(e.target.checked)} /> Package{' '}
                {weak.map((m) => `${m.kind} v${m.version}`).join(' and ')} anyway
              </label>
            )}
            <button
              type="button"
              className="primary"
              onClick={build}
              disabled={!!busy || (weak.length > 0 && !acceptWeak)}
            >
              Build and download
            </button>
            <BusyBar busy={busy} />
          </div>
          {error && <ErrorNote message={error} />}
          {built && (
            <div role="status" data-testid="built">
              <p>
                {built.name}: {fmt(built.bytes / 1024, 0)} KB, version {built.version}, signed with key{' '}
                {built.keyFingerprint}; {built.models.length ? `models ${built.models.join(', ')}` : 'no model'}.
              </p>
              {built.notes.map((n) => (
                <p key={n} className="warning">
                  {n}
                </p>
              ))}
              <p className="muted small">{built.files.join(' · ')}</p>
            </div>
          )}
        </Panel>
      )}
      <div className="form-row">
        <button type="button" onClick={() => setStep(step - 1)} disabled={step === 0}>
          Back
        </button>
        <button
          type="button"
          onClick={() => setStep(step + 1)}
          disabled={step === STEPS.length - 1 || (step === 1 && !siteValid)}
        >
          Next
        </button>
        {step === 1 && !siteValid && <span className="small warning">Correct the fields marked above to go on.</span>}
      </div>
    </div>
  );
}
