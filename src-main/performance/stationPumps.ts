import {
  type DailyPumpSums,
  dailySumsOf,
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
  const pumps = sql.pumpIds;
  if (pumps.length === 0) return [];
  const w = sql.weight;
  const rows = await db.all<Record<string, number | string | boolean | null>>(
    `SELECT strftime(date, '%Y-%m-%d') AS day, ${pumps.map((_, k) => `${sql.run(k)} AS on_${k}`).join(', ')},
            pumps_on_count AS pumps_on, sum(${w})::DOUBLE AS minutes, sum((${sql.flow}) * ${w}) AS flow,
            ${pumps.map((_, k) => `sum(coalesce(${sql.kw(k)}, 0) * ${w}) AS kw_${k}`).join(', ')}
     FROM readings_wide
     WHERE (${sql.flow}) IS NOT NULL AND ($from IS NULL OR date BETWEEN $from::DATE AND $to::DATE)
     GROUP BY ALL ORDER BY day`,
    { from: days?.from ?? null, to: days?.to ?? null },
  );
  return dailySumsOf(
    rows.map((row) => ({
      date: row.day as string,
      on: pumps.map((_, k) => row[`on_${k}`] === true),
      pumpsOn: row.pumps_on === null ? null : Number(row.pumps_on),
      minutes: Number(row.minutes),
      flow: Number(row.flow),
      kw: pumps.map((_, k) => Number(row[`kw_${k}`])),
    })),
    pumps.length,
  );
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
