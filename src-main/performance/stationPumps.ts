import {
  type DailyPumpSums,
  type PumpSpecificEnergy,
  type SpecificEnergyOptions,
  specificEnergyByPump,
} from '../../src-shared/performance/specificEnergy';
import { addDays } from '../../src-shared/time';
import type { StationDb } from '../db/stationDb';
import { currentStation } from '../ingest/stationConfig';
import { StationSql } from '../ingest/stationSql';

// Station pumps that log only their run state and kW: their specific energy comes from the station
// flow meter (see specificEnergy.ts). DuckDB sums each day's rows (weighted by the minutes each
// stands for); the solve is in TypeScript.

export async function dailyPumpSums(
  db: StationDb,
  sql: StationSql,
  days?: { from: string; to: string },
): Promise<DailyPumpSums[]> {
  // Regressors: each pump's run state, then "k pumps on" for k = 2..N (see specificEnergy.ts).
  const pumps = sql.pumpIds;
  const x = [
    ...pumps.map((_, k) => `${sql.run(k)}::INTEGER`),
    ...pumps.slice(1).map((_, k) => `(pumps_on_count = ${k + 2})::INTEGER`),
  ];
  const flow = sql.flow;
  const w = sql.weight;
  const select: string[] = [];
  x.forEach((_, a) => {
    x.forEach((__, b) => {
      if (b >= a) select.push(`sum(${x[a]} * ${x[b]} * ${w}) AS g_${a}_${b}`);
    });
  });
  x.forEach((_, a) => {
    select.push(`sum(${x[a]} * (${flow}) * ${w}) AS f_${a}`);
  });
  pumps.forEach((_, i) => {
    select.push(`sum(${x[i]} * coalesce(${sql.kw(i)}, 0) * ${w}) AS k_${i}`);
  });
  const rows = await db.all<Record<string, number | string>>(
    `SELECT strftime(date, '%Y-%m-%d') AS day, ${select.join(', ')} FROM readings_wide
     WHERE (${flow}) IS NOT NULL AND ($from IS NULL OR date BETWEEN $from::DATE AND $to::DATE) GROUP BY date ORDER BY date`,
    { from: days?.from ?? null, to: days?.to ?? null },
  );
  return rows.map((row) => ({
    date: row.day as string,
    together: x.map((_, a) => x.map((__, b) => Number(row[`g_${Math.min(a, b)}_${Math.max(a, b)}`] ?? 0))),
    flowWhenOn: x.map((_, a) => Number(row[`f_${a}`] ?? 0)),
    kwWhenOn: pumps.map((_, i) => Number(row[`k_${i}`] ?? 0)),
  }));
}

export async function stationPumpEnergy(
  db: StationDb,
  options: SpecificEnergyOptions = {},
): Promise<PumpSpecificEnergy[]> {
  const sql = await StationSql.of(db, (await currentStation(db)).config);
  return specificEnergyByPump(sql.pumpIds, await dailyPumpSums(db, sql), options);
}

/**
 * Each pump's estimated flow per day (7-day windows ending that day) into a temporary table
 * pump_flow_estimate(date, pump, flow), for pump_health's flow per kWh.
 */
export async function stagePumpFlowEstimates(
  db: StationDb,
  sql: StationSql,
  fromDay: string,
  toDay: string,
): Promise<void> {
  // Each day's window needs the six days before it.
  const sums = await dailyPumpSums(db, sql, { from: addDays(fromDay, -6), to: toDay });
  const estimates = specificEnergyByPump(sql.pumpIds, sums).flatMap((p) =>
    p.days.filter((d) => d.date >= fromDay).map((d) => [d.date, p.pump, d.flow] as const),
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE pump_flow_estimate (date DATE, pump VARCHAR, flow DOUBLE)`);
  if (estimates.length)
    await db.run(
      `INSERT INTO pump_flow_estimate VALUES ${estimates.map(() => '(?::DATE, ?, ?)').join(', ')}`,
      estimates.flat(),
    );
}
