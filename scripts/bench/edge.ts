// npm run bench:edge: the bundled runner from a real pump artifact (RUL model and anomaly
// detector inside) on a week of minute data, as a site runs it (a new `node runner.mjs --once`
// process per cycle), reporting to the sink on loopback: wall time per cycle and the runner's
// peak RSS, next to an empty Node process started the same way (the floor any runner pays).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { startSink } from '../../src-main/sink/sinkServer';
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
const sink = await startSink({ db: sinkDb, token: 'bench', port: 0 });
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

// A week of minute data, drifting out of its band in the last day so the runner has work to report.
const input = join(dir, 'week.csv');
const start = parseTimestamp('2025-05-01 00:00');
const lines = ['Timestamp,Flow (gpm),Discharge Pressure (psi),Motor Power (hp),Pump Efficiency (%)'];
for (let m = 0; m < 7 * 1440; m += 1) {
  const late = m > 6 * 1440 ? 0.85 : 1;
  lines.push(
    [
      formatTimestamp(start + m * 60_000),
      (253 * late * (1 + 0.004 * Math.sin(m))).toFixed(2),
      '75.3',
      '20.0',
      '60.0',
    ].join(','),
  );
}
writeFileSync(input, `${lines.join('\n')}\n`);

// The flags the artifact's systemd unit and cron line start node with.
const NODE_FLAGS = ['--max-semi-space-size=1', '--lite-mode'];

function run(args: string[]): Promise<{ ms: number; out: string }> {
  const t = performance.now();
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ANOMALY_API_TOKEN: 'bench' } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('close', () => resolve({ ms: performance.now() - t, out })));
}

const cycles: Array<{ ms: number; rss: number }> = [];
for (let i = 0; i < 5; i += 1) {
  const { ms, out } = await run([
    ...NODE_FLAGS,
    join(site, 'runner.mjs'),
    '--config',
    join(site, 'config/deployment_config.json'),
    '--once',
    '--input',
    input,
  ]);
  const line = JSON.parse(out.trim().split('\n').pop()!);
  cycles.push({ ms, rss: line.peakRssMb });
}
const empty = await run([
  '-e',
  'console.log(JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }))',
]);
const emptyRss = JSON.parse(empty.out).peakRssMb;
const sorted = [...cycles].sort((a, b) => a.ms - b.ms);
await sink.close();
console.log(
  `artifact ${(built.bytes / 1024).toFixed(0)} KB (${built.models.join(', ')}); a week of minute data: ${7 * 1440} rows; `.replace(
    /; $/,
    '',
  ),
);
console.log(
  `runner cycle (new process, verify, read, check, model, detector, report)   median ${sorted[2].ms.toFixed(0)} ms   max ${sorted[4].ms.toFixed(0)} ms   peak RSS ${Math.max(...cycles.map((c) => c.rss))} MB`,
);
console.log(
  `reference: an empty node process                                         ${empty.ms.toFixed(0)} ms   peak RSS ${emptyRss} MB`,
);
sinkDb.close();
project.db.close();
rmSync(dir, { recursive: true, force: true });
