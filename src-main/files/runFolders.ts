import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The temp folders of one run of PumpDeck (issue 35): uploads, files built for download, the
// console's snapshots of the database. Each is this run's own (its pid in the name), made only
// the user can read (0700), and removed when the process exits, stopped by Ctrl+C or SIGTERM
// included; a run killed outright leaves its folders to the next run, which sweeps those of dead
// processes at start.

export type RunFolderKind = 'uploads' | 'downloads' | 'console';

const PREFIX = 'pumpdeck-run-';
const made = new Map<RunFolderKind, string>();
let hooked = false;

/** This run's folder of `kind`, made on first use. */
export function runFolder(kind: RunFolderKind): string {
  const known = made.get(kind);
  if (known) return known;
  if (!hooked) {
    hooked = true;
    sweepStaleRunFolders();
    process.once('exit', removeRunFolders);
  }
  const path = join(tmpdir(), `${PREFIX}${process.pid}-${kind}-${randomBytes(4).toString('hex')}`);
  mkdirSync(path, { mode: 0o700 });
  made.set(kind, path);
  return path;
}

/** Removes this run's folders (at exit; a test may call it). */
export function removeRunFolders(): void {
  for (const path of made.values()) rmSync(path, { recursive: true, force: true });
  made.clear();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes the run folders of processes that no longer run (killed before they could clean up). */
export function sweepStaleRunFolders(): number {
  let removed = 0;
  const uid = process.getuid?.();
  for (const name of readdirSync(tmpdir())) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!match || Number(match[1]) === process.pid || alive(Number(match[1]))) continue;
    const path = join(tmpdir(), name);
    try {
      if (uid !== undefined && statSync(path).uid !== uid) continue; // another user's: not ours to remove
      rmSync(path, { recursive: true, force: true });
      removed += 1;
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return removed;
}
