import type { PumpTile, StationOverview } from '../../src-shared/api/contract';
import type { StationConfig } from '../../src-shared/station';
import { PUMPS, TAG } from '../../src-shared/tags';
import { ident, type StationDb } from '../db/stationDb';

const TS = `strftime("Timestamp", '%Y-%m-%d %H:%M:%S')`;

/** The Overview: latest state, today's per-pump hours/energy/starts, today's station totals. */
export async function stationOverview(db: StationDb, station: StationConfig, day?: string): Promise<StationOverview> {
  const range = await db.one<{ first: string | null; last: string | null; minutes: number }>(
    `SELECT strftime(min("Timestamp"), '%Y-%m-%d %H:%M:%S') AS first, strftime(max("Timestamp"), '%Y-%m-%d %H:%M:%S') AS last, count(*) AS minutes FROM readings_wide`,
  );
  const empty: StationOverview = {
    stationName: station.name,
    asOf: null,
    day: null,
    dataRange: null,
    pumps: PUMPS.map((pump) => ({
      pump,
      running: false,
      kwNow: null,
      hoursOnToday: 0,
      kwhToday: 0,
      startsToday: 0,
      runtimeHoursTotal: null,
    })),
    tank: { level: null, pct: null, physicalMax: station.hlt_physical_max, unit: station.units.level },
    flowNow: null,
    flowUnit: station.units.flow,
    pumpsOnNow: 0,
    energyTodayKwh: 0,
    volumeTodayM3: 0,
    energyPerM3Today: null,
    dailyBudgetKwh: station.daily_energy_budget_kwh,
    openAlerts: null,
  };
  if (!range?.last) return empty;

  const today = day ?? range.last.slice(0, 10);
  const latest = (await db.one(
    `SELECT ${TS} AS ts, * EXCLUDE ("Timestamp") FROM readings_wide WHERE "Timestamp" < ?::DATE + 1 ORDER BY "Timestamp" DESC LIMIT 1`,
    [today],
  ))!;

  // Starts are OFF->ON transitions; the minute before midnight decides a start at 00:00.
  const perPump = PUMPS.map(
    (pump) => `count(*) FILTER (WHERE today AND ${ident(TAG.onOff(pump))} = 1) / 60.0 AS "${pump}_hours",
      coalesce(sum(${ident(TAG.kw(pump))}) FILTER (WHERE today), 0) / 60.0 AS "${pump}_kwh",
      count(*) FILTER (WHERE today AND ${ident(TAG.onOff(pump))} = 1 AND coalesce("${pump}_prev", 0) = 0) AS "${pump}_starts"`,
  );
  const lags = PUMPS.map((pump) => `lag(${ident(TAG.onOff(pump))}) OVER (ORDER BY "Timestamp") AS "${pump}_prev"`);
  const totals = (await db.one(
    `WITH w AS (
       SELECT *, "Timestamp" >= ?::DATE AS today, ${lags.join(', ')}
       FROM readings_wide WHERE "Timestamp" >= ?::DATE - INTERVAL 1 MINUTE AND "Timestamp" < ?::DATE + 1)
     SELECT ${perPump.join(',\n')}, coalesce(max(${ident(TAG.dayTotal)}) FILTER (WHERE today), 0) AS volume FROM w`,
    [today, today, today],
  ))!;

  const pumps: PumpTile[] = PUMPS.map((pump) => {
    const runHours = latest[TAG.runHours(pump)] as number | null;
    const runMinutes = latest[TAG.runMinutes(pump)] as number | null;
    return {
      pump,
      running: latest[TAG.onOff(pump)] === 1,
      kwNow: latest[TAG.kw(pump)] as number | null,
      hoursOnToday: totals[`${pump}_hours`] as number,
      kwhToday: totals[`${pump}_kwh`] as number,
      startsToday: totals[`${pump}_starts`] as number,
      runtimeHoursTotal: runHours === null ? null : runHours + (runMinutes ?? 0) / 60,
    };
  });
  const energy = pumps.reduce((sum, p) => sum + p.kwhToday, 0);
  const open = await db.one<{ n: number }>(`SELECT count(*) AS n FROM alerts_log WHERE resolved = 0`);
  const volume = totals.volume as number;
  const level = latest[TAG.level] as number | null;
  return {
    ...empty,
    asOf: latest.ts as string,
    day: today,
    dataRange: { first: range.first!, last: range.last, minutes: range.minutes },
    pumps,
    tank: { ...empty.tank, level, pct: level === null ? null : (level / station.hlt_physical_max) * 100 },
    flowNow: latest[TAG.flow] as number | null,
    pumpsOnNow: pumps.filter((p) => p.running).length,
    energyTodayKwh: energy,
    volumeTodayM3: volume,
    energyPerM3Today: volume > 0 ? energy / volume : null,
    openAlerts: open?.n ?? 0,
  };
}
