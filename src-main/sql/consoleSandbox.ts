import { rmSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runFolder } from '../files/runFolders';
import type { Project } from '../project';
import { SqlSandbox } from './sandbox';

// The SQL console and the Ask box in the app and browser mode, where the project's database is
// open for writing in this process: user SQL runs on a snapshot of it (checkpointed, copied, then
// opened in the sandbox: read-only, no external access, configuration locked). The snapshot is
// kept until the data changes (an import, a rebuild), so a session of queries costs one copy.

export class ConsoleSandbox {
  private sandbox: SqlSandbox | null = null;
  private snapshot: string | null = null;
  private key = '';
  private dir: string | null = null;
  private copies = 0;
  /** The snapshot being made: calls that arrive meanwhile (a page asks for several things at once) share it. */
  private pending: { key: string; sandbox: Promise<SqlSandbox> } | null = null;

  /** The sandbox over `project` as of data generation `generation`. */
  async get(project: Project, generation: number): Promise<SqlSandbox> {
    const key = `${project.dbPath}|${generation}`;
    if (this.sandbox && this.key === key) return this.sandbox;
    if (this.pending?.key === key) return this.pending.sandbox;
    const sandbox = this.open(project, key);
    this.pending = { key, sandbox };
    try {
      return await sandbox;
    } finally {
      if (this.pending?.key === key) this.pending = null;
    }
  }

  private async open(project: Project, key: string): Promise<SqlSandbox> {
    // In this run's folder: removed at exit (SIGTERM included), swept at the next start if killed.
    this.dir ??= await mkdtemp(join(runFolder('console'), 'snapshots-'));
    const snapshot = join(this.dir, `snapshot-${++this.copies}.duckdb`);
    await project.db.run('CHECKPOINT');
    await copyFile(project.dbPath, snapshot);
    const sandbox = await SqlSandbox.open(snapshot);
    // The previous snapshot may still serve a query in flight: it is let go a little later.
    const [old, oldFile] = [this.sandbox, this.snapshot];
    if (old && oldFile) setTimeout(() => release(old, oldFile), 60_000).unref();
    this.sandbox = sandbox;
    this.snapshot = snapshot;
    this.key = key;
    return sandbox;
  }

  close(): void {
    this.pending = null;
    this.sandbox?.close();
    this.sandbox = null;
    this.key = '';
    if (this.snapshot) rmSync(this.snapshot, { force: true });
    this.snapshot = null;
  }

  async dispose(): Promise<void> {
    this.close();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}

function release(sandbox: SqlSandbox, file: string): void {
  try {
    sandbox.close();
  } finally {
    rmSync(file, { force: true });
  }
}
