import {
  type DailyPumpSums,
  type PumpSpecificEnergy,
  type SpecificEnergyOptions,
  specificEnergyByPump,
} from '../../src-shared/performance/specificEnergy';
import { PUMPS, TAG } from '../../src-shared/tags';
import { addDays } from '../../src-shared/time';
import { ident, type StationDb } from '../db/stationDb';

// The six station pumps log only on/off and kW: their specific energy comes from the station
// flow meter (see specificEnergy.ts). DuckDB sums each day's minutes; the solve is in TypeScript.

export async function dailyPumpSums(db: StationDb, days?: { from: string; to: string }): Promise<DailyPumpSums[]> {
  // Regressors: each pump's on/off, then "k pumps on" for k = 2..6 (see specificEnergy.ts).
  const x = [
    ...PUMPS.map((p) => `(coalesce(${ident(TAG.onOff(p))}, 0) = 1)::INTEGER`),
    ...PUMPS.slice(1).map((_, k) => `(pumps_on_count = ${k + 2})::INTEGER`),
  ];
  const flow = ident(TAG.flow);
  const select: string[] = [];
  x.forEach((_, a) => x.forEach((__, b) => b >= a && select.push(`sum(${x[a]} * ${x[b]}) AS g_${a}_${b}`)));
  x.forEach((_, a) => select.push(`sum(${x[a]} * ${flow}) AS f_${a}`));
  PUMPS.forEach((p, i) => select.push(`sum(${x[i]} * coalesce(${ident(TAG.kw(p))}, 0)) AS k_${i}`));
  const rows = await db.all<Record<string, number | string>>(
    `SELECT strftime(date, '%Y-%m-%d') AS day, ${select.join(', ')} FROM readings_wide
     WHERE ${flow} IS NOT NULL AND ($from IS NULL OR date BETWEEN $from::DATE AND $to::DATE) GROUP BY date ORDER BY date`,
    { from: days?.from ?? null, to: days?.to ?? null },
  );
  return rows.map((row) => ({
    date: row.day as string,
    together: x.map((_, a) => x.map((__, b) => Number(row[`g_${Math.min(a, b)}_${Math.max(a, b)}`] ?? 0))),
    flowWhenOn: x.map((_, a) => Number(row[`f_${a}`] ?? 0)),
    kwWhenOn: PUMPS.map((_, i) => Number(row[`k_${i}`] ?? 0)),
  }));
}

export async function stationPumpEnergy(
  db: StationDb,
  options: SpecificEnergyOptions = {},
): Promise<PumpSpecificEnergy[]> {
  return specificEnergyByPump(PUMPS, await dailyPumpSums(db), options);
}

/**
 * Each pump's estimated flow per day (7-day windows ending that day) into a temporary table
 * pump_flow_estimate(date, pump, flow), for pump_health's flow per kWh.
 */
export async function stagePumpFlowEstimates(db: StationDb, fromDay: string, toDay: string): Promise<void> {
  // Each day's window needs the six days before it.
  const sums = await dailyPumpSums(db, { from: addDays(fromDay, -6), to: toDay });
  const estimates = specificEnergyByPump(PUMPS, sums).flatMap((p) =>
    p.days.filter((d) => d.date >= fromDay).map((d) => [d.date, p.pump, d.flow] as const),
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE pump_flow_estimate (date DATE, pump VARCHAR, flow DOUBLE)`);
  if (estimates.length)
    await db.run(
      `INSERT INTO pump_flow_estimate VALUES ${estimates.map(() => '(?::DATE, ?, ?)').join(', ')}`,
      estimates.flat(),
    );
}
