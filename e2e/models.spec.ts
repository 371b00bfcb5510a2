import { expect, test } from '@playwright/test';
import { artifact, setChecked } from './helpers';

// The Models page on the demo station: P4 wears and fails at the end of the export.
test('train a RUL model from the Models page, see its metrics and charts, promote it, see RUL on Overview', async ({
  page,
}) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/models`);
  await expect(page.getByRole('heading', { name: 'Models', exact: true })).toBeVisible();
  await page.getByLabel('Pump').selectOption('P4');
  await expect(page.getByRole('table', { name: /^Maintenance log of / })).toContainText('failure');
  await page.getByRole('button', { name: 'Train' }).click();
  const row = page.getByTestId('model-rul-v1');
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row.getByTestId('stage')).toHaveText('candidate');
  await expect(row).toContainText(/MAE [\d.]+ d · RMSE [\d.]+ d · R² -?[\d.]+ · naive RMSE [\d.]+/);

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
  await expect(page.getByTestId('pump-P4-rul')).toHaveText(/^[\d.]+ d /);
  // The prediction carries its model's holdout quality.
  await expect(page.getByTestId('pump-P4-rul-quality')).toHaveText(
    /^RMSE [\d.]+ d, vs naive [\d.]+ d, 1 failure learned$/,
  );
});

test('a model that does not beat its naive baseline cannot be promoted, and the export wizard warns before packaging it', async ({
  page,
}) => {
  // P4 fails once, at the end: its last week is all "about to fail", so on the holdout (its last
  // two days) "always about to fail" is perfect and no risk model can beat it.
  await page.goto(`${process.env.PUMPDECK_URL!}#/models`);
  await page.getByLabel('Pump').selectOption('P4');
  await page.getByLabel('Model kind').selectOption('risk');
  await page.getByRole('button', { name: 'Train' }).click();
  const row = page.getByTestId('model-risk-v1');
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText(/F1 [\d.]+ · naive F1 1\.000/);
  await expect(row.getByTestId('not-promotable')).toHaveText('worse than naive');
  await expect(row.getByRole('button', { name: 'Promote' })).toBeDisabled();

  await page.goto(`${process.env.PUMPDECK_URL!}#/edge`);
  await page.getByLabel('Target').selectOption('P4');
  await page.getByLabel('risk model').selectOption('1');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('weak-model')).toContainText('risk v1 does not beat its naive baseline on its holdout');
  await page.getByRole('button', { name: 'Next' }).click();
  const build = page.getByRole('button', { name: 'Build and download' });
  await expect(build).toBeDisabled();
  await setChecked(page.getByLabel('Package risk v1 anyway'), true);
  await expect(build).toBeEnabled();
  await artifact(page, 'edge-weak-model');
});
