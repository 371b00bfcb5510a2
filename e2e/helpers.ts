import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { StationDb } from '../src-main/db/stationDb';
import { REPO } from './serve';

/** Runs SQL on the copy of the served database: the independent side of every e2e check. */
export async function sql<T extends Record<string, unknown>>(
  query: string,
  params?: (string | number)[],
): Promise<T[]> {
  const db = await StationDb.open(process.env.PUMPDECK_EXPECTED_DB!, { readOnly: true });
  try {
    return await db.all<T>(query, params);
  } finally {
    db.close();
  }
}

/** Saves a screenshot of the page as a test artifact in e2e-artifacts/. */
export async function artifact(page: Page, name: string): Promise<void> {
  const dir = join(REPO, 'e2e-artifacts');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The same formatting the UI uses (en-US grouping, fixed decimals). */
export { fmt, signed } from '../src-shared/format';

/**
 * Ticks or unticks a box (or picks a radio). Not `locator.check()`: React puts a controlled box
 * back to its old state until it renders the new one, and on a busy machine check() reads the box
 * in between and fails ("did not change its state"); this clicks, then waits for the render.
 */
export async function setChecked(box: Locator, checked: boolean): Promise<void> {
  if ((await box.isChecked()) !== checked) await box.click();
  await expect(box).toBeChecked({ checked });
}
