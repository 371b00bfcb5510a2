import type { RawMinutes } from '../minuteFrame';
import { DEFAULT_TAGS, TAG } from '../tags';
import { deriveStation, observedOf } from './derive';
import { type PumpModel, type RunSignal, type Signal, type StationKind, type StationModel, seedStation } from './model';
import type { StationInput } from './parse';
import { samplingOf } from './realTime';
import { RUNNING_AT } from './signals';
import { unitFactor } from './units';

// A station model suggested from what an import shows: the tag names (and the pump numbers in
// them), the units a units row gave, and the values themselves (a 0/1 signal that toggles is a run
// state; a frequency with a Hz unit is a VFD; a level that falls while pumps run is a wet well).
// The operator confirms or corrects it; every choice carries its reason.

export interface TagInfo {
  tag: string;
  unit?: string | null;
  description?: string | null;
}

export interface Suggestion {
  input: StationInput;
  /** Role by role, what was chosen and why. */
  reasons: string[];
  /** Tags no role took: they stay raw columns and can still be charted. */
  unmapped: string[];
}

interface Stats {
  tag: string;
  unit: string;
  count: number;
  min: number;
  max: number;
  /** Every value is 0 or 1. */
  zeroOne: boolean;
  /** Value changes between consecutive present values. */
  toggles: number;
}

function statsOf(raw: RawMinutes, info: TagInfo): Stats {
  const values = raw.column(info.tag) ?? new Float64Array(0);
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let zeroOne = true;
  let toggles = 0;
  let last = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v !== 0 && v !== 1) zeroOne = false;
    if (!Number.isNaN(last) && v !== last) toggles++;
    last = v;
  }
  return { tag: info.tag, unit: (info.unit ?? '').trim(), count, min, max, zeroOne: zeroOne && count > 0, toggles };
}

/**
 * The pump a tag names, from the number after a pump word (P1, PMP01, Pump 2.1, Pumppu 3), with
 * up to three words between (Pump frequency 2.1, Pump motor power 3); a bare P takes none.
 */
export function pumpKey(tag: string): { id: string; number: string } | null {
  const m =
    /(?:^|[^a-z])(pumppu|pump|pmp)(?:[ _\-./]*[a-zäöå]+){0,3}?[ _\-./]*(\d+(?:[.,]\d+)?)(?!\d)/i.exec(tag) ??
    /(?:^|[^a-z])(p)[ _\-./]*(\d+(?:[.,]\d+)?)(?!\d)/i.exec(tag);
  if (!m) return null;
  const number = m[2].replace(',', '.').replace(/^0+(?=\d)/, '');
  const id = /^pmp$/i.test(m[1]) ? `${m[1].toUpperCase()}${m[2]}` : `P${number}`;
  return { id, number };
}

const is = (pattern: RegExp) => (s: Stats) => pattern.test(s.tag);
const unitIs = (kind: Parameters<typeof unitFactor>[0], s: Stats) => s.unit !== '' && unitFactor(kind, s.unit) !== null;
const LEVEL_UNITS = /^(m|cm|mm|%|ft|in)$/i;
const HZ = (s: Stats) => /^hz$/i.test(s.unit) || /freq|\bhz\b|taajuus|speed/i.test(s.tag);
const KW = (s: Stats) => /^(kw|w|mw|kwh\/h)$/i.test(s.unit) || /kw(?!h\b)|power|pwr|teho|kwh_hr/i.test(s.tag);
const FLOW = (s: Stats) => unitIs('flow', s) || /flow|virtaama|\bf[it]t?\d|\bfit|\bft\b/i.test(s.tag);
const INFLOW = is(/in.?flow|tulovirtaama|influent|tulo/i);
const RUN_NAME = is(/run|onoff|on_off|status|state|\bfb\b|_fb|käy|running|start|\bon\b/i);
const HOURS = is(/rhr|run.?h(ou)?rs?|hours|tunnit|käyttöt/i);
const MINUTES = is(/rmin|run.?min/i);
const TOTAL = (s: Stats) => /total|summa|day|päivä/i.test(s.tag) && !/kwh/i.test(s.tag);
const PRICE = (s: Stats) => /price|hinta|tariff|spot/i.test(s.tag) || /\/(kwh|mwh)$/i.test(s.unit);
const LEVEL = (s: Stats) =>
  LEVEL_UNITS.test(s.unit) || /level|lvl|\blt\d|hlt|pinta|korkeus|wet ?well|reservoir|tank|sump/i.test(s.tag);

const quoted = (s: Stats) => `'${s.tag}'${s.unit ? ` (${s.unit})` : ''}`;
const signal = (s: Stats): Signal => (s.unit ? { tag: s.tag, unit: s.unit } : { tag: s.tag });

/** The median of a tag's present values. */
function medianOf(raw: RawMinutes, tag: string): number | null {
  const values = Array.from(raw.column(tag) ?? []).filter((v) => !Number.isNaN(v));
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

/**
 * A price's unit from its size when the file names none, or names one its size contradicts: no
 * tariff is 6 currency units per kWh, so a typical price of 1.5 to 30 per kWh is cents, of 30 or
 * more is per MWh, and under 1.5 is per kWh (issue 30: "prices come in cents").
 */
function priceUnit(s: Stats, typical: number | null): { unit: string | undefined; why: string } {
  const stated = s.unit ? (unitFactor('price', s.unit) ?? null) : null;
  if (typical === null) return { unit: s.unit || undefined, why: '' };
  const bySize = typical >= 30 ? '/MWh' : typical >= 1.5 ? 'c/kWh' : '/kWh';
  const factor = unitFactor('price', bySize) as number;
  const size = `typical price ${typical.toPrecision(3)}`;
  if (stated === factor) return { unit: s.unit, why: '' };
  if (stated === null) return { unit: bySize, why: ` in ${bySize} (${size}; the file names no unit)` };
  return { unit: bySize, why: ` in ${bySize}, not ${s.unit} (${size} would be a price no tariff has)` };
}

/** A pump's run state from its tags: a toggling 0/1 signal, else a VFD's frequency, else its power or flow above a threshold. */
function runOf(group: Stats[]): { run: RunSignal; why: string } | null {
  const binary = group.filter((s) => s.zeroOne && s.toggles > 0);
  const named = binary.find(RUN_NAME) ?? binary[0];
  if (named) return { run: { tag: named.tag }, why: `${quoted(named)}: a 0/1 signal that toggles` };
  // A run feedback that stays 0 (a pump that did not run in this file) still names itself.
  const idle = group.find((s) => s.zeroOne && RUN_NAME(s));
  if (idle) return { run: { tag: idle.tag }, why: `${quoted(idle)}: a run feedback (0/1; 0 throughout)` };
  // A pump that never ran in the data is still a pump: its thresholds then come from its unit.
  const hz = group.find(HZ);
  if (hz) {
    const above = hz.max >= 40 || hz.max <= 0 ? 20 : Math.round(hz.max * 0.3 * 10) / 10;
    return { run: { tag: hz.tag, above }, why: `${quoted(hz)} above ${above}: a VFD's frequency` };
  }
  const power = group.find(KW);
  if (power) {
    const above = Math.max(0, Math.round(power.max * 0.1 * 100) / 100);
    return { run: { tag: power.tag, above }, why: `${quoted(power)} above ${above}: power drawn means running` };
  }
  const flow = group.find(FLOW);
  if (flow) {
    const above = Math.max(0, Math.round(flow.max * 0.05 * 100) / 100);
    return { run: { tag: flow.tag, above }, why: `${quoted(flow)} above ${above}: flow means running` };
  }
  return null;
}

/** Mean level change per row while some pump runs: positive fills a tank (booster), negative empties a wet well (lift). */
function kindFromData(raw: RawMinutes, level: string, pumps: PumpModel[]): StationKind | null {
  const values = raw.column(level);
  if (!values) return null;
  const runs = pumps.map((p) => raw.column(p.run.tag));
  let up = 0;
  let down = 0;
  for (let i = 1; i < values.length; i++) {
    const change = values[i] - values[i - 1];
    if (Number.isNaN(change) || change === 0) continue;
    const running = pumps.some((p, k) => {
      const v = runs[k]?.[i];
      return v !== undefined && !Number.isNaN(v) && (p.run.above === undefined ? v >= RUNNING_AT : v > p.run.above);
    });
    if (!running) continue;
    if (change > 0) up++;
    else down++;
  }
  if (up + down < 10) return null;
  return down > up * 1.5 ? 'lift' : up > down * 1.5 ? 'booster' : null;
}

/** The suggested model for tags seen in an import (or readings_wide), with its reasons. */
// Long because each role is chosen in turn (pumps, level, flow, inflow, totals, price, kind), each with its reason.
export function suggestStation(raw: RawMinutes, tags: readonly TagInfo[], name = 'Pump station'): Suggestion {
  const present = tags.filter((t) => (raw.column(t.tag)?.length ?? 0) > 0);
  const names = new Set(present.map((t) => t.tag));
  if ([TAG.level, TAG.flow].every((t) => names.has(t))) {
    return withDerived(
      raw,
      seedStation({ name }),
      ['rated_kw', 'hlt_physical_max', 'fit101_physical_max', 'daily_energy_budget_kwh', 'interval_min'],
      ['the seed 002 station: its 27 tag names ([PLC]HLT101.OUTPUT, [PLC]FIT101_HR.PER_HR, [PLC]P1.ONOFF, ...)'],
      present.map((t) => t.tag).filter((t) => !DEFAULT_TAGS.includes(t)),
    );
  }
  const stats = present.map((t) => statsOf(raw, t)).filter((s) => s.count > 0);
  const reasons: string[] = [];
  const used = new Set<string>();
  const take = (s: Stats | undefined) => {
    if (s) used.add(s.tag);
    return s;
  };

  // Pumps: tags that name the same pump number belong together.
  const groups = new Map<string, { id: string; number: string; stats: Stats[] }>();
  for (const s of stats) {
    const key = pumpKey(s.tag);
    if (!key) continue;
    const group = groups.get(key.number) ?? { id: key.id, number: key.number, stats: [] };
    group.stats.push(s);
    groups.set(key.number, group);
  }
  const pumps: PumpModel[] = [];
  for (const group of [...groups.values()].sort(
    (a, b) => Number(a.number) - Number(b.number) || a.number.localeCompare(b.number),
  )) {
    const run = runOf(group.stats);
    if (!run) continue;
    const pump: PumpModel = { id: group.id, run: run.run };
    take(group.stats.find((s) => s.tag === run.run.tag));
    // The run tag can also be the power, frequency or flow (a threshold on it).
    const free = (s: Stats) => s.tag === run.run.tag || !used.has(s.tag);
    const kw = take(group.stats.find((s) => KW(s) && free(s)));
    const hz = take(group.stats.find((s) => HZ(s) && free(s)));
    const flow = take(group.stats.find((s) => FLOW(s) && !HZ(s) && free(s)));
    const hours = take(group.stats.find((s) => HOURS(s) && !used.has(s.tag)));
    const minutes = take(group.stats.find((s) => MINUTES(s) && !used.has(s.tag)));
    if (kw) pump.kw = signal(kw);
    if (hz) pump.hz = signal(hz);
    if (flow) pump.flow = signal(flow);
    if (hours) pump.run_hours = signal(hours);
    if (minutes) pump.run_minutes = signal(minutes);
    pumps.push(pump);
    const parts = [`run ${run.why}`, kw && `power ${quoted(kw)}`, flow && `flow ${quoted(flow)}`].filter(Boolean);
    reasons.push(`pump ${pump.id}: ${parts.join('; ')}`);
  }

  // Station signals: tags without a pump number.
  const free = stats.filter((s) => !used.has(s.tag) && !pumpKey(s.tag));
  const inflow = take(free.find((s) => INFLOW(s) && FLOW(s)) ?? free.find(INFLOW));
  const level = take(
    free.find((s) => LEVEL_UNITS.test(s.unit) && LEVEL(s)) ?? free.find((s) => LEVEL(s) && !used.has(s.tag)),
  );
  const flow = take(free.find((s) => FLOW(s) && !used.has(s.tag) && !TOTAL(s)));
  const dayTotal = take(free.find((s) => TOTAL(s) && !used.has(s.tag)));
  const price = take(free.find((s) => PRICE(s) && !used.has(s.tag)));
  const model: StationModel = {
    name,
    kind: 'booster',
    pumps,
    daily_energy_budget_kwh: 2400,
    peak_hours: seedStation().peak_hours,
    interval_min: 1,
  };
  if (level) {
    model.level = { ...signal(level), min: Math.min(0, level.min), max: Math.max(level.max, 1) };
    reasons.push(`level: ${quoted(level)}`);
  }
  if (flow) {
    model.flow = signal(flow);
    reasons.push(`station flow: ${quoted(flow)}`);
  }
  if (inflow) {
    model.inflow = signal(inflow);
    reasons.push(`inflow: ${quoted(inflow)}`);
  }
  if (dayTotal) {
    model.day_total = signal(dayTotal);
    reasons.push(`day total: ${quoted(dayTotal)}`);
  }
  if (price) {
    const { unit, why } = priceUnit(price, medianOf(raw, price.tag));
    model.price = unit ? { tag: price.tag, unit } : { tag: price.tag };
    reasons.push(`price: ${quoted(price)}${why}`);
  }
  const byName = stats.some((s) => /wet ?well|lift|sewage|waste|jäte|sump|pumppaamo|\bww\b/i.test(s.tag))
    ? 'lift'
    : stats.some((s) => /reservoir|tank|booster|tower|säiliö/i.test(s.tag))
      ? 'booster'
      : null;
  const byData = level ? kindFromData(raw, level.tag, pumps) : null;
  model.kind = byData ?? byName ?? (inflow ? 'lift' : 'booster');
  reasons.push(
    `kind: ${model.kind} (${byData ? `the level ${model.kind === 'lift' ? 'falls' : 'rises'} while pumps run` : byName ? 'the tag names say so' : inflow ? 'an inflow meter' : 'the default'})`,
  );
  const missing: StationInput['missing'] = ['daily_energy_budget_kwh', 'interval_min'];
  if (model.level) missing.push('hlt_physical_max', 'level_operating');
  if (model.flow) missing.push('fit101_physical_max');
  if (pumps.some((p) => p.kw)) missing.push('rated_kw');
  return withDerived(
    raw,
    model,
    missing,
    reasons,
    stats.map((s) => s.tag).filter((t) => !used.has(t)),
  );
}

/**
 * The suggestion with what the data says of the constants it leaves out (deriveStation, as the
 * import derives them), each proposal with its reason: `station --suggest` and the stored model agree.
 */
function withDerived(
  raw: RawMinutes,
  model: StationModel,
  missing: StationInput['missing'],
  reasons: string[],
  unmapped: string[],
): Suggestion {
  const interval = samplingOf(raw.times).interval;
  const observed = observedOf(raw, model, interval, missing.includes('rated_kw'));
  const derived = deriveStation({ model, missing }, observed).config;
  const why = [...reasons];
  const unit = derived.level?.unit ? ` ${derived.level.unit}` : '';
  if (derived.level && missing.includes('hlt_physical_max') && observed.level !== null)
    why.push(
      `level top: ${derived.level.max}${unit} proposed, a round figure above the highest level seen (${observed.level.toFixed(2)}${unit}): the data does not show the physical top; confirm it`,
    );
  const operating = derived.level?.operating;
  if (operating)
    why.push(
      `operating band: ${operating.low}-${operating.high}${unit} proposed from ${observed.levelDays.length} days of daily minima and maxima` +
        (operating.stop !== undefined ? `; emptied to about ${operating.stop}${unit} every day (its stop level)` : '') +
        (operating.daily_cycle && operating.stop === undefined
          ? `; filled to about ${operating.high}${unit} every day`
          : '') +
        ': confirm it',
    );
  else if (derived.level && missing.includes('level_operating'))
    why.push(`operating band: seed 002's 15-90 % until three full days of level readings show the station's own`);
  derived.pumps.forEach((p, k) => {
    if (p.kw && missing.includes('rated_kw') && observed.kwRunningByPump?.[k] == null)
      why.push(`pump ${p.id}: never ran in the data, so no rated power is proposed`);
  });
  why.push(
    `logged every ${derived.interval_min} min` +
      (observed.dailyKwh === null
        ? ''
        : `; daily energy budget ${derived.daily_energy_budget_kwh} kWh (1.1 × the largest day)`),
  );
  return { input: { model: derived, missing }, reasons: why, unmapped };
}
