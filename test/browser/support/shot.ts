/**
 * A screenshot for the README plus the text it shows, so the post-suite secret scan
 * (scripts/secret-scan.mjs) can prove no credential is ever visible in the window.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync('docs/screenshots', { recursive: true });
  mkdirSync('test-results/screenshot-text', { recursive: true });
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
  const text = await page.evaluate(() => document.body.innerText);
  const links = await page.evaluate(() =>
    [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).join('\n'),
  );
  writeFileSync(`test-results/screenshot-text/${name}.txt`, `${text}\n${links}\n`);
}
