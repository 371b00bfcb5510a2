const cache = new Map<number, Intl.NumberFormat>();

/** A number with a fixed count of decimals, grouped for reading; an em dash for no value. */
export function fmt(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  let f = cache.get(decimals);
  if (!f) cache.set(decimals, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })));
  return f.format(value);
}

/** Naive historian timestamp 'YYYY-MM-DD HH:MM:SS' to a Date whose local fields show those digits. */
export function toDate(text: string): Date {
  const [d, t = '00:00:00'] = text.split(' ');
  const [y, m, day] = d.split('-').map(Number);
  const [h, mi, s] = t.split(':').map(Number);
  return new Date(y, m - 1, day, h, mi, s || 0);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date whose local fields hold a historian wall-clock time, back to 'YYYY-MM-DD HH:MM'. */
export function toNaiveMinute(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
