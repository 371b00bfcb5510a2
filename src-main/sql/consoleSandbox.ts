import { rmSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  /** The sandbox over `project` as of data generation `generation`. */
  async get(project: Project, generation: number): Promise<SqlSandbox> {
    const key = `${project.dbPath}|${generation}`;
    if (this.sandbox && this.key === key) return this.sandbox;
    this.close();
    this.dir ??= await mkdtemp(join(tmpdir(), 'pumpdeck-console-'));
    const snapshot = join(this.dir, `snapshot-${++this.copies}.duckdb`);
    await project.db.run('CHECKPOINT');
    await copyFile(project.dbPath, snapshot);
    this.snapshot = snapshot;
    this.sandbox = await SqlSandbox.open(snapshot);
    this.key = key;
    return this.sandbox;
  }

  close(): void {
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
