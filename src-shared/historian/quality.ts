// RSView32 / FactoryTalk View data logs mark each row and each sample (RSView32 User's Guide,
// data log file formats): what PumpDeck keeps, what it drops, and how it counts the drops.

/**
 * Marker: blank on every periodic sample, B on the first rows after logging began, S on a
 * snapshot; E on the last rows before logging ended. Seed 002 §3.1 keeps only B and S, which is
 * true of its converted export and drops nearly everything of a real log; E rows are dropped.
 */
export const KEPT_MARKERS: readonly string[] = ['', 'B', 'S'];
export const ENDED_MARKER = 'E';

/** Status: blank for a good sample; these codes mark a value that must not be used. */
export const BAD_STATUS = ['D', 'E', 'S', 'U', '*'] as const;
export const STATUS_MEANING: Record<(typeof BAD_STATUS)[number], string> = {
  D: 'node disabled',
  E: 'communication error',
  S: 'stale',
  U: 'uninitialised',
  '*': 'bad quality',
};

/**
 * Why a sample was not pivoted: one code per reason, so a single pass counts them all. A kept
 * sample's code is its tag position × 2 + 1 when its marker is B (≥ 0).
 */
export const DROP = {
  /** Marker E: the last rows before logging ended. */
  ended: -1,
  /** No readable time (refused as an error: it names the line). */
  noTime: -2,
  /** A marker other than blank, B, S or E. */
  marker: -3,
  /** A tag index the tag table does not have (refused as an error). */
  unknownTag: -4,
  /** A TagIndex that is not a whole number (refused as an error). */
  badTag: -5,
  /** A time outside the plausible range (refused as an error). */
  outOfRange: -6,
  /** The other samples of a wide row whose time was dropped (the row is counted once). */
  sameRow: -7,
  /** A value (or Millitm) that is neither a number nor a missing-value word (refused as an error). */
  badValue: -8,
  /** Status codes: -10 - position in BAD_STATUS; any other non-blank code is -16. */
  status: -10,
  otherStatus: -16,
} as const;

export const MIN_CODE = DROP.otherStatus;

/** Counts of dropped samples by reason, as the import summary shows them. */
export interface DropCounts {
  /** Marker E rows. */
  ended: number;
  /** Markers other than blank, B, S, E. */
  marker: number;
  /** Per bad Status code (D, E, S, U, *, other). */
  status: Record<string, number>;
  /** Values that were infinite: stored as missing. */
  nonFinite: number;
}

/** Drop counts from the per-code tally the pivot keeps (index = -code). */
export function dropCounts(byCode: ArrayLike<number>, nonFinite: number): DropCounts {
  const status: Record<string, number> = {};
  BAD_STATUS.forEach((code, i) => {
    const n = byCode[-(DROP.status - i)] ?? 0;
    if (n > 0) status[code] = n;
  });
  if ((byCode[-DROP.otherStatus] ?? 0) > 0) status.other = byCode[-DROP.otherStatus];
  return { ended: byCode[-DROP.ended] ?? 0, marker: byCode[-DROP.marker] ?? 0, status, nonFinite };
}
