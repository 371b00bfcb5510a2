import { ident } from '../sql/quote';
import type { StationModel } from '../station/model';
import type { StationSql } from '../station/stationSql';
import { displayUnit } from '../station/units';
import { shortName, stationWords } from '../station/words';

// The signals a question can name, in the station's own words (issue 31): its roles (the level of
// its tank or wet well, the station flow, the inflow, the price, the power, a pump's power, speed
// or flow) and every raw tag by its name or its description. Each comes as SQL over readings_wide
// in the unit the answer states: the level in its own unit, flows in m³/h, power in kW, the price
// in the unit the station logs it in.

export interface AskSignal {
  /** How the answer names it: "inflow", "tank level (HLT101)", "P1.1 power". */
  name: string;
  /** Its value in `unit`, as SQL over readings_wide. */
  sql: string;
  unit: string;
  /** Decimals the answer shows. */
  digits: number;
  /** The role it plays, or 'tag' for a raw tag named as such. */
  role: 'level' | 'flow' | 'inflow' | 'price' | 'power' | 'speed' | 'tag';
  /** The pump it belongs to, if any. */
  pump: string | null;
  /** Phrases (lower case) that name it verbatim: the tag, its short name, its description. */
  phrases: string[];
}

/** A raw tag as the project knows it (tag_meta). */
export interface TagInfo {
  tag: string;
  unit: string | null;
  description: string | null;
}

/** The words that name each role, as an engineer asks. */
const ROLE_WORDS: Array<[AskSignal['role'], RegExp]> = [
  ['inflow', /\b(inflow|incoming|influent|in-?coming flow)\b/],
  ['level', /\b(level|tank|wet ?well|well|sump|reservoir|tunnel|basin|storage)\b/],
  ['price', /\b(price|prices|tariff|spot)\b/],
  ['speed', /\b(speed|frequency|hz|rpm)\b/],
  ['power', /\b(power|kw|load|draw)\b/],
  ['flow', /\b(flow|flows|discharge|outflow|pumped|throughput)\b/],
];

const lower = (s: string) =>
  s
    .toLowerCase()
    .replace(/[?!,;:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The price per kWh each row was bought at: the price tag in its own unit, else the tariff by hour. */
export function priceSql(model: StationModel, sql: StationSql): { sql: string; unit: string } | null {
  if (model.price && sql.hasColumn(model.price.tag))
    return { sql: ident(model.price.tag), unit: displayUnit(model.price.unit) || 'per kWh' };
  if (model.tariff)
    return {
      sql: `CASE WHEN is_peak_hour = 1 THEN ${model.tariff.peak} ELSE ${model.tariff.offpeak} END`,
      unit: `${model.tariff.currency}/kWh`,
    };
  return null;
}

/** Every signal of the station a question can name, roles first. */
export function askSignals(model: StationModel, sql: StationSql, tags: readonly TagInfo[]): AskSignal[] {
  const words = stationWords(model);
  const out: AskSignal[] = [];
  const phrasesOf = (tag: string | undefined) => {
    if (!tag) return [];
    const info = tags.find((t) => t.tag === tag);
    return [tag, shortName(tag, tag), ...(info?.description ? [info.description] : [])].map(lower);
  };
  const named = (generic: string, tag: string | undefined) => {
    const short = tag ? shortName(tag, tag) : null;
    return short && lower(short) !== generic ? `${generic} (${short})` : generic;
  };
  if (model.level && sql.hasColumn(model.level.tag))
    out.push({
      name: named(`${words.basin} level`, model.level.tag),
      sql: sql.level,
      unit: displayUnit(model.level.unit),
      digits: 2,
      role: 'level',
      pump: null,
      phrases: phrasesOf(model.level.tag),
    });
  if (sql.flow !== 'NULL::DOUBLE')
    out.push({
      name: named('station flow', model.flow?.tag),
      sql: sql.flow,
      unit: 'm³/h',
      digits: 1,
      role: 'flow',
      pump: null,
      phrases: phrasesOf(model.flow?.tag),
    });
  if (model.inflow && sql.hasColumn(model.inflow.tag))
    out.push({
      name: named('inflow', model.inflow.tag),
      sql: sql.inflow,
      unit: 'm³/h',
      digits: 1,
      role: 'inflow',
      pump: null,
      phrases: phrasesOf(model.inflow.tag),
    });
  const price = priceSql(model, sql);
  if (price)
    out.push({
      name: model.price ? named('price', model.price.tag) : `tariff price`,
      sql: price.sql,
      unit: price.unit,
      digits: 2,
      role: 'price',
      pump: null,
      phrases: phrasesOf(model.price?.tag),
    });
  if (model.pumps.some((p) => p.kw && sql.hasColumn(p.kw.tag)))
    out.push({ name: 'station power', sql: 'total_kw', unit: 'kW', digits: 1, role: 'power', pump: null, phrases: [] });
  for (const [k, p] of model.pumps.entries()) {
    const label = p.name ?? p.id;
    if (p.kw && sql.hasColumn(p.kw.tag))
      out.push({
        name: `${label} power`,
        sql: sql.kw(k),
        unit: 'kW',
        digits: 1,
        role: 'power',
        pump: p.id,
        phrases: phrasesOf(p.kw.tag),
      });
    if (p.hz && sql.hasColumn(p.hz.tag))
      out.push({
        name: `${label} speed`,
        sql: sql.hz(k),
        unit: displayUnit(p.hz.unit) || 'Hz',
        digits: 1,
        role: 'speed',
        pump: p.id,
        phrases: phrasesOf(p.hz.tag),
      });
    if (p.flow && sql.hasColumn(p.flow.tag))
      out.push({
        name: `${label} flow`,
        sql: sql.pumpFlow(k),
        unit: 'm³/h',
        digits: 1,
        role: 'flow',
        pump: p.id,
        phrases: phrasesOf(p.flow.tag),
      });
  }
  // Every other raw tag, by its own name: a control loop's 28 tags are as askable as a pump's.
  const used = new Set(out.flatMap((s) => s.phrases));
  for (const t of tags)
    if (sql.hasColumn(t.tag) && !used.has(lower(t.tag)))
      out.push({
        name: shortName(t.tag, t.tag),
        sql: ident(t.tag),
        unit: displayUnit(t.unit ?? undefined),
        digits: 2,
        role: 'tag',
        pump: null,
        phrases: phrasesOf(t.tag),
      });
  return out;
}

/** The phrase of `phrase` in `q` as whole words. */
const says = (q: string, phrase: string) =>
  phrase.length > 1 && new RegExp(`(^|[^\\w.])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.])`).test(q);

/**
 * The signal a question names: a tag or description said verbatim (the longest), else a role's
 * words for the pump named (its power, speed or flow), else the station's. Null when it names none.
 */
export function signalOf(q: string, signals: readonly AskSignal[], pump: string | null): AskSignal | null {
  const verbatim = signals
    .flatMap((s) => s.phrases.filter((p) => says(q, p)).map((p) => ({ s, length: p.length })))
    .sort((a, b) => b.length - a.length)[0];
  if (verbatim) return verbatim.s;
  for (const [role, words] of ROLE_WORDS) {
    if (!words.test(q)) continue;
    const found = signals.find((s) => s.role === role && s.pump === pump);
    if (found) return found;
  }
  return null;
}

/** The role a question's words name, whether or not this station has it ("inflow" on a booster). */
export function roleNamed(q: string): AskSignal['role'] | null {
  return ROLE_WORDS.find(([, words]) => words.test(q))?.[0] ?? null;
}
