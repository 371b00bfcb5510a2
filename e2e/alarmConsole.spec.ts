import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { artifact, setChecked } from './helpers';
import { pumpdeck, startServe } from './serve';

// The Alerts page as an alarm console (issue 18): counts that agree with the KPI tiles, sortable
// columns, bulk acknowledge, the detail in a side drawer with every signal its rule reads, and a
// rule catalog that fits its panel. Its own station: three days with eight alarms of four kinds.

let dir: string;
let server: Awaited<ReturnType<typeof startServe>>;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pumpdeck-e2e-alarms-'));
  pumpdeck([
    'demo',
    '--out',
    join(dir, 'demo'),
    '--days',
    '3',
    '--seed',
    '5',
    ...['trip@1:00:03+12:P1', 'noflow@1:08:00+20:P2', 'overcurrent@2:09:00+30:P3', 'gap@2:14:00+40'].flatMap((f) => [
      '--fault',
      f,
    ]),
    '--fault',
    'lowlevel@3:02:00+30',
    '--fault',
    'trip@3:23:50+20:P4', // still tripped when the data ends: an active alarm
  ]);
  const db = join(dir, 'station.duckdb');
  pumpdeck([
    'ingest',
    '--db',
    db,
    '--historian',
    join(dir, 'demo/historian.csv'),
    '--station',
    join(dir, 'demo/station.json'),
  ]);
  server = await startServe(['--db', db], { PUMPDECK_HOME: join(dir, 'home') });
});

test.afterAll(() => {
  server?.process.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const rows = (page: import('@playwright/test').Page) => page.getByRole('table', { name: 'Alerts' }).locator('tbody tr');

test('severity counts match the KPI tiles; columns sort; several alarms are acknowledged at once', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${server.url}#/alerts`);
  for (const severity of ['CRITICAL', 'HIGH', 'WARNING', 'INFO']) {
    const tile = await page.getByTestId(`kpi-${severity}`).textContent();
    await expect(page.getByTestId(`count-${severity}`)).toHaveText(tile ?? '');
  }
  // Unticking a severity hides its rows, not its count.
  await setChecked(page.getByRole('checkbox', { name: /^WARNING/ }), false);
  await expect(page.getByTestId('count-WARNING')).toHaveText('2');
  await expect(rows(page)).toHaveCount(7);
  await setChecked(page.getByRole('checkbox', { name: /^WARNING/ }), true);
  await expect(rows(page)).toHaveCount(9);

  // By default (ISA-18.2) priority, then state, then newest: the unacknowledged active CRITICAL
  // first, in bold and marked, not by colour alone. By severity on a click; again, the other way.
  await expect(rows(page).first()).toHaveClass(/state-unacknowledged/);
  await expect(rows(page).first().locator('.chip')).toHaveText('CRITICAL');
  await expect(rows(page).first()).toContainText('active');
  await expect(rows(page).first().getByTestId('state')).toHaveText('◆ unack');
  await page.getByRole('button', { name: /^Severity/ }).click();
  await expect(page.getByRole('columnheader', { name: /Severity/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows(page).first().locator('.chip')).toHaveText('CRITICAL');
  await expect(rows(page).last().locator('.chip')).toHaveText('WARNING');
  await page.getByRole('button', { name: /^Severity/ }).click();
  await expect(rows(page).first().locator('.chip')).toHaveText('WARNING');
  await page.getByRole('button', { name: /^Rule/ }).click();
  await expect(rows(page).first()).toContainText('A-04');

  // Bulk acknowledge: the two P-pump HIGH alarms picked by hand, then everything left.
  await setChecked(page.getByRole('checkbox', { name: /^Select B-02 P2/ }), true);
  await setChecked(page.getByRole('checkbox', { name: /^Select B-04 P3/ }), true);
  await page.getByRole('button', { name: 'Acknowledge selected (2)' }).click();
  await expect(page.getByTestId('alert-B-02-P2').getByTestId('state')).toContainText('ack ');
  await expect(page.getByTestId('alert-B-04-P3').getByTestId('state')).toContainText('ack ');
  // P1's trip cleared without anyone acknowledging it: returned unacknowledged, a state of its own.
  await expect(page.getByTestId('alert-B-01-P1').getByTestId('state')).toHaveText('○ returned unack');
  await expect(page.getByTestId('alert-B-01-P1')).toHaveClass(/state-returned/);
  await setChecked(page.getByRole('checkbox', { name: 'Select every unacknowledged alert shown' }), true);
  await page.getByRole('button', { name: 'Acknowledge selected (7)' }).click();
  await expect(
    page.getByRole('table', { name: 'Alerts' }).getByTestId('state').filter({ hasText: 'unack' }),
  ).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Acknowledge selected (0)' })).toBeDisabled();
});

test('the detail opens in a drawer with every signal the rule reads, units included; the catalog fits its panel', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${server.url}#/alerts`);
  await page.getByTestId('alert-B-01-P1').click();
  const drawer = page.getByRole('dialog', { name: /B-01 P1/ });
  await expect(drawer).toBeVisible();
  // A trip is defined by the command and the power: both are drawn, named, with their tags.
  await expect(drawer.getByRole('img', { name: 'P1 running ([PLC]P1.ONOFF) around the alert' })).toBeVisible();
  await expect(drawer.getByRole('img', { name: 'P1 power ([PLC]P1KWH_HR.PER_HR) around the alert' })).toBeVisible();
  await expect(drawer.getByTestId('value-at-trigger')).toHaveText('0.00 kW');
  // Beside the feed, in view: not below the fold.
  const box = await drawer.boundingBox();
  expect(box?.y).toBe(0);
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1440);
  await artifact(page, 'alerts-drawer');
  const { violations } = await new AxeBuilder({ page })
    .include('[role="dialog"]')
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  // The clock setting: the browser's locale (en-US here) reads 12-hour; the sidebar switches to 24.
  const ticks = drawer.locator('.plot svg text');
  await expect(ticks.filter({ hasText: /^\d{1,2}:\d{2} (AM|PM)$/ }).first()).toBeAttached();
  await setChecked(page.getByLabel('24-hour clock'), true);
  await expect(ticks.filter({ hasText: /^\d{2}:\d{2}$/ }).first()).toBeAttached();
  await expect(ticks.filter({ hasText: /AM|PM/ })).toHaveCount(0);
  await expect(page.getByTestId('station-time').first()).toHaveText(
    'Times: station time (zone not set in station.json)',
  );
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);

  // A station rule (low level) reads the level: drawn in its unit.
  await page.getByTestId('alert-D-01-station').click();
  await expect(page.getByRole('dialog', { name: /D-01/ }).getByTestId('value-at-trigger')).toHaveText(/ %$/);
  await page.getByRole('button', { name: 'Close the alert' }).click();

  await page.getByText('Every rule with its condition').click();
  const catalog = page.getByRole('table', { name: 'Rule catalog' });
  await expect(catalog).toBeVisible();
  expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
  await expect(page.getByRole('navigation')).toBeInViewport();
});

test('the Overview is a situation screen: active alarms first, the level with its limits, 24 hours of pump states, filling a wide screen', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${server.url}#/overview`);
  const strip = page.getByTestId('active-alarms');
  await expect(strip).toContainText('B-01');
  await expect(strip).toContainText('P4 commanded ON but draws 0 kW');
  await expect(strip.locator('.chip')).toHaveText(['CRITICAL']);
  // The demo tank is 0-500 cm: LL 2 %, L 15 %, H 90 % of it.
  await expect(
    page.getByRole('img', {
      name: /Tank level HLT101 over the last 24 hours, with its alarm limits LL 10 cm, L 75 cm, H 450 cm/,
    }),
  ).toBeVisible();
  const states = page.getByRole('img', { name: /Pumps running over the last 24 hours/ });
  await expect(states.locator('g[aria-label="bar"] rect').first()).toBeAttached();
  expect(await states.locator('g[aria-label="bar"] rect').count()).toBeGreaterThan(6);
  // Level and pump states side by side at 1920: the grid fills the width.
  const level = await page.getByRole('region', { name: 'Tank level and flow' }).boundingBox();
  const running = await page.getByRole('region', { name: 'Pumps running, last 24 hours' }).boundingBox();
  expect(running?.y).toBe(level?.y);
  expect((running?.x ?? 0) + (running?.width ?? 0)).toBeGreaterThan(1700);
  expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
  await artifact(page, 'overview-situation-1920');
});

test('abnormal at a glance (ISA-101, ISA-18.2): the tripped pump shows its alarm; shelved, it leaves the banner and the badge for a shelved count', async ({
  page,
}) => {
  await page.goto(`${server.url}#/overview`);
  // The tripped pump's tile leads with its alarm and is not styled as running normally.
  await expect(page.getByTestId('pump-P4')).toHaveClass(/alarm sev-CRITICAL/);
  const alarm = page.getByTestId('pump-P4-alarm');
  await expect(alarm).toContainText('CRITICAL');
  await expect(alarm).toContainText('B-01');
  // Acknowledged by the first test: said in words and a mark.
  await expect(alarm).toContainText('◇ ack');
  for (const quiet of ['P1', 'P2', 'P3', 'P5', 'P6'])
    await expect(page.getByTestId(`pump-${quiet}`)).not.toHaveClass(/alarm/);
  await expect(page.getByTestId('nav-alert-badge')).toHaveText('1');
  await artifact(page, 'overview-tripped-pump');

  await page.goto(`${server.url}#/alerts`);
  const row = page.getByTestId('alert-B-01-P4');
  await expect(row).toHaveClass(/state-acknowledged/);
  await row.click();
  await page.getByLabel('Shelve minutes').fill('60');
  await page.getByLabel('Shelve reason').fill('pump isolated for repair');
  await page.getByRole('button', { name: 'Shelve', exact: true }).click();
  await expect(row).toHaveClass(/state-shelved/);
  await expect(row.getByTestId('state')).toContainText('⏸ shelved until');
  // Not sounding any more: the badge goes, the banner says so and counts it apart.
  await expect(page.getByTestId('nav-alert-badge')).toHaveCount(0);
  await page.goto(`${server.url}#/overview`);
  await expect(page.getByTestId('active-alarms')).toContainText('No active alarms');
  await expect(page.getByTestId('alarms-aside')).toHaveText(/Not sounding: 1 shelved/);
  await expect(page.getByTestId('pump-P4')).not.toHaveClass(/alarm/);
  // The tile still says what is set aside on it.
  await expect(page.getByTestId('pump-P4-set-aside')).toHaveText('⏸ B-01 shelved');
  await artifact(page, 'overview-shelved');
});
