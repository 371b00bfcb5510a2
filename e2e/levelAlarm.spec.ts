import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { artifact } from './helpers';
import { pumpdeck, startServe } from './serve';

// Abnormal at a glance (issue 34) on a booster whose tank rises past H at the end of its data
// while a pump is tripped: the level stat takes the alarm's colour and says which limit, on a
// bar with LL/L/H and the operating band; normal pumps stay grey. Both themes, axe-clean.

let dir: string;
let server: Awaited<ReturnType<typeof startServe>>;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pumpdeck-e2e-level-'));
  const demo = join(dir, 'demo');
  pumpdeck([
    'demo',
    '--out',
    demo,
    '--days',
    '2',
    '--seed',
    '5',
    '--fault',
    'highlevel@2:22:00+120',
    '--fault',
    'trip@2:23:30+30:P1',
  ]);
  const db = join(dir, 'station.duckdb');
  pumpdeck(['ingest', '--db', db, '--historian', join(demo, 'historian.csv'), '--station', join(demo, 'station.json')]);
  server = await startServe(['--db', db], { PUMPDECK_HOME: join(dir, 'home') });
});

test.afterAll(() => {
  server?.process.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('a tank above H: the level stat is coloured and says so; the tripped pump leads with its alarm; both themes', async ({
  page,
}) => {
  for (const theme of ['light', 'dark']) {
    await page.addInitScript(`localStorage.setItem('pumpdeck.theme', '${theme}')`);
    await page.goto(server.url);
    await expect(page.getByTestId('tank-past')).toHaveText(/^above HH?$/);
    // In the colour of the alarm sounding on that limit (D-03, HIGH), as the banner shows it.
    await expect(page.getByTestId('active-alarms')).toContainText(/HIGH.*D-03/);
    await expect(page.getByTestId('level-stat')).toHaveClass(/alarm sev-HIGH/);
    for (const limit of ['LL', 'L', 'H']) await expect(page.getByTestId(`level-limit-${limit}`)).toBeVisible();
    await expect(page.getByTestId('pump-P1')).toHaveClass(/alarm sev-CRITICAL/);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await artifact(page, `booster-overview-abnormal-${theme}`);
  }
});
