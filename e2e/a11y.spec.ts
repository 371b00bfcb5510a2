import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { artifact } from './helpers';

// Accessibility (issue 18): axe-core on every page in both themes reports no serious or critical
// violation of WCAG 2.1 A and AA (contrast, names, roles, structure).

const PAGES: Array<readonly [string, string | RegExp]> = [
  ['overview', /station/i],
  ['alerts', 'Alerts'],
  ['pumps', 'Pumps'],
  ['models', 'Models'],
  ['analytics', 'Analytics'],
  ['planning', 'Forecast & schedule'],
  ['edge', 'Edge export'],
  ['anomalies', 'Anomalies'],
  ['fleet', 'Fleet'],
  ['import', 'Import'],
  ['console', 'Console'],
];

for (const theme of ['light', 'dark'] as const)
  test(`every page in the ${theme} theme: no serious or critical axe violation`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.addInitScript(`localStorage.setItem('pumpdeck.theme', '${theme}')`);
    const found: string[] = [];
    for (const [id, heading] of PAGES) {
      await page.goto(`${process.env.PUMPDECK_URL!}#/${id}`);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.waitForLoadState('networkidle');
      // The settled page: a panel still loading is dimmed on purpose (its data arrives over the
      // WebSocket, which networkidle does not wait for).
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      const { violations } = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      // No text under 12 px, chart ticks included.
      // (A script string: the e2e project type-checks without the DOM library.)
      const small = (await page.evaluate(`(() => {
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const element = node.parentElement;
          if (!element || !node.textContent.trim() || !element.getClientRects().length) continue;
          const size = Number.parseFloat(getComputedStyle(element).fontSize);
          if (size < 11.95) out.push(element.tagName.toLowerCase() + ' "' + node.textContent.trim().slice(0, 20) + '" ' + size + 'px');
        }
        return out;
      })()`)) as string[];
      // Nothing wider than the window at 1280 and 1920 (a wide table scrolls inside its panel), and a
      // screenshot of each for review.
      if (theme === 'light')
        for (const width of [1280, 1920]) {
          await page.setViewportSize({ width, height: 900 });
          const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
          if (overflow > 0) found.push(`${id}: ${overflow} px wider than a ${width} px window`);
          await artifact(page, `${id}-${width}`);
        }
      found.push(...small.slice(0, 5).map((s) => `${id}: text under 12 px: ${s}`));
      for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
        found.push(
          `${id}: ${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
        );
    }
    expect(found).toEqual([]);
  });
