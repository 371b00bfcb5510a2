import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnomalyPayload } from '../src-shared/edge/payload';

// The spool (seed 000's unsent_anomalies/): every anomaly is written here first, atomically, and
// removed only once the API has it. Files sort by their spool time, so delivery keeps order.

export interface SpoolEntry {
  key: string;
  spooledAt: number;
  payload: AnomalyPayload;
}

/** Writes a file whole or not at all: a temporary name, then a rename. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}-${randomBytes(3).toString('hex')}`;
  writeFileSync(partial, text);
  renameSync(partial, path);
}

export class Spool {
  private counter = 0;

  constructor(
    readonly dir: string,
    private readonly rejectedDir: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  add(key: string, payload: AnomalyPayload, now: number): boolean {
    if (this.list().some((e) => e.key === key)) return false; // already waiting
    const name = `${String(now).padStart(15, '0')}-${String(this.counter++).padStart(4, '0')}-${key}.json`;
    writeAtomic(join(this.dir, name), JSON.stringify({ key, spooledAt: now, payload } satisfies SpoolEntry));
    return true;
  }

  files(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  }

  list(): Array<SpoolEntry & { file: string }> {
    return this.files().map((file) => ({
      ...(JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as SpoolEntry),
      file,
    }));
  }

  remove(file: string): void {
    rmSync(join(this.dir, file), { force: true });
  }

  /** Moves an entry the API refused for good aside, with the reason beside it. */
  reject(file: string, reason: string): void {
    mkdirSync(this.rejectedDir, { recursive: true });
    renameSync(join(this.dir, file), join(this.rejectedDir, file));
    writeAtomic(join(this.rejectedDir, file.replace(/\.json$/, '.reason.txt')), reason + '\n');
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
    let files = this.files();
    let size = files.reduce((s, f) => s + statSync(join(this.dir, f)).size, 0);
    while (size > maxBytes && files.length) {
      const oldest = files.shift()!;
      size -= statSync(join(this.dir, oldest)).size;
      this.remove(oldest);
      dropped.push(`${oldest} (spool over ${(maxBytes / 1e6).toFixed(1)} MB)`);
    }
    return dropped;
  }

  get exists(): boolean {
    return existsSync(this.dir);
  }
}
