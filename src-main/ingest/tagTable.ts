import { basename } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { DEFAULT_TAGS } from '../../src-shared/tags';
import { literal, type StationDb } from '../db/stationDb';
import { detectFile, findColumn } from './detect';

/** TagIndex -> tag name. Without a tag table, the seed's 27-tag order (product.md). */
export type TagMap = Map<number, string>;

export function defaultTagMap(): TagMap {
  return new Map(DEFAULT_TAGS.map((tag, index) => [index, tag]));
}

/** Reads an RSView32 / FactoryTalk tag table (TagName,TTagIndex,TagType,TagDataType). */
export async function readTagTable(db: StationDb, path: string): Promise<TagMap> {
  const file = await detectFile(path);
  const name = basename(path);
  if (file.kind !== 'tag-table')
    throw new ApiError('bad_input', `${name}: line 1: not a tag table (needs TagName and TTagIndex columns)`);
  const tagName = findColumn(file.columns, 'TagName')!;
  const tagIndex = findColumn(file.columns, 'TTagIndex')!;
  const rows = await db.all<{ name: string | null; idx: string | null; line: number }>(
    `SELECT "${tagName}" AS name, "${tagIndex}" AS idx, row_number() OVER () + 1 AS line
     FROM read_csv(${literal(path)}, header = true, all_varchar = true, delim = ${literal(file.delimiter)})`,
  );
  const map: TagMap = new Map();
  for (const row of rows) {
    const index = Number(row.idx);
    if (!row.name?.trim()) throw new ApiError('bad_input', `${name}: line ${row.line}: field TagName: empty`);
    if (!Number.isInteger(index) || index < 0)
      throw new ApiError(
        'bad_input',
        `${name}: line ${row.line}: field TTagIndex: not a tag index: '${row.idx ?? ''}'`,
      );
    if (map.has(index))
      throw new ApiError('bad_input', `${name}: line ${row.line}: field TTagIndex: index ${index} is given twice`);
    if ([...map.values()].includes(row.name.trim()))
      throw new ApiError('bad_input', `${name}: line ${row.line}: field TagName: ${row.name.trim()} is given twice`);
    map.set(index, row.name.trim());
  }
  return map;
}
