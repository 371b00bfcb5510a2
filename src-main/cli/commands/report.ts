import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { StationDb } from '../../db/stationDb';
import { buildReport } from '../../report/build';
import { REPORT_SECTIONS, type ReportSectionId } from '../../report/model';
import { type Command, parseCommandArgs, printed, progressPrinter, UsageError } from '../command';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const reportCommand: Command = {
  name: 'report',
  usage: `Usage: pumpdeck report --db FILE --format pdf|md --out PATH [--force] [--from DAY] [--to DAY] [--pump ID ...] [--sections LIST] [--json]

Writes the report an engineer sends: title page with data range and quality, KPIs (seed 002),
recommendations from the findings, station charts and days, alerts (EEMUA 191 figures, top
rules, open criticals), and each pump against its HI 14.6 baseline. --format md writes PATH and
its charts as PNG in PATH's name + "-charts/". The period defaults to all the data; --pump (may
repeat) limits the pump section; --sections picks from ${REPORT_SECTIONS.join(',')}.
Days are YYYY-MM-DD. Nothing is written when it fails. An existing PATH (or charts folder) is
replaced only with --force, a database never; PATH's folder must exist.`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      pump: { type: 'string', multiple: true },
      sections: { type: 'string' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.db) throw new UsageError('--db FILE is required');
    if (!values.out) throw new UsageError('--out PATH is required');
    if (values.format !== 'pdf' && values.format !== 'md')
      throw new UsageError(`invalid --format: ${values.format ?? '(none)'} (pdf or md)`);
    for (const name of ['from', 'to'] as const)
      if (values[name] && !DAY.test(values[name] as string))
        throw new UsageError(`invalid --${name}: ${values[name]} (YYYY-MM-DD)`);
    const sections = values.sections?.split(',').map((s) => s.trim());
    const unknown = sections?.filter((s) => !(REPORT_SECTIONS as readonly string[]).includes(s));
    if (unknown?.length)
      throw new UsageError(`invalid --sections: ${unknown.join(', ')} (${REPORT_SECTIONS.join(', ')})`);
    const path = resolve(values.db);
    if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
    const db = await StationDb.open(path, { readOnly: true });
    const progress = progressPrinter('report');
    try {
      const result = await buildReport(db, resolve(values.out), {
        format: values.format,
        from: values.from,
        to: values.to,
        pumps: values.pump,
        sections: sections as ReportSectionId[] | undefined,
        onProgress: progress,
        output: { force: values.force, protect: [path] },
      });
      progress.end();
      if (values.json) console.log(JSON.stringify(result, null, 2));
      else
        console.log(
          `wrote ${result.path} (${(result.bytes / 1024).toFixed(0)} KB, ${result.format === 'pdf' ? `${result.pages} pages` : `${result.pages} charts`}; ${result.period.from} .. ${result.period.to}) in ${result.seconds.toFixed(2)} s`,
        );
      return 0;
    } finally {
      db.close();
    }
  },
};
