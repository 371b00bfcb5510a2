import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AnomalyPayload } from '../src-shared/edge/payload';
import { moveDurable, type Quarantined, readJsonOrQuarantine, writeDurable } from './durable';

// The spool (seed 000's unsent_anomalies/): every anomaly is written here first, durably, and
// removed only once the API has it. Files sort by their spool time, so delivery keeps order.
// Reports the API refuses as invalid, or one that fails alone for too long, move to rejected/
// with the reason beside them; `runner --resend-rejected` puts them back, `--clear-set-aside`
// removes them once the operator has seen them.

export interface SpoolEntry {
  key: string;
  spooledAt: number;
  payload: AnomalyPayload;
  /** Attempts the API answered with an error for this report alone, and when the first was. */
  failures?: number;
  firstFailureAt?: number;
  /** Not tried again before this time (ms): its own backoff. */
  nextAttemptAt?: number;
}

function isEntry(value: unknown): value is SpoolEntry {
  const v = value as SpoolEntry;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.key === 'string' &&
    typeof v.spooledAt === 'number' &&
    typeof v.payload === 'object' &&
    v.payload !== null
  );
}

export class Spool {
  private counter = 0;
  /** Unreadable entries moved to corrupt/ while listing. */
  readonly quarantined: Quarantined[] = [];

  constructor(
    readonly dir: string,
    private readonly rejectedDir: string,
    private readonly corruptDir: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  add(key: string, payload: AnomalyPayload, now: number): boolean {
    if (this.list().some((e) => e.key === key)) return false; // already waiting
    const name = `${String(now).padStart(15, '0')}-${String(this.counter++).padStart(4, '0')}-${key}.json`;
    writeDurable(join(this.dir, name), JSON.stringify({ key, spooledAt: now, payload } satisfies SpoolEntry));
    return true;
  }

  files(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  }

  /** The readable entries in order; an unreadable one goes to corrupt/ and the rest are still delivered. */
  list(): Array<SpoolEntry & { file: string }> {
    const entries: Array<SpoolEntry & { file: string }> = [];
    for (const file of this.files()) {
      const entry = readJsonOrQuarantine(join(this.dir, file), this.corruptDir, isEntry, this.quarantined);
      if (entry) entries.push({ ...entry, file });
    }
    return entries;
  }

  remove(file: string): void {
    rmSync(join(this.dir, file), { force: true });
  }

  /** Counts a failure that was this report's alone (the API answered, with an error) and when to try again. */
  recordFailure(entry: SpoolEntry & { file: string }, now: number, nextAttemptAt: number): SpoolEntry {
    const { file, ...stored } = entry;
    const next = {
      ...stored,
      failures: (stored.failures ?? 0) + 1,
      firstFailureAt: stored.firstFailureAt ?? now,
      nextAttemptAt,
    };
    writeDurable(join(this.dir, file), JSON.stringify(next));
    return next;
  }

  /** Moves an entry aside to rejected/, with the reason beside it. */
  setAside(file: string, reason: string): void {
    moveDurable(join(this.dir, file), join(this.rejectedDir, file));
    writeDurable(join(this.rejectedDir, file.replace(/\.json$/, '.reason.txt')), `${reason}\n`);
  }

  /** Reports set aside so far. */
  rejectedFiles(): string[] {
    return existsSync(this.rejectedDir) ? readdirSync(this.rejectedDir).filter((f) => f.endsWith('.json')) : [];
  }

  /** The set-aside reports with why, for health.json. */
  setAsideReports(): Array<{ file: string; reason: string }> {
    return this.rejectedFiles().map((file) => {
      const why = join(this.rejectedDir, file.replace(/\.json$/, '.reason.txt'));
      return { file, reason: existsSync(why) ? readFileSync(why, 'utf8').trim() : 'set aside' };
    });
  }

  /** Removes the set-aside reports for good (the operator has seen them); returns how many. */
  clearRejected(): number {
    const files = this.rejectedFiles();
    for (const file of files) {
      rmSync(join(this.rejectedDir, file), { force: true });
      rmSync(join(this.rejectedDir, file.replace(/\.json$/, '.reason.txt')), { force: true });
    }
    return files.length;
  }

  /** Puts every set-aside report back in the spool, its failures forgotten; returns how many. */
  resendRejected(): number {
    const files = this.rejectedFiles();
    for (const file of files) {
      const entry = readJsonOrQuarantine(join(this.rejectedDir, file), this.corruptDir, isEntry, this.quarantined);
      if (entry) {
        const { failures: _f, firstFailureAt: _t, nextAttemptAt: _n, ...fresh } = entry;
        writeDurable(join(this.dir, file), JSON.stringify(fresh));
        rmSync(join(this.rejectedDir, file), { force: true });
      }
      rmSync(join(this.rejectedDir, file.replace(/\.json$/, '.reason.txt')), { force: true });
    }
    return files.length;
  }

  /** Drops entries older than the age cap, then the oldest beyond the size cap; returns what went. */
  enforceRetention(now: number, maxAgeDays: number, maxBytes: number): string[] {
    const dropped: string[] = [];
    for (const entry of this.list()) {
      if (now - entry.spooledAt > maxAgeDays * 86_400_000) {
        this.remove(entry.file);
        dropped.push(`${entry.file} (older than ${maxAgeDays} days)`);
      }
    }
    const files = this.files();
    let size = files.reduce((s, f) => s + statSync(join(this.dir, f)).size, 0);
    while (size > maxBytes && files.length) {
      const oldest = files.shift() as string;
      size -= statSync(join(this.dir, oldest)).size;
      this.remove(oldest);
      dropped.push(`${oldest} (spool over ${(maxBytes / 1e6).toFixed(1)} MB)`);
    }
    return dropped;
  }
}
