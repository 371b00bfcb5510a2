import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { importBaselines } from '../../ingest/baselines';
import { importHistorian } from '../../ingest/historianImport';
import { readStationFile } from '../../ingest/stationConfig';
import { type ColumnMapping, importWideCsv } from '../../ingest/wideCsv';
import { importMaintenance } from '../../models/maintenanceLog';
import { openProject } from '../../project';
import { type Command, parseCommandArgs, progressPrinter, UsageError } from '../command';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'import historian exports, wide CSVs, pump baselines or the maintenance log into a station database',
  usage: `Usage: pumpdeck ingest --db FILE --historian CSV [--tag-table CSV] [--station JSON] [--date-order mdy|dmy] [--json]
       pumpdeck ingest --db FILE --wide CSV --pump ID [--map JSON] [--json]
       pumpdeck ingest --db FILE --baselines CSV [--json]
       pumpdeck ingest --db FILE --maintenance CSV [--json]

Imports into the station database FILE (created if missing). Each import is one transaction: on
any error nothing changes, and the error names the file, line and field.

  --historian CSV    narrow historian export: seed layout (Timestamp,Marker,TagIndex,Value) or
                     FactoryTalk/RSView32 layout (Date,Time,Millitm,TagIndex,Value,Status,Marker)
  --tag-table CSV    FactoryTalk tag table (TagName,TTagIndex,...); default: the seed's 27 tags
  --station JSON     station constants (seed 002 §8.3); missing ones are derived from the data
  --date-order O     mdy or dmy, when a FactoryTalk file's dates could be either
  --wide CSV         wide CSV (one column per signal, a time column) for one pump
  --pump ID          the pump the wide CSV belongs to
  --map JSON         column mapping, e.g. {"flow":"Flow (gpm)","head":"Discharge Pressure (psi)"}
  --baselines CSV    pump baselines (seed 000 BaselineData columns)
  --maintenance CSV  maintenance log: pump,date,kind[,note] with kind failure, repair or overhaul
  --json             print the summary as JSON`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      historian: { type: 'string' },
      'tag-table': { type: 'string' },
      station: { type: 'string' },
      'date-order': { type: 'string' },
      wide: { type: 'string' },
      pump: { type: 'string' },
      map: { type: 'string' },
      baselines: { type: 'string' },
      maintenance: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (console.log(this.usage), 0);
    if (!values.db) throw new UsageError('--db FILE is required');
    const modes = [values.historian, values.wide, values.baselines, values.maintenance].filter(Boolean).length;
    if (modes !== 1) throw new UsageError('give exactly one of --historian, --wide, --baselines or --maintenance');
    const order = values['date-order'];
    if (order !== undefined && order !== 'mdy' && order !== 'dmy')
      throw new UsageError(`invalid --date-order: ${order} (mdy or dmy)`);
    if (values.wide && !values.pump) throw new UsageError('--wide needs --pump ID');
    let mapping: ColumnMapping | undefined;
    if (values.map) {
      const text = values.map.trim().startsWith('{') ? values.map : await readFile(resolve(values.map), 'utf8');
      try {
        mapping = JSON.parse(text) as ColumnMapping;
      } catch (error) {
        throw new UsageError(`invalid --map: ${(error as Error).message}`);
      }
    }
    const station = values.station ? await readStationFile(resolve(values.station)) : undefined;

    const project = await openProject(resolve(values.db));
    try {
      let summary: unknown;
      let line: string;
      if (values.historian) {
        const progress = progressPrinter('ingest');
        const s = await importHistorian(project.db, resolve(values.historian), {
          tagTable: values['tag-table'] ? resolve(values['tag-table']) : undefined,
          station,
          dateOrder: order as 'mdy' | 'dmy' | undefined,
          onProgress: progress,
        });
        progress.end();
        summary = s;
        line = `imported ${s.rowsKept} of ${s.rowsRead} rows into ${s.minutes} minutes (${s.first} .. ${s.last}; ${s.newMinutes} new, ${s.updatedMinutes} updated) in ${s.seconds} s`;
        for (const warning of s.warnings) line += `\nwarning: ${warning}`;
        if (s.stationDerived.length)
          line += `\nnote: derived from the data (not in station.json): ${s.stationDerived.join(', ')}`;
      } else if (values.wide) {
        const s = await importWideCsv(project.db, resolve(values.wide), values.pump!, mapping);
        summary = s;
        line = `imported ${s.rows} rows for ${s.pump} (${s.first} .. ${s.last}); mapping ${JSON.stringify(s.mapping)}`;
      } else if (values.maintenance) {
        const s = await importMaintenance(project.db, resolve(values.maintenance));
        summary = s;
        line = `imported ${s.entries} maintenance entries`;
      } else {
        const s = await importBaselines(project.db, resolve(values.baselines!));
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
