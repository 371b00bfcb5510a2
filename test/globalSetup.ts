import type { TestProject } from 'vitest/node';
import { type PgCluster, startPgCluster } from '../scripts/pgCluster';

// One throwaway PostgreSQL cluster for the whole run (issue 33): the fleet's store is tested
// against the real server. Tests make their own databases on it.

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://… of the cluster's `postgres` database; '' when it could not start (`pgError` says why). */
    pgUrl: string;
    pgError: string;
  }
}

export default async function setup(project: TestProject) {
  let cluster: PgCluster | null = null;
  try {
    cluster = await startPgCluster();
    project.provide('pgUrl', cluster.url);
    project.provide('pgError', '');
  } catch (error) {
    // The PostgreSQL tests fail with this reason; the rest of the suite runs.
    project.provide('pgUrl', '');
    project.provide('pgError', (error as Error).message);
  }
  return () => cluster?.stop();
}
