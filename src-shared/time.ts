// Historian times are the exporting PC's local wall-clock time. PumpDeck keeps them naive
// (TIMESTAMP without zone): a Date here carries the wall-clock fields in its UTC fields.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'YYYY-MM-DD HH:MM:SS' of a naive time in ms. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${formatDay(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** 'YYYY-MM-DD' of a naive time in ms. */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

