import type { LevelSignal, OperatingLimits, StationKind, StationModel } from './model';

// The one home of a station's level limits (issue 30, "a station's normal is its own"): the
// physical range (0 % and 100 %), the band the station is operated in, the level at which its
// pumps stop, whether it empties (a wet well, a tunnel) or fills (a tank) to the band's end every
// day by design, and the alarm limits the D rules test. The level alarms, the schedule's band,
// the derived columns, the Overview and the report all read them from here.

/** Seed 002 §11: the tank is operated between 15 and 90 % of its range when nothing else is said. */
export const DEFAULT_BAND_PCT: [number, number] = [15, 90];
/** D-02 on a tank: empty (a pump running dry) under 2 % of the range (seed 002 §8.7). */
const EMPTY_PCT = 2;
/** D-03: overflow risk over 90 % of the physical range; D-01 on a wet well: critically high over 85 %. */
export const OVERFLOW_PCT = 90;
const CRITICAL_HIGH_PCT = 85;
/** A wet well's level goes this far (% of the range) under its stop level while its pumps stop. */
const DRY_MARGIN_PCT = 2;

export type LimitName = 'LL' | 'L' | 'H' | 'HH';

export interface LevelLimit {
  /** ISA-101's name for the limit. */
  name: LimitName;
  pct: number;
  /** The same in the level's unit. */
  level: number;
  /** The rule that alarms there. */
  rule: string;
}

export interface LevelBands {
  unit: string;
  /** Physical range: 0 % and 100 %. */
  min: number;
  max: number;
  /** The operating band, in the level's unit and in % of the range. */
  low: number;
  high: number;
  lowPct: number;
  highPct: number;
  /** The level at which the station stops its pumps (a wet well), when known. */
  stop: number | null;
  stopPct: number | null;
  /** The store is emptied (a wet well) or filled (a tank) to its band's end every day by design. */
  dailyCycle: boolean;
  /** Where the band comes from: the engineer, a proposal from the station's history, or seed 002's default. */
  source: 'confirmed' | 'proposed' | 'default';
  /** The alarm limits of the D rules, in % and in the level's unit. */
  limits: LevelLimit[];
}

const pctIn = (level: LevelSignal, value: number) => ((value - level.min) / (level.max - level.min)) * 100;
const valueAt = (level: LevelSignal, pct: number) => level.min + (pct / 100) * (level.max - level.min);

/** The alarm limits on this kind of station, in % of the range, from its operating band. */
function alarmPcts(kind: StationKind, band: [number, number] | null, stopPct: number | null) {
  const [lowPct, highPct] = band ?? DEFAULT_BAND_PCT;
  if (kind === 'lift') {
    // A wet well overflows at the top: critically high above its band (85 % without one), overflow risk above that.
    const high = band ? Math.min(97, Math.max(CRITICAL_HIGH_PCT, highPct + 2)) : CRITICAL_HIGH_PCT;
    return [
      // Pumps running dry: well under the stop level (the level overshoots it while they stop).
      {
        name: 'LL' as const,
        pct: stopPct === null ? EMPTY_PCT : Math.max(0.5, stopPct - DRY_MARGIN_PCT),
        rule: 'D-02',
      },
      { name: 'H' as const, pct: high, rule: 'D-01' },
      { name: 'HH' as const, pct: Math.min(99, Math.max(OVERFLOW_PCT, high + 3)), rule: 'D-03' },
    ];
  }
  return [
    { name: 'LL' as const, pct: Math.min(EMPTY_PCT, lowPct), rule: 'D-02' },
    { name: 'L' as const, pct: lowPct, rule: 'D-01' },
    { name: 'H' as const, pct: Math.min(99, Math.max(OVERFLOW_PCT, highPct)), rule: 'D-03' },
  ];
}

/** The station's level limits, or null without a level signal. */
export function levelBands(model: Pick<StationModel, 'kind' | 'level'>): LevelBands | null {
  const level = model.level;
  if (!level || !(level.max > level.min)) return null;
  const operating: OperatingLimits | undefined = level.operating;
  const [lowPct, highPct] = operating ? [pctIn(level, operating.low), pctIn(level, operating.high)] : DEFAULT_BAND_PCT;
  const stop = operating?.stop ?? null;
  const stopPct = stop === null ? null : pctIn(level, stop);
  return {
    unit: level.unit ?? '',
    min: level.min,
    max: level.max,
    low: valueAt(level, lowPct),
    high: valueAt(level, highPct),
    lowPct,
    highPct,
    stop,
    stopPct,
    dailyCycle: operating?.daily_cycle === true,
    source: operating ? (operating.proposed ? 'proposed' : 'confirmed') : 'default',
    limits: alarmPcts(model.kind, operating ? [lowPct, highPct] : null, stopPct).map((l) => ({
      ...l,
      level: valueAt(level, l.pct),
    })),
  };
}

/**
 * Seed 002 §7.5's derived-column limits: the operating band's low, the overflow limit and 10 %
 * under the band's top (15 %, 90 % and 80 % by default, and on a station without a level).
 */
export function derivedLevelLimits(bands: LevelBands | null): {
  lowPct: number;
  overflowPct: number;
  nearlyFullPct: number;
} {
  const [low, high] = bands ? [bands.lowPct, bands.highPct] : DEFAULT_BAND_PCT;
  return {
    lowPct: low,
    overflowPct: (bands && limitPct(bands, 'D-03')) ?? OVERFLOW_PCT,
    nearlyFullPct: high - 10,
  };
}

/** The limit rule `rule` (D-01, D-02, D-03) alarms at, in % of the range (null when it has none here). */
export function limitPct(bands: LevelBands, rule: string): number | null {
  return bands.limits.find((l) => l.rule === rule)?.pct ?? null;
}

/** The operating limits of a band given in % (station.json's older `band_pct`), in the level's unit. */
export function operatingFromPct(level: LevelSignal, band: [number, number]): OperatingLimits {
  return { low: valueAt(level, band[0]), high: valueAt(level, band[1]) };
}

/**
 * The level limit a level is past, the outermost first (HH before H, LL before L), or null inside
 * L..H: what the Overview colours the level by (ISA-101: colour only for abnormal).
 */
export function levelPast(
  pct: number | null,
  limits: ReadonlyArray<{ name: 'LL' | 'L' | 'H' | 'HH'; pct: number }>,
): 'LL' | 'L' | 'H' | 'HH' | null {
  if (pct === null) return null;
  const at = (name: 'LL' | 'L' | 'H' | 'HH') => limits.find((l) => l.name === name)?.pct;
  for (const name of ['HH', 'H'] as const) {
    const limit = at(name);
    if (limit !== undefined && pct >= limit) return name;
  }
  for (const name of ['LL', 'L'] as const) {
    const limit = at(name);
    if (limit !== undefined && pct <= limit) return name;
  }
  return null;
}
