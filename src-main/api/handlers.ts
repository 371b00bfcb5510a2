import { userInfo } from 'node:os';
import type { Handlers } from '../../src-shared/api/host';
import { ApiError } from '../../src-shared/api/errors';
import { stationConfig, type Project } from '../project';
import { stationOverview } from '../queries/overview';
import { stationSeries } from '../queries/series';

export interface HandlerContext {
  version: string;
  project(): Project | null;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'operator';
  }
}

/** The API's implementation on the Node side; every transport serves this one table. */
export function createHandlers(context: HandlerContext): Handlers {
  const requireProject = (): Project => {
    const project = context.project();
    if (!project) throw new ApiError('no_project', 'no station database is open');
    return project;
  };
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
  };
}
