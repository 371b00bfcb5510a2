import { userInfo } from 'node:os';
import { ApiError } from '../../../src-shared/api/errors';
import type { Project } from '../../project';

export interface HandlerContext {
  version: string;
  project(): Project | null;
  /** Tells every connected view that tables changed. */
  changed?(tables: string[]): void;
}

/** What every group of handlers works with: the open project, the change signal, the user. */
export interface HandlerScope {
  context: HandlerContext;
  requireProject(): Project;
  changed(tables: readonly string[]): void;
  osUser(): string;
}

export function handlerScope(context: HandlerContext): HandlerScope {
  return {
    context,
    requireProject() {
      const project = context.project();
      if (!project) throw new ApiError('no_project', 'no station database is open');
      return project;
    },
    changed: (tables) => context.changed?.([...tables]),
    osUser() {
      try {
        return userInfo().username;
      } catch {
        return process.env.USER ?? 'operator';
      }
    },
  };
}
