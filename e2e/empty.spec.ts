import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startServe } from './serve';

// A new project with nothing imported (issue 18): the Overview says "no data", never "Stopped",
// "0 / 6" or "0.0 kWh" for what it does not know.

test('an empty project: the Overview says there is no data instead of zeros', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'pumpdeck-e2e-empty-'));
  const server = await startServe(['--db', join(dir, 'new.duckdb')], { PUMPDECK_HOME: join(dir, 'home') });
  try {
    await page.goto(`${server.url}#/overview`);
    await expect(page.getByText('No readings yet: import a historian export.')).toBeVisible();
    for (const id of ['energy-today', 'volume-today', 'energy-per-m3', 'tank-pct', 'flow-now', 'pumps-on'])
      await expect(page.getByTestId(id)).toHaveText('no data');
    await expect(page.getByTestId('pump-P1-state')).toHaveText('No data');
    await expect(page.getByTestId('pump-P1-kwh')).toHaveText('—');
    await expect(page.getByRole('meter', { name: 'Daily energy budget' })).toHaveCount(0);
  } finally {
    server.process.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
