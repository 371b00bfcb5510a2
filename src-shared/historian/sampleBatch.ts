import type { SampleSink } from './dbfRecords';
import type { MinutePivot } from './minutePivot';

const BATCH = 4096;

/** Samples read one at a time (the JS readers), handed to the pivot a few thousand at a time. */
export class SampleBatch implements SampleSink {
  private readonly minute = new Int32Array(BATCH);
  private readonly offset = new Int32Array(BATCH);
  private readonly code = new Int32Array(BATCH);
  private readonly value = new Float64Array(BATCH);
  private readonly present = new Uint8Array(BATCH);
  private count = 0;

  constructor(private readonly pivot: MinutePivot) {}

  /** A sample at naive `ms` with its code; a null value is an empty one (an infinite one is counted). */
  push(ms: number, code: number, value: number | null): void {
    const i = this.count++;
    const minute = Math.floor(ms / 60_000);
    this.minute[i] = Number.isFinite(minute) ? minute : 0;
    this.offset[i] = Number.isFinite(ms) ? (ms - minute * 60_000) * 1000 : 0;
    this.code[i] = code;
    this.value[i] = value ?? 0;
    this.present[i] = value === null ? 0 : 1;
    if (this.count === BATCH) this.flush();
  }

  flush(): void {
    if (this.count === 0) return;
    const present = this.present;
    this.pivot.add({
      count: this.count,
      minute: this.minute,
      offset: this.offset,
      code: this.code,
      value: this.value,
      valid: (i) => present[i] === 1,
    });
    this.count = 0;
  }
}
