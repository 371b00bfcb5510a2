// What a dBase file's header declares against what the file holds. An HMI writes the record
// count into the header when it closes a log: a log copied while it was being written, or cut
// short, says a count the file does not hold ("Headers lie", docs/product.md). The records are
// fixed-width after the header, so the file's size says how many there are: PumpDeck reads those
// and says what the header got wrong.

export interface DbfFieldInfo {
  name: string;
  type: string;
  size: number;
}

export interface DbfHeaderFacts {
  /** Where the records start and how long each is, from the field descriptors. */
  headerLength: number;
  recordLength: number;
  fields: DbfFieldInfo[];
  /** Whole records the file holds after the header (an end-of-file mark aside). */
  records: number;
  /** What the header says. */
  declaredRecords: number;
  /** The header disagrees with the file: each problem in words; empty when it agrees. */
  problems: string[];
}

const EOF_MARK = 0x1a;
const TERMINATOR = 0x0d;

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The facts of a dBase header (its first bytes, at least up to the field terminator) for a file of
 * `fileSize` bytes whose last byte is `lastByte`; null when the bytes are not a dBase header at all.
 */
export function dbfHeaderFacts(head: Uint8Array, fileSize: number, lastByte: number | null): DbfHeaderFacts | null {
  if (head.length < 33) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const declaredRecords = view.getInt32(4, true);
  const declaredHeader = view.getUint16(8, true);
  const declaredRecord = view.getUint16(10, true);
  const fields: DbfFieldInfo[] = [];
  let at = 32;
  while (at + 32 <= head.length && head[at] !== TERMINATOR) {
    const name = new TextDecoder('latin1').decode(head.subarray(at, at + 10)).split('\0')[0];
    fields.push({ name, type: String.fromCharCode(head[at + 11]), size: head[at + 16] });
    at += 32;
  }
  if (head[at] !== TERMINATOR || fields.length === 0) return null;
  const recordLength = 1 + fields.reduce((sum, f) => sum + f.size, 0);
  // The records start where the header says when that is past the descriptors (dBase IV and
  // FoxPro put more there), else right after the terminator.
  const headerLength = declaredHeader >= at + 1 && declaredHeader <= fileSize ? declaredHeader : at + 1;
  const body = Math.max(0, fileSize - headerLength);
  const records = Math.floor(body / recordLength);
  const rest = body - records * recordLength;
  const problems: string[] = [];
  if (declaredRecords !== records)
    problems.push(
      `its header says ${count(declaredRecords)} records; the file holds ${count(records)} (a log copied while it was written, or cut short?): the ${count(records)} were read`,
    );
  if (declaredHeader !== headerLength)
    problems.push(`its header says the records start at byte ${declaredHeader}; they start at byte ${headerLength}`);
  if (declaredRecord !== recordLength)
    problems.push(`its header says records of ${declaredRecord} bytes; its fields make ${recordLength}`);
  if (rest > 1 || (rest === 1 && lastByte !== EOF_MARK))
    problems.push(`it ends in part of a record (${rest} bytes after the last whole one), not read`);
  return { headerLength, recordLength, fields, records, declaredRecords, problems };
}
