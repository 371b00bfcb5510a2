import { z } from 'zod';
import { ApiError } from '../api/errors';
import { excerpt } from '../text/excerpt';
import { parseJsonFile } from '../text/json';
import { operatingFromPct } from './levelBands';
import {
  DEFAULT_CONSTANTS,
  DEFAULT_PEAK_HOURS,
  type LevelSignal,
  type PumpModel,
  type SeedConstants,
  type StationField,
  type StationModel,
  seedStation,
} from './model';
import { unitFactor } from './units';

// station.json in both shapes: the station model (its pumps, level, flows and their tags), and the
// four seed 002 §8.3 constants it had before (which mean "the seed's tags"). What the file leaves
// out that the data can tell (ranges, rated power, budget, logging interval) is derived at import
// and flagged as derived.

const tag = z.string().trim().min(1, 'a tag name').max(255);
const signal = z
  .union([tag, z.object({ tag, unit: z.string().max(32).optional() }).strict()])
  .transform((s) => (typeof s === 'string' ? { tag: s } : s));
const run = z
  .union([tag, z.object({ tag, above: z.number().finite().optional(), unit: z.string().max(32).optional() }).strict()])
  .transform((s) =>
    typeof s === 'string' ? { tag: s } : { tag: s.tag, ...(s.above === undefined ? {} : { above: s.above }) },
  );
const positive = z.number().finite().positive();
const hours = z.array(z.tuple([z.number().int().min(0).max(24), z.number().int().min(0).max(24)])).max(12);

const tariff = z
  .object({ peak: z.number().finite().min(0), offpeak: z.number().finite().min(0), currency: z.string().max(8) })
  .strict();

const pump = z
  .object({
    id: z.string().trim().min(1).max(32),
    name: z.string().max(64).optional(),
    run,
    kw: signal.optional(),
    flow: signal.optional(),
    hz: signal.optional(),
    run_hours: signal.optional(),
    run_minutes: signal.optional(),
    rated_kw: positive.optional(),
  })
  .strict();

const modelSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    kind: z.enum(['booster', 'lift']).optional(),
    level: z
      .union([
        tag.transform((t) => ({ tag: t })),
        z
          .object({
            tag,
            unit: z.string().max(32).optional(),
            min: z.number().finite().optional(),
            max: positive.optional(),
            area_m2: positive.optional(),
            volume_table: z
              .array(z.tuple([z.number().finite(), z.number().finite().min(0)]))
              .min(2)
              .max(200)
              .optional(),
            operating: z
              .object({
                low: z.number().finite(),
                high: z.number().finite(),
                stop: z.number().finite().optional(),
                daily_cycle: z.boolean().optional(),
                proposed: z.boolean().optional(),
              })
              .strict()
              .optional(),
            /** The operating band in % as station.json wrote it before `operating` (read into it). */
            band_pct: z.tuple([z.number().min(0).max(100), z.number().min(0).max(100)]).optional(),
          })
          .strict(),
      ])
      .optional(),
    flow: z
      .union([
        tag.transform((t) => ({ tag: t })),
        z.object({ tag, unit: z.string().max(32).optional(), max: positive.optional() }).strict(),
      ])
      .optional(),
    inflow: signal.optional(),
    day_total: signal.optional(),
    pumps: z.array(pump).max(40, 'at most 40 pumps'),
    price: signal.optional(),
    tariff: tariff.optional(),
    daily_energy_budget_kwh: positive.optional(),
    peak_hours: hours.optional(),
    timezone: z.string().max(64).optional(),
    interval_min: z.number().int().min(1).max(1440).optional(),
    date_order: z.enum(['mdy', 'dmy']).optional(),
  })
  .strict();

const legacySchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    rated_kw: z.union([positive, z.record(z.string(), positive)]),
    hlt_physical_max: positive,
    fit101_physical_max: positive,
    daily_energy_budget_kwh: positive,
    peak_hours: hours,
    tariff,
    units: z.object({ level: z.string(), flow: z.string(), volume: z.string() }),
    /** The historian clock's IANA zone (the DST warning asks for it here too). */
    timezone: z.string().max(64),
  })
  .partial()
  .strict();

/** A station file read: the model with what it gives, and which derivable constants it leaves out. */
export interface StationInput {
  model: StationModel;
  /** Constants the file did not give (filled with defaults here, derived from the data at import). */
  missing: StationField[];
}

function issueMessage(error: z.ZodError, name: string): ApiError {
  const issue = error.issues[0];
  const field = issue.path.join('.') || '(root)';
  const unknown =
    issue.code === 'unrecognized_keys' ? `unknown field ${excerpt(String(issue.keys[0]))}` : issue.message;
  return new ApiError('bad_input', `${name}: field ${field}: ${unknown}`, { field });
}

/** Refuses units PumpDeck cannot convert and pumps named twice, naming the field. */
function checkModel(model: StationModel, name: string): void {
  const bad = (field: string, why: string) => {
    throw new ApiError('bad_input', `${name}: field ${field}: ${why}`, { field });
  };
  const unit = (kind: Parameters<typeof unitFactor>[0], field: string, u: string | undefined) => {
    if (unitFactor(kind, u) === null) bad(`${field}.unit`, `unknown unit ${excerpt(u ?? '')}`);
  };
  if (model.level)
    unit('length', 'level', model.level.unit && ['%'].includes(model.level.unit) ? undefined : model.level.unit);
  if (model.flow) unit('flow', 'flow', model.flow.unit);
  if (model.inflow) unit('flow', 'inflow', model.inflow.unit);
  if (model.day_total) unit('volume', 'day_total', model.day_total.unit);
  if (model.price) unit('price', 'price', model.price.unit);
  const ids = new Set<string>();
  model.pumps.forEach((p, i) => {
    if (ids.has(p.id.toLowerCase())) bad(`pumps.${i}.id`, `pump ${excerpt(p.id)} is given twice`);
    ids.add(p.id.toLowerCase());
    if (p.kw) unit('power', `pumps.${i}.kw`, p.kw.unit);
    if (p.flow) unit('flow', `pumps.${i}.flow`, p.flow.unit);
  });
  if (model.level && model.level.max <= model.level.min) bad('level.max', 'must be above level.min');
  checkBounds(model, bad);
  if (model.timezone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: model.timezone });
    } catch {
      bad('timezone', `unknown time zone ${excerpt(model.timezone)} (an IANA name such as Europe/Helsinki)`);
    }
  }
  const operating = model.level?.operating;
  if (model.level && operating) {
    const { min, max } = model.level;
    if (operating.low >= operating.high) bad('level.operating', 'low must be below high');
    for (const key of ['low', 'high', 'stop'] as const) {
      const v = operating[key];
      if (v !== undefined && (v < min || v > max))
        bad(`level.operating.${key}`, `${v} is outside the level's range ${min}..${max}`);
    }
  }
}

/**
 * Numbers a station can physically have (issue 35: a level of 1e308 m made the forecast all null
 * and the optimizer fail inside HiGHS): each refused naming its field and the range, in the
 * field's own unit.
 */
const BOUNDS = {
  /** A level's range, in metres: the deepest shafts and tallest tanks are some hundreds. */
  levelM: 1_000,
  areaM2: 1_000_000,
  volumeM3: 1e9,
  /** m³/h: the largest pump stations move some 100 m³/s. */
  flowM3h: 1_000_000,
  /** kW: the largest pumps are some tens of MW. */
  kw: 100_000,
  dailyKwh: 1e8,
  /** Per kWh, in the price's own currency. */
  pricePerKwh: 10_000,
};

function checkBounds(model: StationModel, bad: (field: string, why: string) => never): void {
  const within = (field: string, value: number | undefined, max: number, unit: string, factor = 1) => {
    if (value !== undefined && Math.abs(value * factor) > max)
      bad(field, `${value} is not physical: at most ${(max / factor).toLocaleString('en-US')} ${unit}`);
  };
  const level = model.level;
  if (level) {
    const metres = unitFactor('length', level.unit === '%' ? undefined : level.unit) ?? 1;
    const unit = level.unit ?? '';
    within('level.min', level.min, BOUNDS.levelM, unit, metres);
    within('level.max', level.max, BOUNDS.levelM, unit, metres);
    within('level.area_m2', level.area_m2, BOUNDS.areaM2, 'm²');
    level.volume_table?.forEach(([at, m3], i) => {
      within(`level.volume_table.${i}.0`, at, BOUNDS.levelM, unit, metres);
      within(`level.volume_table.${i}.1`, m3, BOUNDS.volumeM3, 'm³');
    });
  }
  within(
    'flow.max',
    model.flow?.max,
    BOUNDS.flowM3h,
    model.flow?.unit ?? 'm3/h',
    unitFactor('flow', model.flow?.unit) ?? 1,
  );
  for (const [i, p] of model.pumps.entries()) within(`pumps.${i}.rated_kw`, p.rated_kw, BOUNDS.kw, 'kW');
  within('daily_energy_budget_kwh', model.daily_energy_budget_kwh, BOUNDS.dailyKwh, 'kWh');
  within('tariff.peak', model.tariff?.peak, BOUNDS.pricePerKwh, 'per kWh');
  within('tariff.offpeak', model.tariff?.offpeak, BOUNDS.pricePerKwh, 'per kWh');
}

type LevelInput = { tag: string } & Partial<Omit<LevelSignal, 'tag'>> & { band_pct?: [number, number] };

/** The level as the model keeps it: a band given in % (station.json before `operating`) read into operating limits. */
function levelOf(input: LevelInput, name: string): LevelSignal {
  const { band_pct, ...rest } = input;
  const level: LevelSignal = { min: 0, max: 100, ...rest };
  if (!band_pct || level.operating) return level;
  if (input.max === undefined)
    throw new ApiError(
      'bad_input',
      `${name}: field level.band_pct: needs level.max (or give level.operating in the level's unit)`,
      { field: 'level.band_pct' },
    );
  if (band_pct[0] >= band_pct[1])
    throw new ApiError('bad_input', `${name}: field level.band_pct: low must be below high`, {
      field: 'level.band_pct',
    });
  return { ...level, operating: operatingFromPct(level, band_pct) };
}

/** The model a parsed station file describes, with its missing constants listed. */
export function stationInput(json: unknown, name: string): StationInput {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ApiError('bad_input', `${name}: a station file is a JSON object`);
  if (!('pumps' in json)) {
    const legacy = legacySchema.safeParse(json);
    if (!legacy.success) throw issueMessage(legacy.error, name);
    const { timezone, ...given } = legacy.data as Partial<SeedConstants> & { timezone?: string };
    const missing = (
      ['rated_kw', 'hlt_physical_max', 'fit101_physical_max', 'daily_energy_budget_kwh'] as const
    ).filter((f) => given[f] === undefined);
    const model: StationModel = { ...seedStation(given), ...(timezone ? { timezone } : {}) };
    checkModel(model, name);
    return { model, missing: [...missing, 'interval_min'] };
  }
  const parsed = modelSchema.safeParse(json);
  if (!parsed.success) throw issueMessage(parsed.error, name);
  const d = parsed.data;
  const missing: StationField[] = [];
  if (d.level && !('max' in d.level && d.level.max !== undefined)) missing.push('hlt_physical_max');
  if (d.flow && !('max' in d.flow && d.flow.max !== undefined)) missing.push('fit101_physical_max');
  if (d.pumps.some((p) => p.kw && p.rated_kw === undefined)) missing.push('rated_kw');
  if (d.daily_energy_budget_kwh === undefined) missing.push('daily_energy_budget_kwh');
  if (d.interval_min === undefined) missing.push('interval_min');
  const level = d.level ? levelOf(d.level, name) : undefined;
  if (level && !level.operating) missing.push('level_operating');
  const model: StationModel = {
    name: d.name ?? 'Pump station',
    kind: d.kind ?? 'booster',
    ...(level ? { level } : {}),
    ...(d.flow ? { flow: d.flow } : {}),
    ...(d.inflow ? { inflow: d.inflow } : {}),
    ...(d.day_total ? { day_total: d.day_total } : {}),
    pumps: d.pumps as PumpModel[],
    ...(d.price ? { price: d.price } : {}),
    ...(d.tariff ? { tariff: d.tariff } : {}),
    daily_energy_budget_kwh: d.daily_energy_budget_kwh ?? 2400,
    peak_hours: d.peak_hours ?? DEFAULT_PEAK_HOURS,
    ...(d.timezone ? { timezone: d.timezone } : {}),
    interval_min: d.interval_min ?? 1,
    ...(d.date_order ? { date_order: d.date_order } : {}),
  };
  checkModel(model, name);
  return { model, missing };
}

/** The seed's station with these constants given (and the rest at their defaults): a test's or the demo's station file. */
export function seedInput(constants: Partial<SeedConstants> = {}): StationInput {
  return stationInput({ ...DEFAULT_CONSTANTS, ...constants }, 'station.json');
}

/** station.json as text. */
export function parseStationText(text: string, name: string): StationInput {
  return stationInput(parseJsonFile(text, name), name);
}
