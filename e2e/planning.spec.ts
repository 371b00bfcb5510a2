import { expect, test } from '@playwright/test';
import { artifact, fmt, sql } from './helpers';

// Forecast & schedule (issue 20) on the 10-day demo: the forecast with its backtest, and the
// schedule for the last full day with what the station did, every figure from the database or
// from the page's own table.

test('forecast the next day, then optimize the last full day: Gantt, level band, savings against what the station did', async ({
  page,
}) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/planning`);
  await expect(page.getByRole('heading', { name: 'Forecast & schedule' })).toBeVisible();
  await page.getByRole('button', { name: 'Forecast', exact: true }).click();
  await expect(page.getByTestId('forecast-summary')).toContainText(
    'outflow demand from the tank from 2025-03-11 00:00:00',
  );
  await expect(page.getByTestId('forecast-summary')).toContainText(/Backtest over 2 daily origins: RMSE [\d.]+ m³\/h/);
  await expect(
    page.getByRole('img', { name: 'Forecast against actual' }).locator('[aria-label="line"]').first(),
  ).toBeVisible();
  await expect(page.getByRole('table', { name: 'Backtest' }).getByRole('row')).toHaveCount(5);
  // One model forecasts, marked in words; each row gives what it was chosen by and what scored it.
  const backtest = page.getByRole('table', { name: 'Backtest' });
  await expect(backtest.getByText('✓ forecasting')).toHaveCount(1);
  for (const row of await backtest.locator('tbody tr').all())
    await expect(row.locator('td').nth(1)).toHaveText(/^[\d,]+\.\d\d$/);
  // The level under the station's own control, forecast on its own series, with the actual beside it.
  await expect(page.getByTestId('forecast-level')).toContainText(
    /The level under the station's own control, by .+: backtest RMSE [\d.]+ % points against the seasonal-naive baseline's [\d.]+/,
  );
  await expect(
    page.getByRole('img', { name: 'Level forecast against actual' }).locator('[aria-label="line"]').first(),
  ).toBeVisible();
  // Ten days of data: a week against the three before it.
  await expect(page.getByTestId('drift-psi')).toContainText(
    /PSI [\d.]+ \((stable|a moderate shift|a significant shift)/,
  );
  await expect(
    page.getByRole('img', { name: 'Backtest RMSE over runs' }).locator('[aria-label="dot"] circle').first(),
  ).toBeVisible();

  await page.getByLabel('From').fill('2025-03-10T00:00');
  await page.getByRole('button', { name: 'Optimize schedule' }).click();
  await expect(page.getByRole('img', { name: 'Pump schedule' }).locator('[aria-label="bar"]')).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('img', { name: 'Level with its band' }).locator('[aria-label="line"]')).toBeVisible();
  // What the station did that day, from the database.
  const [did] = await sql<{ kwh: number }>(
    `SELECT sum(total_kw * coalesce(interval_min, 1)) / 60.0 AS kwh FROM readings_wide
     WHERE "Timestamp" >= '2025-03-10' AND "Timestamp" < '2025-03-11'`,
  );
  await expect(page.getByTestId('schedule-actual').locator('..')).toContainText(`${fmt(did.kwh, 0)} kWh`);
  await expect(page.getByTestId('schedule-savings')).toHaveText(/^-?[\d.]+$/);
  // The best possible (the demand known, pumps free to run part of an hour) bounds the savings.
  const savings = Number(await page.getByTestId('schedule-savings').textContent());
  const best = Number(await page.getByTestId('schedule-hindsight').textContent());
  expect(savings).toBeLessThanOrEqual(best);
  await expect(page.getByTestId('schedule-capture')).toHaveText(fmt((savings / best) * 100, 0));
  await expect(page.getByTestId('schedule-solved').locator('..')).toContainText(/s · within [\d.]+ %/);
  // Replayed as the station would have run it: a plan an hour, within the band.
  await expect(page.getByTestId('schedule-replay')).toContainText(
    /^Replayed closed loop \(24 plans, one an hour on the forecast known then.*\); level [\d.]+-[\d.]+ % within the band/,
  );
  // A replay ending emptier than the station did owes that water to the next day, in the savings.
  const replay = (await page.getByTestId('schedule-replay').textContent()) ?? '';
  const [, end, station] = replay.match(/ends at ([\d.]+) % \(the station: ([\d.]+) %\)/) ?? [];
  if (Number(end) < Number(station) - 0.1) expect(replay).toMatch(/the [\d,]+ m³ it leaves unpumped are charged/);
  await expect(page.getByTestId('schedule-replay')).toContainText(/Saved [\d.]+ % against what the station paid/);
  // The energy shown is the sum of the slots' kW over their hours.
  await page.getByText('Slots', { exact: true }).click();
  const kw = await page.getByRole('table', { name: 'Slots' }).locator('tbody tr td:nth-child(5)').allTextContents();
  expect(kw).toHaveLength(24);
  const sum = kw.reduce((a, v) => a + Number(v.replace(/,/g, '')), 0);
  const shown = Number((await page.getByTestId('schedule-kwh').textContent())?.replace(/,/g, ''));
  expect(Math.abs(sum - shown)).toBeLessThanOrEqual(24 * 0.05 + 1);
  await artifact(page, 'planning');
});
