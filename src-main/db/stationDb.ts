import { type DuckDBConnection, type DuckDBDataChunk, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { ApiError } from '../../src-shared/api/errors';
import { type AppendColumn, collectYoungGarbage } from './columnar';
import { columnsSource } from './columnsSource';

export type Row = Record<string, unknown>;
export type SqlParams = DuckDBValue[] | Record<string, DuckDBValue>;

/** DuckDB values to plain JSON: BIGINT to number, temporal values to their SQL text. */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object' && typeof (value as { toDouble?: unknown }).toDouble === 'function') {
    return (value as { toDouble(): number }).toDouble(); // DECIMAL
  }
  if (typeof value === 'object' && 'items' in value && Array.isArray((value as { items: unknown[] }).items)) {
    return (value as { items: unknown[] }).items.map(toPlain);
  }
  return String(value);
}

/**
 * One station project = one DuckDB file. All SQL runs through here; results come back as plain
 * JSON-safe rows. DuckDB runs queries on its own threads, so awaiting them never blocks the UI.
 */
export class StationDb {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly ownsInstance = true,
  ) {}

  static async open(path: string, options: { readOnly?: boolean; threads?: number } = {}): Promise<StationDb> {
    const config: Record<string, string> = {};
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    config.threads = String(options.threads ?? 2);
    // Caps DuckDB's buffers so a year's import stays near 1 GB of RSS; beyond it DuckDB spills to disk.
    config.memory_limit = '900MB';
    config.preserve_insertion_order = 'false';
    // A bulk insert writes each finished row group to the file at once instead of holding five:
    // a year's readings_wide insert held 120 MB in DuckDB at its peak instead of 180 (issue 22).
    config.write_buffer_row_group_count = '1';
    const instance = await DuckDBInstance.create(path, config).catch((error: Error) => {
      const lock = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(error.message);
      if (lock)
        throw new ApiError(
          'bad_input',
          `${path} is open in another program (${lock[1]}, PID ${lock[2]}); close it first`,
        );
      throw error;
    });
    const connection = await instance.connect();
    return new StationDb(path, instance, connection);
  }

  /**
   * A second connection to the same database, for long writes: the default connection keeps
   * answering reads (from the last committed state) while an import runs.
   */
  async fork(): Promise<StationDb> {
    return new StationDb(this.path, this.instance, await this.instance.connect(), false);
  }

  /** How far the statement running on this connection is (DuckDB's own estimate), 0..1 or null. */
  progress(): number | null {
    const p = this.connection.progress;
    return p.percentage >= 0 ? p.percentage / 100 : null;
  }

  async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjects().map((row) => {
      const plain: Row = {};
      for (const [key, value] of Object.entries(row)) plain[key] = toPlain(value);
      return plain as T;
    });
  }

  /** Column-wise results (one array per column), cheaper than row objects for long reads. */
  async columns(sql: string, params?: SqlParams): Promise<unknown[][]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getColumns().map((column) => column.map(toPlain));
  }

  /** The result of `sql` chunk by chunk, without holding it all (read columns with ./columnar). */
  async *chunks(sql: string, params?: SqlParams): AsyncGenerator<DuckDBDataChunk> {
    const result = await this.connection.stream(sql, params);
    // The next chunk is fetched (on a thread of the pool) while the caller works on this one.
    let next: Promise<DuckDBDataChunk | null> | null = result.fetchChunk();
    try {
      for (let n = 1; ; n++) {
        const chunk: DuckDBDataChunk | null = await next;
        next = null;
        if (!chunk || chunk.rowCount === 0) return;
        next = result.fetchChunk();
        yield chunk;
        if (n % 256 === 0) collectYoungGarbage();
      }
    } finally {
      // A caller that stops early (an error, a cancel) leaves one fetch running: let it end first.
      await next?.catch(() => null);
    }
  }

  /**
   * Inserts `rowCount` rows given column by column into `table` (in this connection's
   * transaction). DuckDB pulls the rows through a table function, so this thread is free while
   * it writes them (an appender would hold it for the whole insert).
   */
  async insertColumns(table: string, columns: AppendColumn[], rowCount: number): Promise<void> {
    const source = columnsSource(this.instance, this.connection);
    const id = source.add(columns, rowCount);
    try {
      await this.connection.run(`INSERT INTO ${table} SELECT * FROM ${source.name}(${id})`);
    } finally {
      source.remove(id);
    }
  }

  async one<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** The one row of a query that always has one (an aggregate without GROUP BY). */
  async single<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T> {
    const row = await this.one<T>(sql, params);
    if (row === undefined) throw new Error(`a query that always returns a row returned none: ${sql.slice(0, 80)}`);
    return row;
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.connection.run(sql, params);
  }

  /**
   * Runs `work` in one transaction on a connection of its own: it all lands or nothing does, and
   * statements other calls run meanwhile on this connection neither join it nor undo it.
   */
  async isolated<T>(work: (db: StationDb) => Promise<T>): Promise<T> {
    const db = await this.fork();
    try {
      return await db.transaction(() => work(db));
    } finally {
      db.close();
    }
  }

  /** Runs `work` in one transaction: it all lands, or nothing does. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.connection.run('COMMIT');
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
  }

  /** Stops the statement running now, if any (used by cancel). */
  interrupt(): void {
    this.connection.interrupt();
  }

  async tableExists(name: string): Promise<boolean> {
    const row = await this.one<{ n: number }>(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?`,
      [name],
    );
    return (row?.n ?? 0) > 0;
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

export { ident, literal } from '../../src-shared/sql/quote';
