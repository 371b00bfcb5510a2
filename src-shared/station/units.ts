// Units as stations log them, and the one unit each figure is computed in: flow in m³/h, power in
// kW, volume in m³, level in metres for volumes (and in its own unit for display), price per kWh.
// A unit PumpDeck does not know is refused where the model is read, naming the signal.

/** Factor to m³/h. */
const FLOW: Record<string, number> = {
  'm3/h': 1,
  'm³/h': 1,
  'm3/min': 60,
  'm3/15min': 4,
  'm3/d': 1 / 24,
  'l/s': 3.6,
  'l/min': 0.06,
  gpm: 0.227124707,
  'us gpm': 0.227124707,
  mgd: 157.725491,
};

/** Factor to kW. "kWh/h" is an energy counter's rate per hour: kW averaged over the hour. */
const POWER: Record<string, number> = { kw: 1, 'kwh/h': 1, w: 0.001, mw: 1000, hp: 0.745699872 };

/** Factor to metres. */
const LENGTH: Record<string, number> = { m: 1, cm: 0.01, mm: 0.001, ft: 0.3048, in: 0.0254 };

/** Factor to m³. */
const VOLUME: Record<string, number> = {
  m3: 1,
  'm³': 1,
  l: 0.001,
  gal: 0.003785411784,
  'us gal': 0.003785411784,
  ml: 3785.411784,
};

/** Factor to (currency) per kWh. */
const PRICE: Record<string, number> = { 'c/kwh': 0.01, 'ct/kwh': 0.01, 'cent/kwh': 0.01, '/kwh': 1, '/mwh': 0.001 };

const key = (unit: string) => unit.trim().toLowerCase().replace('³', '3').replace(/\s+/g, ' ');

/** The factor taking `unit` to the canonical unit of `kind`, or null when PumpDeck does not know it. */
export function unitFactor(
  kind: 'flow' | 'power' | 'length' | 'volume' | 'price',
  unit: string | undefined,
): number | null {
  const table = { flow: FLOW, power: POWER, length: LENGTH, volume: VOLUME, price: PRICE }[kind];
  if (unit === undefined || unit.trim() === '') return 1;
  const k = key(unit);
  if (k in table) return table[k];
  if (kind === 'flow') {
    // A volume per so many units of time, as SCADAs write averages: "m3/15 min", "l / 10 s", "m3/d".
    const per = /^(m3|l|gal|us gal)\s*\/\s*(\d+(?:\.\d+)?)?\s*(s|sec|min|h|hr|d|day)$/.exec(k);
    if (per) {
      const hours = { s: 1 / 3600, sec: 1 / 3600, min: 1 / 60, h: 1, hr: 1, d: 24, day: 24 }[per[3]] as number;
      return VOLUME[per[1]] / (Number(per[2] ?? 1) * hours);
    }
  }
  if (kind === 'price') {
    // "EUR/MWh", "€/kWh", "$/kWh": the currency is a name, the per-energy part is the factor.
    const per = /\/(kwh|mwh)$/.exec(k);
    if (per) return per[1] === 'mwh' ? 0.001 : /^(c|ct|cent|snt)\//.test(k) ? 0.01 : 1;
  }
  return null;
}

/**
 * The currency a price unit names ("EUR/MWh" → EUR, "€/kWh" → €), or null when it names none
 * ("c/kWh": cents of an unnamed currency, which unitFactor turns into that currency per kWh).
 */
export function priceCurrency(unit: string | undefined): string | null {
  const match = /^\s*([^/\s]+)\s*\/\s*[km]wh\s*$/i.exec(unit ?? '');
  if (!match || /^(c|ct|cent|snt)$/i.test(match[1])) return null;
  return match[1];
}

/**
 * What a schedule's costs are counted in: the price's currency; else, when prices vary, the whole
 * unit of the currency the price tag counts in (c/kWh names none: its cents are divided by 100);
 * else kWh (no price at all: every slot's price is 1).
 */
export function costUnit(currency: string | null, prices: readonly number[]): string {
  return currency ?? (prices.some((p) => p !== 1) ? CURRENCY_UNNAMED : 'kWh');
}

/** Money in a currency the station does not name (a c/kWh price tag): said so, in words. */
export const CURRENCY_UNNAMED = "in the price's currency";

/** Display forms of units (m3/h is shown m³/h). */
export function displayUnit(unit: string | undefined): string {
  return (unit ?? '').replace(/m3/g, 'm³').replace(/^kWh\/h$/, 'kW');
}
