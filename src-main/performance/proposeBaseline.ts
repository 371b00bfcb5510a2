import type { BaselineProposal } from '../../src-shared/api/contract';
import type { PumpBaselineRecord } from '../../src-shared/performance/baselineRecord';
import { periodMedians, quietestPeriod } from '../../src-shared/performance/quietestPeriod';
import { DAY_MS, parseTimestamp } from '../../src-shared/time';
import type { StationDb } from '../db/stationDb';
import { listBaselines } from '../ingest/baselines';
import { asEvents, knownPumps, listMaintenance } from '../models/maintenanceLog';
import { baselineFromPeriod } from './baselineEdit';
import { pumpReadings } from './pumpPerformance';
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
    const entries = await listMaintenance(db, pump);
    const base = { pump, days, hasBaseline: baselines.has(pump), events: entries };
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
    const readings = await pumpReadings(db, pump, undefined, undefined, false, source);
    const { period, reason } = quietestPeriod(readings, asEvents(entries), days);
    // The period's medians from the readings already read (its days, the last one whole).
    const [start, end] = period
      ? [parseTimestamp(`${period.from} 00:00`), parseTimestamp(`${period.to} 00:00`) + DAY_MS]
      : [0, 0];
    const values = period ? periodMedians(readings.filter((r) => r.t >= start && r.t < end)) : null;
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
