// The historian pivot (seed 002 §3.1): samples (minute, offset in the minute, tag, value) in any
// order to one row per minute with a column per tag, the last sample of each tag-minute winning.
// It is a scatter into typed arrays, one store per sample: in SQL the same pivot is 27 filtered
// aggregates per row and took twice as long as reading the file (docs/decisions.md, issue 4).

const MINUTE_MS = 60_000;
const MINUTES_PER_DAY = 1440;

import type { MinuteFrame } from '../../src-shared/minuteFrame';

/** A day of minutes: values and winning offsets per minute and tag, flags per minute. */
interface DayBlock {
  values: Float64Array;
  offsets: Int32Array;
  /** bit 0: the minute has a kept sample; bit 1: one of them had marker B. */
  flags: Uint8Array;
}

const PRESENT = 1;
const MARKER_B = 2;

/**
 * Accumulates samples a chunk at a time. Memory grows with the days that have data (about 470 KB
 * a day for 27 tags), not with the span between the first and last timestamp.
 */
export class MinutePivot {
  private readonly days = new Map<number, DayBlock>();
  private lastDay = Number.NaN;
  private lastBlock: DayBlock | null = null;
  /** The latest day a sample fell on, and how many days before it a sample has come since. */
  maxDay = Number.NEGATIVE_INFINITY;
  maxLateness = 0;
  /** Days up to this one were handed out early (takeDaysThrough); a sample for one makes `late`. */
  private takenThrough = Number.NEGATIVE_INFINITY;
  late = false;

  private readonly tagCount: number;

  /** `tags` in column order; `positionOf[tagIndex]` is a tag's column (only kept tags are passed in). */
  constructor(
    private readonly tags: string[],
    private readonly positionOf: Int32Array,
  ) {
    this.tagCount = tags.length;
  }

  private block(day: number): DayBlock {
    if (day === this.lastDay) return this.lastBlock!;
    if (day > this.maxDay) this.maxDay = day;
    if (day <= this.takenThrough) this.late = true;
    if (this.maxDay - day > this.maxLateness) this.maxLateness = this.maxDay - day;
    let block = this.days.get(day);
    if (!block) {
      const cells = MINUTES_PER_DAY * this.tagCount;
      block = {
        values: new Float64Array(cells),
        offsets: new Int32Array(cells).fill(-1),
        flags: new Uint8Array(MINUTES_PER_DAY),
      };
      this.days.set(day, block);
    }
    this.lastDay = day;
    this.lastBlock = block;
    return block;
  }

  /** Samples added, those kept, and those without a time (code -2). */
  readonly counts = { rows: 0, kept: 0, noTime: 0 };

  /**
   * Adds samples: `minute` since the epoch, `offset` in the minute (µs), `code` = tag index × 2 +
   * (marker B ? 1 : 0), -1 for a sample that is not kept or -2 for one without a time (neither is
   * pivoted); `valid(i)` is false for an empty value.
   */
  add(
    count: number,
    minute: Int32Array,
    offset: Int32Array,
    code: Int32Array,
    value: Float64Array,
    valid: (i: number) => boolean,
  ): void {
    const tags = this.tagCount;
    this.counts.rows += count;
    for (let i = 0; i < count; i++) {
      const c = code[i];
      if (c < 0) {
        if (c === -2) this.counts.noTime++;
        continue;
      }
      this.counts.kept++;
      const m = minute[i];
      const day = Math.floor(m / MINUTES_PER_DAY);
      const block = day === this.lastDay ? this.lastBlock! : this.block(day);
      const row = m - day * MINUTES_PER_DAY;
      block.flags[row] |= PRESENT | ((c & 1) === 1 ? MARKER_B : 0);
      if (!valid(i)) continue;
      const slot = row * tags + this.positionOf[c >> 1];
      if (offset[i] >= block.offsets[slot]) {
        block.offsets[slot] = offset[i];
        block.values[slot] = value[i];
      }
    }
  }

  /**
   * The minutes of the days not handed out yet up to `lastDay`, with the columns `tags` (those the
   * pivot has), for work that can start before the file is read to the end. A later sample on one
   * of those days sets `late`: what was handed out is then not final.
   */
  takeDaysThrough(lastDay: number, tags: string[]): MinuteFrame {
    const days = [...this.days.keys()].filter((d) => d > this.takenThrough && d <= lastDay).sort((a, b) => a - b);
    const { frame } = this.copyDays(
      days,
      tags.map((tag) => this.tags.indexOf(tag)).filter((t) => t >= 0),
      false,
    );
    this.takenThrough = Math.max(this.takenThrough, lastDay);
    this.lastDay = Number.NaN; // the next sample goes through block(), which checks for late ones
    return frame;
  }

  /** The minutes with a kept sample, in time order, and how many tag-minutes have a value. */
  finish(): { frame: MinuteFrame; cells: number } {
    const days = [...this.days.keys()].sort((a, b) => a - b);
    const result = this.copyDays(
      days,
      this.tags.map((_, t) => t),
      true,
    );
    this.lastBlock = null;
    this.lastDay = Number.NaN;
    return result;
  }

  /** The present minutes of `days` (ascending) with the pivot's columns `columns`; `release` lets each day go once copied. */
  private copyDays(days: number[], columns: number[], release: boolean): { frame: MinuteFrame; cells: number } {
    let minutes = 0;
    for (const day of days) for (const f of this.days.get(day)!.flags) if (f & PRESENT) minutes++;
    const frame: MinuteFrame = {
      times: new Float64Array(minutes),
      markerB: new Uint8Array(minutes),
      tags: columns.map((t) => this.tags[t]),
      values: columns.map(() => new Float64Array(minutes)),
    };
    let cells = 0;
    let out = 0;
    for (const day of days) {
      const block = this.days.get(day)!;
      if (release) this.days.delete(day);
      for (let row = 0; row < MINUTES_PER_DAY; row++) {
        const flags = block.flags[row];
        if (!(flags & PRESENT)) continue;
        frame.times[out] = (day * MINUTES_PER_DAY + row) * MINUTE_MS;
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
