import { expect, test } from '@playwright/test';
import { artifact, fmt, setChecked, sql } from './helpers';

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
  const chart = page.getByRole('img', { name: /^Level HLT101/ }).locator('svg');
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
  await setChecked(page.getByRole('checkbox', { name: /^Pumps on count/ }), true);
  await expect(page.getByRole('img', { name: 'Pumps on count (pumps)' })).toBeVisible();
  // Every signal unticked: no chart, and no error for asking about nothing.
  for (const name of [/^Level HLT101/, /^Station flow FIT101/, /^Pumps on count/])
    await setChecked(page.getByRole('checkbox', { name }), false);
  await expect(page.getByTestId('picked-count')).toHaveText('0 of at most 32 signals drawn');
  await expect(page.locator('.trend-charts .plot')).toHaveCount(0);
  await expect(page.locator('.error-note')).toHaveCount(0);
});

test('the trend tool: search by description or unit, overlays per unit, states as lanes, a crosshair that reads every trace, state in the URL', async ({
  page,
}) => {
  await expect(page.getByTestId('stats-[PLC]HLT101.OUTPUT').getByTestId('max')).not.toHaveText('—');
  // Search by unit: the six pumps' power, named by their role, not their PLC address.
  await page.getByLabel('Search signals').fill('kW');
  await expect(page.getByRole('checkbox', { name: /^P1 power \(kW\)/ })).toBeVisible();
  for (const pump of ['P1', 'P2', 'P3'])
    await setChecked(page.getByRole('checkbox', { name: new RegExp(`^${pump} power`) }), true);
  // Search by description: a run state is a state.
  await page.getByLabel('Search signals').fill('run state');
  await setChecked(page.getByRole('checkbox', { name: /^P1 running/ }), true);
  await expect(page.getByTestId('picked-count')).toHaveText('6 of at most 32 signals drawn');
  // One axis per unit: the three kW traces overlaid on one chart; the run state as a lane.
  await expect(page.getByRole('img', { name: 'P1 power, P2 power, P3 power (kW)' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'States: P1 running' })).toBeVisible();
  await expect(page.locator('.trend-charts .plot')).toHaveCount(4); // level, flow, kW, states
  // A lane's bars span the pump's runs (a 7-day range: a few long bars, not one per point).
  const bars = page.getByRole('img', { name: 'States: P1 running' }).locator('g[aria-label="bar"] rect');
  await expect(bars.first()).toBeAttached();
  expect(await bars.count()).toBeLessThan(40);
  expect(Number(await bars.first().getAttribute('width'))).toBeGreaterThan(5);

  // The crosshair reads every trace at one time, with its unit.
  await page.getByRole('button', { name: '24 h' }).click();
  await expect(page.locator('.trend-charts')).toHaveAttribute('aria-busy', 'false');
  const kw = page.getByRole('img', { name: 'P1 power, P2 power, P3 power (kW)' }).locator('svg');
  const width = await kw.evaluate((el) => el.getBoundingClientRect().width);
  await kw.hover({ position: { x: width * 0.5, y: 80 } });
  await expect(page.getByTestId('cursor-time')).toHaveText(/^At \d{4}-\d{2}-\d{2} /);
  await expect(page.locator('.crosshair')).toHaveCount(4);
  await expect(page.getByTestId('stats-[PLC]P1KWH_HR.PER_HR').getByTestId('at-cursor')).toHaveText(/^[\d,.]+ kW$/);
  await expect(page.getByTestId('stats-[PLC]HLT101.OUTPUT').getByTestId('at-cursor')).toHaveText(/^[\d,.]+ cm$/);
  await artifact(page, 'analytics-trend-tool');

  // The range and the signals are in the URL: a reload (or a colleague with the link) sees the same.
  const range = await page.getByTestId('trend-range').textContent();
  expect(page.url()).toContain('tag=%5BPLC%5DP1.ONOFF');
  await page.reload();
  await expect(page.getByTestId('trend-range')).toHaveText(range ?? '');
  await expect(page.getByRole('img', { name: 'States: P1 running' })).toBeVisible();
  await expect(page.getByTestId('picked-count')).toHaveText('6 of at most 32 signals drawn');
});

test('an absolute range is typed in station time; alarm episodes are shaded on the charts', async ({ page }) => {
  await page.getByLabel('From', { exact: true }).fill('2025-03-01T00:00');
  await page.getByLabel('To', { exact: true }).fill('2025-03-01T01:00');
  await page.getByRole('button', { name: 'Show range' }).click();
  await expect(page.getByTestId('trend-range')).toContainText('2025-03-01 00:00 → 2025-03-01 01:00');
  // The injected trip (B-01, 00:05-00:13) is shaded on the level chart.
  const level = page.getByRole('img', { name: /^Level HLT101/ });
  await expect(level.locator('g[aria-label="rect"] rect')).toHaveCount(1);
  // Maintenance logged outside the hour is not drawn (it was, left of the plot, over the page).
  await expect(level.locator('svg text').filter({ hasText: / (failure|repair|overhaul)$/ })).toHaveCount(0);
  await page.getByLabel('To', { exact: true }).fill('2025-02-28T23:00');
  await expect(page.getByRole('button', { name: 'Show range' })).toBeDisabled();
});
