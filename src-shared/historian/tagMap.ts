import { ApiError } from '../api/errors';
import { DEFAULT_TAGS } from '../tags';
import { excerpt } from '../text/excerpt';

/** TagIndex -> tag name, in the order the tags become pivot columns. */
export type TagMap = Map<number, string>;

/** Without a tag table, the seed's 27-tag order (product.md). */
export function defaultTagMap(): TagMap {
  return new Map(DEFAULT_TAGS.map((tag, index) => [index, tag]));
}

/** The largest tag index a table may name. */
const MAX_TAG_INDEX = 2_147_483_647;

/**
 * Checks a tag table's rows (TagName, TTagIndex) and builds the map; memory follows the number of
 * tags, never the largest index. `unit` names what a row is in messages ('line', 'record').
 */
export function tagMapOf(
  name: string,
  rows: Array<{ name: unknown; index: unknown; line: number }>,
  unit: string,
): TagMap {
  const map: TagMap = new Map();
  const names = new Set<string>();
  for (const row of rows) {
    const tag = String(row.name ?? '').trim();
    const indexText = String(row.index ?? '').trim();
    const index = Number(indexText);
    if (!tag) throw new ApiError('bad_input', `${name}: ${unit} ${row.line}: field TagName: empty`);
    if (indexText === '' || !Number.isInteger(index) || index < 0 || index > MAX_TAG_INDEX)
      throw new ApiError(
        'bad_input',
        `${name}: ${unit} ${row.line}: field TTagIndex: not a tag index: ${excerpt(indexText)}`,
      );
    if (map.has(index))
      throw new ApiError('bad_input', `${name}: ${unit} ${row.line}: field TTagIndex: index ${index} is given twice`);
    if (names.has(tag.toLowerCase()))
      throw new ApiError('bad_input', `${name}: ${unit} ${row.line}: field TagName: ${excerpt(tag)} is given twice`);
    names.add(tag.toLowerCase());
    map.set(index, tag);
  }
  if (map.size === 0) throw new ApiError('bad_input', `${name}: the tag table names no tags`);
  return map;
}
