import { catalogFor } from '../../../src-shared/alerts/catalog';
import type { Handlers } from '../../../src-shared/api/host';
import { journal, recordAction } from '../../alerts/lifecycle';
import { addMaintenance, listMaintenance } from '../../models/maintenanceLog';
import { stationConfig } from '../../project';
import { alarmKpis, alertCounts, listAlerts } from '../../queries/alerts';

import type { HandlerScope } from './scope';

/** Alerts, their ISA-18.2 actions and catalog, and the maintenance log. */
export function alertHandlers({ requireProject, changed, osUser }: HandlerScope) {
  return {
    'alerts.list': async (filter) => listAlerts(requireProject().db, filter),
    'alerts.act': async ({ operator, ...request }) => {
      const action = await recordAction(
        requireProject().db,
        { ...request, pump: request.pump ?? null },
        operator ?? osUser(),
        Date.now(),
      );
      changed(['alert_actions']);
      return action;
    },
    'alerts.ackMany': async ({ keys, operator }) => {
      const now = Date.now();
      await requireProject().db.isolated(async (db) => {
        for (const key of keys) await recordAction(db, { action: 'ack', ...key }, operator ?? osUser(), now);
      });
      changed(['alert_actions']);
      return { acknowledged: keys.length };
    },
    'alerts.counts': async (filter) => alertCounts(requireProject().db, filter),
    'alerts.journal': async (key) => journal(requireProject().db, key),
    'alerts.kpis': async (filter) => alarmKpis(requireProject().db, filter),
    'maintenance.list': async ({ pump }) => listMaintenance(requireProject().db, pump),
    'maintenance.add': async (entry) => {
      const added = await addMaintenance(requireProject().db, { ...entry, note: entry.note ?? null });
      changed(['maintenance_log']);
      return added;
    },
    'alerts.catalog': async () => catalogFor(await stationConfig(requireProject())),
  } satisfies Partial<Handlers>;
}
