import { useEffect, useState } from 'react';
import type { StationField } from '../../src-shared/api/contract';
import type { ApiErrorValue } from '../../src-shared/api/errors';
import { api } from '../api';
import { ErrorNote, Panel } from '../components/Panel';
import { useApi } from '../useApi';

const FIELDS: Array<{ key: StationField; label: string; unit: (u: { level: string; flow: string }) => string }> = [
  { key: 'rated_kw', label: 'Rated motor power', unit: () => 'kW' },
  { key: 'hlt_physical_max', label: 'HLT101 physical maximum', unit: (u) => u.level },
  { key: 'fit101_physical_max', label: 'FIT101 maximum flow', unit: (u) => u.flow },
  { key: 'daily_energy_budget_kwh', label: 'Daily energy budget', unit: () => 'kWh' },
];

/** Station constants (seed 002 §8.3): editable; values derived from the data are marked. */
export function StationSettingsPanel() {
  const settings = useApi('station.settings', {});
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiErrorValue | null>(null);

  useEffect(() => {
    if (!settings.data) return;
    const c = settings.data.config;
    setDraft(
      Object.fromEntries(
        FIELDS.map(({ key }) => [key, typeof c[key] === 'number' ? String(c[key]) : JSON.stringify(c[key])]),
      ),
    );
  }, [settings.data]);

  if (!settings.data) return null;
  const { config, derived } = settings.data;
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const update = Object.fromEntries(
        FIELDS.filter(({ key }) => draft[key] !== String(config[key])).map(({ key }) => [key, Number(draft[key])]),
      );
      await api.call('station.update', update);
    } catch (e) {
      setError(e as ApiErrorValue);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Panel title="Station constants">
      <div className="settings-grid">
        {FIELDS.map(({ key, label, unit }) => (
          <label key={key}>
            <span>
              {label} ({unit(config.units)}){' '}
              {derived.includes(key) && (
                <span className="badge" title="Not in station.json: derived from the data">
                  derived
                </span>
              )}
            </span>
            <input
              inputMode="decimal"
              value={draft[key] ?? ''}
              onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
              aria-label={label}
            />
          </label>
        ))}
      </div>
      <p className="small muted">
        Peak tariff hours: {config.peak_hours.map(([a, b]) => `${a}:00–${b}:00`).join(', ')}. Saving recomputes the
        derived columns and tables.
      </p>
      {error && <ErrorNote message={error.message} />}
      <button type="button" className="primary" disabled={saving} onClick={() => void save()}>
        {saving ? 'Recomputing…' : 'Save constants'}
      </button>
    </Panel>
  );
}
