import type { Handlers } from '../../../src-shared/api/host';
import { listBaselines } from '../../ingest/baselines';
import { baselineFromPeriod, editBaseline } from '../../performance/baselineEdit';
import { proposeBaselines, takeProposedBaselines } from '../../performance/proposeBaseline';
import { fleetPerformance, pumpPerformance } from '../../performance/pumpPerformance';
import { stationPumpEnergy } from '../../performance/stationPumps';

import type { HandlerScope } from './scope';

/** Pump performance against the baselines (ANSI/HI 14.6) and the station pumps. */
export function performanceHandlers({ requireProject, changed }: HandlerScope) {
  return {
    'performance.fleet': async () => fleetPerformance(requireProject().db),
    'performance.pump': async (query) => pumpPerformance(requireProject().db, query),
    'performance.baselines': async () => listBaselines(requireProject().db),
    'performance.setBaseline': async (edit) => {
      const record = await editBaseline(requireProject().db, edit);
      changed(['pump_baselines']);
      return record;
    },
    'performance.baselineFromPeriod': async (request) => {
      const record = await baselineFromPeriod(requireProject().db, request);
      changed(['pump_baselines']);
      return record;
    },
    'performance.stationPumps': async () => stationPumpEnergy(requireProject().db),
    'performance.proposeBaselines': async ({ days }) => proposeBaselines(requireProject().db, days),
    'performance.takeProposedBaselines': async ({ pumps, days }) => {
      const records = await takeProposedBaselines(requireProject().db, pumps, days);
      changed(['pump_baselines']);
      return records;
    },
  } satisfies Partial<Handlers>;
}
