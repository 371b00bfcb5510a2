import { ApiError } from '../../../src-shared/api/errors';
import type { WideLayout } from '../../../src-shared/historian/layout';
import { DROP } from '../../../src-shared/historian/quality';
import { excerpt } from '../../../src-shared/text/excerpt';
import { parseTime, type TimeFormat, timeSql, trimmed } from '../../../src-shared/timeFormat';
import { float64Column, int32Column, isValid, validityMask } from '../../db/columnar';
import { findFirstBadRow } from './csvScan';
import { minuteSql, rangeText, readCsvSql } from './narrowCsv';
import { csvReadRefusal, rejectsTables } from './rejects';
import type { HistorianSource, ReadContext } from './source';

// A station-wide export (one row per time, one column per signal: a SCADA's trend export, a
// historian's wide CSV): every signal is a raw tag. DuckDB reads it with the dialect the head
// showed (delimiter, decimal comma, units rows skipped, missing-value spellings as NULL) and hands
// the time and the signal columns over; each signal column is one batch of the pivot.

export interface WideCsvFile {
  path: string;
  name: string;
  bytes: number;
  layout: WideLayout;
  format: TimeFormat;
  sample: string;
}

// Long because the source object holds its read and its refusal, whose error messages name each kind of bad value.
export function wideCsvSource(file: WideCsvFile): HistorianSource {
  const { layout, format } = file;
  const rejects = rejectsTables();
  const at = (name: string) => layout.columns.indexOf(name);
  const signalColumns = layout.signals.map((s) => at(s.name));
  const time = layout.time;
  const timeColumns = 'timestamp' in time ? [at(time.timestamp)] : [at(time.date), at(time.time)];
  const timeField = 'timestamp' in time ? time.timestamp : `${time.date}/${time.time}`;
  return {
    path: file.path,
    name: file.name,
    bytes: file.bytes,
    layout: 'wide',
    tags: layout.signals.map((s) => s.name),
    units: Object.fromEntries(layout.signals.filter((s) => s.unit).map((s) => [s.name, s.unit as string])),
    descriptions: layout.descriptions ?? {},
    skipped: layout.skipped,
    warnings: [],
    dateOrder: format.kind === 'text' && format.order !== 'ymd' ? format.order : null,
    tagTable: null,
    async read(context: ReadContext) {
      const types = layout.columns.map((_, i) => (signalColumns.includes(i) ? 'DOUBLE' : 'VARCHAR'));
      const text =
        timeColumns.length === 1
          ? `c${timeColumns[0]}`
          : `(${trimmed(`c${timeColumns[0]}`)} || ' ' || ${trimmed(`c${timeColumns[1]}`)})`;
      const { earliest, latest } = context.range;
      const sql = `SELECT ${minuteSql(context.range)},
          CASE WHEN us IS NULL THEN ${DROP.noTime} WHEN us < ${earliest * 1000} OR us > ${latest * 1000} THEN ${DROP.outOfRange} ELSE 0 END AS code,
          ${signalColumns.map((c) => `c${c}`).join(', ')}
        FROM (SELECT ${timeSql(text, format, file.sample)} AS us, * FROM ${readCsvSql(file.path, layout, types, rejects.options)})`;
      let code = new Int32Array(0);
      // Lets DuckDB's readers run ahead of this thread instead of waiting for each chunk to be taken.
      await context.db.run(`SET streaming_buffer_size = '256MB'`);
      for await (const chunk of context.db.chunks(sql)) {
        const count = chunk.rowCount;
        const minute = int32Column(chunk, 0);
        const offset = int32Column(chunk, 1);
        const timeCode = int32Column(chunk, 2);
        if (code.length < count) code = new Int32Array(count);
        for (let s = 0; s < signalColumns.length; s++) {
          // A row's dropped time is counted once, on its first signal.
          for (let i = 0; i < count; i++) code[i] = timeCode[i] < 0 ? (s === 0 ? timeCode[i] : DROP.sameRow) : s * 2;
          const valid = validityMask(chunk, 3 + s);
          context.pivot.add({
            count,
            minute,
            offset,
            code,
            value: float64Column(chunk, 3 + s),
            valid: (i) => isValid(valid, i),
          });
        }
        context.onBatch();
        context.checkCancelled();
      }
    },
    async refusal(context: ReadContext) {
      const rejected = await csvReadRefusal(context.db, rejects, file, layout, (position) =>
        signalColumns.includes(position),
      );
      if (rejected) return rejected;
      const refused = [DROP.noTime, DROP.outOfRange].find((code) => context.pivot.counts.byCode[-code] > 0);
      if (refused === undefined) return null;
      const timeText = (row: string[]) => timeColumns.map((c) => (row[c] ?? '').trim()).join(' ');
      const bad = await findFirstBadRow(file.path, layout.delimiter, layout.headerLines, (row) => {
        const ms = parseTime(timeText(row), format);
        const wrong = Number.isNaN(ms)
          ? DROP.noTime
          : ms < context.range.earliest || ms > context.range.latest
            ? DROP.outOfRange
            : 0;
        return wrong === refused ? { field: timeField, value: timeText(row), why: '' } : null;
      });
      const where = `${file.name}: ${bad ? `line ${bad.line}` : 'a line'}: field ${timeField}: `;
      const details = { line: bad?.line, field: timeField };
      return refused === DROP.noTime
        ? new ApiError(
            'bad_input',
            `${where}cannot read ${excerpt(bad?.value ?? '')} as a time like the others`,
            details,
          )
        : new ApiError(
            'bad_input',
            `${where}${excerpt(bad?.value ?? '')} is outside the plausible range (${rangeText(context.range)}): a wrong clock?`,
            details,
          );
    },
  };
}
