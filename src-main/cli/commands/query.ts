import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { StationDb } from '../../db/stationDb';
import { type Command, parseCommandArgs, UsageError } from '../command';

export const queryCommand: Command = {
  name: 'query',
  summary: 'run read-only SQL on a station database and print the rows',
  usage: `Usage: pumpdeck query --db FILE --sql "SELECT ..." [--json]

Runs SQL on the station database opened read-only: a write is refused. --json prints a JSON
array of objects with numbers as JSON numbers; otherwise a table.`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      sql: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (console.log(this.usage), 0);
    if (!values.db) throw new UsageError('--db FILE is required');
    if (!values.sql) throw new UsageError('--sql "..." is required');
    const path = resolve(values.db);
    if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
    const db = await StationDb.open(path, { readOnly: true });
    try {
      const rows = await db.all(values.sql).catch((error: Error) => {
        const message = error.message.split('\n')[0];
        if (/read-only mode/i.test(message))
          throw new ApiError('bad_input', `query is read-only: ${message.replace(/^.*?Error: /, '')}`);
        throw new ApiError('bad_input', message);
      });
      if (values.json) console.log(JSON.stringify(rows));
      else if (rows.length === 0) console.log('(no rows)');
      else console.table(rows);
      return 0;
    } finally {
      db.close();
    }
  },
};
