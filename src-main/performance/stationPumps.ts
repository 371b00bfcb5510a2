import { type PumpSpecificEnergy, specificEnergyOf } from '../../src-shared/performance/specificEnergy';
import type { StationDb } from '../db/stationDb';
import { currentStation } from '../ingest/stationConfig';

// Each pump's specific energy for the Pumps page and the report: what the one estimator (the
// alert engine's, src-shared/performance/pumpEfficiency.ts) stored in pump_efficiency, per pump.

export async function stationPumpEnergy(db: StationDb): Promise<PumpSpecificEnergy[]> {
  const pumps = (await currentStation(db)).config.pumps.map((p) => p.id);
  if (pumps.length === 0) return [];
  const rows = await db.all<{ pump: string; date: string; flow: number; kw: number; m3PerKwh: number }>(
    `SELECT pump, strftime(date, '%Y-%m-%d') AS date, flow_m3h AS flow, kw, m3_per_kwh AS "m3PerKwh"
     FROM pump_efficiency ORDER BY pump, date`,
  );
  return pumps.map((pump) =>
    specificEnergyOf(
      pump,
      rows.filter((r) => r.pump === pump),
    ),
  );
}
