import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { artifact, fmt, setChecked } from './helpers';
import { pumpdeck, startServe } from './serve';

// The second demo station (issue 15): an 8-pump wastewater lift station on VFDs, site tag names,
// a wet well in metres, 15-minute rows. Its own server and database; every page must read it.
let dir: string;
let server: { url: string; process: ChildProcess };
const LIFT_PUMPS = ['P1.1', 'P1.2', 'P1.3', 'P1.4', 'P2.1', 'P2.2', 'P2.3', 'P2.4'];

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pumpdeck-e2e-lift-'));
  pumpdeck(['demo', '--station', 'lift', '--out', join(dir, 'ls07'), '--days', '24', '--seed', '3']);
  const db = join(dir, 'lift.duckdb');
  pumpdeck([
    'ingest',
    '--db',
    db,
    '--historian',
    join(dir, 'ls07/LS07_15min.csv'),
    '--station',
    join(dir, 'ls07/station.json'),
  ]);
  pumpdeck(['ingest', '--db', db, '--maintenance', join(dir, 'ls07/maintenance.csv')]);
  server = await startServe(['--db', db], { PUMPDECK_HOME: dir });
});

test.afterAll(async () => {
  if (server && server.process.exitCode === null) {
    server.process.kill('SIGTERM');
    await new Promise((resolve) => server.process.once('exit', resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The served file is locked by its server: the independent side here is the HTTP API. */
async function apiCall<T>(method: string, params: object = {}): Promise<T> {
  const url = new URL(server.url);
  const response = await fetch(`${url.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${url.searchParams.get('token')}` },
    body: JSON.stringify(params),
  });
  return (await response.json()) as T;
}

test('Overview: eight pump tiles by their site ids, the wet well and the discharge flow', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByTestId('station-name')).toHaveText(/Demo lift station LS-07/);
  for (const pump of LIFT_PUMPS) await expect(page.getByTestId(`pump-${pump}`)).toBeVisible();
  // VFD pumps: their speed on the tile (issue 34), beside kW.
  for (const pump of LIFT_PUMPS) await expect(page.getByTestId(`pump-${pump}-hz`)).toHaveText(/^\d+\.\d Hz$/);
  await expect(page.getByTestId('pumps-on')).toHaveText(/ \/ 8$/);
  await expect(page.getByText('Wet well level', { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId('tank-pct')).not.toHaveText('—');
  const charts = page.locator('.charts .plot svg');
  await expect(charts).toHaveCount(2);
  await expect(page.getByRole('img', { name: /Wet well level over the last 24 hours/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Discharge flow over the last 24 hours/ })).toBeVisible();
  // A row is not a minute: 24 days of quarter hours less the two-hour logging gap.
  await expect(page.getByTestId('data-span')).toHaveText('(23.9 days of 15-minute rows)');
  await artifact(page, 'lift-overview');
});

test('Alerts: the rates are per real day, and the drawer draws a VFD run signal as the speed it is', async ({
  page,
}) => {
  const kpis = await apiCall<{ alerts: number; perDay: number; loggedMinutes: number }>('alerts.kpis');
  expect(kpis.loggedMinutes).toBe(24 * 1440 - 120);
  expect(kpis.perDay).toBeCloseTo(kpis.alerts / (kpis.loggedMinutes / 1440), 9);
  await page.goto(`${server.url}#/alerts`);
  await expect(page.getByTestId('kpi-per-day')).toHaveText(fmt(kpis.perDay, 1));
  await page.getByLabel('Pump', { exact: true }).selectOption('P1.3');
  await setChecked(page.getByRole('checkbox', { name: /INFO/ }), true);
  await page
    .getByText(/P1\.3 delivers \d+\.\d % of its best m³\/kWh/)
    .first()
    .click();
  const drawer = page.getByRole('dialog');
  await expect(
    drawer.getByRole('img', { name: 'P1.3 speed (runs above 20 Hz) (Pump frequency 1.3) around the alert' }),
  ).toBeVisible();
});

test("Overview's energy today is the 15-minute rows' kW × ¼ h, as the API computes it", async ({ page }) => {
  await page.goto(server.url);
  const overview = await apiCall<{
    day: string;
    energyTodayKwh: number;
    pumps: Array<{ pump: string; hoursOnToday: number }>;
  }>('station.overview');
  await expect(page.getByTestId('energy-today')).toHaveText(fmt(overview.energyTodayKwh, 1));
  for (const tile of overview.pumps)
    await expect(page.getByTestId(`pump-${tile.pump}-hours`)).toHaveText(fmt(tile.hoursOnToday, 2));
  // Every hour on is a whole number of quarter hours.
  expect(overview.pumps.every((p) => Number.isInteger(p.hoursOnToday * 4))).toBe(true);
});

test('Alerts: the ragged pump P1.3 is found, and the catalog says which rules do not apply and why', async ({
  page,
}) => {
  await page.goto(`${server.url}#/alerts`);
  await page.getByLabel('Pump', { exact: true }).selectOption('P1.3');
  await setChecked(page.getByRole('checkbox', { name: /INFO/ }), true);
  await expect(page.getByText(/P1\.3 delivers \d+\.\d % of its best m³\/kWh/).first()).toBeVisible();
  await page.getByText('Every rule with its condition').click();
  await expect(page.getByTestId('rule-G-01')).toHaveAttribute('data-applicable', 'false');
  await expect(page.getByTestId('rule-G-01-applies')).toContainText('only for booster stations');
  await expect(page.getByTestId('rule-D-01')).toContainText('Wet well critically high');
  await expect(page.getByTestId('rule-A-04-applies')).toContainText('needs a fixed-speed pump');
  await artifact(page, 'lift-alerts');
});

test('Analytics and Station settings read the model: per-pump charts for 8 pumps, the model table', async ({
  page,
}) => {
  await page.goto(`${server.url}#/analytics`);
  await expect(page.getByRole('heading', { name: 'Analytics' })).toBeVisible();
  await expect(page.getByTestId('stats-Wet well level')).toBeVisible();
  await artifact(page, 'lift-analytics');
  await page.goto(`${server.url}#/import`);
  for (const pump of LIFT_PUMPS) await expect(page.getByRole('cell', { name: pump, exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Pump frequency 2.4 > 20' })).toBeVisible();
  await artifact(page, 'lift-settings');
});

test('the report of the lift station names its pumps and its wet well, never the seed tags', async () => {
  const report = await apiCall<{ markdown: string }>('report.preview', {});
  const text = report.markdown.replace(/\(data:[^)]*\)/g, ''); // the charts are inline images
  expect(text).toMatch(/P1\.3/);
  expect(text).toMatch(/wet well/i);
  expect(text).not.toMatch(/HLT101|FIT101|\bP[1-6]\b(?!\.)/);
});

test("a new project's first export with site tag names: the page shows the suggested model, the operator confirms it", async ({
  page,
}) => {
  const fresh = await startServe(['--db', join(dir, 'fresh.duckdb')], { PUMPDECK_HOME: join(dir, 'fresh-home') });
  try {
    await page.goto(`${fresh.url}#/import`);
    await page.getByTestId('file-input').setInputFiles([join(dir, 'ls07/LS07_15min.csv')]);
    const file = page.getByRole('region', { name: 'LS07_15min.csv' });
    await file.getByRole('button', { name: 'Import' }).click();
    // Nothing is built yet: the model is proposed with its reasons.
    const suggested = file.getByTestId('suggested-model');
    await expect(suggested).toBeVisible();
    await expect(suggested.getByTestId('suggestion-reasons')).toContainText(
      "pump P2.4: run 'Pump frequency 2.4' (Hz) above 20: a VFD's frequency",
    );
    await expect(suggested.getByTestId('suggestion-reasons')).toContainText('kind: lift');
    await expect(suggested.getByRole('table', { name: 'Pumps of the station model' }).locator('tbody tr')).toHaveCount(
      8,
    );
    await artifact(page, 'lift-import-suggestion');
    // The operator corrects the wet well's top (4 m, not the highest level seen) and imports.
    await suggested.getByText('Correct it (station.json)').click();
    const editor = suggested.getByLabel('Suggested station model JSON');
    const model = JSON.parse(await editor.inputValue());
    model.name = 'LS-07';
    model.level.max = 4;
    await editor.fill(JSON.stringify(model, null, 2));
    await suggested.getByRole('button', { name: 'Import with this model' }).click();
    await expect(file.getByTestId('import-summary')).toContainText('days of 15-minute rows');
    await expect(page.getByRole('heading', { name: 'Station: LS-07' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Station model', exact: true })).toContainText(
      'Wet well level (m) · range 0–4',
    );
  } finally {
    fresh.process.kill('SIGTERM');
    await new Promise((resolve) => fresh.process.once('exit', resolve));
  }
});

test('Forecast & schedule on quarter-hours: a schedule for 8 VFD pumps, the gap proved, the hindsight bound beside the savings', async ({
  page,
}) => {
  await page.goto(`${server.url}#/planning`);
  await page.getByLabel('From').fill('2025-03-20T00:00');
  await page.getByLabel('Slot').selectOption('15');
  await page.getByRole('button', { name: 'Optimize schedule' }).click();
  // The long call shows its phase while it runs (forecasting, then the search).
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Pump schedule' }).locator('[aria-label="bar"]')).toBeVisible({
    timeout: 90_000,
  });
  await page.getByText('Slots', { exact: true }).click();
  await expect(page.getByRole('table', { name: 'Slots' }).locator('tbody tr')).toHaveCount(96);
  await expect(page.getByTestId('schedule-solved').locator('..')).toContainText(/s · within [\d.]+ %/);
  // Its price tag is in c/kWh: costs in that tag's currency, which it does not name.
  await expect(page.getByTestId('schedule-cost').locator('..')).toContainText("in the price's currency");
  const savings = Number(await page.getByTestId('schedule-savings').textContent());
  const best = Number(await page.getByTestId('schedule-hindsight').textContent());
  // A wet well of half an hour's inflow: even the best possible saves little, and the forecast's
  // schedule, replayed closed loop at equal end state, never claims more.
  expect(best).toBeLessThan(10);
  expect(savings).toBeLessThanOrEqual(best);
  await artifact(page, 'lift-planning');
});

/** Two boxes on the page do not overlap (measured again while a chart redraws under them). */
async function apart(a: import('@playwright/test').Locator, b: import('@playwright/test').Locator): Promise<void> {
  await expect
    .poll(async () => {
      const [p, q] = [await a.boundingBox(), await b.boundingBox()];
      if (!p || !q) return 'not drawn';
      const overlap = p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
      return overlap ? `${JSON.stringify(p)} overlaps ${JSON.stringify(q)}` : 'apart';
    })
    .toBe('apart');
}

test('the wet well: HH and H labels apart on the chart and on the level bar, in both themes', async ({ page }) => {
  for (const theme of ['light', 'dark']) {
    await page.addInitScript(`localStorage.setItem('pumpdeck.theme', '${theme}')`);
    await page.goto(server.url);
    const chart = page.getByRole('img', { name: /Wet well level over the last 24 hours/ });
    await expect(chart).toBeVisible();
    await apart(chart.getByText('HH', { exact: true }), chart.getByText('H', { exact: true }));
    await apart(page.getByTestId('level-limit-HH'), page.getByTestId('level-limit-H'));
    // A healthy wet well is not coloured.
    await expect(page.getByTestId('tank-past')).toHaveCount(0);
    await expect(page.getByTestId('level-stat')).not.toHaveClass(/alarm/);
    await artifact(page, `lift-overview-${theme}`);
  }
});

test('a new station: Models and Pumps propose baselines from the quietest days, clear of the maintenance log; one click takes them', async ({
  page,
}) => {
  await page.goto(`${server.url}#/models`);
  const proposals = page.getByTestId('proposed-baselines');
  // P1.3 was de-ragged on 03-21: its period ends 10 days before, before the ragging began.
  await expect(proposals.getByTestId('proposal-P1.3')).toContainText('2025-03-04 → 2025-03-10');
  await expect(proposals.getByTestId('proposal-P1.3')).toContainText('repair 2025-03-21');
  await expect(proposals.getByTestId('proposal-P2.3')).toContainText(/No period serves: \d+ readings at full speed/);
  await expect(proposals.getByTestId('proposal-P1.1')).toContainText('not logged');
  await page.getByTestId('take-proposed').click();
  // The Models page now has the pumps, each with its maintenance log and an anomaly score on what
  // the station logs (flow and power).
  await expect(page.getByLabel('Pump', { exact: true }).locator('option')).toHaveCount(4);
  await expect(page.getByLabel('Pump', { exact: true })).toHaveValue('P1.1');
  await expect(page.getByRole('img', { name: 'Anomaly score with detected spans' })).toBeVisible();
  await expect(page.getByText(/signals flow, power;/)).toBeVisible();
  // P1.3 ran at full speed for 24 hours clear of its ragging and repair: too few to fit on, and
  // it says so (no other pump's chart left in its place).
  await page.getByLabel('Pump', { exact: true }).selectOption('P1.3');
  await expect(page.getByRole('table', { name: 'Maintenance log of P1.3' })).toContainText('impeller de-ragged');
  await expect(page.getByRole('region', { name: 'Anomaly score' })).toContainText(
    'pump P1.3 has too few hourly readings in a healthy period',
  );
  await expect(page.getByRole('img', { name: 'Anomaly score with detected spans' })).toHaveCount(0);
  // Pumps: the fleet judged on flow and power (no head logged), every healthy pump Normal.
  await page.goto(`${server.url}#/pumps`);
  await expect(page.getByTestId('fleet').locator('tbody tr')).toHaveCount(4);
  await page.getByTestId('fleet').getByRole('button', { name: 'P1.3' }).click();
  await expect(page.getByTestId('state-head')).toHaveText('not logged');
  await expect(page.getByTestId('pump-status')).toHaveText('Normal');
  await expect(page.getByRole('table', { name: 'Maintenance log of P1.3' })).toContainText('repair');
  const source =
    await apiCall<Array<{ well_id: string; source: string; tolerance_grade: string }>>('performance.baselines');
  expect(source.find((b) => b.well_id === 'P1.3')).toMatchObject({
    source: 'period 2025-03-04 .. 2025-03-10',
    tolerance_grade: '2B',
  });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  for (const theme of ['light', 'dark']) {
    await page.addInitScript(`localStorage.setItem('pumpdeck.theme', '${theme}')`);
    for (const p of ['pumps', 'models']) {
      await page.goto(`${server.url}#/${p}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      await artifact(page, `lift-${p}-${theme}`);
    }
  }
});
