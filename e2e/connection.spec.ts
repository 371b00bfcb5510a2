import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startServe } from './serve';

// Browser mode's connection (issue 18): a lost server shows a banner on every page, calls made while
// it is down fail visibly, the console reconnects by itself when the server is back, and an address
// whose token is gone or missing says how to get one. The network between browser and server is a
// TCP relay the test cuts and re-points, so no server has to restart on a port.

const TOKEN = 'e2e-connection-token-0123456789abcdef';

/** A TCP relay to a server's port: `to(null)` cuts every connection and refuses new ones. */
async function relay() {
  let target: number | null = null;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (target === null) return client.destroy();
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => open.delete(s));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    to(port: number | null) {
      target = port;
      for (const s of open) s.destroy();
    },
    close: () => new Promise((done) => server.close(done)),
  };
}

test('a lost server: banner, calls fail visibly, reconnect by itself; a stale or missing token explains itself', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'pumpdeck-e2e-conn-'));
  const servers: Array<Awaited<ReturnType<typeof startServe>>> = [];
  const net = await relay();
  try {
    const serve = async (name: string, token: string) => {
      const db = join(dir, `${name}.duckdb`);
      copyFileSync(process.env.PUMPDECK_EXPECTED_DB!, db);
      const server = await startServe(['--db', db], { PUMPDECK_SERVE_TOKEN: token, PUMPDECK_HOME: join(dir, name) });
      servers.push(server);
      return Number(new URL(server.url).port);
    };
    const [first, restarted] = await Promise.all([serve('a', TOKEN), serve('b', `${TOKEN}-new`)]);
    net.to(first);
    await page.goto(`http://127.0.0.1:${net.port}/?token=${TOKEN}#/alerts`);
    await expect(page.getByRole('heading', { name: 'Alerts', exact: true })).toBeVisible();
    await expect(page.getByTestId('connection-banner')).toHaveCount(0);

    net.to(null);
    const banner = page.getByTestId('connection-banner');
    await expect(banner).toContainText('Lost the connection to PumpDeck');
    await expect(page.locator('.conn')).toHaveText('Disconnected');
    // A page opened while down says its calls were not sent.
    await page.goto(`http://127.0.0.1:${net.port}/#/console`);
    await expect(page.getByText('PumpDeck is not connected: the call was not sent').first()).toBeVisible();

    // Back: it reconnects by itself (backoff 1, 2, 4 … s), and the page loads what it could not.
    net.to(first);
    await expect(banner).toHaveCount(0, { timeout: 40_000 });
    await expect(page.locator('.conn')).toHaveText('Browser mode');
    await expect(page.getByRole('navigation', { name: 'Schema' })).toContainText('daily_summary');
    await expect(page.getByText('PumpDeck is not connected')).toHaveCount(0);

    // The server came back with another token: retrying cannot help, and the banner says what to do.
    net.to(restarted);
    await expect(banner).toContainText("This address's token is no longer valid", { timeout: 40_000 });

    // An address without its token, in a fresh tab.
    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto(`http://127.0.0.1:${net.port}/#/overview`);
    await expect(other.getByTestId('connection-banner')).toContainText('This address has no token');
    await fresh.close();
  } finally {
    net.to(null);
    await net.close();
    for (const server of servers) server.process.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
