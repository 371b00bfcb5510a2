// npm run bench:edge: the bundled runner from a real pump artifact (RUL model and anomaly
// detector inside) as a site runs it (a new `node runner.mjs --once` process per cycle), reporting
// to the sink on loopback, with 8, 90 and 365 days of minute data on site: the first run (which
// reads it all) and the hourly cycles after it (which read the new hour), wall time and the
// runner's peak RSS, next to an empty Node process started the same way (the floor any runner pays).
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StationDb } from '../../src-main/db/stationDb';
import { writeRunToFailure } from '../../src-main/demo/runToFailure';
import { generateSigningKey, packageArtifact } from '../../src-main/edge/packageArtifact';
import { unpackArtifact } from '../../src-main/edge/unpackArtifact';
import { importBaselines } from '../../src-main/ingest/baselines';
import { importWideCsv } from '../../src-main/ingest/pumpOperational';
import { importMaintenance } from '../../src-main/models/maintenanceLog';
import { promoteModel, saveModel } from '../../src-main/models/registry';
import { trainModel } from '../../src-main/models/train';
import { openProject } from '../../src-main/project';
import { startDuckSink } from '../../src-main/sink/sinkServer';
import { formatTimestamp, parseTimestamp } from '../../src-shared/time';

const dir = mkdtempSync(join(tmpdir(), 'pumpdeck-bench-edge-'));
const files = await writeRunToFailure({ out: join(dir, 'well'), days: 120, cycleDays: 30 });
const project = await openProject(join(dir, 'station.duckdb'));
await importBaselines(project.db, files.baselines);
await importWideCsv(project.db, files.operational, 'Well 1');
await importMaintenance(project.db, files.maintenance);
const model = await saveModel(project.db, await trainModel(project.db, { pump: 'Well 1', kind: 'rul' }), new Date());
await promoteModel(project.db, 'Well 1', 'rul', model.version, new Date());
const sinkDb = await StationDb.open(join(dir, 'sink.duckdb'));
const sink = await startDuckSink({ db: sinkDb, token: 'bench', port: 0 });
const key = join(dir, 'signing.key');
await generateSigningKey(key);
const zip = join(dir, 'well1.zip');
const built = await packageArtifact(project.db, {
  pump: 'Well 1',
  out: zip,
  keyPath: key,
  apiUrl: sink.url,
  retries: 0,
});
const site = unpackArtifact(zip, join(dir, 'site'));

// The site's minute data, drifting out of its band in its last day so the runner has work to report.
const HEADER = 'Timestamp,Flow (gpm),Discharge Pressure (psi),Motor Power (hp),Pump Efficiency (%)';
const start = parseTimestamp('2025-05-01 00:00');
function minutes(from: number, to: number, driftFrom: number): string {
  const lines: string[] = [];
  for (let m = from; m < to; m += 1) {
    const late = m > driftFrom ? 0.85 : 1;
    const flow = (253 * late * (1 + 0.004 * Math.sin(m))).toFixed(2);
    lines.push(`${formatTimestamp(start + m * 60_000)},${flow},75.3,20.0,60.0`);
  }
  return `${lines.join('\n')}\n`;
}

// The flags the artifact's systemd unit and cron line start node with.
const NODE_FLAGS = ['--max-semi-space-size=1', '--lite-mode'];

function run(args: string[], env: Record<string, string> = {}): Promise<{ ms: number; out: string }> {
  const t = performance.now();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, ANOMALY_API_TOKEN: 'bench', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve({ ms: performance.now() - t, out }) : reject(new Error(`runner exited ${code}: ${err}`)),
    ),
  );
}

/** One `--once` cycle over `input` with its state in `data`: wall time and the runner's peak RSS. */
async function cycle(input: string, data: string): Promise<{ ms: number; rss: number; bytes: number }> {
  const config = join(site, 'config/deployment_config.json');
  const { ms, out } = await run(
    [...NODE_FLAGS, join(site, 'runner.mjs'), '--config', config, '--once', '--input', input],
    {
      PUMPDECK_DATA_DIR: data,
    },
  );
  const line = JSON.parse(out.trim().split('\n').pop() as string);
  return { ms, rss: line.peakRssMb, bytes: line.read.bytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const empty = await run([
  '-e',
  'console.log(JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }))',
]);
const emptyRss = JSON.parse(empty.out).peakRssMb;
console.log(
  `artifact ${(built.bytes / 1024).toFixed(0)} KB (${built.models.join(', ')}); minute data; each cycle a new process`,
);
console.log('history on site   first run (reads it all)        hourly cycle after it (median of 5)   read per cycle');
for (const days of [8, 90, 365]) {
  const input = join(dir, `site-${days}.csv`);
  const data = join(dir, `data-${days}`);
  const total = days * 1440;
  writeFileSync(input, `${HEADER}\n${minutes(0, total, total - 1440)}`);
  const first = await cycle(input, data);
  const hourly: Array<{ ms: number; rss: number; bytes: number }> = [];
  for (let h = 0; h < 5; h += 1) {
    appendFileSync(input, minutes(total + h * 60, total + (h + 1) * 60, 0));
    hourly.push(await cycle(input, data));
  }
  console.log(
    `${String(days).padStart(4)} days      ${first.ms.toFixed(0).padStart(6)} ms  peak RSS ${String(first.rss).padStart(4)} MB` +
      `       ${median(hourly.map((c) => c.ms))
        .toFixed(0)
        .padStart(6)} ms  peak RSS ${String(Math.max(...hourly.map((c) => c.rss))).padStart(4)} MB` +
      `        ${(median(hourly.map((c) => c.bytes)) / 1024).toFixed(1)} KB`,
  );
}
console.log(`reference: an empty node process   ${empty.ms.toFixed(0)} ms  peak RSS ${emptyRss} MB`);
await sink.close();
sinkDb.close();
project.db.close();
rmSync(dir, { recursive: true, force: true });
