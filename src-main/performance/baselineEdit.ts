import { ApiError } from '../../src-shared/api/errors';
import type { PumpBaselineRecord } from '../../src-shared/performance/baselineRecord';
import { MIN_PERIOD_READINGS, PERIOD_GRADE, periodMedians } from '../../src-shared/performance/quietestPeriod';
import { metricFactor } from '../../src-shared/performance/units';
import type { StationDb } from '../db/stationDb';
import { loadBaseline, saveBaseline } from '../ingest/baselines';
import { currentStation } from '../ingest/stationConfig';
import { endOfDay, pumpReadings } from './pumpPerformance';
import { pumpReadingsSource } from './pumpReadingsSource';

// Baselines edited in the console, or taken from a healthy period of the pump's own data
// ("use 1-14 March as baseline").

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
  /** Needed only when the pump has no baseline yet and the station model gives no rated kW. */
  horsepower?: number;
  application?: string;
  pump_type?: string;
}

/**
 * Sets a pump's baseline to the medians of its readings in [from, to] (its operational file's,
 * else the historian's at full speed: pumpReadings). Pump type, horsepower, application and grade
 * stay as they were; a pump without a baseline takes them from the request, else from the station
 * model (rated kW, VFD, the station's kind). Efficiency comes from the period when logged, else the
 * baseline keeps its own (deviations of a derived efficiency need only that). A historian logs no
 * head: such a baseline has none, and head and efficiency are not judged.
 */
export async function baselineFromPeriod(db: StationDb, request: PeriodBaselineRequest): Promise<PumpBaselineRecord> {
  const current = await loadBaseline(db, request.pump);
  const source = await pumpReadingsSource(db, request.pump);
  const readings = await pumpReadings(
    db,
    request.pump,
    request.from,
    endOfDay(request.to) ?? request.to,
    false,
    source,
  );
  const period = `${request.from} .. ${request.to}`;
  if (readings.length < MIN_PERIOD_READINGS) {
    throw new ApiError(
      'bad_input',
      `pump ${request.pump} has ${readings.length} readings in ${period}; a baseline needs at least ${MIN_PERIOD_READINGS}`,
    );
  }
  // Two decimals, as a baseline file writes them.
  const stats = Object.fromEntries(
    Object.entries(periodMedians(readings)).map(([k, v]) => [k, v === null ? null : Math.round(v * 100) / 100]),
  ) as ReturnType<typeof periodMedians>;
  const logged = (field: 'flow' | 'power'): number => {
    const value = stats[field];
    if (value === null)
      throw new ApiError(
        'bad_input',
        `pump ${request.pump} logs no ${field} in ${period}: map a ${field} column first`,
      );
    return value;
  };
  const [flow, power] = [logged('flow'), logged('power')];
  // An operational file with a head column must give it; a historian has none to give.
  if (stats.head === null && source.kind === 'operational')
    throw new ApiError('bad_input', `pump ${request.pump} logs no head in ${period}: map a head column first`);
  const efficiency = stats.efficiency ?? current?.baseline_efficiency_percent ?? null;
  if (efficiency === null && stats.head !== null)
    throw new ApiError(
      'bad_input',
      `pump ${request.pump} logs no efficiency in ${period} and has no baseline efficiency: enter it`,
    );
  const { config } = await currentStation(db);
  const modelPump = config.pumps.find((p) => p.id === request.pump);
  const ratedHp = modelPump?.rated_kw ? Math.round((modelPump.rated_kw / metricFactor('power')) * 10) / 10 : undefined;
  const horsepower = current?.horsepower ?? request.horsepower ?? ratedHp;
  const application =
    current?.application ??
    request.application ??
    (modelPump ? (config.kind === 'lift' ? 'Municipal wastewater lift' : 'Municipal water supply') : undefined);
  if (!horsepower || !application)
    throw new ApiError('bad_input', `pump ${request.pump} has no baseline yet: give its horsepower and application`);
  const record: PumpBaselineRecord = {
    well_id: request.pump,
    pump_type: current?.pump_type ?? request.pump_type ?? (modelPump?.hz ? 'Centrifugal on a VFD' : 'Centrifugal'),
    horsepower,
    application,
    baseline_flow_gpm: flow,
    baseline_discharge_pressure_psi: stats.head,
    baseline_power_hp: power,
    baseline_efficiency_percent: stats.head === null ? null : efficiency,
    // Its own grade stays; a new one is bilateral (PERIOD_GRADE says why).
    tolerance_grade: current?.tolerance_grade ?? (current ? null : PERIOD_GRADE),
    source: `period ${period}`,
  };
  await saveBaseline(db, record);
  return record;
}
