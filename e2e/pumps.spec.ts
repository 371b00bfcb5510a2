import { expect, test } from '@playwright/test';
import type { FleetRow, PumpPerformance } from '../src-shared/api/contract';
import { artifact, fmt, signed, sql } from './helpers';
import { pumpdeck } from './serve';

// The Pumps page against the CLI's JSON on a copy of the same database.
function cli(args: string[]): PumpPerformance {
  return JSON.parse(
    pumpdeck(['performance', '--db', process.env.PUMPDECK_EXPECTED_DB!, ...args, '--json']),
  ) as PumpPerformance;
}

test.beforeEach(async ({ page }) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/pumps`);
  await expect(page.getByRole('heading', { name: 'Pumps', exact: true })).toBeVisible();
});

test('the Pump page shows the same status and deviations as the CLI, for the baseline grade and an override', async ({
  page,
}) => {
  const fleet = page.getByTestId('fleet');
  await expect(fleet.locator('tbody tr')).toHaveCount(6);
  await fleet.getByTestId('fleet-P4').getByRole('button', { name: 'P4' }).click();
  await expect(page.getByRole('region', { name: 'Pump P4 against its baseline' })).toBeVisible();

  for (const grade of [undefined, '1U'] as const) {
    if (grade) await page.getByTestId('grade-select').selectOption(grade);
    const expected = cli(['--pump', 'P4', ...(grade ? ['--grade', grade] : [])]);
    await expect(page.getByTestId('pump-grade')).toHaveText(expected.grade);
    await expect(page.getByTestId('pump-status')).toHaveText(expected.status!);
    for (const p of expected.parameters) {
      await expect(page.getByTestId(`deviation-${p.parameter}`)).toHaveText(signed(p.deviation!));
      await expect(page.getByTestId(`current-${p.parameter}`)).toHaveText(fmt(p.current!, 2));
      await expect(page.getByTestId(`state-${p.parameter}`)).toHaveText(p.state);
      if (p.crossing && p.crossing.days > 0)
        await expect(page.getByTestId(`crossing-${p.parameter}`)).toHaveText(
          p.crossing.significant ? p.crossing.date : 'no significant trend',
        );
    }
  }
  // Values carry their units: the file's (gpm, psi, hp) and the station's beside them.
  await expect(page.getByTestId('baseline-value-flow')).toHaveText(/^[\d,.]+ gpm \([\d,.]+ m³\/h\)$/);
  await expect(page.getByTestId('baseline-value-power')).toHaveText(/^[\d,.]+ hp \([\d,.]+ kW\)$/);
  await expect(page.getByTestId('baseline-value-efficiency')).toHaveText(/^[\d,.]+ %$/);
  // Charts: the status strip and one deviation chart per parameter, with the band drawn.
  await expect(page.getByRole('img', { name: 'Status by day' }).locator('svg')).toBeVisible();
  // The strip's colours are named beside it.
  await expect(page.getByRole('list', { name: 'Status colours' })).toHaveText(/Normal\s*Warning\s*Critical\s*Failure/);
  await expect(page.getByRole('img', { name: /deviation against its HI band/ })).toHaveCount(4);
  await artifact(page, 'pumps');
});

test('the fleet is sorted worst first and matches the CLI fleet', async ({ page }) => {
  const fleet = JSON.parse(
    pumpdeck(['performance', '--db', process.env.PUMPDECK_EXPECTED_DB!, '--fleet', '--json']),
  ) as FleetRow[];
  // Worst status first; among equals the soonest to leave its band (issue 18).
  const rank = { Normal: 0, Warning: 1, Critical: 2, Failure: 3 } as Record<string, number>;
  for (let i = 1; i < fleet.length; i++) {
    const [a, b] = [fleet[i - 1], fleet[i]];
    expect(rank[a.status ?? ''] ?? -1).toBeGreaterThanOrEqual(rank[b.status ?? ''] ?? -1);
    if (a.status === b.status)
      expect(a.nextCrossing?.days ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(
        b.nextCrossing?.days ?? Number.POSITIVE_INFINITY,
      );
  }
  const rows = page.getByTestId('fleet').locator('tbody tr');
  await expect(rows).toHaveCount(fleet.length);
  for (const [i, row] of fleet.entries()) {
    await expect(rows.nth(i)).toHaveAttribute('data-testid', `fleet-${row.pump}`);
    await expect(rows.nth(i).locator('.chip')).toHaveText(row.status ?? 'no data');
    // Every pump with readings names the parameter nearest its band's edge.
    expect(row.worstParameter).not.toBeNull();
    await expect(page.getByTestId(`fleet-${row.pump}-worst`)).toHaveText(
      `${row.worstParameter} ${signed(row.worstDeviation, 1)} % (${fmt((row.worstBandUse ?? 0) * 100, 0)} % of its band)`,
    );
    await expect(page.getByTestId(`fleet-${row.pump}-crossing`)).toHaveText(
      row.nextCrossing
        ? `${row.nextCrossing.parameter} ${row.nextCrossing.date} (${fmt(row.nextCrossing.days)} days)`
        : 'no significant trend',
    );
  }
});

test('the baseline editor checks each value at its field and will not save a bad one', async ({ page }) => {
  await page.getByTestId('fleet-P2').getByRole('button', { name: 'P2' }).click();
  const efficiency = page.getByTestId('baseline-baseline_efficiency_percent');
  const before = await efficiency.inputValue();
  await efficiency.fill('120');
  await expect(efficiency).toHaveAccessibleDescription('at most 100');
  await expect(page.getByRole('button', { name: 'Save baseline' })).toBeDisabled();
  await efficiency.fill('');
  await expect(efficiency).toHaveAccessibleDescription('a number is needed');
  await efficiency.fill(before);
  await expect(page.getByRole('button', { name: 'Save baseline' })).toBeEnabled();
});

test("a logged failure shows on the pump's detail and on its charts", async ({ page }) => {
  const [failure] = await sql<{ day: string }>(
    `SELECT strftime(event_at, '%Y-%m-%d') AS day FROM maintenance_log WHERE pump = 'P4' AND kind = 'failure' ORDER BY event_at DESC LIMIT 1`,
  );
  await page.getByTestId('fleet-P4').getByRole('button', { name: 'P4' }).click();
  await expect(page.getByTestId('last-failure')).toHaveText(failure.day);
  const flow = page.getByRole('img', { name: 'flow deviation against its HI band' });
  await expect(flow.locator('svg text').filter({ hasText: /^failure$/ })).toHaveCount(1);
});

test("a baseline taken from a healthy period holds that period's medians", async ({ page }) => {
  await page.getByTestId('fleet-P6').getByRole('button', { name: 'P6' }).click();
  const editor = page.getByRole('region', { name: 'Baseline' });
  await editor.getByLabel('Period from').fill('2025-03-02');
  await editor.getByLabel('Period to').fill('2025-03-05');
  await editor.getByRole('button', { name: 'Use as baseline' }).click();
  await expect(editor.getByRole('status')).toHaveText('Saved: baseline of P6 (period 2025-03-02 .. 2025-03-05)');
  const [m] = await sql<{ flow: number }>(
    `SELECT median(flow) AS flow FROM pump_operational WHERE pump = 'P6' AND "Timestamp" BETWEEN '2025-03-02' AND '2025-03-05 23:59:59'`,
  );
  await expect(page.getByTestId('baseline-value-flow')).toHaveText(new RegExp(`^${fmt(m.flow, 2)} gpm`));
  await expect(editor.getByTestId('baseline-baseline_flow_gpm')).toHaveValue(String(m.flow));
});
