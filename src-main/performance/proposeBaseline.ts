import type { BaselineProposal } from '../../src-shared/api/contract';
import type { PumpBaselineRecord } from '../../src-shared/performance/baselineRecord';
import { periodMedians, quietestPeriod } from '../../src-shared/performance/quietestPeriod';
import type { StationDb } from '../db/stationDb';
import { listBaselines } from '../ingest/baselines';
import { knownPumps, listMaintenance, maintenanceEvents } from '../models/maintenanceLog';
import { baselineFromPeriod } from './baselineEdit';
import { endOfDay, pumpReadings } from './pumpPerformance';
import { pumpReadingsSource } from './pumpReadingsSource';

// A way forward on a new station (issue 34): each pump's baseline proposed from the quietest
// days of its own history (src-shared/performance/quietestPeriod.ts), clear of its logged
// maintenance, with the dates and the events it kept clear of stated; taken with one click.

export const PROPOSAL_DAYS = 7;

/** A proposal for every pump of the station (those with a baseline too: they may re-take one). */
export async function proposeBaselines(db: StationDb, days = PROPOSAL_DAYS): Promise<BaselineProposal[]> {
  const baselines = new Set((await listBaselines(db)).map((b) => b.well_id));
  const out: BaselineProposal[] = [];
  for (const pump of [...(await knownPumps(db))].sort()) {
    const source = await pumpReadingsSource(db, pump);
    const base = { pump, days, hasBaseline: baselines.has(pump), events: await listMaintenance(db, pump) };
    if (source.kind === 'none') {
      out.push({
        ...base,
        source: null,
        period: null,
        values: null,
        reason: 'no readings of its flow and power: map its kW and a flow meter in the station model',
      });
      continue;
    }
    const readings = await pumpReadings(db, pump);
    const { period, reason } = quietestPeriod(readings, await maintenanceEvents(db, pump), days);
    const values = period ? periodMedians(await pumpReadings(db, pump, period.from, endOfDay(period.to))) : null;
    out.push({ ...base, source: source.kind, period, values, reason });
  }
  return out;
}

/** Takes the proposed baselines of these pumps (every pump with a proposal when none is named). */
export async function takeProposedBaselines(
  db: StationDb,
  pumps: string[] | undefined,
  days = PROPOSAL_DAYS,
): Promise<PumpBaselineRecord[]> {
  const proposals = (await proposeBaselines(db, days)).filter((p) => p.period && (!pumps || pumps.includes(p.pump)));
  const taken: PumpBaselineRecord[] = [];
  for (const p of proposals)
    if (p.period) taken.push(await baselineFromPeriod(db, { pump: p.pump, from: p.period.from, to: p.period.to }));
  return taken;
}
