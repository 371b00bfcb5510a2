import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { type DbfRecord, tagTableRecords } from '../../src-shared/historian/dbfRecords';
import { defaultTagMap, type TagMap, tagMapOf } from '../../src-shared/historian/tagMap';
import { literal, type StationDb } from '../db/stationDb';
import { detectFile, findColumn } from './detect';
import { openDbfLog } from './sources/dbfFile';

export type { TagMap };
export { defaultTagMap };

/** Reads an RSView32 / FactoryTalk tag table: a CSV (TagName,TTagIndex,...) or a dBase (Tagname) file. */
export async function readTagTable(db: StationDb, path: string): Promise<TagMap> {
  const name = basename(path);
  if (/\.(dbf|dat)$/i.test(path)) {
    const { dbf } = await openDbfLog(path, name);
    return tagMapOf(
      name,
      tagTableRecords(name, dbf.fields, (await dbf.readRecords(dbf.recordCount)) as DbfRecord[]),
      'record',
    );
  }
  const file = await detectFile(path);
  if (file.kind !== 'tag-table')
    throw new ApiError('bad_input', `${name}: line 1: not a tag table (needs TagName and TTagIndex columns)`);
  const tagName = findColumn(file.columns, 'TagName') as string;
  const tagIndex = findColumn(file.columns, 'TTagIndex') as string;
  const rows = await db.all<{ name: string | null; index: string | null; line: number }>(
    `SELECT "${tagName}" AS name, "${tagIndex}" AS "index", row_number() OVER () + 1 AS line
     FROM read_csv(${literal(path)}, header = true, all_varchar = true, delim = ${literal(file.delimiter)})`,
  );
  return tagMapOf(name, rows, 'line');
}

/** Whether a file beside a log is a tag table (its head says so). */
async function isTagTable(path: string): Promise<boolean> {
  const file = await detectFile(path).catch(() => null);
  return file?.kind === 'tag-table';
}

/**
 * The tag table beside a log, when there is exactly one: the `(Tagname)` file of an RSView32 or
 * FactoryTalk file set (`2025 03 03 0000 (Float).DAT` → `2025 03 03 0000 (Tagname).DAT`), else
 * the one file in the folder whose name says it holds tag names and whose head is a tag table.
 */
export async function tagTableBeside(logPath: string): Promise<string | null> {
  const dir = dirname(logPath);
  const name = basename(logPath);
  const files = readdirSync(dir);
  const sibling = name.replace(/\((float|wide|string)\)/i, '(Tagname)');
  if (sibling !== name) {
    const match = files.find((f) => f.toLowerCase() === sibling.toLowerCase());
    if (match && (await isTagTable(join(dir, match)))) return join(dir, match);
  }
  const named = files.filter(
    (f) =>
      f !== name &&
      /tag ?names?|\(tagname\)|^tags?\b|tag[_ ]?table/i.test(f) &&
      ['.csv', '.dbf', '.dat'].includes(extname(f).toLowerCase()),
  );
  const tables: string[] = [];
  for (const f of named) if (await isTagTable(join(dir, f))) tables.push(f);
  return tables.length === 1 && existsSync(join(dir, tables[0])) ? join(dir, tables[0]) : null;
}
