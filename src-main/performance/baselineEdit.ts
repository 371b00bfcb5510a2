import { ApiError } from '../../src-shared/api/errors';
import type { PumpBaselineRecord } from '../../src-shared/performance/baselineRecord';
import type { StationDb } from '../db/stationDb';
import { loadBaseline, saveBaseline } from '../ingest/baselines';
import { endOfDay } from './pumpPerformance';

// Baselines edited in the console, or taken from a healthy period of the pump's own data
// ("use 1-14 March as baseline").

const MIN_PERIOD_READINGS = 10;

export type BaselineEdit = Partial<Omit<PumpBaselineRecord, 'well_id' | 'source'>> & { well_id: string };

/** Changes some fields of a pump's baseline (or creates it when every field is given). */
export async function editBaseline(db: StationDb, edit: BaselineEdit): Promise<PumpBaselineRecord> {
  const current = await loadBaseline(db, edit.well_id);
  const next = { ...(current ?? {}), ...edit, source: 'edited' } as PumpBaselineRecord;
  next.tolerance_grade ??= null;
  await saveBaseline(db, next);
  return next;
}

export interface PeriodBaselineRequest {
  pump: string;
  from: string;
  to: string;
  /** Needed only when the pump has no baseline yet. */
  horsepower?: number;
  application?: string;
  pump_type?: string;
}

/**
 * Sets a pump's baseline to the medians of its readings in [from, to]. Pump type, horsepower,
 * application and grade stay as they were. Efficiency comes from the period when logged; when
 * not, the baseline keeps its efficiency (deviations of a derived efficiency need only that).
 */
export async function baselineFromPeriod(db: StationDb, request: PeriodBaselineRequest): Promise<PumpBaselineRecord> {
  const current = await loadBaseline(db, request.pump);
  const stats = await db.one<{
    n: number;
    flow: number | null;
    head: number | null;
    power: number | null;
    efficiency: number | null;
  }>(
    `SELECT count(*) AS n, median(flow) AS flow, median(head) AS head, median(power) AS power, median(efficiency) AS efficiency
     FROM pump_operational WHERE pump = ? AND "Timestamp" BETWEEN ?::TIMESTAMP AND ?::TIMESTAMP`,
    [request.pump, request.from, endOfDay(request.to) ?? request.to],
  );
  const period = `${request.from} .. ${request.to}`;
  if (!stats || stats.n < MIN_PERIOD_READINGS) {
    throw new ApiError(
      'bad_input',
      `pump ${request.pump} has ${stats?.n ?? 0} readings in ${period}; a baseline needs at least ${MIN_PERIOD_READINGS}`,
    );
  }
  const logged = (field: 'flow' | 'head' | 'power'): number => {
    const value = stats[field];
    if (value === null)
      throw new ApiError(
        'bad_input',
        `pump ${request.pump} logs no ${field} in ${period}: map a ${field} column first`,
      );
    return value;
  };
  const [flow, head, power] = [logged('flow'), logged('head'), logged('power')];
  const efficiency = stats.efficiency ?? current?.baseline_efficiency_percent;
  if (efficiency === undefined)
    throw new ApiError(
      'bad_input',
      `pump ${request.pump} logs no efficiency in ${period} and has no baseline efficiency: enter it`,
    );
  const horsepower = current?.horsepower ?? request.horsepower;
  const application = current?.application ?? request.application;
  if (!horsepower || !application)
    throw new ApiError('bad_input', `pump ${request.pump} has no baseline yet: give its horsepower and application`);
  const record: PumpBaselineRecord = {
    well_id: request.pump,
    pump_type: current?.pump_type ?? request.pump_type ?? '',
    horsepower,
    application,
    baseline_flow_gpm: flow,
    baseline_discharge_pressure_psi: head,
    baseline_power_hp: power,
    baseline_efficiency_percent: efficiency,
    tolerance_grade: current?.tolerance_grade ?? null,
    source: `period ${period}`,
  };
  await saveBaseline(db, record);
  return record;
}
