import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StationDb } from '../src-main/db/stationDb';
import { formatTimestamp } from '../src-shared/time';
import { REPO, tempDir } from './helpers';

// `pumpdeck ingest --watch DIR`, as a historian PC's export folder is watched: a file written
// after the watch started is imported once, a file appended to is imported again for its new
// minutes, a bad file is reported and the others go on.

const dir = tempDir();

/** Seed-layout minutes of the level tag from `from` (ms) for `count` minutes. */
function minutes(from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `${formatTimestamp(from + i * 60_000)},,2,${300 + i / 10}`).join('\n');
}

describe('ingest --watch', () => {
  it('imports a new file and a grown one, each once; a bad file is reported and skipped', async () => {
    const folder = join(dir, 'exports');
    mkdirSync(folder);
    const db = join(dir, 'watched.duckdb');
    const child = spawn(
      join(REPO, 'bin/pumpdeck'),
      ['ingest', '--db', db, '--watch', folder, '--every', '1', '--json'],
      {
        env: { ...process.env, PUMPDECK_HOME: dir },
      },
    );
    const passes: Array<{
      imported: Array<{ file: string; summary: { minutes: number } }>;
      failed: Array<{ file: string; error: string }>;
    }> = [];
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) passes.push(JSON.parse(line));
    });
    const until = async (check: () => boolean, what: string) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
      if (!check()) throw new Error(`timed out waiting for ${what}`);
    };
    const imported = () => passes.flatMap((p) => p.imported);
    const failed = () => passes.flatMap((p) => p.failed);
    const t0 = Date.UTC(2025, 2, 3);
    try {
      const a = join(folder, 'day1.csv');
      writeFileSync(a, `Timestamp,Marker,TagIndex,Value\n${minutes(t0, 60)}\n`);
      await until(() => imported().length === 1, 'day1.csv');
      writeFileSync(join(folder, 'broken.csv'), 'Timestamp,Marker,TagIndex,Value\n2025-03-03 02:00:00,,2,abc\n');
      appendFileSync(a, `${minutes(t0 + 60 * 60_000, 30)}\n`);
      await until(() => imported().length === 2 && failed().length === 1, 'the grown day1.csv and broken.csv');
      // Two more polls: nothing is imported again.
      await new Promise((r) => setTimeout(r, 2500));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(imported().map((i) => [i.file, i.summary.minutes])).toEqual([
      ['day1.csv', 60],
      ['day1.csv', 90],
    ]);
    expect(failed()).toEqual([
      { file: 'broken.csv', error: expect.stringMatching(/^broken\.csv: line 2: field Value: cannot read 'abc'/) },
    ]);
    const check = await StationDb.open(db, { readOnly: true });
    expect(await check.all(`SELECT count(*) AS n FROM readings_wide`)).toEqual([{ n: 90 }]);
    expect(await check.all(`SELECT count(*) AS n FROM import_log`)).toEqual([{ n: 2 }]);
    expect(await check.all(`SELECT value->>'dir' AS dir FROM project_meta WHERE key = 'watch'`)).toEqual([
      { dir: folder },
    ]);
    check.close();
  }, 60_000);
});
