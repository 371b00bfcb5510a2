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

/** Writes the tunnel station's export, station.json and maintenance log into `dir`. */
export async function writeTunnelDemo(
  dir: string,
  options: TunnelOptions,
  onDay: (day: number) => void,
): Promise<TunnelFiles> {
  const noise = seededRandom(options.seed * 7 + 3);
  const columns = tunnelColumns();
  const lines = [`Time,${columns.join(',')}`];
  let first = Number.NaN;
  let last = Number.NaN;
  let rows = 0;
  for (const row of quarterHours(simulateTunnel(options))) {
    if (rows % 96 === 0 && rows > 0) onDay(rows / 96);
    rows++;
    if (Number.isNaN(first)) first = row.start;
    last = row.start;
    const [level, inflow, outflow, ...rest] = row.values;
    const price = rest.pop() as number;
    // The outlet meter's zero drifts a few hundredths either way; the level transmitter has millimetres of noise.
    const meter = outflow + 0.02 * gaussian(noise);
    const cells = [
      (level + 0.004 * gaussian(noise)).toFixed(3),
      inflow.toFixed(1),
      meter.toFixed(2),
      ...rest.map((v, i) => (i % 2 === 0 ? v.toFixed(1) : v.toFixed(1))),
      price.toFixed(2),
    ];
    lines.push(`${formatTimestamp(row.start)},${cells.join(',')}`);
  }
  const historian = join(dir, TUNNEL_EXPORT);
  await writeFile(historian, `${lines.join('\n')}\n`);
  const station = join(dir, 'station.json');
  await writeFile(station, `${JSON.stringify(tunnelStationModel(), null, 2)}\n`);
  const maintenance = join(dir, 'maintenance.csv');
  const day0 = Date.parse(`${options.start}T00:00:00Z`);
  await writeFile(
    maintenance,
    `pump,date,kind,note\nP8,${formatTimestamp(day0 - 3 * 86_400_000 + 10 * 3_600_000)},failure,motor bearing; out of service until the new motor arrives\n`,
  );
  return { historian, station, maintenance, rows, first, last };
}
