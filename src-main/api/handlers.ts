import type { Handlers } from '../../src-shared/api/host';
import { alertHandlers } from './handlers/alertHandlers';
import { consoleHandlers } from './handlers/consoleHandlers';
import { importHandlers } from './handlers/importHandlers';
import { modelHandlers } from './handlers/modelHandlers';
import { outputHandlers } from './handlers/outputHandlers';
import { performanceHandlers } from './handlers/performanceHandlers';
import { planningHandlers } from './handlers/planningHandlers';
import { type HandlerContext, handlerScope } from './handlers/scope';
import { stationHandlers } from './handlers/stationHandlers';

export type { HandlerContext } from './handlers/scope';

/** The API's implementation on the Node side; every transport serves this one table (grouped in ./handlers/). */
export function createHandlers(context: HandlerContext): Handlers {
  const scope = handlerScope(context);
  return {
    ...stationHandlers(scope),
    ...importHandlers(scope),
    ...alertHandlers(scope),
    ...performanceHandlers(scope),
    ...modelHandlers(scope),
    ...outputHandlers(scope),
    ...consoleHandlers(scope),
    ...planningHandlers(scope),
  };
}
