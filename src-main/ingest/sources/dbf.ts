import type { DBFFile } from 'dbffile';
import {
  type DbfRecord,
  type DbfRecordReader,
  dbfRefusalError,
  isNarrowLog,
  narrowLogReader,
  wideLogReader,
} from '../../../src-shared/historian/dbfRecords';
import { SampleBatch } from '../../../src-shared/historian/sampleBatch';
import type { TagMap } from '../../../src-shared/historian/tagMap';
import type { DbfLog } from './dbfFile';
import type { HistorianSource, ReadContext } from './source';

// RSView32 / FactoryTalk dBase logs on the console: dbffile reads the records (docs/decisions.md
// says why this library), src-shared/historian/dbfRecords.ts says what each record means, the
// same for the edge runner.

const BATCH = 4096;

/** Whether a dBase log is narrow (a TagIndex field) or wide. */
export const dbfIsNarrow = (dbf: DBFFile) => isNarrowLog(dbf.fields);

/** Every record of `dbf` through `reader` into the pivot, a batch at a time. */
export async function readDbfRecords(dbf: DBFFile, reader: DbfRecordReader, context: ReadContext): Promise<void> {
  const batch = new SampleBatch(context.pivot);
  let number = 0;
  for (;;) {
    const records = (await dbf.readRecords(BATCH)) as DbfRecord[];
    if (records.length === 0) break;
    for (const record of records) reader.read(record, ++number, batch);
    batch.flush();
    context.onBatch();
    context.onProgress(number / Math.max(1, dbf.recordCount));
    context.checkCancelled();
  }
}

/** A dBase log (narrow float log, or wide) as a historian source. */
export function dbfSource(
  file: { path: string; name: string; bytes: number },
  log: DbfLog,
  tagMap: TagMap | null,
  tagTable: HistorianSource['tagTable'],
  defaultMap: TagMap,
): HistorianSource {
  const { dbf } = log;
  const narrow = isNarrowLog(dbf.fields);
  let reader: DbfRecordReader | null = null;
  // The reader needs the time range, which comes with the read; the tags are known before it.
  const make = (context: Pick<ReadContext, 'range'>) =>
    narrow
      ? narrowLogReader(file.name, dbf.fields, tagMap ?? defaultMap, context.range)
      : wideLogReader(file.name, dbf.fields, tagMap, context.range);
  const tags = make({ range: { earliest: 0, latest: 0 } }).tags;
  return {
    ...file,
    layout: narrow ? 'rsview-dbf' : 'rsview-wide-dbf',
    tags,
    units: {},
    descriptions: {},
    skipped: [],
    warnings: log.problems.map((p) => `${file.name}: ${p}`),
    dateOrder: null,
    tagTable,
    async read(context) {
      reader = make(context);
      await readDbfRecords(dbf, reader, context);
    },
    async refusal(context) {
      return dbfRefusalError(file.name, reader?.refusal() ?? null, context.range);
    },
  };
}
