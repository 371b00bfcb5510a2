import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseWideCsv, type WideTable } from '../src-shared/csv/wideTable';
import { readHistorianText } from '../src-shared/historian/readText';
import type { TimeRange } from '../src-shared/historian/sampleCode';
import type { TagMap } from '../src-shared/historian/tagMap';
import type { MinuteFrame } from '../src-shared/minuteFrame';
import type { DateOrder } from '../src-shared/timeFormat';
import { advance, type Cursors, LIVE_MS, newestMinuteStart, unchanged, unreadText } from './inputCursor';
import { isDbase, readLogFile } from './readLogs';

// What each of the site's files holds that earlier runs did not read, moving the files' cursors.

export interface NewMinutes {
  frame: MinuteFrame;
  /** Minutes from this one on were left for the next run (a live file's newest minute). */
  heldFrom: number | null;
  /** The file was read from its top although it had a cursor (a dBase log that grew, a file replaced). */
  reread: boolean;
}

/** What a run read: files with something new, and their bytes. */
export interface ReadTally {
  files: number;
  bytes: number;
}

const count = (tally: ReadTally, bytes: number) => {
  tally.files += 1;
  tally.bytes += bytes;
};

const lastTime = (frame: MinuteFrame) => (frame.times.length ? frame.times[frame.times.length - 1] : null);

/** A historian log's unread minutes (null: nothing new). */
export async function newMinutes(
  path: string,
  cursors: Cursors,
  range: TimeRange,
  tagMap: TagMap | null,
  dateOrder: DateOrder | undefined,
  tally: ReadTally,
  now = Date.now(),
): Promise<NewMinutes | null> {
  const cursor = cursors[path];
  if (unchanged(path, cursor)) return null;
  if (isDbase(path)) {
    // dBase logs are read whole: a day's file is small, and records are not lines to seek to.
    const stat = statSync(path);
    const frame = await readLogFile(path, range, tagMap, dateOrder);
    const heldFrom = now - stat.mtimeMs < LIVE_MS ? lastTime(frame) : null;
    cursors[path] = { size: stat.size, mtimeMs: stat.mtimeMs, held: heldFrom !== null };
    count(tally, stat.size);
    return { frame, heldFrom, reread: cursor !== undefined };
  }
  const unread = unreadText(path, cursor, now);
  count(tally, unread.bytes.length);
  const read = readHistorianText(unread.bytes.toString('utf8'), basename(path), {
    range,
    tagMap: tagMap ?? undefined,
    dateOrder,
    continuation: unread.continuation,
  });
  const reading = { layout: read.layout, format: read.format };
  const consumed = unread.live ? newestMinuteStart(unread.bytes, reading) : unread.bytes.length;
  cursors[path] = advance(path, unread, consumed, reading);
  const heldFrom = consumed < unread.bytes.length ? lastTime(read.frame) : null;
  return { frame: read.frame, heldFrom, reread: cursor !== undefined && !unread.continuation };
}

/** A pump's wide CSV: the rows not read yet (null: nothing new). */
export function newPumpRows(path: string, cursors: Cursors, tally: ReadTally, now = Date.now()): WideTable | null {
  const cursor = cursors[path];
  if (unchanged(path, cursor)) return null;
  const unread = unreadText(path, cursor, now);
  count(tally, unread.bytes.length);
  const text = unread.bytes.toString('utf8');
  if (unread.continuation && text.trim() === '') {
    cursors[path] = advance(path, unread, unread.bytes.length, unread.continuation);
    return null;
  }
  const table = parseWideCsv(text, path, unread.continuation);
  cursors[path] = advance(path, unread, unread.bytes.length, { layout: table.layout, format: table.format });
  return table;
}
