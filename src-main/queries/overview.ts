import type { PumpTile, StationOverview } from '../../src-shared/api/contract';
import { DEFAULT_BAND_PCT, levelBands } from '../../src-shared/station/levelBands';
import type { StationModel } from '../../src-shared/station/model';
import { displayUnit } from '../../src-shared/station/units';
import { shortName, stationWords } from '../../src-shared/station/words';
import type { StationDb } from '../db/stationDb';
import { StationSql } from '../ingest/stationSql';

const TS = `strftime("Timestamp", '%Y-%m-%d %H:%M:%S')`;

/** The signals the Overview charts, named as the operator knows them (HLT101, Wet well level). */
function overviewSignals(station: StationModel): StationOverview['signals'] {
  const words = stationWords(station);
  const named = (signal: { tag: string } | undefined, name: string) => (signal ? { tag: signal.tag, name } : null);
  return {
    level: named(station.level, words.level),
    flow: named(station.flow, words.flow),
    inflow: named(station.inflow, shortName(station.inflow?.tag, 'inflow')),
  };
}

/** The Overview of a station with no readings: what the model says, nothing measured. */
function emptyOverview(station: StationModel): StationOverview {
  const bands = levelBands(station);
  return {
    stationName: station.name,
    kind: station.kind,
    asOf: null,
    day: null,
    dataRange: null,
    pumps: station.pumps.map((p) => ({
      pump: p.id,
      running: false,
      kwNow: null,
      hzNow: null,
      ratedKw: p.rated_kw ?? null,
      hoursOnToday: 0,
      kwhToday: 0,
      startsToday: 0,
      runtimeHoursTotal: null,
    })),
    tank: {
      level: null,
      pct: null,
      min: station.level?.min ?? 0,
      physicalMax: station.level?.max ?? 0,
      unit: displayUnit(station.level?.unit),
      band: bands ? [bands.lowPct, bands.highPct] : DEFAULT_BAND_PCT,
      bandSource: bands?.source ?? 'default',
      limits: bands?.limits ?? [],
    },
    signals: overviewSignals(station),
    flowNow: null,
    flowUnit: 'm³/h',
    pumpsOnNow: 0,
    energyTodayKwh: 0,
    volumeTodayM3: 0,
    energyPerM3Today: null,
    dailyBudgetKwh: station.daily_energy_budget_kwh,
    openAlerts: null,
  };
}

/** The Overview: latest state, today's per-pump hours/energy/starts, today's station totals, for the model's pumps. */
// Long because the Overview's figures come from one SQL statement built per pump, and its answer mapped to the tiles.
export async function stationOverview(db: StationDb, station: StationModel, day?: string): Promise<StationOverview> {
  const range = await db.one<{ first: string | null; last: string | null; rows: number; logged: number | null }>(
    `SELECT strftime(min("Timestamp"), '%Y-%m-%d %H:%M:%S') AS first, strftime(max("Timestamp"), '%Y-%m-%d %H:%M:%S') AS last,
            count(*)::INTEGER AS rows, sum(coalesce(interval_min, 1))::DOUBLE AS logged FROM readings_wide`,
  );
  const empty = emptyOverview(station);
  if (!range?.last) return empty;

  const sql = await StationSql.of(db, station);
  const today = day ?? range.last.slice(0, 10);
  const w = sql.weight;
  const pumps = station.pumps;
  // Starts are OFF->ON transitions; the row before midnight decides a start at 00:00.
  const perPump = pumps.map(
    (_, k) => `coalesce(sum(${w}) FILTER (WHERE today AND on${k}), 0) / 60.0 AS h${k},
      coalesce(sum(kw${k} * ${w}) FILTER (WHERE today), 0) / 60.0 AS e${k},
      count(*) FILTER (WHERE today AND on${k} AND NOT coalesce(prev${k}, FALSE)) AS s${k}`,
  );
  const columns = pumps.map((_, k) => `${sql.run(k)} AS on${k}, ${sql.kw(k)} AS kw${k}`);
  const lags = pumps.map((_, k) => `lag(${sql.run(k)}) OVER (ORDER BY "Timestamp") AS prev${k}`);
  const volume = sql.hasDayTotal
    ? `max(${sql.dayTotal}) FILTER (WHERE today)`
    : `sum((${sql.flow}) * ${w}) FILTER (WHERE today) / 60`;
  const totals = await db.one(
    `WITH w AS (
       SELECT ${['*', '"Timestamp" >= ?::DATE AS today', ...columns, ...lags].join(', ')}
       FROM readings_wide WHERE "Timestamp" >= ?::DATE - INTERVAL 1 DAY AND "Timestamp" < ?::DATE + 1)
     SELECT ${[...perPump, `coalesce(${volume}, 0) AS volume`].join(',\n')} FROM w`,
    [today, today, today],
  );
  const latest = await db.one(
    `SELECT ${[
      `${TS} AS ts`,
      `${sql.level} AS level`,
      `${sql.flow} AS flow`,
      ...pumps.map(
        (_, k) =>
          `${sql.run(k)} AS on${k}, ${sql.kw(k)} AS kw${k}, ${sql.hz(k)} AS hz${k}, ${runtimeHours(sql, k)} AS rh${k}`,
      ),
    ].join(', ')}
     FROM readings_wide WHERE "Timestamp" < ?::DATE + 1 ORDER BY "Timestamp" DESC LIMIT 1`,
    [today],
  );
  if (!latest || !totals) return empty;
  const tiles: PumpTile[] = pumps.map((p, k) => ({
    pump: p.id,
    running: latest[`on${k}`] === true,
    kwNow: latest[`kw${k}`] as number | null,
    hzNow: p.hz ? ((latest[`hz${k}`] as number | null) ?? null) : null,
    ratedKw: p.rated_kw ?? null,
    hoursOnToday: totals[`h${k}`] as number,
    kwhToday: totals[`e${k}`] as number,
    startsToday: totals[`s${k}`] as number,
    runtimeHoursTotal: latest[`rh${k}`] as number | null,
  }));
  const energy = tiles.reduce((sum, p) => sum + p.kwhToday, 0);
  const open = await db.one<{ n: number }>(`SELECT count(*) AS n FROM alerts_log WHERE resolved = 0`);
  const volumeToday = totals.volume as number;
  const level = latest.level as number | null;
  const lv = station.level;
  return {
    ...empty,
    asOf: latest.ts as string,
    day: today,
    dataRange: {
      first: range.first as string,
      last: range.last,
      rows: range.rows,
      interval: station.interval_min,
      loggedMinutes: range.logged ?? 0,
    },
    pumps: tiles,
    tank: { ...empty.tank, level, pct: level === null || !lv ? null : ((level - lv.min) / (lv.max - lv.min)) * 100 },
    flowNow: latest.flow as number | null,
    pumpsOnNow: tiles.filter((p) => p.running).length,
    energyTodayKwh: energy,
    volumeTodayM3: volumeToday,
    energyPerM3Today: volumeToday > 0 ? energy / volumeToday : null,
    openAlerts: open?.n ?? 0,
  };
}

/** A pump's run-hour counter (hours plus minutes/60), NULL when it has none. */
function runtimeHours(sql: StationSql, k: number): string {
  const p = sql.model.pumps[k];
  const tag = (s: { tag: string } | undefined) => (s ? `"${s.tag.replaceAll('"', '""')}"` : null);
  const h = tag(p.run_hours);
  if (!h || !sql.hasColumn(p.run_hours?.tag)) return 'NULL::DOUBLE';
  const m = tag(p.run_minutes);
  return m && sql.hasColumn(p.run_minutes?.tag) ? `${h} + coalesce(${m}, 0) / 60.0` : `${h}::DOUBLE`;
}
