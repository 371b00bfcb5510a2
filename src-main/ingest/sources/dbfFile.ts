import { open } from 'node:fs/promises';
import { DBFFile } from 'dbffile';
import { ApiError } from '../../../src-shared/api/errors';
import { dbfHeaderFacts } from '../../../src-shared/historian/dbfHeader';

// Opening an RSView32 / FactoryTalk dBase file (a log or a tag table), for the console and the edge
// runner alike: dbffile reads the records (docs/decisions.md says why this library), after the
// header was checked against the file (src-shared/historian/dbfHeader.ts). A header whose record
// count is wrong is read for the records the file holds, and the problem is said.

/** dBase headers end within 32 + 2046 × 32 bytes (the most fields a record has). */
const MAX_HEADER = 32 + 2046 * 32 + 1;

export interface DbfLog {
  dbf: DBFFile;
  /** What the header got wrong, in words (empty when it agrees with the file). */
  problems: string[];
}

async function headOf(path: string): Promise<{ head: Uint8Array; size: number; last: number | null }> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const head = Buffer.alloc(Math.min(size, MAX_HEADER));
    await file.read(head, 0, head.length, 0);
    const last = Buffer.alloc(1);
    const { bytesRead } = size > 0 ? await file.read(last, 0, 1, size - 1) : { bytesRead: 0 };
    return { head, size, last: bytesRead ? last[0] : null };
  } finally {
    await file.close();
  }
}

/** Opens a dBase file, refusing what is not one with the reason; `name` is what errors call it. */
export async function openDbfLog(path: string, name: string): Promise<DbfLog> {
  const notOne = (why: string) => new ApiError('bad_input', `${name}: not a dBase data log PumpDeck can read: ${why}`);
  const { head, size, last } = await headOf(path).catch(() => {
    throw new ApiError('bad_input', `${name}: cannot be read`);
  });
  const facts = dbfHeaderFacts(head, size, last);
  if (!facts) throw notOne('no field descriptors ending in the header terminator');
  const misplaced = facts.problems.find((p) => p.includes('start at byte'));
  if (misplaced) throw notOne(misplaced);
  let dbf: DBFFile;
  try {
    dbf = await DBFFile.open(path, { readMode: 'loose' });
  } catch {
    throw notOne(`its ${facts.fields.length} field descriptors do not describe its records`);
  }
  // Read what the file holds, whatever the header's count says.
  dbf.recordCount = facts.records;
  return { dbf, problems: facts.problems };
}
