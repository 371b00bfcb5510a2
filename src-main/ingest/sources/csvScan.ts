import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
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
