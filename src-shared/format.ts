const cache = new Map<number, Intl.NumberFormat>();

/** A number with a fixed count of decimals, grouped for reading (en-US); an em dash for no value. */
export function fmt(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  let f = cache.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    cache.set(decimals, f);
  }
  return f.format(value);
}

/** A signed number: "+1.25", "−0.40" is written "-0.40". */
export function signed(value: number | null | undefined, decimals = 2): string {
  return value == null || !Number.isFinite(value) ? '—' : `${value > 0 ? '+' : ''}${fmt(value, decimals)}`;
}
