import { closeSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { type Continuation, lineTime } from '../src-shared/historian/readText';
import { MINUTE_MS } from '../src-shared/time';

// A site's logs grow at the end (an export written on) or roll (a new file per day), and a Pi that
// has run for a year keeps a year of them: a run reads only what it has not read. Each file's cursor
// says how far it was read (bytes and line number for text, size and time for dBase, which is read
// whole when it changed); a file cut shorter or rewritten under its cursor is read again from the
// top. Cursors live in state.json, written with the rest of the run's state.

/** A file written to in the last two minutes is still being written: its newest minute may be incomplete. */
export const LIVE_MS = 2 * MINUTE_MS;
/** Bytes before the cursor kept to notice a file replaced by another of at least the same size. */
const TAIL_BYTES = 64;

export interface FileCursor {
  size: number;
  mtimeMs: number;
  /** Its newest minute (or a line still being written) was left for the next run. */
  held: boolean;
  /** Text files: where the next read starts, how the file reads, and the bytes before `offset`. */
  text?: { offset: number; continuation: Continuation; tail: string };
}

export type Cursors = Record<string, FileCursor>;

/** The part of a file not read yet. */
export interface Unread {
  stat: Stats;
  /** Complete lines from `start` (a text file's whole content when `continuation` is absent). */
  bytes: Buffer;
  start: number;
  continuation?: Continuation;
  /** Written to in the last two minutes. */
  live: boolean;
}

/** Whether a file is as its cursor left it (nothing to read). */
export function unchanged(path: string, cursor: FileCursor | undefined): boolean {
  if (!cursor || cursor.held) return false;
  const stat = statSync(path);
  return stat.size === cursor.size && stat.mtimeMs === cursor.mtimeMs;
}

function readBytes(path: string, from: number, to: number): Buffer {
  const bytes = Buffer.alloc(Math.max(0, to - from));
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(fd, bytes, done, bytes.length - done, from + done);
      if (n === 0) break;
      done += n;
    }
    return bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** A text file's complete lines after its cursor (from the top when it has none or was replaced). */
export function unreadText(path: string, cursor: FileCursor | undefined, now = Date.now()): Unread {
  const stat = statSync(path);
  const live = now - stat.mtimeMs < LIVE_MS;
  const at = cursor?.text;
  let start = 0;
  let continuation: Continuation | undefined;
  if (at && stat.size >= at.offset) {
    const from = Math.max(0, at.offset - TAIL_BYTES);
    if (readBytes(path, from, at.offset).toString('base64') === at.tail) {
      start = at.offset;
      continuation = at.continuation;
    }
  }
  const bytes = readBytes(path, start, stat.size);
  // A line without its newline is still being written, unless the file has been left alone.
  const end = live ? bytes.lastIndexOf(0x0a) + 1 : bytes.length;
  return { stat, bytes: bytes.subarray(0, end), start, continuation, live };
}

/**
 * Where the newest minute's lines start in `bytes` (lines in time order). A live file's newest
 * minute waits for the next run, so a minute is never read in part (a narrow export writes one
 * line per tag; 10-second data six lines a minute).
 */
export function newestMinuteStart(bytes: Buffer, reading: Omit<Continuation, 'firstLine'>): number {
  let end = bytes.length;
  let newest: number | null = null;
  while (end > 0) {
    const lineStart = bytes.lastIndexOf(0x0a, end - 2) + 1;
    const line = bytes.subarray(lineStart, end).toString('utf8').trim();
    if (line !== '') {
      const minute = Math.floor(lineTime(line, reading) / MINUTE_MS);
      if (Number.isNaN(minute)) return end; // not a data line (a header): read everything after it
      if (newest === null) newest = minute;
      else if (minute !== newest) return end;
    }
    end = lineStart;
  }
  return 0;
}

const newlines = (bytes: Buffer) => {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
};

/** The cursor after reading `consumed` bytes of `unread` (with the layout and time format the read found). */
export function advance(
  path: string,
  unread: Unread,
  consumed: number,
  reading: Omit<Continuation, 'firstLine'>,
): FileCursor {
  const offset = unread.start + consumed;
  const firstLine = (unread.continuation?.firstLine ?? 1) + newlines(unread.bytes.subarray(0, consumed));
  const tail = readBytes(path, Math.max(0, offset - TAIL_BYTES), offset).toString('base64');
  return {
    size: unread.stat.size,
    mtimeMs: unread.stat.mtimeMs,
    held: offset < unread.stat.size,
    text: { offset, continuation: { ...reading, firstLine }, tail },
  };
}
