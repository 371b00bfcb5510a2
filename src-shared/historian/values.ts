// How a historian or sensor export writes a value, and what PumpDeck makes of it. The same rules
// on both sides: the console hands MISSING_TOKENS to DuckDB's reader as its NULL strings (wide
// files) or checks them where a value's cast fails (narrow files), the edge runner reads with
// `readValue`, and tests hold the two to the same answer.

/** What exports write for "no value": stored as NULL, never as 0. */
export const MISSING_TOKENS: readonly string[] = [
  '',
  'NA',
  'N/A',
  'n/a',
  'NaN',
  'nan',
  'NAN',
  'null',
  'NULL',
  'Null',
  'None',
  '-',
  '--',
  '#N/A',
  '#VALUE!',
  '#DIV/0!',
  '#REF!',
  '#NUM!',
  '#NAME?',
];
const MISSING = new Set(MISSING_TOKENS);

/** A number as exports write it (an optional sign, digits, a point, an exponent). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Spellings of infinity that readers turn into a number: a missing value here, counted. */
const INFINITE = /^[+-]?(inf|infinity)$/i;

/** A value read: a finite number, `null` (missing), 'nonfinite' (infinite: missing, counted), or 'bad'. */
export type ValueRead = number | null | 'nonfinite' | 'bad';

/** Reads one cell; `decimalComma` for exports that write 12,5 (with `;` or tab between fields). */
export function readValue(cell: string, decimalComma = false): ValueRead {
  const text = cell.trim();
  if (MISSING.has(text)) return null;
  const plain = decimalComma ? text.replace(',', '.') : text;
  if (NUMBER.test(plain)) {
    const value = Number(plain);
    return Number.isFinite(value) ? value : 'nonfinite';
  }
  return INFINITE.test(plain) ? 'nonfinite' : 'bad';
}
