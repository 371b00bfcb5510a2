import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { startSinkProcess } from '../scripts/startPumpdeck';

// Issue 33: the Fleet page against a real sink with 50 sites, one of them silent: site tokens,
// heartbeats as the runners send them, a reader token in the console's settings.

const READER = 'e2e-fleet-reader-token-0123';
const siteToken = (site: number) => `e2e-fleet-site-${site}-token-0123`;
const SILENT = 13;
const FAILING = 31;
let sink: ChildProcess;
let sinkUrl = '';

test.beforeAll(async () => {
  const dir = process.env.PUMPDECK_E2E_DIR!;
  const tokens = Object.fromEntries([
    [READER, '*'],
    ...Array.from({ length: 50 }, (_, i) => [siteToken(i + 1), i + 1]),
  ]);
  writeFileSync(join(dir, 'fleet-tokens.json'), JSON.stringify(tokens));
  ({ url: sinkUrl, process: sink } = await startSinkProcess([
    '--db',
    join(dir, 'fleet.duckdb'),
    '--site-tokens',
    join(dir, 'fleet-tokens.json'),
  ]));
  const post = (site: number, path: string, body: unknown) =>
    fetch(`${sinkUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${siteToken(site)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => expect(r.ok).toBe(true));
  for (let site = 1; site <= 50; site += 1) {
    if (site === SILENT) continue;
    const failing = site === FAILING;
    await post(site, '/edge/heartbeat', {
      siteId: site,
      health: {
        ok: !failing,
        reason: failing ? 'API refuses the token (HTTP 401)' : null,
        spooled: failing ? 7 : 0,
        rejected: 0,
      },
    });
  }
  // Site 7 reports three values of one sensor over the last hours.
  for (let n = 0; n < 3; n += 1)
    await post(7, '/edge/anomalies', {
      sourceType: 'edge-runner',
      description: `flow low ${n}`,
      siteId: 7,
      pumpId: 2,
      sensorId: 5,
      timestamp: new Date(Date.now() - n * 3_600_000).toISOString(),
      logValue: 40 + n,
      additionalContext: { status: 'Warning' },
      metadata: { idempotencyKey: `fleet-7-${n}` },
    });
});

test.afterAll(() => {
  sink.kill('SIGTERM');
});

test('the Fleet page lists 50 sites, the silent one first, the failing one next; a site opens its anomalies', async ({
  page,
}) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/fleet`);
  await expect(page.getByRole('heading', { name: 'Fleet', exact: true })).toBeVisible();
  await page.getByLabel('API URL').fill(sinkUrl);
  await page.getByLabel('Bearer token').fill(READER);
  await page.getByRole('button', { name: 'Save API' }).click();
  const rows = page.getByTestId('fleet').locator('tbody tr');
  // After a long e2e run the first answer is sometimes "did not answer" (not reproduced alone;
  // noted in issue 33's follow-up): Refresh, as an operator would, until the sink's sites show.
  await expect(async () => {
    if ((await rows.count()) === 0) await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(rows).toHaveCount(50, { timeout: 5_000 });
  }).toPass({ timeout: 45_000 });
  await expect(rows.nth(0)).toContainText(`Site ${SILENT}`);
  await expect(rows.nth(0)).toContainText('silent');
  await expect(rows.nth(0)).toContainText('never');
  await expect(rows.nth(1)).toContainText(`Site ${FAILING}`);
  await expect(rows.nth(1)).toContainText('API refuses the token (HTTP 401)');
  await expect(page.getByTestId('fleet-silent')).toContainText('1');
  await expect(page.getByTestId('fleet-failing')).toContainText('1');
  await expect(page.getByTestId('fleet-ok')).toContainText('48');
  const open7 = page.getByRole('button', { name: 'Site 7', exact: true });
  await expect(rows.filter({ has: open7 }).locator('td').nth(6)).toHaveText('3');
  await open7.click();
  await expect(page.getByTestId('site-total')).toHaveText('3 anomalies');
  await expect(page.getByTestId('site-anomalies').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByRole('img', { name: 'Values reported by site 7' }).locator('svg').first()).toBeVisible();
  // The page full of sites is as accessible as the others (a11y.spec.ts sees it empty).
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
