import { useState } from 'react';
import { api } from '../api';
import { useApi } from '../useApi';
import { IsoDateInput } from './IsoDateInput';
import { ErrorNote, Panel } from './Panel';

/**
 * A pump's maintenance log: failures, repairs and overhauls (the models' labels, the baselines'
 * periods keep clear of them), with a line to add one. On Models and on Pumps.
 */
export function MaintenanceLog({ pump }: { pump: string }) {
  const log = useApi('maintenance.list', { pump });
  const [entry, setEntry] = useState({ at: '', kind: 'failure' as 'failure' | 'repair' | 'overhaul', note: '' });
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    setError(null);
    try {
      await api.call('maintenance.add', { pump, at: entry.at, kind: entry.kind, note: entry.note || null });
      setEntry({ ...entry, note: '' });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Panel title={`Maintenance log of ${pump}`}>
      {log.data?.length === 0 && <p className="muted small">Nothing logged for {pump} yet.</p>}
      <table className="data" aria-label={`Maintenance log of ${pump}`}>
        <thead>
          <tr>
            <th>When</th>
            <th>Kind</th>
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          {log.data?.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the log is append-only: an entry keeps its place
            <tr key={i}>
              <td>{e.at}</td>
              <td>{e.kind}</td>
              <td>{e.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-row">
        <IsoDateInput withTime label="Event time" value={entry.at} onChange={(at) => setEntry({ ...entry, at })} />
        <select
          aria-label="Event kind"
          value={entry.kind}
          onChange={(e) => setEntry({ ...entry, kind: e.target.value as typeof entry.kind })}
        >
          <option value="failure">failure</option>
          <option value="repair">repair</option>
          <option value="overhaul">overhaul</option>
        </select>
        <input
          aria-label="Event note"
          placeholder="note"
          value={entry.note}
          onChange={(e) => setEntry({ ...entry, note: e.target.value })}
        />
        <button type="button" onClick={add} disabled={!entry.at}>
          Add
        </button>
        <span className="muted small">or import a CSV (pump,date,kind,note) on the Import page</span>
      </div>
      {error && <ErrorNote message={error} />}
    </Panel>
  );
}
