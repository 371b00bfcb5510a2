import { ApiError } from '../../src-shared/api/errors';
import type { HourlySeries } from '../../src-shared/forecast/forecasters';
import type { StationModel } from '../../src-shared/station/model';
import { volumeModel } from '../../src-shared/station/volume';
import { HOUR_MS } from '../../src-shared/time';
import type { StationDb } from '../db/stationDb';
import { currentStation } from '../ingest/stationConfig';
import { StationSql } from '../ingest/stationSql';

// The station hour by hour, as the forecast and the optimizer need it (issue 20): the flow the
// pumps must match (a booster's outflow demand: pumped flow minus the change in stored volume; a
// lift station's inflow: its meter, else pumped flow plus the change in volume), the stored
// volume at the start of each hour, the energy drawn and its price. Every figure is NULL where the
// data has a gap; nothing is filled in.

export interface StationHours {
  model: StationModel;
  /** What the target is, in words, and its unit. */
  target: string;
  /** The target per hour (m³/h), from the first logged hour to the last. */
  series: HourlySeries;
  /** Stored volume at the start of each hour (m³), one more after the last hour; the volume model. */
  volume: Array<number | null>;
  capacity: number;
  /** Pumped flow (m³/h), energy (kWh), price per kWh (the price tag's), pumps running (mean) per hour. */
  pumped: Array<number | null>;
  kwh: Array<number | null>;
  price: Array<number | null>;
}

interface HourRow {
  t: number;
  flow: number | null;
  inflow: number | null;
  level: number | null;
  level_last: number | null;
  kwh: number | null;
  price: number | null;
  [key: string]: unknown;
}

export async function stationHours(db: StationDb): Promise<StationHours> {
  const { config: model } = await currentStation(db);
  const volume = volumeModel(model.level);
  if (!volume)
    throw new ApiError(
      'bad_input',
      "the station model gives no volume for its level: set the level's area_m2 (or a volume_table) in station.json",
    );
  const sql = await StationSql.of(db, model);
  const rows = await db.all<HourRow>(
    `SELECT epoch_ms(time_bucket(INTERVAL 1 hour, "Timestamp"))::DOUBLE AS t,
            avg(${sql.flow}) AS flow,
            avg(${sql.inflow}) AS inflow,
            arg_min(${sql.level}, "Timestamp") FILTER (WHERE ${sql.level} IS NOT NULL) AS level,
            arg_max(${sql.level}, "Timestamp") FILTER (WHERE ${sql.level} IS NOT NULL) AS level_last,
            sum(total_kw * ${sql.weight}) / 60.0 AS kwh,
            avg(${sql.price}) AS price
     FROM readings_wide GROUP BY ALL ORDER BY t`,
  );
  if (rows.length < 2)
    throw new ApiError('bad_input', 'fewer than two hours of readings: import a historian export first');
  const start = rows[0].t;
  const hours = Math.round((rows[rows.length - 1].t - start) / HOUR_MS) + 1;
  const blank = () => new Array<number | null>(hours).fill(null);
  const [flow, inflow, kwh, price] = [blank(), blank(), blank(), blank()];
  // Volume at the start of each hour, and after the last one: the newest reading's.
  const vol = new Array<number | null>(hours + 1).fill(null);
  for (const r of rows) {
    const i = Math.round((r.t - start) / HOUR_MS);
    flow[i] = r.flow;
    inflow[i] = r.inflow;
    vol[i] = r.level === null ? null : volume.at(r.level);
    kwh[i] = r.kwh;
    price[i] = r.price;
  }
  const newest = rows[rows.length - 1].level_last;
  vol[hours] = newest === null ? null : volume.at(newest);
  const lift = model.kind === 'lift';
  const y = flow.map((q, i) => {
    if (lift && model.inflow) return inflow[i];
    const v0 = vol[i];
    const v1 = vol[i + 1];
    if (q === null || v0 === null || v1 === null || v1 === undefined) return null;
    const stored = v1 - v0; // m³ over the hour: m³/h
    return Math.max(0, lift ? q + stored : q - stored);
  });
  return {
    model,
    target: lift ? 'inflow to the wet well' : 'outflow demand from the tank',
    series: { start, y },
    volume: vol,
    capacity: volume.capacity,
    pumped: flow,
    kwh,
    price,
  };
}
