import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { openDbfLog } from '../src-main/ingest/sources/dbfFile';
import { ApiError } from '../src-shared/api/errors';
import {
  type DbfRecord,
  dbfRefusalError,
  isNarrowLog,
  narrowLogReader,
  tagTableRecords,
  wideLogReader,
} from '../src-shared/historian/dbfRecords';
import { headLines, sniffDelimiter, splitLines } from '../src-shared/historian/layout';
import { MinutePivot } from '../src-shared/historian/minutePivot';
import { readHistorianText } from '../src-shared/historian/readText';
import { SampleBatch } from '../src-shared/historian/sampleBatch';
import type { TimeRange } from '../src-shared/historian/sampleCode';
import { defaultTagMap, type TagMap, tagMapOf } from '../src-shared/historian/tagMap';
import type { MinuteFrame } from '../src-shared/minuteFrame';
import type { DateOrder } from '../src-shared/timeFormat';

// The site's historian files as minutes: CSV exports through the shared text reader, RSView32 /
// FactoryTalk dBase logs through dbffile and the shared record rules: the same readers' rules as
// the console's, so site and console agree about the data.

export const isDbase = (path: string) => /\.(dbf|dat)$/i.test(path);

/** A tag table file (CSV or dBase) as a tag map. */
export async function readTagMap(path: string): Promise<TagMap> {
  const name = basename(path);
  if (isDbase(path)) {
    const { dbf } = await openDbfLog(path, name);
    return tagMapOf(
      name,
      tagTableRecords(name, dbf.fields, (await dbf.readRecords(dbf.recordCount)) as DbfRecord[]),
      'record',
    );
  }
  const lines = headLines(readFileSync(path, 'utf8'), false);
  const [header = [], ...rows] = splitLines(lines, sniffDelimiter(lines));
  const at = (n: string) => header.findIndex((h) => h.trim().toLowerCase() === n.toLowerCase());
  if (at('TagName') < 0 || at('TTagIndex') < 0)
    throw new ApiError('bad_input', `${name}: line 1: not a tag table (TagName, TTagIndex)`);
  return tagMapOf(
    name,
    rows.map((r, i) => ({ name: r[at('TagName')], index: r[at('TTagIndex')], line: i + 2 })),
    'line',
  );
}

/** One historian file (CSV or dBase) as minutes; `dateOrder` for dates the file leaves open (the console's choice). */
export async function readLogFile(
  path: string,
  range: TimeRange,
  tagMap: TagMap | null,
  dateOrder?: DateOrder,
): Promise<MinuteFrame> {
  const name = basename(path);
  if (!isDbase(path))
    return readHistorianText(readFileSync(path, 'utf8'), name, { range, tagMap: tagMap ?? undefined, dateOrder }).frame;
  const { dbf } = await openDbfLog(path, name);
  const reader = isNarrowLog(dbf.fields)
    ? narrowLogReader(name, dbf.fields, tagMap ?? defaultTagMap(), range)
    : wideLogReader(name, dbf.fields, tagMap, range);
  const pivot = new MinutePivot(reader.tags);
  const batch = new SampleBatch(pivot);
  let number = 0;
  for (;;) {
    const records = (await dbf.readRecords(4096)) as DbfRecord[];
    if (records.length === 0) break;
    for (const record of records) reader.read(record, ++number, batch);
  }
  batch.flush();
  const refusal = dbfRefusalError(name, reader.refusal(), range);
  if (refusal) throw refusal;
  return pivot.finish().frame;
}
