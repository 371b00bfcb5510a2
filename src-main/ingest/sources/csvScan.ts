import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import Papa from 'papaparse';
import { ApiError } from '../../../src-shared/api/errors';
import type { Delimiter } from '../../../src-shared/historian/layout';

/** What a check finds wrong with a row: the field and the value (the caller quotes an excerpt). */
export interface RowProblem {
  field: string;
  value: string;
  why: string;
}

/**
 * Streams a CSV (papaparse) to find the first row a check rejects, for the problems DuckDB's reader
 * cannot place on a line (a time that does not parse, an unknown tag index). Only runs after a
 * failure, so the fast path never pays for it. Lines are the file's own (1 = the header).
 */
export function findFirstBadRow(
  path: string,
  delimiter: Delimiter,
  headerLines: number,
  check: (row: string[]) => RowProblem | null,
): Promise<(RowProblem & { line: number }) | null> {
  return new Promise((resolve, reject) => {
    let line = 0;
    let found: (RowProblem & { line: number }) | null = null;
    Papa.parse<string[]>(createReadStream(path, 'utf8'), {
      delimiter,
      skipEmptyLines: false,
      step: (result, parser) => {
        line++;
        const row = result.data;
        if (line <= headerLines || (row.length === 1 && row[0].trim() === '')) return;
        const problem = check(row.map((cell, i) => (i === 0 ? cell.replace(/^\uFEFF/, '') : cell)));
        if (problem) {
          found = { line, ...problem };
          parser.abort();
        }
      },
      complete: () => resolve(found),
      error: (error) => reject(error),
    });
  });
}

/** The longest line DuckDB's CSV reader takes here (its max_line_size default, 2 MB). */
export const MAX_LINE_BYTES = 2_097_152;

/**
 * The first line longer than `limit` bytes, with its number (1 = the first line) and length.
 * DuckDB's reader skips such a line without a word (and without a reject row), so every CSV is
 * checked: reading 1 MB blocks, a block holding a line break ends the check for its bytes at once;
 * only a run of bytes without one is looked at closely. Costs about the file's read from cache.
 */
export async function findOverlongLine(
  path: string,
  limit = MAX_LINE_BYTES,
): Promise<{ line: number; bytes: number } | null> {
  const file = await open(path, 'r');
  try {
    const block = Buffer.allocUnsafe(1 << 20);
    let offset = 0;
    let lineStart = 0;
    for (;;) {
      const { bytesRead } = await file.read(block, 0, block.length, offset);
      if (bytesRead === 0) break;
      const last = block.lastIndexOf(10, bytesRead - 1);
      if (last >= 0) {
        // The run before this block's first break is the only one that can be long: check it.
        const first = block.indexOf(10);
        if (offset + first - lineStart > limit)
          return { line: await lineNumberAt(file, lineStart), bytes: offset + first - lineStart };
        lineStart = offset + last + 1;
      } else if (offset + bytesRead - lineStart > limit) {
        let end = offset + bytesRead;
        // Find where the line ends, for its length.
        for (;;) {
          const { bytesRead: n } = await file.read(block, 0, block.length, end);
          const at = n ? block.subarray(0, n).indexOf(10) : -1;
          if (n === 0 || at >= 0)
            return { line: await lineNumberAt(file, lineStart), bytes: end + Math.max(at, 0) - lineStart };
          end += n;
        }
      }
      offset += bytesRead;
    }
    return null;
  } finally {
    await file.close();
  }
}

/** The number of the line that starts at byte `position` (1-based). */
async function lineNumberAt(file: FileHandle, position: number): Promise<number> {
  const block = Buffer.allocUnsafe(1 << 20);
  let lines = 1;
  for (let offset = 0; offset < position; ) {
    const { bytesRead } = await file.read(block, 0, Math.min(block.length, position - offset), offset);
    if (bytesRead === 0) break;
    for (let i = block.indexOf(10); i >= 0 && i < bytesRead; i = block.indexOf(10, i + 1)) lines++;
    offset += bytesRead;
  }
  return lines;
}

/** The refusal of a file with an overlong line, naming it; null when every line is short enough. */
export async function overlongLineError(path: string, name: string): Promise<ApiError | null> {
  const long = await findOverlongLine(path);
  if (!long) return null;
  const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
  return new ApiError(
    'bad_input',
    `${name}: line ${long.line}: ${mb(long.bytes)} long, over the ${mb(MAX_LINE_BYTES)} a line may have: not a row of a historian export`,
    { line: long.line },
  );
}
