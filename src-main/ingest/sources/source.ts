import type { ApiError } from '../../../src-shared/api/errors';
import type { MinutePivot } from '../../../src-shared/historian/minutePivot';
import type { TimeRange } from '../../../src-shared/historian/sampleCode';
import type { DateOrder } from '../../../src-shared/timeFormat';
import type { StationDb } from '../../db/stationDb';

// A historian file as the import sees it, whatever its shape: the tags it carries, and a read that
// streams its samples into the minute pivot. Each shape (narrow or wide CSV read by DuckDB, dBase
// logs read by dbffile) is one module in this folder.

/** The shapes PumpDeck reads (docs/decisions.md, "Real exports"). */
export type SourceLayout = 'seed' | 'rsview' | 'wide' | 'rsview-dbf' | 'rsview-wide-dbf';

export interface ReadContext {
  /** The import's own connection (DuckDB sources read through it). */
  db: StationDb;
  pivot: MinutePivot;
  range: TimeRange;
  checkCancelled(): void;
  /** After each batch: the import may hand finished days to the alert engine. */
  onBatch(): void;
  /** How far the read is, 0..1, when the source knows. */
  onProgress(fraction: number): void;
}

export interface HistorianSource {
  path: string;
  name: string;
  bytes: number;
  layout: SourceLayout;
  /** Pivot columns in order: a sample's position indexes this list. */
  tags: string[];
  /** Units and descriptions the file states (a units row, a tag table). */
  units: Record<string, string>;
  descriptions: Record<string, string>;
  /** Columns not read, and why. */
  skipped: Array<{ name: string; reason: string }>;
  /** What the file itself got wrong and was read past (a dBase header's record count). */
  warnings: string[];
  /** The day/month order used, when the file writes dates that have one. */
  dateOrder: DateOrder | null;
  /** The tag table used, and whether it was found beside the log. */
  tagTable: { path: string; found: boolean } | null;
  read(context: ReadContext): Promise<void>;
  /**
   * After a read: the first problem the file has that refuses the import (a value the reader
   * could not read; a sample with no time, an unknown or broken tag index, a time out of range),
   * naming its line and field, or null.
   */
  refusal(context: ReadContext): Promise<ApiError | null>;
}
