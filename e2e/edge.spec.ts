import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { startSinkProcess } from '../scripts/startPumpdeck';
import { unpackArtifact } from '../src-main/edge/unpackArtifact';
import { artifact } from './helpers';

// The export wizard builds an artifact from the UI; the bundled runner from that artifact reports
// to a real sink; the Anomalies page lists what it sent.

const TOKEN = 'e2e-sink-token';
let sink: ChildProcess;
let sinkUrl = '';
let zipPath = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const dir = process.env.PUMPDECK_E2E_DIR!;
  ({ url: sinkUrl, process: sink } = await startSinkProcess(['--db', join(dir, 'sink.duckdb'), '--token', TOKEN]));
});

test.afterAll(() => {
  sink.kill('SIGTERM');
});

test('the export wizard builds a signed artifact for a pump and it downloads', async ({ page }, info) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/edge`);
  await expect(page.getByRole('heading', { name: 'Edge export' })).toBeVisible();
  await page.getByLabel('Target').selectOption('P4');
  await page.getByRole('button', { name: 'Next' }).click();
  // Each field is checked where it is typed, in plain words; a bad value never reaches the review.
  const interval = page.getByLabel('Run every (s)');
  await interval.fill('-5');
  await expect(interval).toHaveAttribute('aria-invalid', 'true');
  await expect(interval).toHaveAccessibleDescription('at least 10');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.getByLabel('Anomaly API URL').fill('ftp://site');
  await expect(page.getByLabel('Anomaly API URL')).toHaveAccessibleDescription('expected an http:// or https:// URL');
  await page.getByLabel('Site id').fill('');
  await expect(page.getByLabel('Site id')).toHaveAccessibleDescription('a number is needed');
  await artifact(page, 'edge-wizard-validation');
  await interval.fill('3600');
  await expect(interval).not.toHaveAttribute('aria-invalid');
  await page.getByLabel('Anomaly API URL').fill(sinkUrl);
  await page.getByLabel('Site id').fill('4242');
  await page.getByLabel('Pump id at the API').fill('4');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('review')).toContainText(`${sinkUrl} · site 4242 · pump 4`);
  await page.getByRole('button', { name: 'Next' }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Build and download' }).click();
  const download = await downloading;
  zipPath = join(info.outputDir, download.suggestedFilename());
  await download.saveAs(zipPath);
  await expect(page.getByTestId('built')).toContainText(/signed with key [0-9a-f]{16}/);
  const files = unzipSync(readFileSync(zipPath));
  expect(Object.keys(files)).toEqual(
    expect.arrayContaining([
      'manifest.json',
      'manifest.sig',
      'runner.mjs',
      'config/deployment_config.json',
      'README.md',
    ]),
  );
  const config = JSON.parse(Buffer.from(files['config/deployment_config.json']).toString());
  expect(config).toMatchObject({ kind: 'pump', pump: 'P4', api: { url: sinkUrl }, site: { siteId: 4242, pumpId: 4 } });
  await artifact(page, 'edge-export');
});

test('the Anomalies page lists what the runner from that artifact sent', async ({ page }) => {
  const site = unpackArtifact(zipPath, join(process.env.PUMPDECK_E2E_DIR!, 'site'));
  // The site's export: P4's operational data with its flow down 20 %.
  const csv = readFileSync(join(process.env.PUMPDECK_E2E_DIR!, 'demo', 'operational', 'P4.csv'), 'utf8')
    .trim()
    .split('\n');
  const input = join(site, 'input.csv');
  writeFileSync(
    input,
    `${[
      csv[0],
      ...csv.slice(1).map((l) =>
        l
          .split(',')
          .map((v, i) => (i === 1 ? (Number(v) * 0.8).toFixed(1) : v))
          .join(','),
      ),
    ].join('\n')}\n`,
  );
  const code = await new Promise<number | null>((resolve) =>
    spawn(
      process.execPath,
      [join(site, 'runner.mjs'), '--config', join(site, 'config/deployment_config.json'), '--once', '--input', input],
      { env: { PATH: process.env.PATH, ANOMALY_API_TOKEN: TOKEN }, stdio: 'inherit' },
    ).on('close', resolve),
  );
  expect(code).toBe(0);
  const stored = (await (
    await fetch(`${sinkUrl}/edge/anomalies?pageSize=1000`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).json()) as { total: number; items: Array<{ description: string }> };
  expect(stored.total).toBeGreaterThan(0);

  await page.goto(`${process.env.PUMPDECK_URL!}#/anomalies`);
  // The API is a setting, saved once: queries carry no URL (issue 35).
  await page.getByLabel('API URL').fill(sinkUrl);
  await page.getByLabel('Bearer token').fill(TOKEN);
  await page.getByRole('button', { name: 'Save API' }).click();
  await expect(page.getByTestId('anomaly-api-state')).toHaveText(`${sinkUrl}, token saved`);
  await expect(page.getByLabel('Bearer token')).toHaveValue('');
  await page.getByLabel('Site id').fill('4242');
  await page.getByRole('button', { name: 'Query' }).click();
  await expect(page.getByTestId('anomaly-total')).toHaveText(String(stored.total));
  const rows = page.getByTestId('anomalies').locator('tbody tr');
  await expect(rows).toHaveCount(stored.total);
  for (const item of stored.items) await expect(page.getByTestId('anomalies')).toContainText(item.description);
  await expect(page.getByRole('img', { name: 'Anomalies per day by status' }).locator('svg')).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csvDownload = await downloading;
  const exported = readFileSync(await csvDownload.path(), 'utf8')
    .trim()
    .split('\n');
  expect(exported[0]).toBe(
    'id,sourceType,description,siteId,pumpId,sensorId,timestamp,logValue,additionalContext,metadata,createdAt',
  );
  expect(exported).toHaveLength(stored.total + 1);
  await artifact(page, 'anomalies');
});
