import type { Handlers } from '../../../src-shared/api/host';
import { stationInput } from '../../../src-shared/station/parse';
import { STATION_TABLES } from '../../db/schema';
import { setStationModel, suggestFromData, updateConstants } from '../../ingest/recompute';
import { currentStation, loadStation } from '../../ingest/stationConfig';
import { stationConfig } from '../../project';
import { analyticsColumns, dailyAnalytics } from '../../queries/analytics';
import { stationOverview } from '../../queries/overview';
import { stationSeries } from '../../queries/series';

import type { HandlerScope } from './scope';

/** The station, its model and the data's analytics. */
export function stationHandlers({ requireProject, changed, context, osUser }: HandlerScope) {
  return {
    'app.info': async () => {
      const project = context.project();
      return {
        version: context.version,
        project: project ? { dbPath: project.dbPath, name: project.name, isDemo: project.isDemo } : null,
        user: osUser(),
      };
    },
    'station.config': async () => stationConfig(requireProject()),
    'station.overview': async ({ day }) => {
      const project = requireProject();
      return stationOverview(project.db, await stationConfig(project), day);
    },
    'station.series': async (params) => stationSeries(requireProject().db, params),
    'station.settings': async () => {
      const db = requireProject().db;
      return (await loadStation(db)) ?? { ...(await currentStation(db)), assumed: true };
    },
    'station.update': async (params) => {
      const next = await updateConstants(requireProject().db, params);
      changed(STATION_TABLES);
      return next;
    },
    'station.setModel': async ({ model }) => {
      const next = await setStationModel(requireProject().db, stationInput(model, 'the station model'));
      changed(STATION_TABLES);
      return next;
    },
    'station.suggest': async () => suggestFromData(requireProject().db),
    'analytics.columns': async () => analyticsColumns(requireProject().db),
    'analytics.daily': async ({ from, to }) => dailyAnalytics(requireProject().db, from, to),
  } satisfies Partial<Handlers>;
}
