import { useCallback, useRef, useState } from 'react';
import type {
  FilePreview,
  HistorianImportSummary,
  ImportResult,
  Progress,
  StationSuggestion,
} from '../../src-shared/api/contract';
import type { ApiErrorValue } from '../../src-shared/api/errors';
import type { StationModel } from '../../src-shared/station/model';
import { api } from '../api';
import { ErrorNote, Panel } from '../components/Panel';
import { ProgressBar, progressText } from '../components/ProgressBar';
import { TableWrap } from '../components/TableWrap';
import { fmt, formatBytes } from '../format';
import { uploadFile } from '../upload';
import { ModelTable, StationSettingsPanel } from './StationSettings';

const KIND_LABEL: Record<FilePreview['kind'], string> = {
  historian: 'Historian export',
  'tag-table': 'Tag table (TagName, TTagIndex)',
  baselines: 'Pump baselines',
  wide: 'Wide CSV (a time column, one column per signal)',
  'station-json': 'Station constants (station.json)',
  maintenance: 'Maintenance log (pump, date, kind: failure, repair, overhaul)',
};

const LAYOUT_LABEL: Record<NonNullable<FilePreview['sourceLayout']>, string> = {
  seed: 'narrow, seed layout (Timestamp, Marker, TagIndex, Value)',
  rsview: 'narrow, RSView32 / FactoryTalk layout (Date, Time, TagIndex, Value, Status, Marker)',
  wide: 'station-wide: one column per signal',
  'rsview-dbf': 'RSView32 / FactoryTalk dBase log, narrow',
  'rsview-wide-dbf': 'RSView32 dBase log, wide',
};

/** How a wide file is imported: as station signals (historian) or as one pump's operational data. */
type WideAs = 'station' | 'pump';

type Stage = 'uploading' | 'ready' | 'importing' | 'done' | 'failed';

interface Entry {
  id: number;
  name: string;
  /** The file itself: the main side removes its uploaded copy once imported, "Import again" sends it again. */
  file: File;
  stage: Stage;
  upload: number;
  preview?: FilePreview;
  progress?: Progress;
  /** The steps the import went through, in order, shown with the summary. */
  steps: string[];
  result?: ImportResult;
  error?: ApiErrorValue;
  pump: string;
  mapping: Partial<Record<'flow' | 'head' | 'power' | 'efficiency', string>>;
  dateOrder?: 'mdy' | 'dmy';
  tagTable?: string;
  wideAs: WideAs;
  controller?: AbortController;
  /** A station model imported after this file recomputed every table: their rows now. */
  recomputed?: Record<string, number>;
}

/** The order "Import all" takes: the station's model first, so data is read with its limits (not the data's). */
const IMPORT_ORDER: Record<FilePreview['kind'], number> = {
  'station-json': 0,
  baselines: 1,
  maintenance: 2,
  'tag-table': 3,
  historian: 4,
  wide: 4,
};

const DATE_ORDER_LABEL = { mdy: 'month/day/year', dmy: 'day/month/year', ymd: 'year-month-day' } as const;

let nextId = 1;

/** What an import refused to decide alone (the date order, dropping most of a file, the station model). */
const needsChoice = (error: ApiErrorValue | undefined) =>
  (error?.details as { needsChoice?: string } | undefined)?.needsChoice;

/** The first file of a project with its own tag names: the model suggested from it, to confirm or correct. */
function SuggestedModel({
  suggestion,
  onImport,
}: {
  suggestion: StationSuggestion;
  onImport: (model: Record<string, unknown>) => void;
}) {
  const [text, setText] = useState(() => JSON.stringify(suggestion.input.model, null, 2));
  let model: StationModel | null = null;
  try {
    model = JSON.parse(text) as StationModel;
  } catch {
    model = null;
  }
  return (
    <div className="suggested-model" data-testid="suggested-model">
      <h3>Station model suggested from this file</h3>
      <p className="small">
        Its tags are not the seed's and this project has no station model yet. PumpDeck read the tag names, units and
        values and proposes the model below: nothing is imported until you confirm it (or correct it first).
      </p>
      <ul className="small" data-testid="suggestion-reasons">
        {suggestion.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {suggestion.unmapped.length > 0 && (
        <p className="small muted">Kept as raw tags (chartable, no role): {suggestion.unmapped.join(', ')}</p>
      )}
      {model?.pumps ? <ModelTable model={model} /> : <ErrorNote message="The model is not valid JSON." />}
      <details>
        <summary>Correct it (station.json)</summary>
        <textarea
          aria-label="Suggested station model JSON"
          spellCheck={false}
          rows={14}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </details>
      <button
        type="button"
        className="primary"
        disabled={!model?.pumps}
        onClick={() => model && onImport(model as unknown as Record<string, unknown>)}
      >
        Import with this model
      </button>
    </div>
  );
}

function PreviewTable({ preview }: { preview: FilePreview }) {
  return (
    <TableWrap label="File preview">
      <table className="data" aria-label={`Preview of ${preview.name}`}>
        <thead>
          <tr>
            {preview.columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.preview.slice(0, 6).map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed preview of the file's first rows: the row number is its identity
            <tr key={i}>
              {preview.columns.map((_, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a cell is its column
                <td key={j}>{row[j]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function HistorianSummary({ summary: s, steps }: { summary: HistorianImportSummary; steps: string[] }) {
  const statusDrops = Object.entries(s.dropped.status);
  return (
    <ul className="small">
      <li>
        {fmt(s.samplesRead)} samples read ({fmt(s.rowsRead)} rows), {fmt(s.samplesKept)} kept; dropped:{' '}
        {fmt(s.dropped.ended)} by marker E (logging ended), {fmt(s.dropped.marker)} by another marker,{' '}
        {statusDrops.length ? statusDrops.map(([code, n]) => `${fmt(n)} by Status ${code}`).join(', ') : '0 by Status'},{' '}
        {fmt(s.dropped.nonFinite)} infinite values; {fmt(s.dropped.superseded)} repeated in their minute;{' '}
        {fmt(s.missingValues)} missing values stored as empty
      </li>
      <li>
        Logged every {s.interval} min · {fmt(s.tags)} tags{s.newTags.length ? ` (${s.newTags.length} new)` : ''}
        {s.tagTable
          ? ` · tag table ${s.tagTable.path.split(/[\\/]/).pop()}${s.tagTable.found ? ' (found beside the log)' : ''}`
          : ''}
      </li>
      <li>
        Tables:{' '}
        {Object.entries(s.tables)
          .map(([t, n]) => `${t} ${fmt(n)}`)
          .join(' · ')}
      </li>
      <li data-testid="date-order-used">
        {s.dateOrder
          ? `Dates read as ${DATE_ORDER_LABEL[s.dateOrder]}`
          : 'Dates read as written: year first or typed, no day/month order to choose'}
      </li>
      <li>{s.seconds} s</li>
      <li data-testid="import-steps">Steps: {steps.join(' → ')}</li>
    </ul>
  );
}

export function ImportPage() {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const update = useCallback(
    (id: number, patch: Partial<Entry>) =>
      setEntries((list) => list.map((e) => (e.id === id ? { ...e, ...patch } : e))),
    [],
  );

  const addFiles = useCallback(
    (files: FileList | File[]) => {
      for (const file of Array.from(files)) {
        const id = nextId++;
        setEntries((list) => [
          ...list,
          {
            id,
            name: file.name,
            file,
            stage: 'uploading',
            upload: 0,
            pump: file.name.replace(/\.[^.]+$/, ''),
            mapping: {},
            steps: [],
            wideAs: 'station',
          },
        ]);
        void (async () => {
          try {
            const ref = await uploadFile(file, (f) => update(id, { upload: f }));
            const preview = await api.call('import.preview', { file: ref });
            // Seed 000's per-pump columns (flow and head in gpm and psi) mean one pump's data.
            const pumpData = !!(preview.suggestedMapping?.flow && preview.suggestedMapping?.head);
            update(id, {
              stage: 'ready',
              preview,
              mapping: preview.suggestedMapping ?? {},
              wideAs: pumpData ? 'pump' : 'station',
            });
          } catch (error) {
            update(id, { stage: 'failed', error: error as ApiErrorValue });
          }
        })();
      }
    },
    [update],
  );

  const tagTables = entries.filter((e) => e.preview?.kind === 'tag-table');
  const remove = (id: number) => setEntries((list) => list.filter((e) => e.id !== id));

  const run = async (entry: Entry, allowDrops = false, station?: Record<string, unknown>) => {
    let preview = entry.preview;
    if (!preview) return; // the Import button shows only once the file is previewed
    const controller = new AbortController();
    update(entry.id, { stage: 'importing', controller, progress: undefined, error: undefined, steps: [] });
    if (entry.stage === 'done') {
      // Imported before: its uploaded copy is gone (issue 35), so it goes up again.
      try {
        preview = { ...preview, file: await uploadFile(entry.file, () => {}, controller.signal) };
        update(entry.id, { preview });
      } catch (error) {
        update(entry.id, { stage: 'failed', error: error as ApiErrorValue, controller: undefined });
        return;
      }
    }
    const onProgress = (progress: Progress) =>
      setEntries((list) =>
        list.map((e) =>
          e.id === entry.id
            ? { ...e, progress, steps: e.steps.at(-1) === progress.phase ? e.steps : [...e.steps, progress.phase] }
            : e,
        ),
      );
    try {
      let result: ImportResult;
      if (preview.kind === 'historian' || (preview.kind === 'wide' && entry.wideAs === 'station')) {
        const tagTable = preview.kind === 'historian' ? (entry.tagTable ?? tagTables[0]?.preview?.file) : undefined;
        result = await api.call(
          'import.run',
          {
            kind: 'historian',
            file: preview.file,
            tagTable,
            dateOrder: entry.dateOrder,
            allowDrops: allowDrops || undefined,
            station,
          },
          { onProgress, signal: controller.signal },
        );
      } else if (preview.kind === 'wide') {
        result = await api.call(
          'import.run',
          { kind: 'wide', file: preview.file, pump: entry.pump, mapping: entry.mapping },
          { onProgress, signal: controller.signal },
        );
      } else if (preview.kind === 'baselines' || preview.kind === 'maintenance') {
        result = await api.call('import.run', { kind: preview.kind, file: preview.file });
      } else {
        result = await api.call('import.run', { kind: 'station', file: preview.file });
      }
      update(entry.id, { stage: 'done', result, controller: undefined });
      const tables = result.tables;
      if (tables)
        setEntries((list) =>
          list.map((e) => (e.id !== entry.id && e.result?.historian ? { ...e, recomputed: tables } : e)),
        );
    } catch (error) {
      update(entry.id, { stage: 'failed', error: error as ApiErrorValue, controller: undefined });
    }
  };

  const queued = entries
    .filter((e) => e.stage === 'ready' && e.preview && e.preview.kind !== 'tag-table')
    .sort(
      (a, b) =>
        // biome-ignore lint/style/noNonNullAssertion: filtered to previewed entries above
        IMPORT_ORDER[a.preview!.kind] - IMPORT_ORDER[b.preview!.kind] || a.name.localeCompare(b.name),
    );
  const importAll = async () => {
    for (const entry of queued) await run(entry);
  };

  return (
    <div className="page import">
      <header className="page-head">
        <div>
          <h1>Import</h1>
          <p className="muted">
            Historian exports (seed or FactoryTalk layout, with a tag table), wide CSVs, pump baselines and
            station.json. Each import is all or nothing.
          </p>
        </div>
        {queued.length > 0 && (
          <div className="head-actions">
            <button type="button" className="primary" onClick={() => void importAll()} data-testid="import-all">
              Import all ({queued.length})
            </button>
            <span className="small muted">station.json first, then baselines and maintenance, then data</span>
          </div>
        )}
      </header>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping files is a mouse gesture; the Choose files button inside is the keyboard way */}
      <div
        className={`dropzone ${dragging ? 'dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          addFiles(e.dataTransfer.files);
        }}
      >
        <p>Drop files here, or</p>
        <button type="button" className="primary" onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          accept=".csv,.txt,.tsv,.json,.dbf,.dat,.DBF,.DAT"
          onChange={(e) => e.target.files && addFiles(e.target.files)}
        />
      </div>

      {entries.map((entry) => {
        const p = entry.preview;
        const importable = p && p.kind !== 'tag-table';
        return (
          <Panel key={entry.id} title={entry.name} className="import-entry">
            {entry.stage === 'uploading' && (
              <ProgressBar fraction={entry.upload} label={`Uploading ${Math.round(entry.upload * 100)} %`} />
            )}
            {p && (
              <>
                <p data-testid="detected-kind">
                  <strong>{KIND_LABEL[p.kind]}</strong>
                  {p.sourceLayout && p.kind === 'historian' ? ` (${LAYOUT_LABEL[p.sourceLayout]})` : ''} ·{' '}
                  {formatBytes(p.bytes)}
                  {p.dateOrder && p.dateOrder !== 'ymd'
                    ? ` · dates ${p.dateOrder === 'ambiguous' ? 'M/D or D/M in the first rows (the whole file decides, or choose)' : p.dateOrder === 'mdy' ? 'month/day/year' : 'day/month/year'}`
                    : ''}
                </p>
                {p.columns.length > 0 && <PreviewTable preview={p} />}
                {p.kind === 'wide' && (
                  <div className="form-row" role="radiogroup" aria-label="Import as">
                    <label>
                      <input
                        type="radio"
                        checked={entry.wideAs === 'station'}
                        onChange={() => update(entry.id, { wideAs: 'station' })}
                      />{' '}
                      Station signals (each column a tag)
                    </label>
                    <label>
                      <input
                        type="radio"
                        checked={entry.wideAs === 'pump'}
                        onChange={() => update(entry.id, { wideAs: 'pump' })}
                      />{' '}
                      One pump's operational data (wide CSV)
                    </label>
                  </div>
                )}
                {(p.kind === 'historian' || (p.kind === 'wide' && entry.wideAs === 'station')) && (
                  <div className="form-row">
                    {/* A tag table names a narrow log's tag indices; a wide file names its columns itself. */}
                    {p.kind === 'historian' && p.sourceLayout !== 'wide' && p.sourceLayout !== 'rsview-wide-dbf' && (
                      <label>
                        Tag table{' '}
                        <select
                          value={entry.tagTable ?? tagTables[0]?.preview?.file ?? ''}
                          onChange={(e) => update(entry.id, { tagTable: e.target.value || undefined })}
                        >
                          <option value="">Default order (27 seed tags)</option>
                          {tagTables.map((t) => (
                            <option key={t.id} value={t.preview?.file}>
                              {t.name}
                            </option>
                          ))}
                        </select>
                      </label>
                    )}
                    <label>
                      Date order{' '}
                      <select
                        value={entry.dateOrder ?? ''}
                        onChange={(e) =>
                          update(entry.id, { dateOrder: (e.target.value || undefined) as Entry['dateOrder'] })
                        }
                      >
                        <option value="">Detect</option>
                        <option value="mdy">Month/Day/Year</option>
                        <option value="dmy">Day/Month/Year</option>
                      </select>
                    </label>
                  </div>
                )}
                {p.kind === 'wide' && entry.wideAs === 'pump' && (
                  <div className="form-row">
                    <label>
                      Pump{' '}
                      <input
                        value={entry.pump}
                        onChange={(e) => update(entry.id, { pump: e.target.value })}
                        aria-label="Pump id"
                      />
                    </label>
                    {(['flow', 'head', 'power', 'efficiency'] as const).map((param) => (
                      <label key={param}>
                        {param}{' '}
                        <select
                          value={entry.mapping[param] ?? ''}
                          onChange={(e) =>
                            update(entry.id, { mapping: { ...entry.mapping, [param]: e.target.value || undefined } })
                          }
                        >
                          <option value="">—</option>
                          {p.columns
                            .filter((c) => c !== p.timeColumn)
                            .map((c) => (
                              <option key={c}>{c}</option>
                            ))}
                        </select>
                      </label>
                    ))}
                  </div>
                )}
              </>
            )}
            {entry.stage === 'importing' && (
              <div className="form-row">
                <ProgressBar fraction={entry.progress?.fraction ?? null} label={progressText(entry.progress)} />
                <button type="button" onClick={() => entry.controller?.abort()}>
                  Cancel
                </button>
              </div>
            )}
            {entry.error && needsChoice(entry.error) !== 'station' && <ErrorNote message={entry.error.message} />}
            {needsChoice(entry.error) === 'station' && (
              <SuggestedModel
                suggestion={
                  (entry.error?.details as { suggestion: StationSuggestion } | undefined)
                    ?.suggestion as StationSuggestion
                }
                onImport={(model) => void run(entry, false, model)}
              />
            )}
            {needsChoice(entry.error) === 'allowDrops' && (
              <button type="button" onClick={() => void run(entry, true)}>
                Import anyway, dropping those samples
              </button>
            )}
            {entry.result && (
              <div className="summary" data-testid="import-summary">
                {entry.result.warnings.map((w) => (
                  <p key={w} className="warning">
                    ⚠ {w}
                  </p>
                ))}
                <p>
                  <strong>Imported:</strong> {entry.result.message}
                </p>
                {entry.result.historian && <HistorianSummary summary={entry.result.historian} steps={entry.steps} />}
                {entry.result.retrain && (
                  <p className="small" data-testid="retrain">
                    {entry.result.retrain}
                  </p>
                )}
                {entry.recomputed && (
                  <p className="warning" data-testid="recomputed">
                    A station model imported after this file recomputed every table:{' '}
                    {Object.entries(entry.recomputed)
                      .map(([t, n]) => `${t} ${fmt(n)}`)
                      .join(' · ')}{' '}
                    (the counts above were before it).
                  </p>
                )}
              </div>
            )}
            <div className="form-row">
              {importable &&
                needsChoice(entry.error) !== 'station' &&
                (entry.stage === 'ready' || entry.stage === 'failed' || entry.stage === 'done') && (
                  <button type="button" className="primary" onClick={() => void run(entry)}>
                    {entry.stage === 'done' ? 'Import again' : 'Import'}
                  </button>
                )}
              {entry.stage !== 'importing' && entry.stage !== 'uploading' && (
                <button
                  type="button"
                  onClick={() => remove(entry.id)}
                  aria-label={`Remove ${entry.name} from the list`}
                >
                  Remove
                </button>
              )}
            </div>
          </Panel>
        );
      })}
      <StationSettingsPanel />
    </div>
  );
}
