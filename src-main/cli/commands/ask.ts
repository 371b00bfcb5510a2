import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { askQuestion } from '../../ask/ask';
import { readLanguageModel } from '../../ask/languageModel';
import { StationDb } from '../../db/stationDb';
import { SqlSandbox } from '../../sql/sandbox';
import { type Command, parseCommandArgs, printed, UsageError } from '../command';

export const askCommand: Command = {
  name: 'ask',
  usage: `Usage: pumpdeck ask --db FILE "QUESTION" [--json] [--offline]

Answers a question about the station in plain language, offline: which pump ran most (this week,
any period), energy today or over a period, one period against another, recent critical (or open,
or per pump) alerts, whether a pump is degrading, starts per pump, energy per m³, hours in peak
tariff, alerts per rule; and of any signal, named by its role (level, flow, inflow, price, power, a
pump's speed) or its own tag name: its highest or lowest and when ("peak inflow", "lowest level
yesterday"), its average, its average by hour on a weekday ("average flow per hour on Mondays"),
when it last went above or below a value or a limit ("when did the level last go above high"),
this week against last; and the price paid, weighted by the kWh ("average price paid this month").
"Today" is the newest day in the data; values are in real time (a 15-minute row weighs 15 minutes).
The SQL behind the answer runs read-only in the sandbox (see pumpdeck query) and is printed with
it. --json prints {"answer", "sql", "columns", "rows"}. A question with a word it does not know, or
one this station's data cannot answer, gets "I do not know" or the reason (exit 1), never another
question's answer, unless a language model is configured and enabled (Console page): then the
model writes the SQL from the table names (never the rows) and the answer says so.
--offline never asks the model.`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { db: { type: 'string' }, json: { type: 'boolean' }, offline: { type: 'boolean' } },
      true,
    );
    if (values.help) return printed(this.usage);
    if (!values.db) throw new UsageError('--db FILE is required');
    const question = positionals.join(' ').trim();
    if (!question) throw new UsageError('the question is missing');
    const path = resolve(values.db);
    if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
    const sandbox = await SqlSandbox.open(path);
    // Read-only too: for what SQL alone does not give (a pump's HI 14.6 status).
    const db = await StationDb.open(path, { readOnly: true });
    try {
      const model = values.offline ? undefined : await readLanguageModel();
      const answer = await askQuestion(sandbox, question, db, { model });
      if (values.json) console.log(JSON.stringify(answer, null, 2));
      else {
        console.log(answer.answer);
        if (answer.sql) console.log(`\n${answer.sql}`);
      }
      return answer.intent && answer.sql ? 0 : 1;
    } finally {
      db.close();
      sandbox.close();
    }
  },
};
