import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LanguageModelSettings } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { TABLE_DOCS } from '../../src-shared/sql/schemaDocs';
import { dataHome } from '../project';
import { PROJECT_COLUMNS, type SqlSandbox } from '../sql/sandbox';

// The optional language model of the Ask box (issue 17): an OpenAI-compatible chat endpoint the
// user configures, off by default, asked only for questions the intents do not cover. It receives
// the table and column names and the question, never a row; its SQL runs in the same read-only
// sandbox and is shown with the answer. The settings live in PumpDeck's data folder; the key in a
// file of its own that only the user can read (0600), never sent back to the console.

const SETTINGS_FILE = 'language-model.json';
const KEY_FILE = 'language-model.key';
const TIMEOUT_MS = 30_000;

const OFF: LanguageModelSettings = { enabled: false, url: '', model: '', hasKey: false };

export async function readLanguageModel(): Promise<LanguageModelSettings> {
  const path = join(dataHome(), SETTINGS_FILE);
  if (!existsSync(path)) return OFF;
  try {
    const saved = JSON.parse(await readFile(path, 'utf8')) as Partial<LanguageModelSettings>;
    return {
      enabled: saved.enabled === true,
      url: typeof saved.url === 'string' ? saved.url : '',
      model: typeof saved.model === 'string' ? saved.model : '',
      hasKey: existsSync(join(dataHome(), KEY_FILE)),
    };
  } catch {
    return OFF; // a damaged settings file turns the model off rather than calling something unknown
  }
}

/** Saves the settings; `key` undefined keeps the saved key, null removes it. */
export async function saveLanguageModel(
  settings: Omit<LanguageModelSettings, 'hasKey'>,
  key: string | null | undefined,
): Promise<LanguageModelSettings> {
  const home = dataHome();
  await mkdir(home, { recursive: true, mode: 0o700 });
  const { enabled, url, model } = settings;
  await writeFile(join(home, SETTINGS_FILE), `${JSON.stringify({ enabled, url, model }, null, 2)}\n`);
  const keyPath = join(home, KEY_FILE);
  if (key === null) await rm(keyPath, { force: true });
  else if (key !== undefined) {
    await writeFile(keyPath, key, { mode: 0o600 });
    await chmod(keyPath, 0o600); // writeFile's mode applies only when it creates the file
  }
  return readLanguageModel();
}

/** The project's tables as `name(column TYPE, …)` lines with their descriptions: no rows. */
export async function schemaText(sandbox: SqlSandbox): Promise<string> {
  const { rows } = await sandbox.run(
    `SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index)
     FROM duckdb_columns() WHERE ${PROJECT_COLUMNS}
       AND table_name NOT IN ('saved_queries', 'query_history')
     GROUP BY table_name ORDER BY table_name`,
    { maxRows: 1000, timeoutMs: 10_000 },
  );
  return (rows as string[][])
    .map(([table, columns]) => `${table}(${columns})${TABLE_DOCS[table] ? ` -- ${TABLE_DOCS[table]}` : ''}`)
    .join('\n');
}

/** The SQL of the reply: the first fenced block if there is one, else the whole text. */
export function sqlOfReply(text: string): string {
  const fenced = /```(?:sql)?\s*\n([\s\S]*?)```/i.exec(text);
  return (fenced ? fenced[1] : text).trim().replace(/;\s*$/, '');
}

/** Asks the configured endpoint for one DuckDB SELECT answering `question`. */
export async function sqlFromLanguageModel(
  settings: LanguageModelSettings,
  schema: string,
  question: string,
  signal?: AbortSignal,
): Promise<string> {
  const url = new URL('chat/completions', settings.url.endsWith('/') ? settings.url : `${settings.url}/`);
  const key = settings.hasKey ? (await readFile(join(dataHome(), KEY_FILE), 'utf8')).trim() : null;
  const where = `the language model at ${url.host}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({
        model: settings.model,
        temperature: 0,
        messages: [
          {
            role: 'system',
            content: `You write one DuckDB SELECT statement that answers the user's question about a pump station. Reply with the SQL only. Timestamps are local station time without a time zone. The tables:\n${schema}`,
          },
          { role: 'user', content: question },
        ],
      }),
      signal: AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), ...(signal ? [signal] : [])]),
    });
  } catch (error) {
    if (signal?.aborted) throw new ApiError('cancelled', 'the question was cancelled');
    const why =
      (error as Error).name === 'TimeoutError'
        ? `did not answer within ${TIMEOUT_MS / 1000} s`
        : 'could not be reached';
    throw new ApiError('bad_input', `${where} ${why}; check its address in the Console's language model settings`);
  }
  // Only the status is reported: the endpoint's body is not ours to echo.
  if (!response.ok)
    throw new ApiError('bad_input', `${where} answered HTTP ${response.status}; check its settings and key`);
  let content: unknown;
  try {
    const reply = (await response.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
    content = reply.choices?.[0]?.message?.content;
  } catch {
    content = undefined;
  }
  if (typeof content !== 'string' || !content.trim())
    throw new ApiError('bad_input', `${where} did not reply with a chat completion`);
  return sqlOfReply(content);
}
