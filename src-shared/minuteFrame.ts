import type { MinuteReading } from './alerts/minute';
import { lowerBound } from './sorted';
import { PUMPS, TAG } from './tags';

// Minutes held as columns (typed arrays, NaN = NULL): an import's pivot, the stored rows around it,
// the alert engine's input. Pure, so the alerts worker loads it without DuckDB.

/** Minutes in time order, with one column per tag (NaN = NULL). */
export interface MinuteFrame {
  /** Epoch ms (naive wall clock), ascending. */
  times: Float64Array;
  /** 1 where the minute's marker is B, else 0 (S). */
  markerB: Uint8Array;
  tags: string[];
  values: Float64Array[];
}

/** Minutes in time order, the raw tag columns looked up by name. */
export interface RawMinutes {
  /** Epoch ms (naive wall clock), ascending, one per minute. */
  times: Float64Array;
  column(tag: string): Float64Array | undefined;
}

export function rawMinutes(frame: MinuteFrame): RawMinutes {
  const byTag = new Map(frame.tags.map((tag, i) => [tag, frame.values[i]]));
  return { times: frame.times, column: (tag) => byTag.get(tag) };
}

/** The frame's minutes after `afterMs` as alert engine input. */
export function* frameReadings(frame: MinuteFrame, afterMs: number | null): Generator<MinuteReading> {
  const cols = rawMinutes(frame);
  const none = new Float64Array(frame.times.length).fill(Number.NaN);
  const col = (tag: string) => cols.column(tag) ?? none;
  const [flow, dayTotal, level] = [col(TAG.flow), col(TAG.dayTotal), col(TAG.level)];
  const on = PUMPS.map((p) => col(TAG.onOff(p)));
  const kw = PUMPS.map((p) => col(TAG.kw(p)));
  const value = (v: number) => (v === v ? v : null);
  for (let i = afterMs === null ? 0 : lowerBound(frame.times, afterMs + 1); i < frame.times.length; i++) {
    const pumpsOn: Array<boolean | null> = new Array(on.length);
    const pumpsKw: Array<number | null> = new Array(kw.length);
    for (let k = 0; k < on.length; k++) {
      pumpsOn[k] = on[k][i] === on[k][i] ? on[k][i] === 1 : null;
      pumpsKw[k] = value(kw[k][i]);
    }
    yield {
      time: frame.times[i],
      flow: value(flow[i]),
      dayTotal: value(dayTotal[i]),
      level: value(level[i]),
      on: pumpsOn,
      kw: pumpsKw,
    };
  }
}
