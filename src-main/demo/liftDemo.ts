import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTimestamp } from '../../src-shared/time';
import { liftSignals, liftStationModel, simulateLift } from './liftSim';

// The second demo station (`pumpdeck demo --station lift`): a wastewater lift station whose SCADA
// writes what such sites write: a wide CSV every 15 minutes with site-style tag names and a units
// row, Finnish time stamps (D.M.YYYY H:MM), ';' and decimal commas, NA where the PLC did not
// answer, and an afternoon the logging PC was down (two hours without rows).

export const LIFT_EXPORT = 'LS07_15min.csv';
const ROW_MINUTES = 15;

/** D.M.YYYY H:MM, as a Finnish SCADA PC writes the time. */
function finnishMinute(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()}.${d.getUTCMonth() + 1}.${d.getUTCFullYear()} ${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

const decimal = (value: number, digits: number) => value.toFixed(digits).replace('.', ',');

export interface LiftFiles {
  historian: string;
  station: string;
  maintenance: string;
  rows: number;
  first: number;
  last: number;
}

/** Writes the lift station's export, station.json and maintenance log into `dir` (a staging folder). */
export async function writeLiftDemo(
  dir: string,
  options: { days: number; seed: number; start: string },
  onDay: (day: number) => void,
): Promise<LiftFiles> {
  const signals = liftSignals();
  const lines = [
    `\uFEFFTime stamp;${signals.map(([tag]) => tag).join(';')}`,
    `;${signals.map(([, u]) => u).join(';')}`,
  ];
  let inflow = 0;
  let minute = 0;
  let first = Number.NaN;
  let last = Number.NaN;
  for (const m of simulateLift(options)) {
    inflow += m.inflowM3;
    minute++;
    if (minute % 1440 === 0) onDay(minute / 1440);
    if (minute % ROW_MINUTES !== 0) continue;
    // The row is stamped at the start of its quarter hour (the SCADA's convention for its averages):
    // values as at the end of it, the inflow summed over it.
    const stamp = m.time - (ROW_MINUTES - 1) * 60_000;
    const sinceStart = minute / 1440;
    const quarter = inflow;
    inflow = 0;
    if (sinceStart > 4 + 14 / 24 && sinceStart <= 4 + 16 / 24) continue; // the logging PC was down
    if (Number.isNaN(first)) first = stamp;
    last = stamp;
    // The flow meter's PLC misses its 02:30 poll every night.
    const lost = formatTimestamp(stamp).endsWith('02:30:00');
    const discharge = m.flow.reduce((a, b) => a + b, 0);
    const cells = [
      decimal(m.level, 3),
      decimal(quarter, 1),
      lost ? 'NA' : decimal(discharge, 1),
      ...m.hz.flatMap((hz, k) => [decimal(hz, 1), decimal(m.kw[k], 1), decimal(m.flow[k], 1)]),
      decimal(m.price, 2),
    ];
    lines.push(`${finnishMinute(stamp)};${cells.join(';')}`);
  }
  const historian = join(dir, LIFT_EXPORT);
  await writeFile(historian, `${lines.join('\r\n')}\r\n`);
  const station = join(dir, 'station.json');
  await writeFile(station, `${JSON.stringify(liftStationModel(), null, 2)}\n`);
  const maintenance = join(dir, 'maintenance.csv');
  const day = (n: number, hour: number) =>
    formatTimestamp(Date.parse(`${options.start}T00:00:00Z`) + n * 86_400_000 + hour * 3_600_000);
  const entries = [`P2.4,${day(0, 9)},overhaul,back from the workshop (bearings and seals)`];
  if (options.days > 20) entries.push(`P1.3,${day(20, 8)},repair,impeller de-ragged (wipes)`);
  await writeFile(maintenance, `pump,date,kind,note\n${entries.join('\n')}\n`);
  return { historian, station, maintenance, rows: lines.length - 2, first, last };
}
