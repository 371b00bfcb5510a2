import { expect, test } from '@playwright/test';
import { artifact, fmt, sql } from './helpers';

const LEVEL = '[PLC]HLT101.OUTPUT';
const FLOW = '[PLC]FIT101_HR.PER_HR';

test.beforeEach(async ({ page }) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/analytics`);
  await expect(page.getByRole('heading', { name: 'Analytics' })).toBeVisible();
});

test('the whole range: min and max of the drawn (M4) series equal SQL over all minutes', async ({ page }) => {
  await page.getByRole('button', { name: 'All', exact: true }).click();
  const [row] = await sql<{ lmin: number; lmax: number; fmin: number; fmax: number; first: string; last: string }>(
    `SELECT min("${LEVEL}") lmin, max("${LEVEL}") lmax, min("${FLOW}") fmin, max("${FLOW}") fmax,
            strftime(min("Timestamp"), '%Y-%m-%d %H:%M') AS first, strftime(max("Timestamp"), '%Y-%m-%d %H:%M') AS last FROM readings_wide`,
  );
  await expect(page.getByTestId('trend-range')).toContainText(`${row.first} → ${row.last}`);
  const level = page.getByTestId(`stats-${LEVEL}`);
  await expect(level.getByTestId('min')).toHaveText(fmt(row.lmin, 2));
  await expect(level.getByTestId('max')).toHaveText(fmt(row.lmax, 2));
  await expect(page.getByTestId(`stats-${FLOW}`).getByTestId('max')).toHaveText(fmt(row.fmax, 2));
  await artifact(page, 'analytics');
});

test('daily_summary figures in the table equal SQL', async ({ page }) => {
  const days = await sql<{ d: string; kwh: number; m3: number; e: number; starts: number }>(
    `SELECT strftime(date, '%Y-%m-%d') d, total_kwh kwh, total_flow m3, energy_per_m3 e, P1_starts + P2_starts + P3_starts + P4_starts + P5_starts + P6_starts AS starts
     FROM daily_summary ORDER BY date DESC LIMIT 3`,
  );
  for (const day of days) {
    const row = page.getByTestId(`day-${day.d}`);
    await expect(row.getByTestId('kwh')).toHaveText(fmt(day.kwh, 1));
    await expect(row.getByTestId('m3')).toHaveText(fmt(day.m3, 1));
    await expect(row.getByTestId('kwh-per-m3')).toHaveText(fmt(day.e, 3));
    await expect(row.getByTestId('starts')).toHaveText(String(day.starts));
  }
});

test('drag to zoom narrows the range, pan moves it, another signal can be added', async ({ page }) => {
  const label = page.getByTestId('trend-range');
  await expect(label).toContainText('→');
  await expect(page.locator('.trend-charts')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('stats-[PLC]HLT101.OUTPUT').getByTestId('max')).not.toHaveText('—');
  const before = await label.textContent();
  // hover() waits until the chart is visible and stable, so the drag never lands mid-redraw.
  const chart = page.getByRole('img', { name: LEVEL }).locator('svg');
  const width = await chart.evaluate((el) => el.getBoundingClientRect().width);
  await chart.hover({ position: { x: width * 0.4, y: 60 } });
  await page.mouse.down();
  await chart.hover({ position: { x: width * 0.5, y: 60 } });
  await chart.hover({ position: { x: width * 0.6, y: 60 } });
  await page.mouse.up();
  await expect(label).not.toHaveText(before!);
  const zoomed = (await label.textContent())!;
  const [from, to] = zoomed
    .split(' (')[0] // then the time zone
    .split(' → ')
    .map((t) => new Date(t.replace(' ', 'T')).getTime());
  expect(to - from).toBeLessThan(3 * 86400_000); // a fifth of 7 days, about 1.4 days
  await page.getByRole('button', { name: 'Pan back' }).click();
  await expect(label).not.toHaveText(zoomed);
  await page.getByRole('checkbox', { name: 'pumps_on_count' }).check();
  await expect(page.getByRole('img', { name: 'pumps_on_count' })).toBeVisible();
});
