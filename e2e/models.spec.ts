import { expect, test } from '@playwright/test';
import { artifact } from './helpers';

// The Models page on the demo station: P4 wears and fails at the end of the export.
test('train a RUL model from the Models page, see its metrics and charts, promote it, see RUL on Overview', async ({
  page,
}) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/models`);
  await expect(page.getByRole('heading', { name: 'Models', exact: true })).toBeVisible();
  await page.getByLabel('Pump').selectOption('P4');
  await expect(page.getByRole('table', { name: 'Maintenance log' })).toContainText('failure');
  await page.getByRole('button', { name: 'Train' }).click();
  const row = page.getByTestId('model-rul-v1');
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row.getByTestId('stage')).toHaveText('candidate');
  await expect(row).toContainText(/MAE [\d.]+ d · RMSE [\d.]+ d · R² -?[\d.]+/);

  await row.getByRole('button', { name: 'Details' }).click();
  const metrics = page.getByTestId('model-metrics');
  const mae = await metrics.getByTestId('metric-mae').textContent();
  await expect(row).toContainText(`MAE ${mae} d`);
  await expect(page.getByRole('img', { name: 'Predicted against actual on the holdout' }).locator('svg')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Feature importance' }).locator('svg')).toBeVisible();

  await row.getByRole('button', { name: 'Promote' }).click();
  await expect(page.getByTestId('promotion')).toContainText('no production rul model yet: v1');
  await expect(row.getByTestId('stage')).toHaveText('production');
  await expect(page.getByRole('img', { name: 'Anomaly score with detected spans' }).locator('svg')).toBeVisible();
  await artifact(page, 'models');

  await page.goto(`${process.env.PUMPDECK_URL!}#/overview`);
  await expect(page.getByTestId('pump-P4-rul')).toHaveText(/^[\d.]+ d$/);
});
