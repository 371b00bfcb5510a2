import { type DuckDBConnection, DuckDBInstance, StatementType } from '@duckdb/node-api';
import { ApiError } from '../../src-shared/api/errors';
import { toPlain } from '../db/stationDb';

// SQL typed by a user (`pumpdeck query`, the SQL console) runs here, never on the connection the
// app writes with: a DuckDB instance of its own, opened read-only, with external access disabled
// (no file, URL, ATTACH, COPY, INSTALL or LOAD reaches past the database) and its configuration
// locked (no SET gives it back). On top, exactly one SELECT (or EXPLAIN) statement is accepted,
// and rows and time are capped. See docs/security.md.

export interface SandboxLimits {
  /** Rows returned at most; the result says when there were more. */
  maxRows: number;
  /** The statement is interrupted after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface SandboxResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  /** More rows than maxRows: only the first maxRows are returned. */
  truncated: boolean;
  seconds: number;
}

/** The WHERE of duckdb_columns() that keeps the project's own tables and views (not DuckDB's catalog). */
export const PROJECT_COLUMNS = "database_name = current_database() AND schema_name = 'main' AND NOT internal";

export const DEFAULT_LIMITS: SandboxLimits = { maxRows: 100_000, timeoutMs: 30_000 };

const ALLOWED = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN]);

/** Whether the first of several statements is a CREATE (what DuckDB makes of an unlisted PIVOT). */
async function createsFirst(statements: Awaited<ReturnType<DuckDBConnection['extractStatements']>>) {
  try {
    return (await statements.prepare(0)).statementType === StatementType.CREATE;
  } catch {
    return false;
  }
}
/** Statements refused by name before DuckDB is asked (clearer than the permission error it would give). */
const REFUSED_KEYWORDS =
  /^\s*(ATTACH|DETACH|COPY|EXPORT|IMPORT|PRAGMA|SET|RESET|INSTALL|LOAD|FORCE\s+INSTALL|CALL|USE|CHECKPOINT|VACUUM|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK)\b/i;

export class SqlSandbox {
  private constructor(private readonly instance: DuckDBInstance) {}

  /** Opens `path` (a station database or a snapshot of one) for user SQL. */
  static async open(path: string): Promise<SqlSandbox> {
    const instance = await DuckDBInstance.create(path, {
      access_mode: 'READ_ONLY',
      enable_external_access: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allow_community_extensions: 'false',
      threads: '2',
      memory_limit: '512MB',
      lock_configuration: 'true',
    }).catch((error: Error) => {
      const lock = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(error.message);
      if (lock) throw new ApiError('bad_input', `${path} is open in another program (PID ${lock[2]}); close it first`);
      throw error;
    });
    return new SqlSandbox(instance);
  }

  /**
   * One statement on a connection of its own: calls that arrive together (a page asks for several
   * things at once) each stream their own result, and a cancel or time limit stops only its own.
   */
  async run(sql: string, limits: SandboxLimits = DEFAULT_LIMITS): Promise<SandboxResult> {
    const connection = await this.instance.connect();
    try {
      return await this.runOn(connection, sql, limits);
    } finally {
      connection.closeSync();
    }
  }

  private async runOn(connection: DuckDBConnection, sql: string, limits: SandboxLimits): Promise<SandboxResult> {
    const started = performance.now();
    const keyword = REFUSED_KEYWORDS.exec(sql.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, ''));
    if (keyword) throw refusal(`${keyword[1].toUpperCase()} is not allowed`);
    const statements = await connection.extractStatements(sql).catch(userError);
    if (statements.count === 0) throw refusal('there is no statement to run');
    if (statements.count > 1) {
      // DuckDB writes a PIVOT whose values are not listed as two statements: a CREATE TYPE of the
      // values, then the pivot. The sandbox creates nothing, so it asks for the values instead.
      if (/\bPIVOT\b/i.test(sql) && (await createsFirst(statements)))
        throw refusal(
          "a PIVOT without its values listed first creates a type, which the read-only console cannot: name them, as in PIVOT t ON b IN ('x', 'y') USING sum(a)",
        );
      throw refusal(`one statement at a time (this has ${statements.count})`);
    }
    const prepared = await statements.prepare(0).catch(userError);
    if (!ALLOWED.has(prepared.statementType)) throw refusal(`${StatementType[prepared.statementType]} is not allowed`);

    const timer = setTimeout(() => connection.interrupt(), limits.timeoutMs);
    const cancel = () => connection.interrupt();
    limits.signal?.addEventListener('abort', cancel, { once: true });
    try {
      const result = await prepared.stream().catch(userError);
      const columns = result.columnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
      const rows: unknown[][] = [];
      let truncated = false;
      for (;;) {
        const chunk = await result.fetchChunk().catch(userError);
        if (!chunk || chunk.rowCount === 0) break;
        for (const row of chunk.getRows()) {
          if (rows.length === limits.maxRows) {
            truncated = true;
            break;
          }
          rows.push(row.map(toPlain));
        }
        if (truncated) break;
      }
      return { columns, rows, truncated, seconds: (performance.now() - started) / 1000 };
    } catch (error) {
      if (limits.signal?.aborted) throw new ApiError('cancelled', 'the query was cancelled');
      if (/INTERRUPT/i.test((error as Error).message))
        throw new ApiError('bad_input', `the query ran past its limit of ${limits.timeoutMs / 1000} s and was stopped`);
      throw error;
    } finally {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', cancel);
    }
  }

  close(): void {
    this.instance.closeSync();
  }
}

function refusal(why: string): ApiError {
  return new ApiError('bad_input', `refused: ${why}; the console runs one read-only SELECT over the station tables`);
}

/** A DuckDB error about the user's own SQL: its first line is what to fix. */
function userError(error: Error): never {
  const message = error.message.split('\n')[0];
  if (/INTERRUPT/i.test(message)) throw error;
  if (/Permission Error|disabled by configuration/i.test(message))
    throw refusal('files, URLs and other databases are out of reach');
  throw new ApiError('bad_input', message);
}
