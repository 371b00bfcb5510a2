import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { StationDb } from '../src-main/db/stationDb';
import { artifact, fmt } from './helpers';
import { pumpdeck, startServe } from './serve';

// Importing changes the data, so this file has its own server and database.
let dir: string;
let server: { url: string; process: ChildProcess };
const db = () => join(dir, 'station.duckdb');

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pumpdeck-e2e-import-'));
  pumpdeck(['demo', '--out', join(dir, 'march'), '--days', '10', '--seed', '8']);
  pumpdeck([
    'ingest',
    '--db',
    db(),
    '--historian',
    join(dir, 'march/historian.csv'),
    '--station',
    join(dir, 'march/station.json'),
  ]);
  // The next ten days, exported by FactoryTalk with its tag table.
  pumpdeck([
    'demo',
    '--out',
    join(dir, 'next'),
    '--days',
    '10',
    '--seed',
    '8',
    '--start',
    '2025-03-11',
    '--format',
    'factorytalk',
  ]);
  server = await startServe(['--db', db()], { PUMPDECK_HOME: dir });
});

test.afterAll(async () => {
  if (server && server.process.exitCode === null) {
    server.process.kill('SIGTERM');
    await new Promise((resolve) => server.process.once('exit', resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

test('import a FactoryTalk export with its tag table through the Import page, then see it in Analytics', async ({
  page,
}) => {
  await page.goto(`${server.url}#/import`);
  await page
    .getByTestId('file-input')
    .setInputFiles([join(dir, 'next/historian_factorytalk.csv'), join(dir, 'next/tags.csv')]);

  const historian = page.getByRole('region', { name: 'historian_factorytalk.csv' });
  await expect(historian.getByTestId('detected-kind')).toContainText('RSView32 / FactoryTalk layout');
  await expect(historian.getByRole('table', { name: /Preview of/ })).toContainText('3/11/2025');
  await expect(page.getByRole('region', { name: 'tags.csv' }).getByTestId('detected-kind')).toContainText('Tag table');
  await expect(historian.getByRole('combobox').first()).toHaveValue(/upload:/); // the tag table is paired
  await artifact(page, 'import-preview');

  await historian.getByRole('button', { name: 'Import' }).click();
  const summary = historian.getByTestId('import-summary');
  await expect(summary).toContainText(
    '10 days of 1-minute rows, 2025-03-11 00:00:00 .. 2025-03-20 23:59:00 (14400 rows new, 0 already present)',
  );
  await expect(summary).toContainText('samples were dropped: 10 by Status E (communication error)');
  await expect(historian.getByTestId('date-order-used')).toHaveText('Dates read as month/day/year');
  // The progress the page showed, step by step, as the main side reported it.
  await expect(historian.getByTestId('import-steps')).toHaveText(
    /^Steps: reading → .*deriving → building pump_sessions → building alerts_log → .*done$/,
  );
  await artifact(page, 'import-summary');

  await page.goto(`${server.url.split('?')[0]}#/analytics`);
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await expect(page.getByTestId('trend-range')).toContainText('2025-03-01 00:00 → 2025-03-20 23:59');
  await expect(page.locator('.trend-charts')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('stats-[PLC]HLT101.OUTPUT').getByTestId('max')).not.toHaveText('—');
  await expect(page.getByTestId('day-2025-03-15')).toBeVisible();
  const shownMax = await page.getByTestId('stats-[PLC]HLT101.OUTPUT').getByTestId('max').textContent();
  const shownDay = await page.getByTestId('day-2025-03-15').getByTestId('kwh').textContent();

  // Stop the server (it holds the file) and check what the page showed against SQL.
  server.process.kill('SIGTERM');
  await new Promise((resolve) => server.process.once('exit', resolve));
  const station = await StationDb.open(db(), { readOnly: true });
  const [row] = await station.all<{ max: number; kwh: number; minutes: number }>(
    `SELECT max("[PLC]HLT101.OUTPUT") AS max, (SELECT total_kwh FROM daily_summary WHERE date = '2025-03-15') AS kwh, count(*) AS minutes FROM readings_wide`,
  );
  station.close();
  expect(row.minutes).toBe(20 * 1440);
  expect(shownMax).toBe(fmt(row.max, 2));
  expect(shownDay).toBe(fmt(row.kwh, 1));
});
