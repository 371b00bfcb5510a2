import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { driversText } from '../../../src-shared/models/anomalyEvents';
import { detectTree } from '../../models/detectFiles';
import { type Command, intOption, parseCommandArgs, printed, UsageError } from '../command';

const EVENTS_SHOWN = 10;

export const detectCommand: Command = {
  name: 'detect',
  usage: `Usage: pumpdeck detect --input FILE_OR_DIR --train-rows N --out FILE_OR_DIR [--force] [--json]

Reads wide CSVs (';' ',' or tab; a datetime column; 'anomaly' and 'changepoint' label columns are
ignored), fits the detector on the first N rows of each file (a healthy period), and writes for
each input a CSV with datetime, anomaly (0/1) and score for every row. A folder is processed
recursively and its layout kept under --out. An existing output is replaced only with --force
(an input or a database never). The method: docs/models.md.`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      input: { type: 'string' },
      'train-rows': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.input) throw new UsageError('--input FILE_OR_DIR is required');
    if (!values.out) throw new UsageError('--out FILE_OR_DIR is required');
    const trainRows = intOption(values['train-rows'], 'train-rows', [20, 100_000_000]);
    if (trainRows === undefined) throw new UsageError('--train-rows N is required');
    const input = resolve(values.input);
    if (!existsSync(input)) throw new ApiError('bad_input', `${input}: no such file or folder`);
    const summaries = await detectTree(input, resolve(values.out), trainRows, { force: values.force });
    if (values.json) console.log(JSON.stringify(summaries, null, 2));
    else
      for (const s of summaries)
        console.log(
          [
            `${s.output}: ${s.anomalies} of ${s.rows} rows anomalous (signals ${s.used.join(', ')})`,
            `  rule: ${s.rule}`,
            ...s.notes.map((note) => `  note: ${note}`),
            `  ${s.events.length} event${s.events.length === 1 ? '' : 's'}${s.events.length > EVENTS_SHOWN ? ` (the ${EVENTS_SHOWN} longest; all with --json)` : ''}`,
            ...[...s.events]
              .sort((a, b) => b.rows - a.rows)
              .slice(0, EVENTS_SHOWN)
              .sort((a, b) => a.from.localeCompare(b.from))
              .map(
                (e) =>
                  `    ${e.from} → ${e.to} (${e.rows} rows), peak ${e.peak.score.toPrecision(3)} at ${e.peak.t}: ${driversText(e.drivers)}`,
              ),
          ].join('\n'),
        );
    return 0;
  },
};
