import type { StoredAnomaly } from './payload';

// Seed 000 AnomalyQueryTool: summary statistics, a per-day timeline by status, the pumps side
// by side, and the CSV export (nested JSON fields as JSON text).

export interface AnomalySummary {
  total: number;
  range: { start: string | null; end: string | null };
  byStatus: Record<string, number>;
  byPump: Record<string, number>;
  bySite: Record<string, number>;
  bySensor: Record<string, number>;
  perDay: Array<{ date: string; status: string; count: number }>;
  /** Multi-pump comparison: per pump the count by status. */
  pumps: Array<{ pumpId: number; status: string; count: number }>;
}

const statusOf = (a: StoredAnomaly) => String(a.additionalContext?.status ?? 'unknown');
const bump = (map: Record<string, number>, key: string | number) => (map[String(key)] = (map[String(key)] ?? 0) + 1);

export function summarise(items: StoredAnomaly[]): AnomalySummary {
  const s: AnomalySummary = {
    total: items.length,
    range: { start: null, end: null },
    byStatus: {},
    byPump: {},
    bySite: {},
    bySensor: {},
    perDay: [],
    pumps: [],
  };
  const days = new Map<string, number>();
  const pumps = new Map<string, number>();
  for (const a of items) {
    const status = statusOf(a);
    bump(s.byStatus, status);
    bump(s.byPump, a.pumpId);
    bump(s.bySite, a.siteId);
    bump(s.bySensor, a.sensorId);
    if (!s.range.start || a.timestamp < s.range.start) s.range.start = a.timestamp;
    if (!s.range.end || a.timestamp > s.range.end) s.range.end = a.timestamp;
    const day = `${a.timestamp.slice(0, 10)}|${status}`;
    days.set(day, (days.get(day) ?? 0) + 1);
    const pump = `${a.pumpId}|${status}`;
    pumps.set(pump, (pumps.get(pump) ?? 0) + 1);
  }
  s.perDay = [...days]
    .map(([k, count]) => ({ date: k.split('|')[0], status: k.split('|')[1], count }))
    .sort((a, b) => a.date.localeCompare(b.date));
  s.pumps = [...pumps]
    .map(([k, count]) => ({ pumpId: Number(k.split('|')[0]), status: k.split('|')[1], count }))
    .sort((a, b) => a.pumpId - b.pumpId);
  return s;
}

const cell = (v: unknown) => {
  const text = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '');
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const CSV_COLUMNS = [
  'id',
  'sourceType',
  'description',
  'siteId',
  'pumpId',
  'sensorId',
  'timestamp',
  'logValue',
  'additionalContext',
  'metadata',
  'createdAt',
] as const;

export function anomaliesCsv(items: StoredAnomaly[]): string {
  return `${[CSV_COLUMNS.join(','), ...items.map((a) => CSV_COLUMNS.map((c) => cell(a[c])).join(','))].join('\n')}\n`;
}
