import type { MinuteFrame } from '../minuteFrame';
import { MINUTE_MS } from '../time';
import { MIN_CODE } from './quality';

// The historian pivot (seed 002 §3.1): samples (minute, offset in the minute, tag, value) in any
// order to one row per minute with a column per tag, the last sample of each tag-minute winning.
// It is a scatter into typed arrays, one store per sample: in SQL the same pivot is 27 filtered
// aggregates per row and took twice as long as reading the file (docs/decisions.md, issue 4).
// Pure, so the console (fed by DuckDB) and the edge runner (fed by its own reader) pivot alike.

/** Memory is kept per hour of data: a sparse file spanning decades holds only its hours. */
const BLOCK_MINUTES = 60;
const BLOCKS_PER_DAY = 1440 / BLOCK_MINUTES;

/** An hour of minutes: values and winning offsets per minute and tag, flags per minute. */
interface Block {
  values: Float64Array;
  offsets: Int32Array;
  /** bit 0: the minute has a kept sample; bit 1: one of them had marker B. */
  flags: Uint8Array;
  /** Values stored in the hour, and of those the ones that replaced a value of the same tag-minute. */
  stored: number;
  repeats: number;
}

const PRESENT = 1;
const MARKER_B = 2;

/** What a source hands the pivot: `count` samples as columns. */
export interface SampleBatch {
  count: number;
  /** Minutes since the epoch (naive wall clock). */
  minute: Int32Array;
  /** Microseconds into the minute: the later sample of a tag-minute wins. */
  offset: Int32Array;
  /** Tag position × 2 + (marker B ? 1 : 0), or a negative DROP code (quality.ts). */
  code: Int32Array;
  value: Float64Array;
  /** False where the value is empty (missing); an empty value never wins. */
  valid(i: number): boolean;
}

/**
 * Hour blocks carved out of a few large buffers instead of one small allocation each: the C
 * allocator keeps thousands of small freed blocks (170 MB for a year) as the process's memory
 * long after the pivot is done, where a large buffer goes back to the system once its hours are
 * copied out. Slabs start small (a day's file takes 1 MB) and double up to 256 hours.
 */
class BlockSlabs {
  private slabHours = 8;
  private free = 0;
  private values = new Float64Array(0);
  private offsets = new Int32Array(0);
  private flags = new Uint8Array(0);
  private used = 0;

  constructor(private readonly tagCount: number) {}

  block(): Block {
    if (this.free === 0) {
      const hours = this.slabHours;
      this.slabHours = Math.min(256, hours * 2);
      this.values = new Float64Array(hours * BLOCK_MINUTES * this.tagCount);
      this.offsets = new Int32Array(hours * BLOCK_MINUTES * this.tagCount).fill(-1);
      this.flags = new Uint8Array(hours * BLOCK_MINUTES);
      this.free = hours;
      this.used = 0;
    }
    const cells = BLOCK_MINUTES * this.tagCount;
    const at = this.used++;
    this.free--;
    return {
      values: this.values.subarray(at * cells, (at + 1) * cells),
      offsets: this.offsets.subarray(at * cells, (at + 1) * cells),
      flags: this.flags.subarray(at * BLOCK_MINUTES, (at + 1) * BLOCK_MINUTES),
      stored: 0,
      repeats: 0,
    };
  }
}

/**
 * Accumulates samples a batch at a time. Memory grows with the hours that have data (about 20 KB
 * an hour for 27 tags) and the number of tags, not with the span of the file or a tag's index.
 */
export class MinutePivot {
  private readonly blocks = new Map<number, Block>();
  private lastBlockIndex = Number.NaN;
  private lastBlock: Block | null = null;
  /** The latest day a sample fell on, and how many days before it a sample has come since. */
  maxDay = Number.NEGATIVE_INFINITY;
  maxLateness = 0;
  /** Days up to this one were handed out early (takeDaysThrough); a sample for one makes `late`. */
  private takenThrough = Number.NEGATIVE_INFINITY;
  late = false;
  private readonly tagCount: number;
  private readonly slabs: BlockSlabs;

  /**
   * Samples added; those kept (their minute is a row), of which `empty` had no value and
   * `nonFinite` an infinite one; and per drop code (index = -code) those not kept.
   */
  readonly counts = { rows: 0, kept: 0, empty: 0, nonFinite: 0, byCode: new Float64Array(-MIN_CODE + 1) };

  /** `tags` in column order: a sample's position indexes this list. */
  constructor(readonly tags: readonly string[]) {
    this.tagCount = tags.length;
    this.slabs = new BlockSlabs(tags.length);
  }

  private block(index: number): Block {
    const day = Math.floor(index / BLOCKS_PER_DAY);
    if (day > this.maxDay) this.maxDay = day;
    if (day <= this.takenThrough) this.late = true;
    if (this.maxDay - day > this.maxLateness) this.maxLateness = this.maxDay - day;
    let block = this.blocks.get(index);
    if (!block) {
      block = this.slabs.block();
      this.blocks.set(index, block);
    }
    this.lastBlockIndex = index;
    this.lastBlock = block;
    return block;
  }

  /** Bytes the pivot's blocks hold now (what its memory follows). */
  get heldBytes(): number {
    let bytes = 0;
    for (const block of this.blocks.values())
      bytes += block.values.byteLength + block.offsets.byteLength + block.flags.byteLength;
    return bytes;
  }

  add(batch: SampleBatch): void {
    const { count, minute, offset, code, value, valid } = batch;
    const tags = this.tagCount;
    const counts = this.counts;
    counts.rows += count;
    for (let i = 0; i < count; i++) {
      const c = code[i];
      if (c < 0) {
        counts.byCode[-c]++;
        continue;
      }
      counts.kept++;
      const m = minute[i];
      const index = Math.floor(m / BLOCK_MINUTES);
      // biome-ignore lint/style/noNonNullAssertion: lastBlock is set whenever lastBlockIndex is
      const block = index === this.lastBlockIndex ? this.lastBlock! : this.block(index);
      const row = m - index * BLOCK_MINUTES;
      block.flags[row] |= PRESENT | ((c & 1) === 1 ? MARKER_B : 0);
      if (!valid(i)) {
        counts.empty++;
        continue;
      }
      const v = value[i];
      // An infinite value is a missing one (counted): it never wins over a real sample.
      if (v - v !== 0) {
        counts.nonFinite++;
        continue;
      }
      const slot = row * tags + (c >> 1);
      block.stored++;
      // A sample at or before one already read for its tag-minute repeats it (a clock put back);
      // one later in the minute is finer logging (10-second data), the minute's last value wins.
      if (block.offsets[slot] >= 0 && offset[i] <= block.offsets[slot]) block.repeats++;
      if (offset[i] >= block.offsets[slot]) {
        block.offsets[slot] = offset[i];
        block.values[slot] = v;
      }
    }
  }

  /**
   * Hours (their first minute, ms) in which most values repeated a tag-minute already read at the
   * same or a later second: the hour was logged twice, as when a clock is put back an hour in autumn.
   */
  repeatedHours(): number[] {
    const hours: number[] = [];
    for (const [index, block] of this.blocks)
      if (block.stored >= 2 && block.repeats * 2 >= block.stored) hours.push(index * BLOCK_MINUTES * MINUTE_MS);
    return hours.sort((a, b) => a - b);
  }

  /**
   * The minutes of the days not handed out yet up to `lastDay`, with the columns `tags` (those the
   * pivot has), for work that can start before the file is read to the end. A later sample on one
   * of those days sets `late`: what was handed out is then not final.
   */
  takeDaysThrough(lastDay: number, tags: readonly string[]): MinuteFrame {
    const first = (this.takenThrough + 1) * BLOCKS_PER_DAY;
    const last = (lastDay + 1) * BLOCKS_PER_DAY;
    const indices = [...this.blocks.keys()].filter((b) => b >= first && b < last).sort((a, b) => a - b);
    const columns = tags.map((tag) => this.tags.indexOf(tag)).filter((t) => t >= 0);
    const { frame } = this.copyBlocks(indices, columns, false);
    this.takenThrough = Math.max(this.takenThrough, lastDay);
    this.lastBlockIndex = Number.NaN; // the next sample goes through block(), which checks for late ones
    return frame;
  }

  /** The minutes with a kept sample, in time order, and how many tag-minutes have a value. */
  finish(): { frame: MinuteFrame; cells: number } {
    const indices = [...this.blocks.keys()].sort((a, b) => a - b);
    const result = this.copyBlocks(
      indices,
      this.tags.map((_, t) => t),
      true,
    );
    this.lastBlock = null;
    this.lastBlockIndex = Number.NaN;
    return result;
  }

  /** The present minutes of the blocks `indices` (ascending), columns `columns`; `release` drops each once copied. */
  private copyBlocks(indices: number[], columns: number[], release: boolean): { frame: MinuteFrame; cells: number } {
    let minutes = 0;
    for (const index of indices) for (const f of (this.blocks.get(index) as Block).flags) if (f & PRESENT) minutes++;
    const frame: MinuteFrame = {
      times: new Float64Array(minutes),
      markerB: new Uint8Array(minutes),
      tags: columns.map((t) => this.tags[t]),
      values: columns.map(() => new Float64Array(minutes)),
    };
    let cells = 0;
    let out = 0;
    for (const index of indices) {
      const block = this.blocks.get(index) as Block;
      if (release) this.blocks.delete(index);
      for (let row = 0; row < BLOCK_MINUTES; row++) {
        const flags = block.flags[row];
        if (!(flags & PRESENT)) continue;
        frame.times[out] = (index * BLOCK_MINUTES + row) * MINUTE_MS;
        frame.markerB[out] = flags & MARKER_B ? 1 : 0;
        for (let c = 0; c < columns.length; c++) {
          const slot = row * this.tagCount + columns[c];
          if (block.offsets[slot] >= 0) {
            frame.values[c][out] = block.values[slot];
            cells++;
          } else {
            frame.values[c][out] = Number.NaN;
          }
        }
        out++;
      }
    }
    return { frame, cells };
  }
}
