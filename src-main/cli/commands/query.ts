import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { DEFAULT_LIMITS, SqlSandbox } from '../../sql/sandbox';
import { type Command, intOption, parseCommandArgs, printed, UsageError } from '../command';

export const queryCommand: Command = {
  name: 'query',
  usage: `Usage: pumpdeck query --db FILE --sql "SELECT ..." [--json] [--max-rows N] [--timeout S]

Runs one SELECT (or EXPLAIN, DESCRIBE, SUMMARIZE) on the station database in a sandbox: the
database is opened read-only, with no access to files, URLs or other databases, and the
configuration locked. Writes, COPY, ATTACH, PRAGMA, SET, INSTALL/LOAD and several statements at
once are refused. --json prints a JSON array of objects with numbers as JSON numbers; otherwise a
table. At most --max-rows rows (default ${DEFAULT_LIMITS.maxRows}) and --timeout seconds (default ${DEFAULT_LIMITS.timeoutMs / 1000}).`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      sql: { type: 'string' },
      json: { type: 'boolean' },
      'max-rows': { type: 'string' },
      timeout: { type: 'string' },
    });
    if (values.help) return printed(this.usage);
    if (!values.db) throw new UsageError('--db FILE is required');
    if (!values.sql) throw new UsageError('--sql "..." is required');
    const maxRows = intOption(values['max-rows'], 'max-rows', [1, 10_000_000]) ?? DEFAULT_LIMITS.maxRows;
    const timeout = intOption(values.timeout, 'timeout', [1, 3600]) ?? DEFAULT_LIMITS.timeoutMs / 1000;
    const path = resolve(values.db);
    if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
    const sandbox = await SqlSandbox.open(path);
    try {
      const result = await sandbox.run(values.sql, { maxRows, timeoutMs: timeout * 1000 });
      const rows = result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
      if (values.json) console.log(JSON.stringify(rows));
      else if (rows.length === 0) console.log('(no rows)');
      else console.table(rows);
      if (result.truncated) console.error(`note: only the first ${maxRows} rows are shown (--max-rows)`);
      return 0;
    } finally {
      sandbox.close();
    }
  },
};
