import { FULL_SPEED } from '../../src-shared/performance/pumpEfficiency';
import { metricFactor } from '../../src-shared/performance/units';
import type { StationModel } from '../../src-shared/station/model';
import { literal, type StationDb } from '../db/stationDb';
import { currentStation } from '../ingest/stationConfig';
import { StationSql } from '../ingest/stationSql';

// Where a pump's operating readings (flow, head, power, efficiency) come from: its own
// operational file (seed 000's per-pump wide CSV, pump_operational) when one was imported, else
// the station historian through the station model. A historian gives a pump's flow (its own
// meter, or the station meter while it runs alone) and its kW, as the recorded gpm and hp; it
// logs no head, so head and efficiency are NULL and are not judged. A VFD pump's flow and power
// follow its speed, and against a static head not in proportion (affinity laws do not hold
// there), so only the rows at full speed compare with each other and with a baseline: within the
// estimator's share (src-shared/performance/pumpEfficiency.ts) of the speed the pump reaches (its
// 99th percentile).

const FULL_SPEED_SHARE = 1 + FULL_SPEED;

export type ReadingsSource = { kind: 'operational' } | { kind: 'historian'; sql: string } | { kind: 'none' };

/**
 * The SELECT of pump `k`'s full-speed running rows from readings_wide, as (ts, flow, head, power,
 * efficiency), or null when the model gives it no power or no flow to read.
 */
export function historianSelect(sql: StationSql, model: StationModel, k: number): string | null {
  const pump = model.pumps[k];
  if (!pump?.kw || !sql.hasColumn(pump.kw.tag)) return null;
  const others = model.pumps.map((_, j) => j).filter((j) => j !== k);
  const ownMeter = pump.flow && sql.hasColumn(pump.flow.tag);
  if (!ownMeter && !(model.flow && sql.hasColumn(model.flow.tag))) return null;
  // Without a meter of its own, the station meter reads the pump only while no other pump runs.
  const flow = ownMeter
    ? sql.pumpFlow(k)
    : `CASE WHEN NOT (${others.map((j) => sql.run(j)).join(' OR ') || 'FALSE'}) THEN ${sql.flow} END`;
  const hz = sql.hz(k);
  // In the recorded units every pump reading and baseline is kept in (gpm, hp: performance/units.ts).
  return `SELECT "Timestamp" AS ts, (${flow}) / ${metricFactor('flow')} AS flow, NULL::DOUBLE AS head,
      (${sql.kw(k)}) / ${metricFactor('power')} AS power, NULL::DOUBLE AS efficiency
    FROM readings_wide
    WHERE ${sql.run(k)}
      AND (${hz} IS NULL OR ${hz} >= ${FULL_SPEED_SHARE} * (SELECT quantile_cont(${hz}, 0.99) FROM readings_wide WHERE ${sql.run(k)}))`;
}

/** The SQL a pump's readings come from: its operational rows, else the historian's, else none. */
export async function pumpReadingsSource(db: StationDb, pump: string): Promise<ReadingsSource> {
  const own = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM pump_operational WHERE pump = ?`, [pump]);
  if ((own?.n ?? 0) > 0) return { kind: 'operational' };
  const { config } = await currentStation(db);
  const k = config.pumps.findIndex((p) => p.id === pump);
  if (k < 0) return { kind: 'none' };
  const select = historianSelect(await StationSql.of(db, config), config, k);
  return select ? { kind: 'historian', sql: select } : { kind: 'none' };
}

/**
 * A pump's readings as a relation (ts, flow, head, power, efficiency) for a FROM clause: one home
 * for the Pumps page, the baselines and the models.
 */
export async function pumpReadingsRelation(db: StationDb, pump: string): Promise<string> {
  return relationOf(await pumpReadingsSource(db, pump), pump);
}

/** A resolved source as a relation for a FROM clause. */
export function relationOf(source: ReadingsSource, pump: string): string {
  if (source.kind === 'historian') return `(${source.sql})`;
  // 'none' reads pump_operational too: it has no rows for the pump, so the answer is empty.
  return `(SELECT "Timestamp" AS ts, flow, head, power, efficiency FROM pump_operational WHERE pump = ${literal(pump)})`;
}
