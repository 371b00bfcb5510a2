import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gaussian, seededRandom } from '../../src-shared/random';
import type { StationModel } from '../../src-shared/station/model';
import { formatTimestamp } from '../../src-shared/time';
import { simulateTunnel, TUNNEL, TUNNEL_PUMPS, type TunnelMinute, type TunnelOptions } from './tunnelSim';

// The third demo station (`pumpdeck demo --station tunnel`): a tunnel lift station whose SCADA
// writes what such SCADAs write every 15 minutes: the *average* of each signal over the quarter
// hour, stamped at its start. A pump that ran 6 of the 15 minutes shows 20 Hz and 40 % of its kW;
// the outlet meter reads a few hundredths either side of zero when no pump runs; the price is the
// hour's spot price in c/kWh. No units row: the tag names are all there is, as in many exports.

export const TUNNEL_EXPORT = 'LS12_tunnel_15min.csv';
const ROW_MINUTES = 15;

export const TUNNEL_TAGS = {
  level: 'LS12_TUNNEL_LEVEL',
  inflow: 'LS12_INFLOW',
  flow: 'LS12_OUTFLOW',
  price: 'LS12_SPOT_PRICE',
  hz: (id: string) => `LS12_${id}_FREQ`,
  kw: (id: string) => `LS12_${id}_POWER`,
};

/** The export's columns, in order. */
export function tunnelColumns(): string[] {
  return [
    TUNNEL_TAGS.level,
    TUNNEL_TAGS.inflow,
    TUNNEL_TAGS.flow,
    ...TUNNEL_PUMPS.flatMap((p) => [TUNNEL_TAGS.hz(p.id), TUNNEL_TAGS.kw(p.id)]),
    TUNNEL_TAGS.price,
  ];
}

/** The tunnel station's model as its engineer would confirm it. */
export function tunnelStationModel(): StationModel {
  return {
    name: 'Demo tunnel lift station LS-12 (8 VFD pumps, rock tunnel)',
    kind: 'lift',
    level: {
      tag: TUNNEL_TAGS.level,
      unit: 'm',
      min: 0,
      max: TUNNEL.topM,
      area_m2: TUNNEL.areaM2,
      // Emptied to the stop level every night; held under the hold setpoint in dear hours.
      operating: { low: TUNNEL.stopM, high: TUNNEL.holdM + 0.6, stop: TUNNEL.stopM, daily_cycle: true },
    },
    inflow: { tag: TUNNEL_TAGS.inflow, unit: 'm3/h' },
    flow: { tag: TUNNEL_TAGS.flow, unit: 'm3/h', max: 14_000 },
    pumps: TUNNEL_PUMPS.map((p) => ({
      id: p.id,
      run: { tag: TUNNEL_TAGS.hz(p.id), above: 20 },
      hz: { tag: TUNNEL_TAGS.hz(p.id), unit: 'Hz' },
      kw: { tag: TUNNEL_TAGS.kw(p.id), unit: 'kW' },
      rated_kw: 450,
    })),
    price: { tag: TUNNEL_TAGS.price, unit: 'c/kWh' },
    daily_energy_budget_kwh: 32_000,
    peak_hours: [
      [7, 10],
      [17, 21],
    ],
    interval_min: ROW_MINUTES,
  };
}

/** Quarter-hour averages of the minutes, one row each. */
export function* quarterHours(minutes: Iterable<TunnelMinute>): Generator<{ start: number; values: number[] }> {
  let sums: number[] | null = null;
  let start = 0;
  let n = 0;
  for (const m of minutes) {
    const values = [
      m.level,
      m.inflow,
      m.flow.reduce((a, b) => a + b, 0),
      ...m.hz.flatMap((hz, k) => [hz, m.kw[k]]),
      m.price,
    ];
    if (!sums) {
      sums = values.map(() => 0);
      start = m.time;
    }
    values.forEach((v, i) => {
      (sums as number[])[i] += v;
    });
    if (++n === ROW_MINUTES) {
      yield { start, values: sums.map((s) => s / ROW_MINUTES) };
      sums = null;
      n = 0;
    }
  }
}

export interface TunnelFiles {
  historian: string;
  station: string;
  maintenance: string;
  rows: number;
  first: number;
  last: number;
}

/** One row of the export: its quarter hour and the values of `tunnelColumns()` in order (NaN: a missing value). */
export interface TunnelRow {
  start: number;
  values: number[];
}

/** The export's rows as the SCADA writes them: averages, with the meters' noise. */
export function* tunnelRows(options: TunnelOptions): Generator<TunnelRow> {
  const noise = seededRandom(options.seed * 7 + 3);
  for (const row of quarterHours(simulateTunnel(options))) {
    const [level, inflow, outflow, ...rest] = row.values;
    // The outlet meter's zero drifts a few hundredths either way; the level transmitter has millimetres of noise.
    yield {
      start: row.start,
      values: [level + 0.004 * gaussian(noise), inflow, outflow + 0.02 * gaussian(noise), ...rest],
    };
  }
}

/** The export's text: a header of tag names, one line per quarter hour, an empty cell for a missing value. */
export function tunnelCsv(rows: Iterable<TunnelRow>): string {
  const digits = [3, 1, 2, ...TUNNEL_PUMPS.flatMap(() => [1, 1]), 2];
  const lines = [`Time,${tunnelColumns().join(',')}`];
  for (const row of rows)
    lines.push(
      `${formatTimestamp(row.start)},${row.values.map((v, i) => (Number.isNaN(v) ? '' : v.toFixed(digits[i]))).join(',')}`,
    );
  return `${lines.join('\n')}\n`;
}

/** Writes the tunnel station's export, station.json and maintenance log into `dir`. */
export async function writeTunnelDemo(
  dir: string,
  options: TunnelOptions,
  onDay: (day: number) => void,
): Promise<TunnelFiles> {
  const rows: TunnelRow[] = [];
  for (const row of tunnelRows(options)) {
    if (rows.length % 96 === 0 && rows.length > 0) onDay(rows.length / 96);
    rows.push(row);
  }
  const first = rows[0]?.start ?? Number.NaN;
  const last = rows.at(-1)?.start ?? Number.NaN;
  const historian = join(dir, TUNNEL_EXPORT);
  await writeFile(historian, tunnelCsv(rows));
  const station = join(dir, 'station.json');
  await writeFile(station, `${JSON.stringify(tunnelStationModel(), null, 2)}\n`);
  const maintenance = join(dir, 'maintenance.csv');
  const day0 = Date.parse(`${options.start}T00:00:00Z`);
  await writeFile(
    maintenance,
    `pump,date,kind,note\nP8,${formatTimestamp(day0 - 3 * 86_400_000 + 10 * 3_600_000)},failure,motor bearing; out of service until the new motor arrives\n`,
  );
  return { historian, station, maintenance, rows: rows.length, first, last };
}
