import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startServe } from './serve';

// Browser mode's connection (issue 18): a lost server shows a banner on every page, calls made while
// it is down fail visibly, the console reconnects by itself when the server is back (same token),
// and an address whose token is gone or missing says how to get one.

const TOKEN = 'e2e-connection-token-0123456789abcdef';

test('a lost server: banner, calls fail visibly, reconnect by itself; a stale or missing token explains itself', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'pumpdeck-e2e-conn-'));
  const db = join(dir, 'station.duckdb');
  copyFileSync(process.env.PUMPDECK_EXPECTED_DB!, db);
  const env = { PUMPDECK_SERVE_TOKEN: TOKEN, PUMPDECK_HOME: join(dir, 'home') };
  let server = await startServe(['--db', db], env);
  const port = new URL(server.url).port;
  const stop = async () => {
    const child = server.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  // The port is free again once the old server is gone; give the kernel a moment if it is not.
  const restart = async (token: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await startServe(['--db', db, '--port', port], { ...env, PUMPDECK_SERVE_TOKEN: token });
      } catch (error) {
        if (attempt === 5) throw error;
        await new Promise((done) => setTimeout(done, 500));
      }
    }
  };
  try {
    await page.goto(`${server.url}#/alerts`);
    await expect(page.getByRole('heading', { name: 'Alerts', exact: true })).toBeVisible();
    await expect(page.getByTestId('connection-banner')).toHaveCount(0);

    await stop();
    const banner = page.getByTestId('connection-banner');
    await expect(banner).toContainText('Lost the connection to PumpDeck');
    await expect(page.locator('.conn')).toHaveText('Disconnected');
    // A page opened while down says its calls were not sent.
    await page.goto(`http://127.0.0.1:${port}/#/console`);
    await expect(banner).toContainText('Lost the connection');
    await expect(page.getByText('PumpDeck is not connected: the call was not sent').first()).toBeVisible();

    server = await restart(TOKEN);
    // It reconnects by itself (backoff 1, 2, 4 … s), and the page loads what it could not.
    await expect(banner).toHaveCount(0, { timeout: 40_000 });
    await expect(page.locator('.conn')).toHaveText('Browser mode');
    await expect(page.getByRole('navigation', { name: 'Schema' })).toContainText('daily_summary');
    await expect(page.getByText('PumpDeck is not connected')).toHaveCount(0);

    // Restarted with another token: retrying cannot help, and the banner says what to do.
    await stop();
    server = await restart(`${TOKEN}-new`);
    await expect(banner).toContainText(/Lost the connection|no longer valid/);
    await page
      .getByRole('button', { name: 'Retry now' })
      .click({ timeout: 5_000 })
      .catch(() => {});
    await expect(banner).toContainText("This address's token is no longer valid", { timeout: 40_000 });

    // An address without its token, in a fresh tab.
    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto(`http://127.0.0.1:${port}/#/overview`);
    await expect(other.getByTestId('connection-banner')).toContainText('This address has no token');
    await fresh.close();
  } finally {
    await stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
});
