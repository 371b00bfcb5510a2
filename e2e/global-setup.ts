import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pumpdeck, startServe } from './serve';

/**
 * Builds a demo station into a temp database with the real CLI, keeps a copy for SQL checks (the
 * served file is locked by its server), and starts `pumpdeck serve` on it.
 */
export default async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'pumpdeck-e2e-'));
  const demo = join(dir, 'demo');
  pumpdeck(['demo', '--out', demo, '--days', '10', '--seed', '5']);
  // One real fault for the Alerts page: P1 (running from the first minute) trips from 00:03 to 00:12.
  const historian = join(demo, 'historian.csv');
  const lines = readFileSync(historian, 'utf8').split('\n');
  writeFileSync(
    historian,
    lines
      .map((line) => (/^2025-03-01 00:(0[3-9]|1[0-2]):\d\d,[BS],9,/.test(line) ? line.replace(/,[^,]+$/, ',0') : line))
      .join('\n'),
  );
  const db = join(dir, 'station.duckdb');
  pumpdeck(['ingest', '--db', db, '--historian', historian, '--station', join(demo, 'station.json')]);
  pumpdeck(['ingest', '--db', db, '--baselines', join(demo, 'baselines.csv')]);
  pumpdeck(['ingest', '--db', db, '--maintenance', join(demo, 'maintenance.csv')]);
  for (const pump of ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'])
    pumpdeck(['ingest', '--db', db, '--wide', join(demo, 'operational', `${pump}.csv`), '--pump', pump]);
  const expected = join(dir, 'expected.duckdb');
  copyFileSync(db, expected);
  mkdirSync(join(dir, 'home'));
  const server = await startServe(['--db', db], { PUMPDECK_HOME: join(dir, 'home') });
  process.env.PUMPDECK_URL = server.url;
  process.env.PUMPDECK_EXPECTED_DB = expected;
  process.env.PUMPDECK_E2E_DIR = dir;
  return async () => {
    server.process.kill('SIGTERM');
    await new Promise((resolve) => server.process.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  };
}
