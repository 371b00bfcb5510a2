import { expect, test } from '@playwright/test';
import { artifact, sql } from './helpers';

test('the Alerts page shows the injected trip; acknowledge and a note persist after reload; a cleared alarm cannot be shelved', async ({
  page,
}) => {
  const [trip] = await sql<{ ts: string; resolved: string; message: string }>(
    `SELECT strftime(timestamp, '%Y-%m-%d %H:%M:%S') AS ts, strftime(resolved_at, '%Y-%m-%d %H:%M:%S') AS resolved, message FROM alerts_log WHERE rule = 'B-01'`,
  );
  expect(trip).toEqual({
    ts: '2025-03-01 00:05:00',
    resolved: '2025-03-01 00:13:00',
    message: 'P1 commanded ON but draws 0 kW: tripped',
  });

  await page.goto(`${process.env.PUMPDECK_URL!}#/alerts`);
  const row = page.getByTestId('alert-B-01-P1');
  await expect(row).toContainText('CRITICAL');
  await expect(row).toContainText('2025-03-01 00:05:00');
  await expect(row).toContainText('2025-03-01 00:13:00 (8 min)');
  // Cleared before anyone acknowledged it: returned unacknowledged (ISA-18.2), its own mark and words.
  await expect(row.getByTestId('state')).toHaveText('○ returned unack');
  const [counts] = await sql<{ critical: number }>(
    `SELECT count(*) FILTER (WHERE severity = 'CRITICAL') AS critical FROM alerts_log`,
  );
  await expect(page.getByTestId('kpi-CRITICAL')).toHaveText(String(counts.critical));

  // Actions are journaled under the operator's name set at the console, not the OS account.
  await page.getByLabel('Operator').fill('Maija K.');
  await page.getByLabel('Operator').press('Enter');
  await row.click();
  const detail = page.getByRole('dialog', { name: /B-01 P1/ });
  await expect(detail.getByRole('img', { name: /\[PLC\]P1KWH_HR.PER_HR\) around the alert/ })).toBeVisible();
  await detail.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(row.getByTestId('state')).toContainText('ack ');
  // The trip has cleared: it cannot be shelved, and the page says why.
  await expect(detail.getByRole('button', { name: 'Shelve', exact: true })).toBeDisabled();
  await expect(detail).toContainText('Cleared: only an active alarm can be shelved.');
  // A note has its own box, emptied once the note is in the journal.
  await detail.getByLabel('Note', { exact: true }).fill('breaker reset, motor megger OK');
  await detail.getByRole('button', { name: 'Add note' }).click();
  await expect(row.getByTestId('state')).toContainText('1 note');
  await expect(detail.getByLabel('Note', { exact: true })).toHaveValue('');
  await artifact(page, 'alerts');

  await page.reload();
  const again = page.getByTestId('alert-B-01-P1');
  await expect(again.getByTestId('state')).toContainText('ack ');
  await again.click();
  const journal = page.getByRole('list', { name: 'Alert journal' });
  await expect(journal).toContainText('note: breaker reset, motor megger OK');
  await expect(journal).toContainText('ack');
  await expect(journal).toContainText('Maija K. · ack');
  await expect(page.getByLabel('Operator')).toHaveValue('Maija K.');
});

test('a rule taken out of service is marked with who and why, on the rule and on its alerts, until returned', async ({
  page,
}) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/alerts`);
  await page.getByText('Every rule with its condition').click();
  await page.getByLabel('Out-of-service reason').fill('P1 contactor being replaced');
  await page.getByLabel('Out-of-service pump').selectOption('P1');
  const rule = page.getByTestId('rule-B-01');
  await rule.getByRole('button', { name: 'Out of service' }).click();
  await expect(rule.getByTestId('oos')).toContainText('out of service for P1 by');
  await expect(rule.getByTestId('oos')).toContainText('P1 contactor being replaced');
  await expect(page.getByTestId('alert-B-01-P1').getByTestId('state')).toContainText('out of service');
  await page.reload();
  await page.getByText('Every rule with its condition').click();
  await expect(page.getByTestId('rule-B-01').getByTestId('oos')).toContainText('P1 contactor being replaced');
  await page.getByTestId('rule-B-01').getByRole('button', { name: 'Return' }).click();
  await expect(page.getByTestId('rule-B-01').getByTestId('oos')).toHaveCount(0);
  await expect(page.getByTestId('alert-B-01-P1').getByTestId('state')).not.toContainText('out of service');
});
