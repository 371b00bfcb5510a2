import { useEffect, useState } from 'react';
import { apiParams, type StationField, type StationSettings } from '../../src-shared/api/contract';
import type { ApiErrorValue } from '../../src-shared/api/errors';
import { fieldProblem, numberOf } from '../../src-shared/api/plainIssues';
import type { StationModel } from '../../src-shared/station/model';
import { displayUnit } from '../../src-shared/station/units';
import { api } from '../api';
import { Field } from '../components/Field';
import { ErrorNote, Panel } from '../components/Panel';
import { TableWrap } from '../components/TableWrap';
import { useApi } from '../useApi';

interface ConstantField {
  key: StationField;
  label: (m: StationModel) => string;
  unit: (m: StationModel) => string;
  read: (m: StationModel) => number | undefined;
  shown: (m: StationModel) => boolean;
}

const FIELDS: ConstantField[] = [
  {
    key: 'rated_kw',
    label: () => 'Rated motor power (every pump with a power meter)',
    unit: () => 'kW',
    read: (m) => m.pumps.find((p) => p.kw)?.rated_kw,
    // One field for one rating: pumps of different sizes are rated each in the model (the table shows them).
    shown: (m) => new Set(m.pumps.filter((p) => p.kw).map((p) => p.rated_kw)).size === 1,
  },
  {
    key: 'hlt_physical_max',
    label: (m) => `Top of the ${m.kind === 'lift' ? 'wet well' : 'tank'} level range`,
    unit: (m) => displayUnit(m.level?.unit),
    read: (m) => m.level?.max,
    shown: (m) => m.level !== undefined,
  },
  {
    key: 'fit101_physical_max',
    label: () => 'Largest flow the meter measures',
    unit: (m) => displayUnit(m.flow?.unit),
    read: (m) => m.flow?.max,
    shown: (m) => m.flow !== undefined,
  },
  {
    key: 'daily_energy_budget_kwh',
    label: () => 'Daily energy budget',
    unit: () => 'kWh',
    read: (m) => m.daily_energy_budget_kwh,
    shown: () => true,
  },
  {
    key: 'interval_min',
    label: () => 'Logging interval',
    unit: () => 'min',
    read: (m) => m.interval_min,
    shown: () => true,
  },
];

/** What each role of the station reads, as a table. */
export function ModelTable({ model }: { model: StationModel }) {
  const signal = (s?: { tag: string; unit?: string }) =>
    s ? `${s.tag}${s.unit ? ` (${displayUnit(s.unit)})` : ''}` : '—';
  return (
    <TableWrap label="Pumps of the station model">
      <table className="data" aria-label="Station model">
        <tbody>
          <tr>
            <th>Kind</th>
            <td>
              {model.kind === 'lift'
                ? 'Lift station: the pumps empty a wet well'
                : 'Booster station: the pumps fill a tank'}
            </td>
          </tr>
          <tr>
            <th>Level</th>
            <td>
              {signal(model.level)}
              {model.level ? ` · range ${model.level.min}–${model.level.max}` : ''}
            </td>
          </tr>
          <tr>
            <th>Station flow</th>
            <td>
              {model.flow ? signal(model.flow) : model.pumps.some((p) => p.flow) ? "the pumps' meters added up" : '—'}
            </td>
          </tr>
          {model.inflow && (
            <tr>
              <th>Inflow</th>
              <td>{signal(model.inflow)}</td>
            </tr>
          )}
          {model.day_total && (
            <tr>
              <th>Day total</th>
              <td>{signal(model.day_total)}</td>
            </tr>
          )}
        </tbody>
      </table>
      <table className="data" aria-label="Pumps of the station model">
        <thead>
          <tr>
            <th>Pump</th>
            <th>Running when</th>
            <th>Power</th>
            <th>Flow</th>
            <th>Rated</th>
          </tr>
        </thead>
        <tbody>
          {model.pumps.map((p) => (
            <tr key={p.id}>
              <td>{p.id}</td>
              <td>{p.run.above === undefined ? `${p.run.tag} = 1` : `${p.run.tag} > ${p.run.above}`}</td>
              <td>{signal(p.kw)}</td>
              <td>{signal(p.flow)}</td>
              <td>{p.rated_kw === undefined ? '—' : `${p.rated_kw} kW`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The station model as JSON (station.json's shape), with a suggestion from the data, saved whole. */
function ModelEditor({ settings, onSaved }: { settings: StationSettings; onSaved: () => void }) {
  const [text, setText] = useState(() => JSON.stringify(settings.config, null, 2));
  const [reasons, setReasons] = useState<string[] | null>(settings.suggested ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const suggest = async () => {
    setBusy(true);
    setError(null);
    try {
      const suggestion = await api.call('station.suggest', {});
      setText(JSON.stringify(suggestion.input.model, null, 2));
      setReasons(suggestion.reasons);
    } catch (e) {
      setError(e as ApiErrorValue);
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      let model: Record<string, unknown>;
      try {
        model = JSON.parse(text);
      } catch {
        throw { code: 'bad_input', message: 'The model is not valid JSON: check the commas and quotes.' };
      }
      await api.call('station.setModel', { model });
      onSaved();
    } catch (e) {
      setError(e as ApiErrorValue);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="model-editor">
      <summary>Edit the station model (station.json)</summary>
      {reasons && (
        <ul className="small" data-testid="suggestion-reasons">
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      <textarea
        aria-label="Station model JSON"
        spellCheck={false}
        rows={16}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {error && <ErrorNote message={error.message} />}
      <div className="form-row">
        <button type="button" disabled={busy} onClick={() => void suggest()}>
          Suggest from the data
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
          {busy ? 'Rebuilding…' : 'Save model and rebuild tables'}
        </button>
      </div>
    </details>
  );
}

/** The station model and its constants: editable; values derived from the data are marked. */
export function StationSettingsPanel() {
  const settings = useApi('station.settings', {});
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const [editorKey, setEditorKey] = useState(0);

  useEffect(() => {
    if (!settings.data) return;
    const c = settings.data.config;
    setDraft(Object.fromEntries(FIELDS.map(({ key, read }) => [key, String(read(c) ?? '')])));
  }, [settings.data]);

  if (!settings.data) return null;
  const { config, derived, suggested, assumed } = settings.data;
  const fields = FIELDS.filter((f) => f.shown(config));
  const shape = apiParams['station.update'].shape;
  const problems: Partial<Record<StationField, string | null>> = Object.fromEntries(
    fields.map(({ key }) => [
      key,
      key in shape ? fieldProblem(shape[key as keyof typeof shape], numberOf(draft[key] ?? '')) : null,
    ]),
  );
  const invalid = Object.values(problems).some((p) => p !== null);
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const update = Object.fromEntries(
        fields
          .filter(({ key, read }) => draft[key] !== String(read(config) ?? ''))
          .map(({ key }) => [key, numberOf(draft[key] ?? '')]),
      );
      await api.call('station.update', update);
    } catch (e) {
      setError(e as ApiErrorValue);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Panel title={assumed ? 'Station: no model yet' : `Station: ${config.name}`}>
      {assumed && (
        <p className="muted small" data-testid="model-assumed">
          No station model yet: until an import or a station.json sets one, the seed's six-pump station below is
          assumed. A first export with other tag names proposes a model from its data.
        </p>
      )}
      {suggested && (
        <p className="warning" data-testid="model-suggested">
          ⚠ This station model was suggested from the data (tag names, units, values). Check it below, correct it if
          needed, and save it.
        </p>
      )}
      <ModelTable model={config} />
      <div className="settings-grid">
        {fields.map(({ key, label, unit }) => (
          <Field
            key={key}
            label={
              <>
                {label(config)} ({unit(config)}){' '}
                {derived.includes(key) && (
                  <span className="badge" title="Not in station.json: derived from the data">
                    derived
                  </span>
                )}
              </>
            }
            value={draft[key] ?? ''}
            onChange={(text) => setDraft({ ...draft, [key]: text })}
            problem={problems[key] ?? null}
            inputMode="decimal"
          />
        ))}
      </div>
      <p className="small muted">
        Peak tariff hours: {config.peak_hours.map(([a, b]) => `${a}:00–${b}:00`).join(', ')}. Saving recomputes the
        derived columns and tables.
      </p>
      {error && <ErrorNote message={error.message} />}
      <button type="button" className="primary" disabled={saving || invalid} onClick={() => void save()}>
        {saving ? 'Recomputing…' : 'Save constants'}
      </button>
      <ModelEditor key={editorKey} settings={settings.data} onSaved={() => setEditorKey((k) => k + 1)} />
    </Panel>
  );
}
