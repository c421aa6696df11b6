/**
 * A screenshot of the window plus the text it shows, so the post-suite secret scan
 * (scripts/secret-scan.mjs) can prove no credential is ever visible in the window. Test runs
 * write under test-results/screenshots; only `npm run screenshots` (which sets
 * GATEHOUSE_SCREENSHOTS=docs) refreshes the README's docs/screenshots.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

export const SCREENSHOT_DIR =
  process.env.GATEHOUSE_SCREENSHOTS === 'docs' ? 'docs/screenshots' : 'test-results/screenshots';

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  mkdirSync('test-results/screenshot-text', { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
  const text = await page.evaluate(() => document.body.innerText);
  const links = await page.evaluate(() =>
    [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).join('\n'),
  );
  writeFileSync(`test-results/screenshot-text/${name}.txt`, `${text}\n${links}\n`);
}
