import type { FleetRow, PumpPerformance } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { baselineValues, type PumpBaselineRecord, resolveGrade } from '../../src-shared/performance/baselineRecord';
import type { PumpReading } from '../../src-shared/performance/deviation';
import { type EvaluateOptions, evaluatePump } from '../../src-shared/performance/evaluate';
import { bandUse } from '../../src-shared/performance/grades';
import { statusRank } from '../../src-shared/performance/tolerance';
import type { StationDb } from '../db/stationDb';
import { listBaselines, loadBaseline } from '../ingest/baselines';
import { pumpReadingsRelation, type ReadingsSource, relationOf } from './pumpReadingsSource';

// Seed 000 PumpMonitor on DuckDB: a pump's operational readings against its baseline.

export interface PerformanceQuery extends EvaluateOptions {
  pump: string;
  grade?: string;
  from?: string;
  to?: string;
}

/**
 * A pump's readings (its operational file's, else the historian's at full speed), time-ordered,
 * times as naive ms; `hourly` gives hourly medians (what the models see whatever the logging rate);
 * `source`: the pump's source when the caller has resolved it already.
 */
export async function pumpReadings(
  db: StationDb,
  pump: string,
  from?: string,
  to?: string,
  hourly = false,
  source?: ReadingsSource,
): Promise<PumpReading[]> {
  const relation = source ? relationOf(source, pump) : await pumpReadingsRelation(db, pump);
  const within = `($from IS NULL OR ts >= $from::TIMESTAMP) AND ($to IS NULL OR ts <= $to::TIMESTAMP)`;
  return operatingPoints(
    db,
    hourly
      ? `SELECT epoch_ms(time_bucket(INTERVAL 1 HOUR, ts)) AS t, median(flow), median(head), median(power), median(efficiency)
         FROM ${relation} WHERE ${within} GROUP BY 1 ORDER BY 1`
      : `SELECT epoch_ms(ts) AS t, flow, head, power, efficiency FROM ${relation} WHERE ${within} ORDER BY ts`,
    { from: from ?? null, to: to ?? null },
  );
}

/** Rows of (t, flow, head, power, efficiency) from `sql` as readings. */
async function operatingPoints(
  db: StationDb,
  sql: string,
  params: Record<string, string | null>,
): Promise<PumpReading[]> {
  const [t, flow, head, power, efficiency] = await db.columns(sql, params);
  return (t ?? []).map((time, i) => ({
    t: time as number,
    flow: flow[i] as number | null,
    head: head[i] as number | null,
    power: power[i] as number | null,
    efficiency: efficiency[i] as number | null,
  }));
}

export async function requireBaseline(db: StationDb, pump: string): Promise<PumpBaselineRecord> {
  const record = await loadBaseline(db, pump);
  if (!record)
    throw new ApiError(
      'not_found',
      `no baseline for pump ${pump}: import a baseline file or take one from a healthy period`,
    );
  return record;
}

/** `--to 2025-03-14` means the whole of that day. */
export function endOfDay(to: string | undefined): string | undefined {
  return to && to.length === 10 ? `${to} 23:59:59` : to;
}

export async function pumpPerformance(db: StationDb, query: PerformanceQuery): Promise<PumpPerformance> {
  const record = await requireBaseline(db, query.pump);
  const { grade, source } = resolveGrade(record, query.grade);
  const readings = await pumpReadings(db, query.pump, query.from, endOfDay(query.to));
  const evaluation = evaluatePump(readings, baselineValues(record), grade, query);
  return { pump: query.pump, baseline: record, gradeSource: source, ...evaluation };
}

/** Every pump with a baseline, worst status first. */
export async function fleetPerformance(db: StationDb): Promise<FleetRow[]> {
  const rows: FleetRow[] = [];
  for (const record of await listBaselines(db)) {
    const p = await pumpPerformance(db, { pump: record.well_id, timelinePoints: 1 });
    const used = p.parameters.flatMap((x) => {
      const use = bandUse(x.deviation, x.band);
      return use === null ? [] : [{ x, use }];
    });
    const worst = used.length ? used.reduce((a, b) => (b.use > a.use ? b : a)) : null;
    const soonest = p.parameters
      .filter((x) => x.crossing && x.crossing.days > 0 && x.crossing.significant)
      .sort((a, b) => (a.crossing?.days ?? 0) - (b.crossing?.days ?? 0))[0];
    rows.push({
      pump: p.pump,
      grade: p.grade,
      gradeSource: p.gradeSource,
      status: p.status,
      asOf: p.asOf,
      readings: p.readings,
      worstParameter: worst?.x.parameter ?? null,
      worstDeviation: worst?.x.deviation ?? null,
      worstBandUse: worst?.use ?? null,
      outOfBandSince: p.outOfBandSince,
      nextCrossing: soonest?.crossing
        ? { parameter: soonest.parameter, date: soonest.crossing.date, days: soonest.crossing.days }
        : null,
    });
  }
  // Worst status first; among equals, the pump that leaves its band soonest.
  const rank = (r: FleetRow) => (r.status ? statusRank(r.status) : -1);
  const soon = (r: FleetRow) => r.nextCrossing?.days ?? Number.POSITIVE_INFINITY;
  return rows.sort((a, b) => rank(b) - rank(a) || soon(a) - soon(b) || a.pump.localeCompare(b.pump));
}
