import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AskAnswer, SqlResult, SqlSchema } from '../../src-shared/api/contract';
import { exampleFor, INTENTS } from '../../src-shared/ask/intents';
import { CSS_PALETTE } from '../../src-shared/charts/palette';
import { resultChart } from '../../src-shared/charts/resultCharts';
import { chartForResult, type ResultChart } from '../../src-shared/sql/resultChart';
import { api } from '../api';
import { ErrorNote, Panel } from '../components/Panel';
import { PlotFigure } from '../components/PlotFigure';
import { ResultTable } from '../components/ResultTable';
import { SqlEditor } from '../components/SqlEditor';
import { download } from '../download';
import { fmt } from '../format';
import { type ApiState, useApi } from '../useApi';
import { useLongCall } from '../useLongCall';

// Ask the data (issue 17): plain-language questions answered offline with their SQL shown, and a
// read-only SQL console over a snapshot of the project (src-main/sql/consoleSandbox.ts).

const DRAFT_KEY = 'pumpdeck.console.sql';
const FIRST_QUERY = 'SELECT date, total_kwh, total_flow\nFROM daily_summary\nORDER BY date';

function Chart({
  columns,
  rows,
  chart,
  label,
}: {
  columns: string[];
  rows: unknown[][];
  chart: ResultChart;
  label: string;
}) {
  const options = useCallback(
    (width: number) => resultChart(columns, rows, chart, CSS_PALETTE, width),
    [columns, rows, chart],
  );
  return <PlotFigure options={options} label={label} />;
}

/** The optional language model: off by default; the key is written, never shown again. */
function ModelSettings() {
  const saved = useApi('ask.model', {});
  const [draft, setDraft] = useState<{ enabled: boolean; url: string; model: string } | null>(null);
  const [key, setKey] = useState('');
  const { busy, error, run } = useLongCall();
  const current = draft ?? saved.data ?? { enabled: false, url: '', model: '' };
  const edit = (patch: Partial<typeof current>) => setDraft({ ...current, ...patch });
  const save = () =>
    run('Saving', async () => {
      await api.call('ask.configureModel', {
        enabled: current.enabled,
        url: current.url.trim(),
        model: current.model.trim(),
        ...(key ? { key } : {}),
      });
      setKey('');
      setDraft(null);
      saved.reload();
    });
  return (
    <details className="model-settings">
      <summary>
        Language model:{' '}
        <span data-testid="model-state">{saved.data?.enabled ? `on (${saved.data.model})` : 'off'}</span>
      </summary>
      <p className="muted small">
        For questions the built-in answers do not cover, an OpenAI-compatible endpoint (a local one such as Ollama's, or
        a hosted one) can write the SQL. It is sent the table and column names and the question, never a row; its SQL
        runs read-only here and is shown with the answer.
      </p>
      <div className="form-row">
        <label className="check">
          <input type="checkbox" checked={current.enabled} onChange={(e) => edit({ enabled: e.target.checked })} />
          Use a language model
        </label>
        <input
          aria-label="Model endpoint"
          placeholder="http://127.0.0.1:11434/v1"
          value={current.url}
          onChange={(e) => edit({ url: e.target.value })}
        />
        <input
          aria-label="Model name"
          placeholder="model"
          value={current.model}
          onChange={(e) => edit({ model: e.target.value })}
        />
        <input
          aria-label="API key"
          type="password"
          autoComplete="off"
          placeholder={saved.data?.hasKey ? 'key saved; type to replace' : 'key (optional)'}
          value={key}
          onChange={(e) => setKey(e.target.value)}
        />
        <button type="button" onClick={save} disabled={!!busy}>
          Save settings
        </button>
      </div>
      {error && <ErrorNote message={error} />}
    </details>
  );
}

function Ask({ onOpen }: { onOpen(sql: string): void }) {
  const pumps = useApi('station.config', {}).data?.pumps.map((p) => p.id) ?? [];
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState<AskAnswer | null>(null);
  const { busy, error, run } = useLongCall();
  const ask = (q = question) => {
    if (!q.trim()) return;
    setQuestion(q);
    void run('Asking', async (signal) => setAnswer(await api.call('ask.question', { question: q.trim() }, { signal })));
  };
  const chart = useMemo<ResultChart | null>(() => {
    if (!answer?.chart) return null;
    return {
      kind: answer.chart.kind,
      x: answer.columns.indexOf(answer.chart.x),
      ys: [answer.columns.indexOf(answer.chart.y)],
    };
  }, [answer]);

  return (
    <Panel title="Ask">
      <form
        className="form-row"
        onSubmit={(event) => {
          event.preventDefault();
          ask();
        }}
      >
        <input
          aria-label="Question"
          className="ask-input"
          placeholder="Which pump ran most this week?"
          value={question}
          maxLength={500}
          onChange={(event) => setQuestion(event.target.value)}
        />
        <button type="submit" className="primary" disabled={!!busy || !question.trim()}>
          Ask
        </button>
        <span className="muted small">
          Answered on this computer from the station tables; nothing is sent anywhere.
        </span>
      </form>
      {error && <ErrorNote message={error} />}
      <ModelSettings />
      {answer && (
        <div className="ask-answer">
          <p data-testid="ask-answer">{answer.intent ? answer.answer : 'I do not know how to answer that yet.'}</p>
          {answer.intent === 'language-model' && (
            <p className="warning small" data-testid="model-written">
              Written by the language model, not by PumpDeck's built-in answers: read the SQL before you trust it.
            </p>
          )}
          {!answer.intent && (
            <div className="form-row">
              <span className="muted">Try:</span>
              {INTENTS.map((i) => (
                <button key={i.id} type="button" className="suggestion" onClick={() => ask(exampleFor(i, pumps))}>
                  {exampleFor(i, pumps)}
                </button>
              ))}
            </div>
          )}
          {answer.sql !== null && (
            <>
              <div className="form-row">
                <span className="muted small">The SQL that answered it:</span>
                <button type="button" onClick={() => answer.sql && onOpen(answer.sql)}>
                  Open in console
                </button>
              </div>
              <pre className="sql-text" data-testid="ask-sql">
                {answer.sql}
              </pre>
            </>
          )}
          {chart && chart.x >= 0 && chart.ys[0] >= 0 && (
            <Chart columns={answer.columns} rows={answer.rows} chart={chart} label="Answer chart" />
          )}
        </div>
      )}
    </Panel>
  );
}

function SchemaBrowser({ schema, onQuery }: { schema: ApiState<SqlSchema>; onQuery(sql: string): void }) {
  if (schema.error) return <ErrorNote message={schema.error.message} />;
  return (
    <nav className="schema" aria-label="Schema">
      {schema.data?.tables.map((t) => (
        <details key={t.name}>
          <summary title={t.description ?? undefined}>
            <span className="schema-table">{t.name}</span>{' '}
            <span className="muted small">{t.rows.toLocaleString()}</span>
          </summary>
          <button type="button" className="ghost small" onClick={() => onQuery(`SELECT *\nFROM ${t.name}\nLIMIT 100`)}>
            SELECT * from {t.name}
          </button>
          <ul>
            {t.columns.map((c) => (
              <li key={c.name} title={c.description ?? undefined}>
                {c.name} <span className="muted small">{c.type}</span>
                {c.description && <div className="muted small">{c.description}</div>}
              </li>
            ))}
          </ul>
        </details>
      ))}
    </nav>
  );
}

function SavedAndHistory({ onOpen, generation }: { onOpen(sql: string): void; generation: number }) {
  const saved = useApi('sql.saved', {});
  const history = useApi('sql.history', { limit: 30 });
  const { reload: reloadSaved } = saved;
  const { reload: reloadHistory } = history;
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the trigger: a query ran or was saved
  useEffect(() => {
    reloadSaved();
    reloadHistory();
  }, [generation, reloadSaved, reloadHistory]);
  return (
    <div className="console-lists">
      <h3>Saved queries</h3>
      {!saved.data?.length && <p className="muted small">None yet: name a query and save it.</p>}
      <ul className="plain" aria-label="Saved queries">
        {saved.data?.map((q) => (
          <li key={q.name}>
            <button type="button" className="link" title={q.sql} onClick={() => onOpen(q.sql)}>
              {q.name}
            </button>
            <button
              type="button"
              className="ghost small"
              aria-label={`Forget ${q.name}`}
              onClick={() => api.call('sql.forget', { name: q.name }).then(reloadSaved)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <h3>History</h3>
      <ul className="plain history" aria-label="History">
        {history.data?.map((h) => (
          <li key={`${h.at}-${h.sql}`}>
            <button type="button" className="link" title={h.sql} onClick={() => onOpen(h.sql)}>
              {h.sql.replace(/\s+/g, ' ').slice(0, 60)}
            </button>
            <div className="muted small">
              {h.at} · {h.error ? 'error' : `${h.rows} rows, ${fmt(h.seconds ?? 0, 2)} s`}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ConsolePage() {
  const [text, setText] = useState(() => localStorage.getItem(DRAFT_KEY) ?? FIRST_QUERY);
  const [result, setResult] = useState<SqlResult | null>(null);
  const [view, setView] = useState<'table' | 'chart'>('table');
  const [name, setName] = useState('');
  const [generation, setGeneration] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useLongCall();
  const schema = useApi('sql.schema', {});
  const completion = useMemo(
    () => Object.fromEntries((schema.data?.tables ?? []).map((t) => [t.name, t.columns.map((c) => c.name)])),
    [schema.data],
  );
  const textRef = useRef(text);
  textRef.current = text;

  useEffect(() => localStorage.setItem(DRAFT_KEY, text), [text]);

  const runQuery = useCallback(
    (sql = textRef.current) => {
      if (!sql.trim()) return;
      setNotice(null);
      void run(
        'Running',
        async (signal) => {
          try {
            setResult(await api.call('sql.run', { sql }, { signal }));
          } finally {
            setGeneration((g) => g + 1);
          }
        },
        'Cancelled: the query was stopped.',
      );
    },
    [run],
  );
  const open = (sql: string, andRun = false) => {
    setText(sql);
    if (andRun) runQuery(sql);
  };
  const exportAs = (format: 'csv' | 'parquet') =>
    run(`Exporting ${format.toUpperCase()}`, async (signal) => {
      const file = await api.call('sql.export', { sql: text, format }, { signal });
      await download(file.id, file.name, format === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet');
      setNotice(`Exported ${file.rows.toLocaleString()} rows as ${file.name} (${fmt(file.bytes / 1024, 1)} kB).`);
    });
  const save = () =>
    run('Saving', async () => {
      await api.call('sql.save', { name: name.trim(), sql: text });
      setNotice(`Saved as “${name.trim()}”.`);
      setName('');
      setGeneration((g) => g + 1);
    });
  const chart = result ? chartForResult(result.columns, result.rows.length) : null;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Console</h1>
          <p className="muted">
            Ask in plain words, or write read-only SQL over this project's tables. Files, the network and other
            databases are out of reach.
          </p>
        </div>
      </div>
      <Ask onOpen={(sql) => open(sql, true)} />
      <div className="console">
        <Panel title="Tables" className="console-side">
          <SchemaBrowser schema={schema} onQuery={(sql) => open(sql)} />
          <SavedAndHistory onOpen={(sql) => open(sql)} generation={generation} />
        </Panel>
        <Panel title="SQL" className="console-main">
          <SqlEditor value={text} onChange={setText} onRun={() => runQuery()} schema={completion} />
          <div className="form-row">
            <button type="button" className="primary" onClick={() => runQuery()} disabled={!!busy} title="Ctrl+Enter">
              Run
            </button>
            {busy && (
              <>
                <span className="muted" role="status">
                  {busy.what}…
                </span>
                <button type="button" onClick={busy.cancel}>
                  Cancel
                </button>
              </>
            )}
            <span className="spacer" />
            <input aria-label="Query name" placeholder="name" value={name} onChange={(e) => setName(e.target.value)} />
            <button type="button" onClick={save} disabled={!name.trim() || !text.trim() || !!busy}>
              Save
            </button>
            <button type="button" onClick={() => exportAs('csv')} disabled={!text.trim() || !!busy}>
              Export CSV
            </button>
            <button type="button" onClick={() => exportAs('parquet')} disabled={!text.trim() || !!busy}>
              Export Parquet
            </button>
          </div>
          {error && <ErrorNote message={error} />}
          {notice && <p className="muted small">{notice}</p>}
          {result && (
            <>
              <div className="form-row">
                <span data-testid="result-status">
                  {result.rows.length.toLocaleString()} rows · {fmt(result.seconds, 3)} s
                  {result.truncated && ' · only the first rows are shown; Export writes up to 1,000,000'}
                </span>
                <span className="spacer" />
                <div className="segmented" role="tablist" aria-label="Result view">
                  {(['table', 'chart'] as const).map((v) => (
                    <button
                      key={v}
                      type="button"
                      role="tab"
                      aria-selected={view === v}
                      disabled={v === 'chart' && !chart}
                      title={
                        v === 'chart' && !chart ? 'A chart needs a time or text column and a number column' : undefined
                      }
                      onClick={() => setView(v)}
                    >
                      {v === 'table' ? 'Table' : 'Chart'}
                    </button>
                  ))}
                </div>
              </div>
              {view === 'chart' && chart ? (
                <Chart
                  columns={result.columns.map((c) => c.name)}
                  rows={result.rows}
                  chart={chart}
                  label="Result chart"
                />
              ) : (
                <ResultTable columns={result.columns} rows={result.rows} label="Result" />
              )}
            </>
          )}
        </Panel>
      </div>
    </div>
  );
}
