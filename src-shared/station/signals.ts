import type { MinuteReading } from '../alerts/minute';
import type { MinuteFrame, RawMinutes } from '../minuteFrame';
import { lowerBound } from '../sorted';
import type { PumpModel, RunSignal, Signal, StationModel } from './model';
import { unitFactor } from './units';

// The station's signals as numbers in one unit each, read off raw tag columns: what the derived
// columns, the alert engine and the edge runner compute from. The SQL of the same reading is in
// src-main/ingest/stationSql.ts (tested to agree).

/** A 0/1 run tag reads "running" from this value up (an HMI may log 0.99 for 1). */
export const RUNNING_AT = 0.5;

/** Running, from a run tag's value: null when the value is missing. */
export function isRunning(run: RunSignal, value: number): boolean | null {
  if (Number.isNaN(value)) return null;
  return run.above === undefined ? value >= RUNNING_AT : value > run.above;
}

const factor = (kind: Parameters<typeof unitFactor>[0], s: Signal | undefined) =>
  s ? (unitFactor(kind, s.unit) ?? 1) : 1;

/** A station's raw columns resolved once: the column of each role and the factor to its unit. */
export interface StationColumns {
  times: Float64Array;
  /** Station flow (m³/h): the flow tag, else the sum of the pumps' flows; NaN where missing. */
  flow: Float64Array;
  /** Level in its own unit. */
  level: Float64Array;
  dayTotal: Float64Array;
  inflow: Float64Array;
  /** Per pump: 1 running, 0 not, NaN missing; the run tag's own value; kW; flow (m³/h). */
  run: Float64Array[];
  runValue: Float64Array[];
  kw: Float64Array[];
  pumpFlow: Float64Array[];
}

/** A signal's column times `scale` (1: as logged); all NaN when the station has no such signal. */
function scaled(raw: RawMinutes, s: Signal | undefined, scale: number, n: number): Float64Array {
  const column = s ? raw.column(s.tag) : undefined;
  const out = new Float64Array(n).fill(Number.NaN);
  if (!column) return out;
  for (let i = 0; i < n; i++) out[i] = column[i] * scale;
  return out;
}

function runColumn(raw: RawMinutes, pump: PumpModel, n: number): Float64Array {
  const column = raw.column(pump.run.tag);
  const out = new Float64Array(n).fill(Number.NaN);
  if (!column) return out;
  for (let i = 0; i < n; i++) {
    const on = isRunning(pump.run, column[i]);
    out[i] = on === null ? Number.NaN : on ? 1 : 0;
  }
  return out;
}

/** The model's signals over raw minutes, each in its unit. */
export function stationColumns(raw: RawMinutes, model: StationModel): StationColumns {
  const n = raw.times.length;
  const pumpFlow = model.pumps.map((p) => scaled(raw, p.flow, factor('flow', p.flow), n));
  let flow = scaled(raw, model.flow, factor('flow', model.flow), n);
  if (!model.flow && model.pumps.some((p) => p.flow)) {
    // No station meter: the pumps' own meters add up to it (a minute with none of them is missing).
    flow = new Float64Array(n).fill(Number.NaN);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      let any = false;
      for (const f of pumpFlow)
        if (!Number.isNaN(f[i])) {
          sum += f[i];
          any = true;
        }
      if (any) flow[i] = sum;
    }
  }
  return {
    times: raw.times,
    flow,
    level: scaled(raw, model.level, 1, n),
    dayTotal: scaled(raw, model.day_total, factor('volume', model.day_total), n),
    inflow: scaled(raw, model.inflow, factor('flow', model.inflow), n),
    run: model.pumps.map((p) => runColumn(raw, p, n)),
    runValue: model.pumps.map((p) => scaled(raw, p.run, 1, n)),
    kw: model.pumps.map((p) => scaled(raw, p.kw, factor('power', p.kw), n)),
    pumpFlow,
  };
}

/** The frame's minutes after `afterMs` as alert engine input. */
export function* stationReadings(columns: StationColumns, afterMs: number | null): Generator<MinuteReading> {
  const value = (v: number) => (!Number.isNaN(v) ? v : null);
  const pumps = columns.run.length;
  const start = afterMs === null ? 0 : lowerBound(columns.times, afterMs + 1);
  for (let i = start; i < columns.times.length; i++) {
    const on: Array<boolean | null> = new Array(pumps);
    const kw: Array<number | null> = new Array(pumps);
    const pumpFlow: Array<number | null> = new Array(pumps);
    const runValue: Array<number | null> = new Array(pumps);
    for (let k = 0; k < pumps; k++) {
      const r = columns.run[k][i];
      on[k] = !Number.isNaN(r) ? r === 1 : null;
      kw[k] = value(columns.kw[k][i]);
      pumpFlow[k] = value(columns.pumpFlow[k][i]);
      runValue[k] = value(columns.runValue[k][i]);
    }
    yield {
      time: columns.times[i],
      flow: value(columns.flow[i]),
      dayTotal: value(columns.dayTotal[i]),
      level: value(columns.level[i]),
      inflow: value(columns.inflow[i]),
      on,
      kw,
      pumpFlow,
      runValue,
    };
  }
}

/** A frame's minutes as engine input under `model`. */
export function frameReadings(
  frame: MinuteFrame,
  model: StationModel,
  afterMs: number | null,
): Generator<MinuteReading> {
  const byTag = new Map(frame.tags.map((tag, i) => [tag, frame.values[i]]));
  return stationReadings(stationColumns({ times: frame.times, column: (t) => byTag.get(t) }, model), afterMs);
}
