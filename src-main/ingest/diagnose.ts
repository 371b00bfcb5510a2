import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

export interface BadLine {
  line: number;
  field: string;
  value: string;
}

/**
 * Streams a CSV (papaparse) to find the first row a check rejects, for the errors DuckDB cannot
 * place on a line (an unknown TagIndex, a date in the wrong order). Only runs after a failure, so
 * the fast path never pays for it. Line 1 is the header.
 */
export function findFirstBadLine(
  path: string,
  delimiter: string,
  check: (row: Record<string, string>) => { field: string; value: string } | null,
): Promise<BadLine | null> {
  return new Promise((resolve, reject) => {
    let line = 1;
    let found: BadLine | null = null;
    Papa.parse<Record<string, string>>(createReadStream(path), {
      header: true,
      delimiter,
      skipEmptyLines: true,
      transformHeader: (h) => h.trim(),
      step: (result, parser) => {
        line++;
        const bad = check(result.data);
        if (bad) {
          found = { line, ...bad };
          parser.abort();
        }
      },
      complete: () => resolve(found),
      error: (error) => reject(error),
    });
  });
}
