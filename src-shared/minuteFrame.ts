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
