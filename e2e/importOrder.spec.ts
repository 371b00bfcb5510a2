import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { StationDb } from '../src-main/db/stationDb';
import { artifact, fmt } from './helpers';
import { pumpdeck, startServe } from './serve';

// The order files are dropped in must not change the result (issue 18): a historian read before
// its station.json takes the tank's limits from the data and raises false alarms. "Import all"
// imports the station file first; a station file imported later recomputes every table, and the
// page says the earlier counts are stale.

test('Import all takes station.json first whatever the order; a queued file can be removed; later station imports say what they recomputed', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'pumpdeck-e2e-order-'));
  pumpdeck(['demo', '--out', join(dir, 'demo'), '--days', '3', '--seed', '5']);
  // What the CLI gives with the station file: the alerts the page must match.
  const reference = join(dir, 'reference.duckdb');
  pumpdeck([
    'ingest',
    '--db',
    reference,
    '--historian',
    join(dir, 'demo/historian.csv'),
    '--station',
    join(dir, 'demo/station.json'),
  ]);
  const ref = await StationDb.open(reference, { readOnly: true });
  const alerts = (await ref.single<{ n: number }>('SELECT count(*)::INTEGER AS n FROM alerts_log')).n;
  ref.close();

  const server = await startServe(['--db', join(dir, 'new.duckdb')], { PUMPDECK_HOME: join(dir, 'home') });
  try {
    await page.goto(`${server.url}#/import`);
    // The historian first, the station file last, and a file dropped by mistake.
    await page
      .getByTestId('file-input')
      .setInputFiles([
        join(dir, 'demo/historian.csv'),
        join(dir, 'demo/maintenance.csv'),
        join(dir, 'demo/station.json'),
      ]);
    const historian = page.getByRole('region', { name: 'historian.csv' });
    const station = page.getByRole('region', { name: 'station.json' });
    await expect(historian.getByTestId('detected-kind')).toContainText(/Historian export .* MB/);
    await expect(station.getByTestId('detected-kind')).toContainText(/station\.json\) · 252 B$/);
    await page.getByRole('button', { name: 'Remove maintenance.csv from the list' }).click();
    await expect(page.getByRole('region', { name: 'maintenance.csv' })).toHaveCount(0);

    await page.getByTestId('import-all').click();
    await expect(historian.getByTestId('import-summary')).toContainText('3 days of 1-minute rows');
    await expect(station.getByTestId('import-summary')).toContainText('station model from station.json');
    await expect(historian.getByTestId('date-order-used')).toHaveText(/^Dates read as written: year first/);
    // Read with the station's limits: the CLI's alerts, not the data-derived tank's false D-03s.
    await expect(historian.getByTestId('import-summary')).toContainText(`alerts_log ${fmt(alerts)}`);
    await expect(historian.getByTestId('recomputed')).toHaveCount(0); // station.json came first
    await expect(page.getByTestId('import-all')).toHaveCount(0); // nothing left queued

    // The station file again, after the data: the historian's counts are marked as before it.
    await station.getByRole('button', { name: 'Import again' }).click();
    await expect(historian.getByTestId('recomputed')).toContainText(
      `A station model imported after this file recomputed every table: readings_wide ${fmt(4320)}`,
    );
    await expect(historian.getByTestId('recomputed')).toContainText(`alerts_log ${fmt(alerts)}`);
    await artifact(page, 'import-all');
  } finally {
    server.process.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
