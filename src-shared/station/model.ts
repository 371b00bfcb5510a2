import { PUMPS, TAG } from '../tags';

// The station model (station.json): what a station's tags mean. Seed 002's six-pump booster station
// with HLT101 and FIT101 is one example of it (`seedStation`); a real station has its own tag
// names, 1 to 20 pumps (on VFDs, with flow meters or not), a tank the pumps fill (booster) or a
// wet well they empty (lift), an inflow meter, a price signal. Every table, rule, chart, report and
// edge artifact reads the station through this model (docs/decisions.md, "Any station").

export type StationKind = 'booster' | 'lift';

/** A raw tag with the unit it is logged in. */
export interface Signal {
  tag: string;
  unit?: string;
}

/**
 * How the station runs its level (its own normal, not the physical range): the band it keeps the
 * level in, where it stops its pumps, whether it empties or fills the store to that end every day
 * by design. In the level's unit. Proposed from the station's history until the engineer confirms.
 */
export interface OperatingLimits {
  low: number;
  high: number;
  /** The level at which the pumps stop (a wet well's stop level). */
  stop?: number;
  /** Emptied (a wet well, a tunnel) or filled (a tank) to the band's end every day by design. */
  daily_cycle?: boolean;
  /** Proposed from the station's history, not yet confirmed by the engineer. */
  proposed?: boolean;
}

export interface LevelSignal extends Signal {
  /** The level's physical range in its unit: 0 % at min, 100 % at max. */
  min: number;
  max: number;
  /** Surface area, for volumes; or a level-to-volume table [[level, m³], ...] for a shaped wet well. */
  area_m2?: number;
  volume_table?: Array<[number, number]>;
  /** The operating limits (read through levelBands; seed 002 §11's 15-90 % when absent). */
  operating?: OperatingLimits;
}

export interface FlowSignal extends Signal {
  /** The largest flow the meter can measure, in its unit. */
  max?: number;
}

/** A pump's run state: a 0/1 tag (running at 1), or a tag whose value above `above` means running. */
export interface RunSignal {
  tag: string;
  above?: number;
}

export interface PumpModel {
  id: string;
  name?: string;
  run: RunSignal;
  kw?: Signal;
  flow?: Signal;
  hz?: Signal;
  run_hours?: Signal;
  run_minutes?: Signal;
  /** Rated motor power (kW). */
  rated_kw?: number;
}

export interface Tariff {
  /** Price per kWh in and out of the peak hours. */
  peak: number;
  offpeak: number;
  currency: string;
}

export interface StationModel {
  name: string;
  kind: StationKind;
  level?: LevelSignal;
  flow?: FlowSignal;
  inflow?: Signal;
  day_total?: Signal;
  pumps: PumpModel[];
  price?: Signal;
  tariff?: Tariff;
  daily_energy_budget_kwh: number;
  /** Peak tariff windows as [startHour, endHour) pairs. */
  peak_hours: Array<[number, number]>;
  /** The IANA time zone of the historian's clock, when known (for daylight saving). */
  timezone?: string;
  /** Minutes between samples (learned from the data): a row stands for at most this long. */
  interval_min: number;
  /** Day/month order of the station's exports, when they write dates that have one. */
  date_order?: 'mdy' | 'dmy';
}

/** The constants PumpDeck derives from the data when the station file leaves them out. */
export type StationField =
  | 'rated_kw'
  | 'hlt_physical_max'
  | 'fit101_physical_max'
  | 'daily_energy_budget_kwh'
  | 'interval_min'
  | 'level_operating';

export const DEFAULT_PEAK_HOURS: Array<[number, number]> = [
  [6, 10],
  [17, 21],
];

/** Seed 002 §8.3 constants: the shape station.json had before the station model. */
export interface SeedConstants {
  name: string;
  rated_kw: number | Record<string, number>;
  hlt_physical_max: number;
  fit101_physical_max: number;
  daily_energy_budget_kwh: number;
  peak_hours: Array<[number, number]>;
  /** Not one of the seed's: the energy price in and out of the peak hours, when the station has one. */
  tariff?: Tariff;
}

export const DEFAULT_CONSTANTS: SeedConstants = {
  name: 'Pump station',
  rated_kw: 37,
  hlt_physical_max: 500,
  fit101_physical_max: 500,
  daily_energy_budget_kwh: 2400,
  peak_hours: DEFAULT_PEAK_HOURS,
};

/** Seed 002's station: six pumps P1..P6, tank HLT101 in cm, flow meter FIT101 in m³/h, 27 tags. */
export function seedStation(constants: Partial<SeedConstants> = {}): StationModel {
  const c = { ...DEFAULT_CONSTANTS, ...constants };
  const rated = (pump: string) => (typeof c.rated_kw === 'number' ? c.rated_kw : c.rated_kw[pump]);
  return {
    name: c.name,
    kind: 'booster',
    level: {
      tag: TAG.level,
      unit: 'cm',
      min: 0,
      max: c.hlt_physical_max,
      area_m2: 314,
      operating: { low: 0.15 * c.hlt_physical_max, high: 0.9 * c.hlt_physical_max },
    },
    flow: { tag: TAG.flow, unit: 'm3/h', max: c.fit101_physical_max },
    day_total: { tag: TAG.dayTotal, unit: 'm3' },
    pumps: PUMPS.map((id) => ({
      id,
      run: { tag: TAG.onOff(id) },
      kw: { tag: TAG.kw(id), unit: 'kWh/h' },
      run_hours: { tag: TAG.runHours(id), unit: 'h' },
      run_minutes: { tag: TAG.runMinutes(id), unit: 'min' },
      rated_kw: rated(id),
    })),
    ...(c.tariff ? { tariff: c.tariff } : {}),
    daily_energy_budget_kwh: c.daily_energy_budget_kwh,
    peak_hours: c.peak_hours,
    interval_min: 1,
  };
}

/** Whether the tags are the seed's (its 27 names): the seed's station applies. */
export function hasSeedTags(tags: readonly string[]): boolean {
  const names = new Set(tags);
  return [TAG.level, TAG.flow, ...PUMPS.map(TAG.onOff)].every((t) => names.has(t));
}

/** Every raw tag the model reads. */
export function modelTags(model: StationModel): string[] {
  const tags = [model.level, model.flow, model.inflow, model.day_total, model.price].flatMap((s) => (s ? [s.tag] : []));
  for (const p of model.pumps)
    tags.push(...[p.run, p.kw, p.flow, p.hz, p.run_hours, p.run_minutes].flatMap((s) => (s ? [s.tag] : [])));
  return [...new Set(tags)];
}

/** The signals a chart of the station shows first: the level and the station's flow. */
export function overviewTags(model: StationModel): string[] {
  return [model.level?.tag, model.flow?.tag ?? model.inflow?.tag].filter((t): t is string => t !== undefined);
}

/** A tag with what it is to an operator: a display name, its unit, and whether it is a 0/1 state. */
export interface NamedSignal {
  name: string;
  tag: string;
  unit: string | null;
  state: boolean;
  /** A run signal read against a threshold (a speed, a power): running above this. */
  runsAbove?: number;
}

/**
 * The signals behind station roles ('level', 'flow', 'run', 'kw', ...), named for an operator: a
 * pump's roles for `pump`, or for every pump when it is null. Constants (rated power) have none.
 */
export function roleSignals(model: StationModel, roles: readonly string[], pump: string | null): NamedSignal[] {
  const out: NamedSignal[] = [];
  const station: Record<string, [string, Signal | undefined]> = {
    level: ['Level', model.level],
    flow: ['Station flow', model.flow],
    inflow: ['Inflow', model.inflow],
    day_total: ['Day total', model.day_total],
  };
  for (const role of roles) {
    const [name, signal] = station[role] ?? [];
    if (name && signal) out.push({ name, tag: signal.tag, unit: signal.unit ?? null, state: false });
  }
  const pumps = model.pumps.filter((p) => pump === null || p.id === pump);
  for (const p of pumps) {
    const label = p.name ?? p.id;
    // A 0/1 run tag is a state; one with a threshold (a speed, a power) is that value, drawn with its threshold.
    if (roles.includes('run')) {
      const above = p.run.above;
      const same = [p.hz, p.kw, p.flow].find((s) => s?.tag === p.run.tag);
      const what = p.hz?.tag === p.run.tag ? 'speed' : p.kw?.tag === p.run.tag ? 'power' : 'run signal';
      out.push(
        above === undefined
          ? { name: `${label} running`, tag: p.run.tag, unit: null, state: true }
          : {
              name: `${label} ${what} (runs above ${above}${same?.unit ? ` ${same.unit}` : ''})`,
              tag: p.run.tag,
              unit: same?.unit ?? null,
              state: false,
              runsAbove: above,
            },
      );
    }
    if (roles.includes('kw') && p.kw)
      out.push({ name: `${label} power`, tag: p.kw.tag, unit: p.kw.unit ?? 'kW', state: false });
  }
  return out;
}

export function isPeakHour(model: Pick<StationModel, 'peak_hours'>, hour: number): boolean {
  return model.peak_hours.some(([start, end]) => hour >= start && hour < end);
}

/** The constants the seed's settings page edits, read off a model. */
export function seedConstantsOf(model: StationModel): SeedConstants {
  const rated = model.pumps.map((p) => p.rated_kw);
  const uniform = rated.every((r) => r === rated[0]);
  return {
    name: model.name,
    rated_kw: uniform
      ? (rated[0] ?? (DEFAULT_CONSTANTS.rated_kw as number))
      : Object.fromEntries(model.pumps.map((p) => [p.id, p.rated_kw ?? 0])),
    hlt_physical_max: model.level?.max ?? DEFAULT_CONSTANTS.hlt_physical_max,
    fit101_physical_max: model.flow?.max ?? DEFAULT_CONSTANTS.fit101_physical_max,
    daily_energy_budget_kwh: model.daily_energy_budget_kwh,
    peak_hours: model.peak_hours,
    ...(model.tariff ? { tariff: model.tariff } : {}),
  };
}
