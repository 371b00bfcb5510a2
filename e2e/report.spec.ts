import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { artifact, fmt, setChecked, sql } from './helpers';

async function openDialog(page: Page) {
  await page.goto(process.env.PUMPDECK_URL!);
  await page.getByRole('button', { name: 'Report…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Report' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Report from')).not.toHaveValue('');
  return dialog;
}

test('the report dialog previews the report with the KPIs SQL computes', async ({ page }) => {
  const dialog = await openDialog(page);
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByTestId('report-preview');
  const [d] = await sql<{ kwh: number; m3: number }>(
    `SELECT sum(total_kwh) AS kwh, sum(total_flow) AS m3 FROM daily_summary`,
  );
  await expect(preview.getByRole('heading', { level: 1 })).toContainText('Station report: Demo booster station');
  await expect(preview.locator('tr', { hasText: 'Energy per m³' }).first()).toContainText(
    `${fmt(d.kwh / d.m3, 4)} kWh/m³`,
  );
  await expect(preview.getByRole('img', { name: 'Tank level HLT101 (hourly mean)' })).toBeVisible();
  await artifact(page, 'report-dialog');
});

test('a PDF made from the dialog downloads and opens', async ({ page }, info) => {
  const dialog = await openDialog(page);
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Build and download' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^station-report-2025-03-01-2025-03-10\.pdf$/);
  const path = join(info.outputDir, download.suggestedFilename());
  await download.saveAs(path);
  expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
  const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
  expect(text).toContain('Demo booster station');
  expect(text).toMatch(/Page 1 of \d+/);
  await expect(dialog.getByRole('status')).toContainText('station-report-2025-03-01-2025-03-10.pdf');
});

test('Markdown with its charts downloads as a zip whose image links resolve', async ({ page }, info) => {
  const dialog = await openDialog(page);
  await setChecked(dialog.getByLabel('Markdown with PNG charts (zip)'), true);
  await setChecked(dialog.getByLabel('Alerts'), false);
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Build and download' }).click();
  const download = await downloading;
  const path = join(info.outputDir, download.suggestedFilename());
  await download.saveAs(path);
  const files = unzipSync(readFileSync(path));
  const md = Buffer.from(files['report.md']).toString('utf8');
  const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  expect(links.length).toBeGreaterThan(5);
  for (const link of links) expect(files[link], link).toBeDefined();
  expect(md).not.toContain('## Alerts');
});
