// npm run bench:ingest [-- --days N] [-- --runs N]: a year of minute data (27 tags, ~14 M rows),
// ingested by PumpDeck (DuckDB, all six tables) and by a straightforward streaming papaparse pivot
// as the reference, each in a child process of this run so peak RSS is measured per method. Each
// method runs --runs times (3 by default, alternating); the median run is printed.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { ensureSchema } from '../../src-main/db/schema';
import { StationDb } from '../../src-main/db/stationDb';
import { createDemo } from '../../src-main/demo/createDemo';
import { importHistorian } from '../../src-main/ingest/historianImport';
import { readStationFile } from '../../src-main/ingest/stationConfig';

const [mode, file, out] = process.argv.slice(2);

async function pumpdeck(path: string, dbPath: string) {
  const db = await StationDb.open(dbPath);
  await ensureSchema(db);
  const started = performance.now();
  const summary = await importHistorian(db, path, { station: await readStationFile(join(path, '..', 'station.json')) });
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { seconds, rows: summary.rowsRead, minutes: summary.minutes, timings: summary.timings };
}

/** The reference: papaparse streaming, markers B/S, minute floor, last value wins, one row per minute. */
function reference(path: string) {
  return new Promise<{ seconds: number; rows: number; minutes: number }>((resolve, reject) => {
    const started = performance.now();
    const minutes = new Map<number, { values: Float64Array; times: Float64Array }>();
    let rows = 0;
    Papa.parse<string[]>(createReadStream(path), {
      header: false,
      skipEmptyLines: true,
      chunk: (results) => {
        for (const r of results.data) {
          if (rows++ === 0 && r[0] === 'Timestamp') continue;
          if (r[1] !== 'B' && r[1] !== 'S') continue;
          const t = Date.parse(`${r[0].replace(' ', 'T')}Z`);
          const minute = Math.floor(t / 60000);
          let slot = minutes.get(minute);
          if (!slot) {
            slot = { values: new Float64Array(27).fill(NaN), times: new Float64Array(27).fill(-Infinity) };
            minutes.set(minute, slot);
          }
          const tag = Number(r[2]);
          if (t >= slot.times[tag]) {
            slot.times[tag] = t;
            slot.values[tag] = Number(r[3]);
          }
        }
      },
      complete: () => resolve({ seconds: (performance.now() - started) / 1000, rows: rows - 1, minutes: minutes.size }),
      error: reject,
    });
  });
}

if (mode === 'pumpdeck' || mode === 'reference') {
  const result = mode === 'pumpdeck' ? await pumpdeck(file, out) : await reference(file);
  console.log(JSON.stringify({ ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
} else {
  const option = (name: string, fallback: number) =>
    process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
  const days = option('--days', 365);
  const runs = Math.max(1, option('--runs', 3));
  const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'pumpdeck-bench-'));
  const historian = join(dir, `year-${days}`, 'historian.csv');
  if (!existsSync(historian)) {
    console.log(`generating ${days} days of minute data ...`);
    await createDemo({ out: join(dir, `year-${days}`), days, seed: 2 });
  }
  const mb = statSync(historian).size / 1e6;
  const self = fileURLToPath(import.meta.url);
  const run = (which: string) => {
    const db = join(dir, `bench-${Date.now()}.duckdb`);
    const child = spawnSync(process.execPath, ['--expose-gc', self, which, historian, db], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
    if (child.status !== 0) throw new Error(`${which} failed:\n${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!);
  };
  type Result = { seconds: number; rows: number; minutes: number; peakRssMb: number; timings?: Record<string, number> };
  const results: Record<string, Result[]> = { pumpdeck: [], reference: [] };
  for (let i = 0; i < runs; i++) for (const which of ['pumpdeck', 'reference']) results[which].push(run(which));
  const median = (list: Result[]) => [...list].sort((a, b) => a.seconds - b.seconds)[Math.floor(list.length / 2)];
  const ours = median(results.pumpdeck);
  const ref = median(results.reference);
  const spread = (list: Result[]) => list.map((r) => r.seconds.toFixed(2)).join(', ');
  const line = (name: string, r: Result) =>
    `${name.padEnd(34)} ${r.seconds.toFixed(2).padStart(7)} s  ${(r.rows / r.seconds / 1e6).toFixed(2).padStart(6)} M rows/s  peak RSS ${r.peakRssMb.toFixed(0).padStart(5)} MB  ${r.minutes} minutes`;
  console.log(
    `\ningest of ${days} days, 27 tags: ${ours.rows.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB (${historian})`,
  );
  console.log(line('PumpDeck (DuckDB, all six tables)', ours));
  console.log(line('reference (papaparse pivot only)', ref));
  console.log(
    `speed-up over the reference: ${(ref.seconds / ours.seconds).toFixed(2)}x (median of ${runs} runs each; PumpDeck ${spread(results.pumpdeck)} s, reference ${spread(results.reference)} s; highest PumpDeck peak RSS ${Math.max(...results.pumpdeck.map((r) => r.peakRssMb)).toFixed(0)} MB)`,
  );
  console.log(
    `PumpDeck phases (s): ${Object.entries(ours.timings ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  if (!process.env.BENCH_DIR) rmSync(dir, { recursive: true, force: true });
}
