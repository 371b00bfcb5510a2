import { type MinuteFrame, rawMinutes } from '../../src-shared/minuteFrame';
import { lowerBound } from '../../src-shared/sorted';
import type { StationModel } from '../../src-shared/station/model';
import { type AppendColumn, float64Column, isValid, validityMask } from '../db/columnar';
import { DERIVED_COLUMNS } from '../db/schema';
import { ident, type StationDb } from '../db/stationDb';
import { deriveColumns } from './derivedColumns';

// readings_wide's raw part held in memory as columns: the pivot of an import, the stored rows
// around it that its derived values depend on, and the two merged. Derived columns are computed
// here and the rows go back through one INSERT that pulls them from a table function, so a year
// moves between DuckDB and JS as a few hundred column chunks.

/** A naive epoch-ms time as a DuckDB TIMESTAMP literal. */
export const tsLiteral = (ms: number) => `make_timestamp(${Math.round(ms * 1000)}::BIGINT)`;

/** The rows of readings_wide in [fromMs, toMs] (raw tags only, null: unbounded), in time order. */
export async function loadMinutes(
  db: StationDb,
  tags: string[],
  fromMs: number | null,
  toMs: number | null,
): Promise<MinuteFrame> {
  const bounds = [
    fromMs === null ? '' : `"Timestamp" >= ${tsLiteral(fromMs)}`,
    toMs === null ? '' : `"Timestamp" <= ${tsLiteral(toMs)}`,
  ];
  const where = bounds.filter(Boolean).join(' AND ') || 'TRUE';
  const rows = (await db.single<{ n: number }>(`SELECT count(*) AS n FROM readings_wide WHERE ${where}`)).n;
  const frame: MinuteFrame = {
    times: new Float64Array(rows),
    markerB: new Uint8Array(rows),
    tags,
    values: tags.map(() => new Float64Array(rows)),
  };
  if (rows === 0) return frame;
  let at = 0;
  const sql = `SELECT epoch_ms("Timestamp")::DOUBLE, CASE WHEN "Marker" = 'B' THEN 1 ELSE 0 END::DOUBLE${tags.map((t) => `, ${ident(t)}::DOUBLE`).join('')}
               FROM readings_wide WHERE ${where} ORDER BY "Timestamp"`;
  for await (const chunk of db.chunks(sql)) {
    const count = chunk.rowCount;
    frame.times.set(float64Column(chunk, 0), at);
    const markers = float64Column(chunk, 1);
    for (let i = 0; i < count; i++) frame.markerB[at + i] = markers[i];
    tags.forEach((_, t) => {
      const values = float64Column(chunk, t + 2);
      const valid = validityMask(chunk, t + 2);
      const target = frame.values[t];
      target.set(values, at);
      if (valid) for (let i = 0; i < count; i++) if (!isValid(valid, i)) target[at + i] = Number.NaN;
    });
    at += count;
  }
  return frame;
}

/**
 * Both frames' minutes in one frame with the columns `tags`: where a minute is in both, the
 * incoming values win and the stored ones fill the tags the import lacks. Counts the minutes the
 * import updates and those where it changes a value.
 */
export function mergeMinutes(
  stored: MinuteFrame,
  incoming: MinuteFrame,
  tags: string[],
): { frame: MinuteFrame; updated: number; changed: number } {
  const storedCols = rawMinutes(stored);
  const incomingCols = rawMinutes(incoming);
  if (stored.times.length === 0) {
    const empty = new Float64Array(incoming.times.length).fill(Number.NaN);
    return {
      frame: { ...incoming, tags, values: tags.map((t) => incomingCols.column(t) ?? empty) },
      updated: 0,
      changed: 0,
    };
  }
  // The union of the minutes, and where each came from (-1: absent).
  const a = stored.times;
  const b = incoming.times;
  const times: number[] = [];
  const fromA: number[] = [];
  const fromB: number[] = [];
  for (let i = 0, j = 0; i < a.length || j < b.length; ) {
    const t = j >= b.length || (i < a.length && a[i] < b[j]) ? a[i] : b[j];
    times.push(t);
    fromA.push(i < a.length && a[i] === t ? i++ : -1);
    fromB.push(j < b.length && b[j] === t ? j++ : -1);
  }
  const n = times.length;
  const frame: MinuteFrame = { times: Float64Array.from(times), markerB: new Uint8Array(n), tags, values: [] };
  let updated = 0;
  const changedRows = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    frame.markerB[r] = fromB[r] >= 0 ? incoming.markerB[fromB[r]] : stored.markerB[fromA[r]];
    if (fromA[r] >= 0 && fromB[r] >= 0) updated++;
  }
  for (const tag of tags) {
    const old = storedCols.column(tag);
    const fresh = incomingCols.column(tag);
    const merged = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const x = fresh && fromB[r] >= 0 ? fresh[fromB[r]] : Number.NaN;
      const y = old && fromA[r] >= 0 ? old[fromA[r]] : Number.NaN;
      merged[r] = !Number.isNaN(x) ? x : y;
      // IS DISTINCT FROM: a value where there was none also changes the minute.
      if (!Number.isNaN(x) && fromA[r] >= 0 && x !== y) changedRows[r] = 1;
    }
    frame.values.push(merged);
  }
  return { frame, updated, changed: changedRows.reduce((s, c) => s + c, 0) };
}

function sliceColumn(column: AppendColumn, from: number, to: number): AppendColumn {
  switch (column.type) {
    case 'timestamp':
      return { type: 'timestamp', epochMs: column.epochMs.subarray(from, to) };
    case 'date':
      return { type: 'date', epochDays: column.epochDays.subarray(from, to) };
    case 'integer':
      return { type: 'integer', values: column.values.subarray(from, to), nulls: column.nulls?.subarray(from, to) };
    case 'double':
      return { type: 'double', values: column.values.subarray(from, to) };
    case 'varchar':
      return { type: 'varchar', values: Array.prototype.slice.call(column.values, from, to) as Array<string | null> };
  }
}

/**
 * Replaces the rows of readings_wide in [fromMs, toMs] with the frame's rows there, their derived
 * columns computed over the whole frame (which must hold the lookback before fromMs).
 */
export async function writeMinutes(
  db: StationDb,
  station: StationModel,
  frame: MinuteFrame,
  fromMs: number,
  toMs: number,
): Promise<void> {
  const first = lowerBound(frame.times, fromMs);
  const end = lowerBound(frame.times, toMs + 1);
  const derived = deriveColumns(rawMinutes(frame), station);
  const byName = new Map<string, AppendColumn>([
    ['Timestamp', { type: 'timestamp', epochMs: frame.times }],
    ['Marker', { type: 'varchar', values: Array.from(frame.markerB, (b) => (b ? 'B' : 'S')) }],
  ]);
  DERIVED_COLUMNS.forEach(([name], i) => {
    byName.set(name, derived[i]);
  });
  frame.tags.forEach((tag, i) => {
    byName.set(tag, { type: 'double', values: frame.values[i] });
  });
  const order = await db.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'readings_wide' AND table_schema = 'main' ORDER BY ordinal_position`,
  );
  const none: AppendColumn = { type: 'double', values: new Float64Array(frame.times.length).fill(Number.NaN) };
  const columns = order.map(({ column_name }) => sliceColumn(byName.get(column_name) ?? none, first, end));
  await db.run(`DELETE FROM readings_wide WHERE "Timestamp" BETWEEN ${tsLiteral(fromMs)} AND ${tsLiteral(toMs)}`);
  await db.insertColumns('readings_wide', columns, end - first);
}
