import { useEffect, useState } from 'react';
import type { AnomalyApiSettings } from '../../src-shared/api/contract';
import { api } from '../api';
import { ErrorNote } from './Panel';

/**
 * The anomaly API the console reads, saved once (issue 35): queries carry no URL. The token is
 * written, never read back: the page only knows whether one is saved.
 */
export function AnomalyApiSettingsForm({ onSaved }: { onSaved: (settings: AnomalyApiSettings) => void }) {
  const [settings, setSettings] = useState<AnomalyApiSettings | null>(null);
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.call('anomalies.settings', {}).then((s) => {
      setSettings(s);
      setUrl(s.url ?? 'http://127.0.0.1:8787');
      onSaved(s);
    });
  }, [onSaved]);
  const save = async () => {
    setError(null);
    try {
      const saved = await api.call('anomalies.configure', {
        url: url.trim(),
        ...(token ? { token } : {}),
        allowHosts: settings?.allowHosts ?? [],
      });
      setSettings(saved);
      setToken('');
      onSaved(saved);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <div className="settings-grid">
        <label>
          API URL
          <input value={url} onChange={(e) => setUrl(e.target.value)} aria-label="API URL" />
        </label>
        <label>
          Bearer token
          <input
            type="password"
            value={token}
            placeholder={settings?.hasToken ? 'saved (type to replace)' : ''}
            onChange={(e) => setToken(e.target.value)}
            aria-label="Bearer token"
          />
        </label>
      </div>
      <div className="form-row">
        <button type="button" onClick={save} disabled={!url.trim()}>
          Save API
        </button>
        <span className="muted small" data-testid="anomaly-api-state">
          {settings?.url
            ? `${settings.url}${settings.hasToken ? ', token saved' : ', no token yet'}`
            : 'no API saved yet'}
        </span>
      </div>
      {error && <ErrorNote message={error} />}
    </>
  );
}
