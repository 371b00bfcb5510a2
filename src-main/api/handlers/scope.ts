import { userInfo } from 'node:os';
import { ApiError } from '../../../src-shared/api/errors';
import type { Project } from '../../project';
import { ConsoleSandbox } from '../../sql/consoleSandbox';
import type { SqlSandbox } from '../../sql/sandbox';

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
  /** Bumped by every change of data: what a cached snapshot (the SQL console's) is checked against. */
  dataGeneration(): number;
  /** User SQL: the sandbox over a snapshot of the project (src-main/sql/consoleSandbox.ts). */
  sandbox(): Promise<SqlSandbox>;
}

export function handlerScope(context: HandlerContext): HandlerScope {
  let generation = 0;
  const consoleSandbox = new ConsoleSandbox();
  const requireProject = () => {
    const project = context.project();
    if (!project) throw new ApiError('no_project', 'no station database is open');
    return project;
  };
  return {
    context,
    requireProject,
    changed: (tables) => {
      generation++;
      context.changed?.([...tables]);
    },
    dataGeneration: () => generation,
    sandbox: () => consoleSandbox.get(requireProject(), generation),
    osUser() {
      try {
        return userInfo().username;
      } catch {
        return process.env.USER ?? 'operator';
      }
    },
  };
}
