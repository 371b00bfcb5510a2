import { ApiError } from '../../../src-shared/api/errors';
import type { NarrowLayout } from '../../../src-shared/historian/layout';
import { BAD_STATUS, DROP } from '../../../src-shared/historian/quality';
import { narrowCode } from '../../../src-shared/historian/sampleCode';
import { MISSING_TOKENS, readValue } from '../../../src-shared/historian/values';
import { excerpt } from '../../../src-shared/text/excerpt';
import { parseTime, type TimeFormat, timeSql, trimmed } from '../../../src-shared/timeFormat';
import { float64Column, int32Column, isValid, validityMask } from '../../db/columnar';
import { literal } from '../../db/stationDb';
import type { TagMap } from '../tagTable';
import { findFirstBadRow } from './csvScan';
import { csvReadRefusal, rejectsTables } from './rejects';
import type { HistorianSource, ReadContext } from './source';

// A narrow CSV export (one row per tag per sample): the seed's Timestamp,Marker,TagIndex,Value or
// RSView32 / FactoryTalk's Date,Time,Millitm,TagIndex,Value,Status,Marker in any column order.
// DuckDB reads it with the dialect given (never sniffed, so a bad row always names its line),
// applies the marker, status and tag rules in SQL (sampleCode.ts is the same rule in JS) and
// streams minute, offset, code and value to the pivot. Its numbers are read as text and cast, with
// the missing-value words checked only where a cast fails: the reader's own list of NULL strings
// compares every field of every row with each word, 0.4 s of a year's 2.7 s (issue 22).

/** What each of DuckDB's CSV readers takes at a time: small, so the samples arrive nearly in order. */
const READ_BUFFER_BYTES = 2 * 1024 * 1024;

/** MISSING_TOKENS as a DuckDB list: the reader's NULL strings, or the words a failed cast is checked against. */
const missingWordsSql = () => `[${MISSING_TOKENS.map(literal).join(', ')}]`;

/**
 * read_csv of a file whose layout is known: header names given, types declared, nothing sniffed.
 * `missingWords`: the reader makes each of MISSING_TOKENS NULL; without it only an empty field is.
 */
export function readCsvSql(
  path: string,
  layout: { delimiter: string; decimalComma: boolean; headerLines: number; columns: string[] },
  types: string[],
  rejects: string,
  missingWords = true,
): string {
  const columns = layout.columns.map((_, i) => `'c${i}': '${types[i]}'`).join(', ');
  return `read_csv(${literal(path)}, header = false, skip = ${layout.headerLines}, auto_detect = false,
    delim = ${literal(layout.delimiter)}, quote = '"', escape = '"', decimal_separator = ${literal(layout.decimalComma ? ',' : '.')},
    ${missingWords ? `nullstr = ${missingWordsSql()}, ` : ''}columns = {${columns}}, buffer_size = ${READ_BUFFER_BYTES}, ${rejects})`;
}

/**
 * A number written as text in column `c`, read as values.ts reads one: NULL when the field is
 * empty, a missing-value word, NaN, or not a number (`badNumberSql` tells the last apart).
 */
function numberSql(c: string, decimalComma: boolean): string {
  return `TRY_CAST(${decimalComma ? `replace(${c}, ',', '.')` : c} AS DOUBLE)`;
}

/**
 * Whether text column `c`, read as `number` (numberSql), held something that is not a number.
 * The words are a list searched, not an IN list: DuckDB turns an IN list of more than a few
 * constants into a join, which trims and hashes the field of every row, not only where the cast
 * failed (1 s of CPU on a year).
 */
function badNumberSql(c: string, number: string): string {
  return `(${number} IS NULL AND ${c} IS NOT NULL AND NOT list_contains(${missingWordsSql()}, trim(${c})))`;
}

/**
 * m (the minute) and off (µs into it) of the epoch µs `us`, within the plausible range: a time
 * outside it (year 9999) is dropped by its code, but its minute must still fit an INTEGER.
 */
export function minuteSql(range: { earliest: number; latest: number }): string {
  const us = `least(greatest(coalesce(us, 0), ${range.earliest * 1000}), ${range.latest * 1000})`;
  return `(${us} // 60000000)::INTEGER AS m, (${us} % 60000000)::INTEGER AS off`;
}

/** The SQL of the samples: m (minute), off (µs in it), code (see quality.ts DROP), v. */
function samplesSql(
  path: string,
  layout: NarrowLayout,
  format: TimeFormat,
  sample: string,
  indices: number[],
  range: { earliest: number; latest: number },
  rejects: string,
): string {
  const at = (name: string | undefined) => (name === undefined ? -1 : layout.columns.indexOf(name));
  const types = layout.columns.map(() => 'VARCHAR');
  const col = (name: string | undefined) => `c${at(name)}`;
  const time = layout.time;
  const text =
    'timestamp' in time ? col(time.timestamp) : `(${trimmed(col(time.date))} || ' ' || ${trimmed(col(time.time))})`;
  const number = (name: string) => numberSql(col(name), layout.decimalComma);
  const millis = layout.millitm ? ` + coalesce(round(${number(layout.millitm)})::BIGINT, 0) * 1000` : '';
  const bad = [
    badNumberSql(col(layout.value), 'x'),
    ...(layout.millitm ? [badNumberSql(col(layout.millitm), number(layout.millitm))] : []),
  ].join(' OR ');
  // Markers and Status are mostly B, S or blank: anything else is cleaned (trimmed, upper case).
  // Comparisons, not an IN list (which DuckDB would run as a join over every row, see above).
  const clean = (c: string, upper: boolean) =>
    `CASE WHEN ${c} IS NULL THEN '' WHEN ${c} = 'B' OR ${c} = 'S' THEN ${c} ELSE ${upper ? `upper(trim(${c}))` : `trim(${c})`} END`;
  const marker = layout.marker ? clean(col(layout.marker), true) : `''`;
  const status = layout.status ? clean(col(layout.status), false) : `''`;
  const statusCode = `CASE status ${BAD_STATUS.map((s, i) => `WHEN ${literal(s)} THEN ${DROP.status - i}`).join(' ')} ELSE ${DROP.otherStatus} END`;
  return `SELECT ${minuteSql(range)},
      CASE WHEN ${bad} THEN ${DROP.badValue}
           WHEN us IS NULL THEN ${DROP.noTime}
           WHEN us < ${range.earliest * 1000} OR us > ${range.latest * 1000} THEN ${DROP.outOfRange}
           WHEN marker = 'E' THEN ${DROP.ended}
           WHEN marker NOT IN ('', 'B', 'S') THEN ${DROP.marker}
           WHEN status <> '' THEN ${statusCode}
           WHEN tag IS NULL OR tag <> trunc(tag) THEN ${DROP.badTag}
           WHEN pos IS NULL THEN ${DROP.unknownTag}
           ELSE ((pos - 1) * 2 + (marker = 'B')::INTEGER)::INTEGER END AS code,
      CASE WHEN NOT isnan(x) THEN x END AS v
    FROM (SELECT *, list_position([${indices.join(', ')}]::BIGINT[], TRY_CAST(tag AS BIGINT)) AS pos
          FROM (SELECT ${timeSql(text, format, sample)}${millis} AS us, ${marker} AS marker, ${status} AS status,
                       ${number(layout.tagIndex)} AS tag, ${number(layout.value)} AS x, *
                FROM ${readCsvSql(path, layout, types, rejects, false)}))`;
}

export interface NarrowCsvFile {
  path: string;
  name: string;
  bytes: number;
  layout: NarrowLayout;
  format: TimeFormat;
  /** One value of the time column(s) as written, for the SQL's date separator. */
  sample: string;
}

// Long because the source object holds its read and its refusal, whose error messages name each kind of bad value.
export function narrowCsvSource(
  file: NarrowCsvFile,
  tagMap: TagMap,
  tagTable: HistorianSource['tagTable'],
): HistorianSource {
  const { layout, format } = file;
  const indices = [...tagMap.keys()];
  const positions = new Map(indices.map((index, position) => [index, position]));
  const rejects = rejectsTables();
  const at = (name: string) => layout.columns.indexOf(name);
  return {
    path: file.path,
    name: file.name,
    bytes: file.bytes,
    layout: layout.variant,
    tags: [...tagMap.values()],
    units: {},
    descriptions: {},
    skipped: [],
    warnings: [],
    dateOrder: 'timestamp' in layout.time && format.order === 'ymd' ? null : format.order,
    tagTable,
    async read(context: ReadContext) {
      const sql = samplesSql(file.path, layout, format, file.sample, indices, context.range, rejects.options);
      const poll = setInterval(() => {
        const p = context.db.progress();
        if (p !== null) context.onProgress(p);
      }, 200);
      try {
        // Lets DuckDB's readers run ahead of this thread instead of waiting for each chunk to be taken.
        await context.db.run(`SET streaming_buffer_size = '256MB'`);
        for await (const chunk of context.db.chunks(sql)) {
          const valid = validityMask(chunk, 3);
          context.pivot.add({
            count: chunk.rowCount,
            minute: int32Column(chunk, 0),
            offset: int32Column(chunk, 1),
            code: int32Column(chunk, 2),
            value: float64Column(chunk, 3),
            valid: (i) => isValid(valid, i),
          });
          context.onBatch();
          context.checkCancelled();
        }
      } finally {
        clearInterval(poll);
      }
    },
    async refusal(context: ReadContext) {
      // Every column is read as text: the reader refuses only a row of the wrong shape.
      const rejected = await csvReadRefusal(context.db, rejects, file, layout, () => false);
      if (rejected) return rejected;
      const refused = [DROP.badValue, DROP.noTime, DROP.outOfRange, DROP.badTag, DROP.unknownTag].find(
        (code) => context.pivot.counts.byCode[-code] > 0,
      );
      if (refused === undefined) return null;
      const time = layout.time;
      const timeText = (row: string[]) =>
        'timestamp' in time
          ? (row[at(time.timestamp)] ?? '')
          : `${row[at(time.date)] ?? ''} ${row[at(time.time)] ?? ''}`;
      const timeField = 'timestamp' in time ? time.timestamp : `${time.date}/${time.time}`;
      const bad = await findFirstBadRow(file.path, layout.delimiter, 1, (row) => {
        if (refused === DROP.badValue) {
          const field = [layout.value, layout.millitm].find(
            (name) => name && readValue(row[at(name)] ?? '', layout.decimalComma) === 'bad',
          );
          return field ? { field, value: (row[at(field)] ?? '').trim(), why: 'not a number' } : null;
        }
        const tagText = row[at(layout.tagIndex)] ?? '';
        const tag = readValue(tagText, layout.decimalComma);
        const ms = parseTime(timeText(row), format);
        const code = narrowCode(
          ms,
          context.range,
          layout.marker ? (row[at(layout.marker)] ?? '') : '',
          layout.status ? (row[at(layout.status)] ?? '') : '',
          typeof tag === 'number' ? tag : null,
          (index) => positions.get(index),
        );
        if (code !== refused) return null;
        return refused === DROP.noTime || refused === DROP.outOfRange
          ? { field: timeField, value: timeText(row), why: refused === DROP.noTime ? 'not a time' : 'out of range' }
          : { field: layout.tagIndex, value: tagText, why: refused === DROP.badTag ? 'not a whole number' : 'unknown' };
      });
      const line = bad ? `line ${bad.line}` : 'a line';
      const value = excerpt(bad?.value ?? '');
      switch (refused) {
        case DROP.badValue:
          return new ApiError(
            'bad_input',
            `${file.name}: ${line}: ${bad ? `field ${bad.field}: ` : ''}cannot read ${value} as a number`,
            { line: bad?.line, field: bad?.field },
          );
        case DROP.noTime:
          return new ApiError(
            'bad_input',
            `${file.name}: ${line}: field ${timeField}: cannot read ${value} as a ${format.kind === 'excel' ? 'date serial' : `${format.order} date and time`}`,
            { line: bad?.line, field: timeField },
          );
        case DROP.outOfRange:
          return new ApiError(
            'bad_input',
            `${file.name}: ${line}: field ${timeField}: ${value} is outside the plausible range (${rangeText(context.range)}): a wrong clock?`,
            { line: bad?.line, field: timeField },
          );
        case DROP.badTag:
          return new ApiError(
            'bad_input',
            `${file.name}: ${line}: field ${layout.tagIndex}: ${value} is not a tag index (a whole number)`,
            {
              line: bad?.line,
              field: layout.tagIndex,
            },
          );
        default:
          return new ApiError(
            'bad_input',
            `${file.name}: ${line}: field ${layout.tagIndex}: unknown tag index ${value}${tagTable ? ' (not in the tag table)' : ` (no tag table: the default order has ${indices[0]}-${indices.at(-1)})`}`,
            { line: bad?.line, field: layout.tagIndex },
          );
      }
    },
  };
}

/** The plausible time range in words. */
export function rangeText(range: { earliest: number; latest: number }): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `${day(range.earliest)} to ${day(range.latest)}`;
}
