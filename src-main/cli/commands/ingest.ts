import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { DEFAULT_STATION, type StationConfig } from '../../../src-shared/station';
import { writeMeta } from '../../db/schema';
import { ingestSeedHistorian } from '../../ingest/narrowHistorian';
import { openProject } from '../../project';
import { parseCommandArgs, progressPrinter, UsageError, type Command } from '../command';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'import a historian export (and station constants) into a station database',
  usage: `Usage: pumpdeck ingest --db FILE --historian CSV [--station JSON] [--json]

Imports a narrow historian export (seed layout Timestamp,Marker,TagIndex,Value) into readings_wide
of the station database FILE (created if missing). One transaction: on any error nothing changes.

Options:
  --db FILE          station database
  --historian CSV    narrow historian export
  --station JSON     station constants (seed 002 §8.3) to store with the project
  --json             print the summary as JSON`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      historian: { type: 'string' },
      station: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return console.log(this.usage), 0;
    if (!values.db) throw new UsageError('--db FILE is required');
    if (!values.historian) throw new UsageError('--historian CSV is required');
    let station: StationConfig | undefined;
    if (values.station) {
      const path = resolve(values.station);
      try {
        station = { ...DEFAULT_STATION, ...(JSON.parse(await readFile(path, 'utf8')) as Partial<StationConfig>) };
      } catch (error) {
        throw new ApiError('bad_input', `${path}: ${(error as Error).message}`);
      }
    }
    const project = await openProject(resolve(values.db));
    try {
      const progress = progressPrinter('ingest');
      const summary = await ingestSeedHistorian(project.db, resolve(values.historian), { onProgress: progress });
      progress.end();
      if (station) await writeMeta(project.db, 'station', station);
      if (values.json) console.log(JSON.stringify(summary, null, 2));
      else console.log(`ingested ${summary.rowsKept} of ${summary.rowsRead} rows into ${summary.minutes} minutes (${summary.first} .. ${summary.last})`);
      return 0;
    } finally {
      project.db.close();
    }
  },
};
