import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { artifact, setChecked, sql } from './helpers';

// The Console page (issue 17): SQL typed in the editor, its chart, a saved query reopened, an Ask
// answer with its SQL, and what the sandbox refuses. Every figure is checked against the database.

const editor = (page: Page) => page.getByTestId('sql-editor');

async function typeSql(page: Page, text: string) {
  await editor(page).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText: CodeMirror would otherwise auto-close brackets and quotes as they are typed.
  await page.keyboard.insertText(text);
}

test('a query typed in the console runs with Ctrl+Enter, charts, exports, is saved and reopened', async ({
  page,
}, info) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/console`);
  await expect(page.getByRole('heading', { name: 'Console', exact: true })).toBeVisible();
  const query = 'SELECT date, total_kwh FROM daily_summary ORDER BY date';
  await typeSql(page, query);
  await page.keyboard.press('Control+Enter');

  const days = await sql<{ date: string; kwh: number }>(
    `SELECT strftime(date, '%Y-%m-%d') AS date, total_kwh AS kwh FROM daily_summary ORDER BY date`,
  );
  await expect(page.getByTestId('result-status')).toContainText(`${days.length} rows`);
  const table = page.getByRole('table', { name: 'Result' });
  await expect(table.getByRole('row').nth(1)).toContainText(days[0].date);
  await expect(table.getByRole('row').nth(1)).toContainText(String(Math.round(days[0].kwh * 1e6) / 1e6));

  // A date column and a number: the chart is a line.
  await page.getByRole('tab', { name: 'Chart' }).click();
  await expect(
    page.getByRole('img', { name: 'Result chart' }).locator('[aria-label="line"] path').first(),
  ).toBeVisible();
  await artifact(page, 'console');

  // CSV export downloads every row.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await downloading;
  const path = join(info.outputDir, file.suggestedFilename());
  await file.saveAs(path);
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('date,total_kwh');
  expect(lines).toHaveLength(days.length + 1);

  await page.getByLabel('Query name').fill('daily energy');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const saved = page.getByRole('list', { name: 'Saved queries' });
  await expect(saved.getByRole('button', { name: 'daily energy', exact: true })).toBeVisible();
  // The history has the run.
  await expect(page.getByRole('list', { name: 'History' })).toContainText('SELECT date, total_kwh');

  await typeSql(page, 'SELECT 1');
  await page.reload();
  await page
    .getByRole('list', { name: 'Saved queries' })
    .getByRole('button', { name: 'daily energy', exact: true })
    .click();
  await expect(editor(page)).toHaveText(query);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('result-status')).toContainText(`${days.length} rows`);
});

test('the editor completes table names; 100,000 rows scroll with only the visible rows drawn', async ({ page }) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/console`);
  // Completion knows the tables once the schema has loaded.
  await expect(page.getByRole('navigation', { name: 'Schema' })).toContainText('daily_summary');
  await typeSql(page, 'SELECT * FROM daily_summ');
  await page.keyboard.press('ControlOrMeta+Space');
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('daily_summary');

  await typeSql(page, 'SELECT range AS n, range % 7 AS weekday FROM range(100000)');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('result-status')).toContainText('100,000 rows');
  const table = page.getByRole('table', { name: 'Result' });
  expect(await table.locator('tbody tr').count()).toBeLessThan(120);
  await page.getByTestId('result-table').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(table.locator('tr[aria-rowindex="100001"]')).toContainText('99999');
});

test('the console refuses writes and file access with a clear reason', async ({ page }) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/console`);
  await typeSql(page, "COPY (SELECT 1) TO '/tmp/pumpdeck-e2e-escape.csv'");
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('alert')).toContainText(/refused: /);
  await typeSql(page, "SELECT * FROM read_csv('/etc/passwd')");
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('alert')).toContainText(/refused: |files, URLs/);
  await expect(page.getByRole('alert')).not.toContainText('root:');
});

test('Ask answers with its SQL, which opens in the console; an unknown question lists what can be asked', async ({
  page,
}) => {
  await page.goto(`${process.env.PUMPDECK_URL!}#/console`);
  await page.getByLabel('Question').fill('Which pump ran most this week?');
  await page.getByRole('button', { name: 'Ask' }).click();
  const answer = page.getByTestId('ask-answer');
  await expect(answer).toContainText(/ran most this week: [\d.]+ h in \d+ runs/);
  const shown = (await page.getByTestId('ask-sql').textContent()) ?? '';
  expect(shown).toMatch(/FROM pump_sessions/);
  // The SQL shown is the SQL that answered: run independently, its first row names the same pump.
  const [top] = await sql<{ pump: string; hours: number }>(shown);
  await expect(answer).toContainText(`${top.pump} ran most this week`);
  await expect(page.getByRole('img', { name: 'Answer chart' }).locator('svg')).toBeVisible();

  await page.getByRole('button', { name: 'Open in console' }).click();
  await expect(editor(page)).toContainText('FROM pump_sessions');
  await expect(page.getByRole('table', { name: 'Result' }).getByRole('row').nth(1)).toContainText(top.pump);

  await page.getByLabel('Question').fill('what is the meaning of life');
  await page.getByRole('button', { name: 'Ask' }).click();
  await expect(answer).toHaveText('I do not know how to answer that yet.');
  await page.getByRole('button', { name: "What is today's total energy consumption?" }).click();
  await expect(answer).toContainText(/kWh/);
  await expect(page.getByTestId('ask-sql')).toContainText('daily_summary');
});

test('a language model, once configured, answers what the intents do not, with a warning and its SQL; then off again', async ({
  page,
}) => {
  // A stub OpenAI-compatible endpoint on loopback.
  const bodies: string[] = [];
  const stub = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { content: 'SELECT count(*) AS tags FROM tag_meta' } }] }));
    });
  });
  await new Promise<void>((done) => stub.listen(0, '127.0.0.1', done));
  try {
    await page.goto(`${process.env.PUMPDECK_URL!}#/console`);
    await expect(page.getByTestId('model-state')).toHaveText('off');
    await page.getByText('Language model:').click();
    await setChecked(page.getByLabel('Use a language model'), true);
    await page.getByLabel('Model endpoint').fill(`http://127.0.0.1:${(stub.address() as AddressInfo).port}/v1`);
    await page.getByLabel('Model name').fill('stub-e2e');
    await page.getByLabel('API key').fill('sk-e2e');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('model-state')).toHaveText('on (stub-e2e)');
    await expect(page.getByLabel('API key')).toHaveValue('');

    await page.getByLabel('Question').fill('how many tags are there');
    await page.getByRole('button', { name: 'Ask' }).click();
    const [{ n }] = await sql<{ n: number }>('SELECT count(*)::INTEGER AS n FROM tag_meta');
    await expect(page.getByTestId('ask-answer')).toContainText(`stub-e2e wrote this SQL`);
    await expect(page.getByTestId('ask-answer')).toContainText(`The answer is ${n}.`);
    await expect(page.getByTestId('model-written')).toBeVisible();
    await expect(page.getByTestId('ask-sql')).toHaveText('SELECT count(*) AS tags FROM tag_meta');
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain('how many tags are there');
  } finally {
    await setChecked(page.getByLabel('Use a language model'), false);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('model-state')).toHaveText('off');
    stub.close();
  }
});
