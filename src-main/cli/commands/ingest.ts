import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { HistorianImportSummary } from '../../../src-shared/api/contract';
import { historianImportLine } from '../../../src-shared/api/importSummary';
import { retrainAfterImport } from '../../forecast/forecast';
import { importBaselines } from '../../ingest/baselines';
import { importHistorian } from '../../ingest/historianImport';
import { type ColumnMapping, importWideCsv } from '../../ingest/pumpOperational';
import { readStationFile } from '../../ingest/stationConfig';
import { saveWatchSettings, type WatchPass, watchFolder, watchPass } from '../../ingest/watchFolder';
import { importMaintenance } from '../../models/maintenanceLog';
import { openProject } from '../../project';
import { type Command, intOption, parseCommandArgs, printed, progressPrinter, UsageError } from '../command';

export const ingestCommand: Command = {
  name: 'ingest',
  usage: `Usage: pumpdeck ingest --db FILE --historian FILE [--tag-table FILE] [--station JSON] [--date-order mdy|dmy] [--allow-drops] [--json]
       pumpdeck ingest --db FILE --watch DIR [--tag-table FILE] [--date-order mdy|dmy] [--every S] [--once] [--json]
       pumpdeck ingest --db FILE --wide CSV --pump ID [--map JSON] [--json]
       pumpdeck ingest --db FILE --baselines CSV [--json]
       pumpdeck ingest --db FILE --maintenance CSV [--json]

Imports into the station database FILE (created if missing). Each import is one transaction: on
any error nothing changes, and the error names the file, line and field.

  --historian FILE   a historian export: a narrow CSV (seed Timestamp,Marker,TagIndex,Value, or
                     RSView32 / FactoryTalk Date,Time,Millitm,TagIndex,Value,Status,Marker in any
                     order), a station-wide CSV (a time column, one column per signal, a units row
                     allowed), or an RSView32 / FactoryTalk dBase log (.DBF, (Float).DAT)
  --tag-table FILE   tag table (TagName,TTagIndex,... as CSV, or the (Tagname) dBase file); default:
                     the one beside the log, else the seed's 27 tags
  --station JSON     station constants (seed 002 §8.3); missing ones are derived from the data
  --date-order O     mdy or dmy, when a file's dates could be either
  --allow-drops      import even when over half the samples are dropped (marker E, bad Status)
  --no-retrain       do not retrain the forecast this time (it retrains after an import once a week
                     of new data has come in: the project setting, on by default; see forecast)
  --watch DIR        import every new or grown log in DIR, oldest first, then keep watching
                     (remembered with the project); --once looks once and exits; --every S polls
                     every S seconds (default 10)
  --wide CSV         wide CSV (one column per signal, a time column) for one pump
  --pump ID          the pump the wide CSV belongs to
  --map JSON         column mapping, e.g. {"flow":"Flow (gpm)","head":"Discharge Pressure (psi)"}
  --baselines CSV    pump baselines (seed 000 BaselineData columns)
  --maintenance CSV  maintenance log: pump,date,kind[,note] with kind failure, repair or overhaul
  --json             print the summary as JSON`,
  // Long because one branch per kind of file the command imports, each a few lines.
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      historian: { type: 'string' },
      watch: { type: 'string' },
      once: { type: 'boolean' },
      every: { type: 'string' },
      'tag-table': { type: 'string' },
      station: { type: 'string' },
      'date-order': { type: 'string' },
      'allow-drops': { type: 'boolean' },
      'no-retrain': { type: 'boolean' },
      wide: { type: 'string' },
      pump: { type: 'string' },
      map: { type: 'string' },
      baselines: { type: 'string' },
      maintenance: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.db) throw new UsageError('--db FILE is required');
    const modes = [values.historian, values.watch, values.wide, values.baselines, values.maintenance].filter(Boolean);
    if (modes.length !== 1)
      throw new UsageError('give exactly one of --historian, --watch, --wide, --baselines or --maintenance');
    const order = values['date-order'];
    if (order !== undefined && order !== 'mdy' && order !== 'dmy')
      throw new UsageError(`invalid --date-order: ${order} (mdy or dmy)`);
    if (values.wide && !values.pump) throw new UsageError('--wide needs --pump ID');
    if ((values.once || values.every) && !values.watch) throw new UsageError('--once and --every go with --watch DIR');
    const every = intOption(values.every, 'every', [1, 86_400]) ?? 10;
    let mapping: ColumnMapping | undefined;
    if (values.map) {
      const text = values.map.trim().startsWith('{') ? values.map : await readFile(resolve(values.map), 'utf8');
      try {
        mapping = JSON.parse(text) as ColumnMapping;
      } catch {
        throw new UsageError('invalid --map: not JSON');
      }
    }
    const station = values.station ? await readStationFile(resolve(values.station)) : undefined;
    const tagTable = values['tag-table'] ? resolve(values['tag-table']) : undefined;
    const dateOrder = order as 'mdy' | 'dmy' | undefined;

    const project = await openProject(resolve(values.db));
    try {
      if (values.watch) {
        const settings = { dir: resolve(values.watch), tagTable, dateOrder };
        await saveWatchSettings(project.db, settings);
        const report = (pass: WatchPass) => {
          if (values.json) return console.log(JSON.stringify(pass));
          for (const { file, summary } of pass.imported) console.log(`${file}: ${historianLine(summary)}`);
          for (const { file, error } of pass.failed) console.error(`${file}: failed: ${error}`);
        };
        if (values.once) {
          const pass = await watchPass(project.db, settings, { settle: false });
          report(pass);
          return pass.failed.length ? 1 : 0;
        }
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort());
        process.once('SIGTERM', () => stop.abort());
        console.error(`watching ${settings.dir} every ${every} s (Ctrl+C stops)`);
        await watchFolder(project.db, settings, {
          everyMs: every * 1000,
          signal: stop.signal,
          onPass: report,
          onError: (error) => console.error(`watch: ${(error as Error).message}`),
        });
        return 0;
      }
      let summary: unknown;
      let line: string;
      if (values.historian) {
        const progress = progressPrinter('ingest');
        const s = await importHistorian(project.db, resolve(values.historian), {
          tagTable,
          station,
          dateOrder,
          allowDrops: values['allow-drops'],
          onProgress: progress,
        });
        progress.end();
        const retrain = values['no-retrain'] ? null : await retrainAfterImport(project.db);
        summary = { ...s, retrain };
        line = retrain ? `${historianLine(s)}\n${retrain}` : historianLine(s);
      } else if (values.wide) {
        const s = await importWideCsv(project.db, resolve(values.wide), values.pump as string, mapping);
        summary = s;
        line = `imported ${s.rows} rows for ${s.pump} (${s.first} .. ${s.last}); mapping ${JSON.stringify(s.mapping)}`;
      } else if (values.maintenance) {
        const s = await importMaintenance(project.db, resolve(values.maintenance));
        summary = s;
        line = `imported ${s.entries} maintenance entries`;
      } else {
        const s = await importBaselines(project.db, resolve(values.baselines as string));
        summary = s;
        line = `imported baselines for ${s.pumps.join(', ')}`;
      }
      console.log(values.json ? JSON.stringify(summary, null, 2) : line);
      return 0;
    } finally {
      project.db.close();
    }
  },
};

/** The summary of a historian import in lines: warnings first (a large drop leads), then what landed. */
export function historianLine(s: HistorianImportSummary): string {
  const lines = s.warnings.map((w) => `warning: ${w}`);
  lines.push(historianImportLine(s));
  const notes: string[] = [];
  if (s.missingValues) notes.push(`${s.missingValues} missing values stored as empty`);
  if (s.dateOrder && s.dateOrder !== 'ymd')
    notes.push(`dates read as ${s.dateOrder === 'mdy' ? 'month/day' : 'day/month'}`);
  if (s.tagTable?.found) notes.push(`tag table ${s.tagTable.path} (found beside the log)`);
  if (s.newTags.length) notes.push(`${s.newTags.length} new tags`);
  if (notes.length) lines.push(`note: ${notes.join('; ')}`);
  if (s.stationDerived.length)
    lines.push(`note: derived from the data (not in station.json): ${s.stationDerived.join(', ')}`);
  for (const [table, why] of Object.entries(s.emptyTables)) lines.push(`note: ${table} is empty: ${why}`);
  if (s.stationSuggested) {
    lines.push('note: no station model was given: this one was suggested from the data (review it with');
    lines.push('      `pumpdeck station --db FILE`, replace it with `pumpdeck station --db FILE --set station.json`):');
    for (const reason of s.stationSuggested) lines.push(`  ${reason}`);
  }
  return lines.join('\n');
}
