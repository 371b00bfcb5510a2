import { stat, writeFile } from 'node:fs/promises';
import type { SavedQuery, SqlHistoryEntry } from '../../../src-shared/api/contract';
import type { Handlers } from '../../../src-shared/api/host';
import { columnDoc, TABLE_DOCS } from '../../../src-shared/sql/schemaDocs';
import { formatTimestamp } from '../../../src-shared/time';
import { askQuestion } from '../../ask/ask';
import { readLanguageModel, saveLanguageModel } from '../../ask/languageModel';
import { resultCsv, writeParquet } from '../../sql/exportResult';
import { PROJECT_COLUMNS } from '../../sql/sandbox';
import { newDownloadPath } from '../downloads';
import type { HandlerScope } from './scope';

// The SQL console and the Ask box (issue 17): user SQL and the questions' SQL run in the sandbox
// over a snapshot of the project; saved queries and the history live in the project itself.

const EXPORT_ROWS = 1_000_000;

/** The SQL console, its schema browser, saved queries, history and exports; plain-language questions. */
// Long because it is the table of the console's methods, each a few lines.
export function consoleHandlers({ requireProject, sandbox }: HandlerScope) {
  const remember = async (sql: string, rows: number | null, seconds: number | null, error: string | null) =>
    requireProject().db.run(`INSERT INTO query_history VALUES (now()::TIMESTAMP, ?, ?, ?, ?)`, [
      sql,
      rows,
      seconds,
      error,
    ]);
  return {
    'sql.run': async ({ sql, maxRows }, { signal }) => {
      const box = await sandbox();
      try {
        const result = await box.run(sql, { maxRows, timeoutMs: 30_000, signal });
        await remember(sql, result.rows.length, result.seconds, null);
        return result;
      } catch (error) {
        await remember(sql, null, null, (error as Error).message.slice(0, 500));
        throw error;
      }
    },
    'sql.schema': async () => {
      const box = await sandbox();
      const columns = await box.run(
        `SELECT table_name, column_name, data_type FROM duckdb_columns()
         WHERE ${PROJECT_COLUMNS} ORDER BY table_name, column_index`,
        { maxRows: 100_000, timeoutMs: 10_000 },
      );
      const tables = new Map<string, Array<{ name: string; type: string; description: string | null }>>();
      for (const [table, name, type] of columns.rows as string[][]) {
        const list = tables.get(table) ?? [];
        list.push({ name, type, description: columnDoc(table, name) });
        tables.set(table, list);
      }
      const counts = await box.run(
        `SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'main'`,
        { maxRows: 1000, timeoutMs: 10_000 },
      );
      const rows = new Map((counts.rows as Array<[string, number]>).map(([t, n]) => [t, Number(n)]));
      return {
        tables: [...tables].map(([name, cols]) => ({
          name,
          rows: rows.get(name) ?? 0,
          description: TABLE_DOCS[name] ?? null,
          columns: cols,
        })),
      };
    },
    'sql.export': async ({ sql, format }, { signal }) => {
      const result = await (await sandbox()).run(sql, { maxRows: EXPORT_ROWS, timeoutMs: 120_000, signal });
      const { id, path } = newDownloadPath(format);
      if (format === 'csv') await writeFile(path, resultCsv(result));
      else await writeParquet(result, path);
      const { size } = await stat(path);
      return {
        id,
        name: `query-${formatTimestamp(Date.now()).replace(/[: ]/g, '-')}.${format}`,
        bytes: size,
        rows: result.rows.length,
      };
    },
    'sql.saved': async () =>
      requireProject().db.all<SavedQuery & Record<string, unknown>>(
        `SELECT name, sql, strftime(saved_at, '%Y-%m-%d %H:%M:%S') AS "savedAt" FROM saved_queries ORDER BY name`,
      ),
    'sql.save': async ({ name, sql }) => {
      const db = requireProject().db;
      await db.run(`INSERT OR REPLACE INTO saved_queries VALUES (?, ?, now()::TIMESTAMP)`, [name.trim(), sql]);
      return db.single<SavedQuery & Record<string, unknown>>(
        `SELECT name, sql, strftime(saved_at, '%Y-%m-%d %H:%M:%S') AS "savedAt" FROM saved_queries WHERE name = ?`,
        [name.trim()],
      );
    },
    'sql.forget': async ({ name }) => {
      await requireProject().db.run(`DELETE FROM saved_queries WHERE name = ?`, [name]);
      return { name };
    },
    'sql.history': async ({ limit }) =>
      requireProject().db.all<SqlHistoryEntry & Record<string, unknown>>(
        `SELECT strftime(ran_at, '%Y-%m-%d %H:%M:%S') AS "at", sql, rows, seconds, error FROM query_history ORDER BY ran_at DESC LIMIT ?`,
        [limit],
      ),
    'ask.question': async ({ question }, { signal }) =>
      askQuestion(await sandbox(), question, requireProject().db, { model: await readLanguageModel(), signal }),
    'ask.model': async () => readLanguageModel(),
    'ask.configureModel': async ({ key, ...settings }) => saveLanguageModel(settings, key),
  } satisfies Partial<Handlers>;
}
