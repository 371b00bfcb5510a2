import { marked } from 'marked';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, connectionState } from '../api';
import { download } from '../download';
import { useApi } from '../useApi';
import { useLongCall } from '../useLongCall';
import { IsoDateInput } from './IsoDateInput';
import { ErrorNote } from './Panel';
import { BusyBar } from './ProgressBar';

const SECTIONS = [
  ['summary', 'Summary, KPIs and recommendations'],
  ['station', 'Station: level, flow, energy, pump hours'],
  ['alerts', 'Alerts'],
  ['pumps', 'Pump performance'],
  ['models', 'Models (when one is in production)'],
] as const;
type SectionId = (typeof SECTIONS)[number][0];

/** The report's own text only: escape anything that looks like HTML before Markdown parsing. */
const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Period, pumps, sections and format; a preview; build with progress and cancel; print in the app. */
export function ReportDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const columns = useApi('analytics.columns', {});
  const baselines = useApi('performance.baselines', {});
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [pumps, setPumps] = useState<string[] | null>(null);
  const [sections, setSections] = useState<SectionId[]>(SECTIONS.map(([id]) => id));
  const [format, setFormat] = useState<'pdf' | 'zip'>('pdf');
  const { busy, error, run } = useLongCall();
  const [preview, setPreview] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  // The data's range fills the dates the user has not set yet.
  useEffect(() => {
    const first = columns.data?.first?.slice(0, 10);
    const last = columns.data?.last?.slice(0, 10);
    if (first) setFrom((f) => f || first);
    if (last) setTo((t) => t || last);
  }, [columns.data]);

  const request = { from: from || undefined, to: to || undefined, pumps: pumps ?? undefined, sections };
  const onPreview = () =>
    run('Preview', async (signal, onProgress) => {
      setMessage(null);
      const result = await api.call('report.preview', request, { signal, onProgress });
      setPreview(await marked.parse(escapeHtml(result.markdown)));
    });
  const onBuild = () =>
    run('Building', async (signal, onProgress) => {
      setMessage(null);
      const result = await api.call('report.build', { ...request, format }, { signal, onProgress });
      await download(result.reportId, result.name, format === 'pdf' ? 'application/pdf' : 'application/zip');
      setMessage(
        `${result.name}: ${(result.bytes / 1024).toFixed(0)} KB, ${format === 'pdf' ? `${result.pages} pages` : `${result.pages} charts`}, built in ${result.seconds.toFixed(1)} s`,
      );
    });

  const previewHtml = useMemo(() => (preview ? { __html: preview } : null), [preview]);
  const allPumps = baselines.data?.map((b) => b.well_id) ?? [];
  const chosen = pumps ?? allPumps;
  return (
    <dialog ref={dialog} className="report-dialog" aria-label="Report" onClose={onClose}>
      <header className="panel-head">
        <h2>Report</h2>
        <button type="button" className="ghost" onClick={() => dialog.current?.close()} aria-label="Close">
          ✕
        </button>
      </header>
      <div className="report-options">
        <fieldset>
          <legend>Period</legend>
          <IsoDateInput label="Report from" value={from} onChange={setFrom} /> to{' '}
          <IsoDateInput label="Report to" value={to} onChange={setTo} />
        </fieldset>
        <fieldset>
          <legend>Sections</legend>
          {SECTIONS.map(([id, label]) => (
            <label key={id} className="check">
              <input
                type="checkbox"
                checked={sections.includes(id)}
                onChange={(e) =>
                  setSections(
                    e.target.checked
                      ? SECTIONS.map(([s]) => s).filter((s) => s === id || sections.includes(s))
                      : sections.filter((s) => s !== id),
                  )
                }
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Pumps</legend>
          {allPumps.length === 0 && <span className="muted small">no baselines</span>}
          {allPumps.map((pump) => (
            <label key={pump} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(pump)}
                onChange={(e) =>
                  setPumps(
                    e.target.checked
                      ? allPumps.filter((p) => p === pump || chosen.includes(p))
                      : chosen.filter((p) => p !== pump),
                  )
                }
              />{' '}
              {pump}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Format</legend>
          <label className="check">
            <input type="radio" name="report-format" checked={format === 'pdf'} onChange={() => setFormat('pdf')} /> PDF
          </label>
          <label className="check">
            <input type="radio" name="report-format" checked={format === 'zip'} onChange={() => setFormat('zip')} />{' '}
            Markdown with PNG charts (zip)
          </label>
        </fieldset>
      </div>
      <div className="form-row">
        <button type="button" onClick={onPreview} disabled={!!busy || sections.length === 0}>
          Preview
        </button>
        <button type="button" className="primary" onClick={onBuild} disabled={!!busy || sections.length === 0}>
          Build and download
        </button>
        {connectionState() === 'ipc' && preview && (
          <button type="button" onClick={() => window.print()}>
            Print
          </button>
        )}
        <BusyBar busy={busy} />
      </div>
      {message && (
        <p role="status" className="small">
          {message}
        </p>
      )}
      {error && <ErrorNote message={error} />}
      {previewHtml && (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: the report's Markdown is HTML-escaped before marked renders it
        <article className="report-preview" data-testid="report-preview" dangerouslySetInnerHTML={previewHtml} />
      )}
    </dialog>
  );
}
