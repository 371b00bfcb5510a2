import { expect, test } from '@playwright/test';
import { artifact, fmt, sql } from './helpers';

const PUMPS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'];

test.beforeEach(async ({ page }) => {
  await page.goto(process.env.PUMPDECK_URL!);
  await expect(page.getByTestId('energy-today')).not.toHaveText('—');
});

test('Overview shows the station as of its newest reading', async ({ page }) => {
  const [last] = await sql<{ last: string }>(
    `SELECT strftime(max("Timestamp"), '%Y-%m-%d %H:%M:%S') AS last FROM readings_wide`,
  );
  await expect(page.getByTestId('as-of')).toHaveText(last.last);
  await expect(page.getByTestId('station-name')).toHaveText(/Demo booster station/);
  await artifact(page, 'overview-light');
});

test('Overview numbers equal a SQL query of the same database', async ({ page }) => {
  const day = (await page.getByTestId('day').textContent())!;
  for (const pump of PUMPS) {
    const [row] = await sql<{ hours: number; kwh: number }>(
      `SELECT count(*) FILTER (WHERE "[PLC]${pump}.ONOFF" = 1) / 60.0 AS hours, sum("[PLC]${pump}KWH_HR.PER_HR") / 60.0 AS kwh
       FROM readings_wide WHERE "Timestamp"::DATE = ?::DATE`,
      [day],
    );
    await expect(page.getByTestId(`pump-${pump}-hours`)).toHaveText(fmt(row.hours, 2));
    await expect(page.getByTestId(`pump-${pump}-kwh`)).toHaveText(fmt(row.kwh, 1));
  }
  const [totals] = await sql<{ kwh: number; volume: number }>(
    `SELECT sum(${PUMPS.map((p) => `"[PLC]${p}KWH_HR.PER_HR"`).join(' + ')}) / 60.0 AS kwh, max("[PLC]FIT101_HR.DAY_TOTAL") AS volume
     FROM readings_wide WHERE "Timestamp"::DATE = ?::DATE`,
    [day],
  );
  await expect(page.getByTestId('energy-today')).toHaveText(fmt(totals.kwh, 1));
  await expect(page.getByTestId('volume-today')).toHaveText(fmt(totals.volume, 1));
  await expect(page.getByTestId('energy-per-m3')).toHaveText(fmt(totals.kwh / totals.volume, 3));

  const [latest] = await sql<{ level: number; flow: number; on: number }>(
    `SELECT "[PLC]HLT101.OUTPUT" AS level, "[PLC]FIT101_HR.PER_HR" AS flow, ${PUMPS.map((p) => `"[PLC]${p}.ONOFF"`).join(' + ')} AS on
     FROM readings_wide ORDER BY "Timestamp" DESC LIMIT 1`,
  );
  await expect(page.getByTestId('tank-pct')).toHaveText(fmt((latest.level / 500) * 100, 1));
  await expect(page.getByTestId('flow-now')).toHaveText(fmt(latest.flow, 1));
  await expect(page.getByTestId('pumps-on')).toHaveText(`${latest.on} / 6`);
});

test('tank level and flow charts draw the last 24 h and 7 days', async ({ page }) => {
  const charts = page.locator('.charts .plot svg');
  await expect(charts).toHaveCount(2);
  const line = (hours: number) =>
    page
      .getByRole('img', { name: new RegExp(`Tank level HLT101 over the last ${hours} hours`) })
      .locator('g[aria-label="line"] path');
  // A day of minutes, M4-reduced to at most 4 per pixel column, is still hundreds of vertices.
  const vertices = async (hours: number) => ((await line(hours).getAttribute('d')) ?? '').split(/[ML]/).length;
  await expect(line(24)).toBeVisible();
  expect(await vertices(24)).toBeGreaterThan(500);
  await page.getByRole('tab', { name: '7 days' }).click();
  await expect(line(168)).toBeVisible();
  expect(await vertices(168)).toBeGreaterThan(1000);
  await expect(page.getByRole('tab', { name: '7 days' })).toHaveAttribute('aria-selected', 'true');
});

test('dark theme toggles, persists, and the page survives a reload (token kept for the tab)', async ({ page }) => {
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(page.url()).not.toContain('token=');
  await page.reload();
  await expect(page.getByTestId('energy-today')).not.toHaveText('—');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await artifact(page, 'overview-dark');
});

test('keyboard: pumps and range tabs are reachable with Tab', async ({ page }) => {
  const tile = page.getByTestId('pump-P1');
  await tile.focus();
  await expect(tile).toBeFocused();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    if (await page.getByRole('tab', { name: '7 days' }).evaluate((el) => el === el.ownerDocument.activeElement)) break;
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: '7 days' })).toHaveAttribute('aria-selected', 'true');
});

test('without the token the API refuses the browser', async ({ browser }) => {
  const url = new URL(process.env.PUMPDECK_URL!);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url.origin}/`);
  await expect(page.getByText(/closed|Disconnected/).first()).toBeVisible();
  await context.close();
});
