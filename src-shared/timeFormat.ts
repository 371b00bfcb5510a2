import { DAY_MS, MINUTE_MS } from './time';

// The date-time shapes HMIs, historians and Excel write, detected from a sample of a file's time
// column, and parsed to naive wall-clock milliseconds (see time.ts). One description serves both
// sides: `parseTime` here (the edge runner, DBF files, small files) and `timeSql` (DuckDB, for
// the console's fast reads), and a test holds the two to the same answer for every shape.
//
//   2025-03-03 14:05[:09[.123]]   with T, Z or an offset (the offset is dropped: wall clock kept)
//   3/3/2025 2:05[:09] PM         M/D/YYYY, 12 or 24 h            03/03/2025 14:05   DD/MM/YYYY
//   15.11.2024 0.15[.00]          D.M.YYYY H.MM[.SS] (Finnish)    15.11.2024 0:15    D.M.YYYY H:MM
//   20250303 140509               YYYYMMDD HHMMSS (dBase dates; a Date and a Time column joined),
//   20250303 14:05:09             also with H:MM[:SS] or HHMM, or the date alone
//   45611.0104166667              Excel serial days (1900 system)

export type DateOrder = 'ymd' | 'mdy' | 'dmy';

export interface TimeFormat {
  kind: 'text' | 'excel';
  /** Which field of the date is the year, month and day. */
  order: DateOrder;
  /** Times end in Z or an offset (dropped: the wall clock is kept); without it a zone is refused. */
  zone?: boolean;
  /** The date is written YYYYMMDD, without separators (the time HHMMSS or H:MM:SS). */
  compact?: boolean;
}

/** Excel's day 0 is 1899-12-30 (its 1900 leap-year bug folded in), in ms from the epoch. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

// date  [T or spaces]  time  [AM/PM]  [Z or ±HH[:MM]]; the time is optional (a date alone is midnight).
const TEXT =
  /^\s*(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:(?:T|\s+)(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?\s*$/;
const EXCEL = /^\s*\d{4,6}(?:[.,]\d+)?\s*$/;
// YYYYMMDD  [T or spaces]  HHMM[SS] or H:MM[:SS[.f]]; the time is optional.
const COMPACT =
  /^\s*(\d{4})(\d{2})(\d{2})(?:(?:T|\s+)(?:(\d{2})(\d{2})(\d{2})?|(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?))?\s*$/;

/** Whole milliseconds of a fraction of a second written with `digits`. */
function fractionMs(digits: string | undefined): number {
  return digits ? Math.floor(Number(`0.${digits}`) * 1000 + 1e-6) : 0;
}

/** Naive ms of a date and time from their fields; NaN when they are not a real one. */
function naiveMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (hour > 23 || minute > 59 || second > 59 || month < 1 || month > 12 || day < 1) return Number.NaN;
  const date = Date.UTC(year, month - 1, day);
  if (new Date(date).getUTCDate() !== day) return Number.NaN;
  return date + hour * 3_600_000 + minute * MINUTE_MS + second * 1000;
}

/** Naive ms of a YYYYMMDD[ HHMMSS] time; NaN when it is not one. */
function parseCompact(text: string): number {
  const m = COMPACT.exec(text);
  if (!m || m[1].startsWith('0')) return Number.NaN;
  const [hour, minute, second] = m[4] !== undefined ? [m[4], m[5], m[6]] : [m[7], m[8], m[9]];
  const ms = naiveMs(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
  );
  return ms + fractionMs(m[10]);
}

/** Naive ms of `text` in `format`; NaN when it is not such a time (or not a real date). */
export function parseTime(text: string, format: TimeFormat): number {
  if (format.compact) return parseCompact(text);
  if (format.kind === 'excel') {
    if (!EXCEL.test(text)) return Number.NaN;
    const days = Number(text.replace(',', '.'));
    // Rounded to the millisecond: a serial of a whole minute is stored with float noise.
    return Math.round(EXCEL_EPOCH + days * DAY_MS);
  }
  const m = TEXT.exec(text);
  if (!m || (m[9] !== undefined && !format.zone)) return Number.NaN;
  const [a, b, c] = [m[1], m[2], m[3]];
  const [y, mo, d] = format.order === 'ymd' ? [a, b, c] : format.order === 'mdy' ? [c, a, b] : [c, b, a];
  if (y.length !== 4 || y.startsWith('0') || mo.length > 2 || d.length > 2) return Number.NaN;
  let hour = Number(m[4] ?? 0);
  const ampm = m[8]?.toUpperCase();
  if (ampm) {
    if (hour < 1 || hour > 12) return Number.NaN;
    hour = (hour % 12) + (ampm === 'PM' ? 12 : 0);
  }
  return naiveMs(Number(y), Number(mo), Number(d), hour, Number(m[5] ?? 0), Number(m[6] ?? 0)) + fractionMs(m[7]);
}

/** What a sample of a time column tells: a format, or that the day/month order is open. */
export type TimeDetection =
  | { format: TimeFormat }
  | { ambiguous: true; options: DateOrder[]; example: string }
  | { unknown: true; example: string };

/**
 * The format of a time column from its first values. A year first is Y-M-D; dotted dates are day
 * first everywhere; otherwise a first field over 12 means D/M, a second one M/D, and when every
 * date could be either the caller asks (or scans further). Excel serials are numbers of days.
 */
export function detectTimeFormat(samples: readonly string[]): TimeDetection {
  const values = samples.map((s) => s.trim()).filter(Boolean);
  if (values.length === 0) return { unknown: true, example: '' };
  // YYYYMMDD (1990..2100, real dates): a column of 8-digit numbers is not mistaken for times.
  const compact = values.filter((v) => !Number.isNaN(parseCompact(v)) && /^\s*(19[9]|20)/.test(v));
  if (compact.length >= Math.max(1, 0.5 * values.length) && values.every((v) => COMPACT.test(v)))
    return { format: { kind: 'text', order: 'ymd', compact: true } };
  if (values.every((v) => EXCEL.test(v))) {
    const days = values.map((v) => Number(v.replace(',', '.')));
    // 1990..2100 in Excel days: a plain number column is not mistaken for times.
    if (days.every((x) => x > 32_800 && x < 73_400)) return { format: { kind: 'excel', order: 'ymd' } };
    return { unknown: true, example: values[0] };
  }
  // A bad value or two in a sample (a typo, a junk row) is the import's to report, with its line.
  const matched = values.map((v) => TEXT.exec(v)).filter((p): p is RegExpExecArray => p !== null);
  if (matched.length < Math.max(1, 0.5 * values.length)) {
    return { unknown: true, example: values.find((v) => !TEXT.test(v)) ?? values[0] };
  }
  const zone = matched.some((p) => p[9] !== undefined) ? { zone: true } : {};
  if (matched.every((p) => p[1].length === 4)) return { format: { kind: 'text', order: 'ymd', ...zone } };
  if (!matched.every((p) => p[3].length === 4)) return { unknown: true, example: values[0] };
  const dotted = matched.every((p) => /^\s*\d{1,2}\.\d{1,2}\./.test(p[0]));
  if (dotted || matched.some((p) => Number(p[1]) > 12)) return { format: { kind: 'text', order: 'dmy', ...zone } };
  if (matched.some((p) => Number(p[2]) > 12)) return { format: { kind: 'text', order: 'mdy', ...zone } };
  return { ambiguous: true, options: ['mdy', 'dmy'], example: values[0] };
}

/** Whether `samples` look like times at all (most of them parse in some format). */
export function looksLikeTimes(samples: readonly string[]): TimeFormat | null {
  const detected = detectTimeFormat(samples);
  if ('format' in detected) return detected.format;
  if ('ambiguous' in detected) return { kind: 'text', order: 'mdy' };
  return null;
}

/** The regular expression of the text shapes, for DuckDB's regexp_extract (the same one parseTime uses). */
const TEXT_SQL = TEXT.source.replaceAll("'", "''");

/** DuckDB: the parts of a time written as text (a STRUCT with fields a, b, c, h, mi, s, f, ampm). */
function timePartsSql(text: string): string {
  return `regexp_extract(${text}, '${TEXT_SQL}', ['a', 'b', 'c', 'h', 'mi', 's', 'f', 'ampm'])`;
}

/** DuckDB: naive epoch microseconds from the parts `g` (see timePartsSql) in text `format`. */
function timeFromPartsSql(g: string, format: TimeFormat): string {
  const [y, mo, d] =
    format.order === 'ymd' ? ['a', 'b', 'c'] : format.order === 'mdy' ? ['c', 'a', 'b'] : ['c', 'b', 'a'];
  const int = (field: string) => `coalesce(TRY_CAST(nullif(${g}.${field}, '') AS INTEGER), 0)`;
  const h = int('h');
  const hour = `CASE WHEN ${g}.ampm = '' THEN ${h} WHEN ${h} BETWEEN 1 AND 12 THEN ${h} % 12 + CASE WHEN upper(${g}.ampm) = 'PM' THEN 12 ELSE 0 END END`;
  const fraction = `CASE WHEN ${g}.f = '' THEN 0 ELSE floor(TRY_CAST('0.' || ${g}.f AS DOUBLE) * 1000 + 1e-6)::BIGINT END`;
  const shaped = `${g}.a <> '' AND length(${g}.${y}) = 4 AND length(${g}.${mo}) <= 2 AND length(${g}.${d}) <= 2 AND ${int('mi')} <= 59 AND ${int('s')} <= 59 AND (${hour}) <= 23`;
  const date = `try_strptime(${g}.${y} || '-' || ${g}.${mo} || '-' || ${g}.${d}, '%Y-%m-%d')`;
  return `CASE WHEN ${shaped} THEN epoch_us(${date}) + ((${hour}) * 3600000 + ${int('mi')} * 60000 + ${int('s')} * 1000 + ${fraction}) * 1000 END`;
}

/** 1000-01-01 in epoch microseconds: times before it are not four-digit years. */
const YEAR_1000_US = Date.UTC(1000, 0, 1) * 1000;

const CLOCKS = ['%H:%M:%S', '%H:%M', '%H:%M:%S.%f', '%H.%M.%S', '%H.%M', '%I:%M:%S %p', '%I:%M %p'];
const COMPACT_FORMATS = [' ', 'T'].flatMap((j) =>
  ['%H%M%S', '%H:%M:%S', '%H%M', '%H:%M', '%H:%M:%S.%f'].map((clock) => `%Y%m%d${j}${clock}`),
);

/** strptime formats for text times of `format` with `separator` in the date, most likely first. */
function strptimeFormats(format: TimeFormat, separator: string, joiners: string[]): string[] {
  const fields =
    format.order === 'ymd' ? ['%Y', '%m', '%d'] : format.order === 'mdy' ? ['%m', '%d', '%Y'] : ['%d', '%m', '%Y'];
  const day = fields.join(separator);
  return [...joiners.flatMap((j) => CLOCKS.map((clock) => `${day}${j}${clock}`)), day];
}

/**
 * A DuckDB expression giving the naive epoch microseconds of the VARCHAR expression `text` in
 * `format`, NULL when it does not parse: the same answer as parseTime (tested). Plain shapes use
 * strptime (three times faster than a regular expression on a year of samples: 1.1 s against 2.9 s
 * for 14 M rows); times with a zone, and Excel serials, use the expression parseTime mirrors.
 * `sample` is one value of the column, for the date separator (and whether T joins date and time).
 */
export function timeSql(text: string, format: TimeFormat, sample: string): string {
  if (format.compact) {
    // strptime reads digits without separators greedily ("00000" as 00:00:0): the shape is checked first.
    const parsed = `try_strptime(${text}, [${[...COMPACT_FORMATS, '%Y%m%d'].map((f) => `'${f}'`).join(', ')}])`;
    return `CASE WHEN regexp_full_match(${text}, '${COMPACT.source.slice(1, -1)}') AND NOT starts_with(ltrim(${text}), '0') THEN epoch_us(${parsed}) END`;
  }
  if (format.kind === 'excel') {
    const days = `TRY_CAST(replace(trim(${text}), ',', '.') AS DOUBLE)`;
    return `CASE WHEN regexp_full_match(${text}, '${EXCEL.source.slice(1, -1).replaceAll("'", "''")}') THEN round(${EXCEL_EPOCH} + ${days} * ${DAY_MS})::BIGINT * 1000 END`;
  }
  if (format.zone) {
    // list_transform binds the parts once per row (a plain expression would run the regex per use).
    return `list_transform([${timePartsSql(text)}], g -> ${timeFromPartsSql('g', format)})[1]`;
  }
  const separator = dateSeparator(sample);
  const formats = strptimeFormats(format, separator, sample.includes('T') ? ['T', ' '] : [' ', 'T']);
  // strptime takes a year of any width: parseTime's four-digit year (1000 and later) is checked on
  // the result, without naming it twice (greatest floors an earlier time, nullif makes it NULL).
  // Not trimmed: strptime passes over spaces around the time itself (test/timeSql.test.ts pads
  // every shape), and looking for them on every row cost 0.3 s of CPU on a year.
  const parsed = `try_strptime(${text}, [${formats.map((f) => `'${f}'`).join(', ')}])`;
  return `nullif(greatest(epoch_us(${parsed}), ${YEAR_1000_US - 1}), ${YEAR_1000_US - 1})`;
}

/** DuckDB: naive epoch microseconds of a narrow export's separate Date and Time columns. */
export function dateAndTimeSql(date: string, time: string, format: TimeFormat, sample: string): string {
  return timeSql(`(${trimmed(date)} || ' ' || ${trimmed(time)})`, format, sample);
}

/** DuckDB: `text` without surrounding spaces; trim only where there are some (trim on every row costs as much as parsing). */
export function trimmed(text: string): string {
  return `CASE WHEN starts_with(${text}, ' ') OR ends_with(${text}, ' ') THEN trim(${text}) ELSE ${text} END`;
}

/** The separator of a text date ('/', '.' or '-'), from one sample. */
export function dateSeparator(sample: string): string {
  return /^\s*\d{1,4}([-/.])/.exec(sample)?.[1] ?? '-';
}
