import { fmt } from '../src-shared/format';

export { fmt, signed } from '../src-shared/format';
export { naiveDate as toDate } from '../src-shared/time';

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date whose local fields hold a historian wall-clock time, back to 'YYYY-MM-DD HH:MM'. */
export function toNaiveMinute(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A size in the unit that keeps it readable (a small file is not "0.0 MB"). */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${fmt(bytes)} B`;
  if (bytes < 1e6) return `${fmt(bytes / 1e3, 1)} kB`;
  return `${fmt(bytes / 1e6, 1)} MB`;
}
