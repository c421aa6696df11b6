/**
 * P3: the renderer. (a) The production JavaScript's gzip size, from dist/renderer (npm run bench
 * builds first). (b) Time to first render of the signed-in state in Debian's Chromium: the real
 * renderer over the browser-test bridge (real handler table, real engine) with one demo account
 * signed in; each round reloads the window and measures, from navigation start, when the
 * account card first appears in the DOM (a MutationObserver records performance.now()).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { openBridge } from '../test/browser/support/bridge';
import type { Budget } from './budget';
import { median, type Row } from './table';

function gzipKb(): number {
  const dir = path.resolve('dist/renderer/assets');
  const bytes = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dir, f)), { level: 9 }).length, 0);
  return bytes / 1024;
}

export async function benchRenderer({ rounds }: Budget): Promise<Row[]> {
  const kb = gzipKb();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const bridge = await openBridge(browser as never);
  const times: number[] = [];
  try {
    await bridge.page.getByRole('button', { name: /sign in with demo provider/i }).click();
    const deadline = Date.now() + 10_000;
    while (bridge.opened.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await bridge.loginInSystemBrowser(bridge.opened[0]!, 'bench');
    await bridge.page.getByRole('article').waitFor();
    await bridge.page.addInitScript(() => {
      const w = window as unknown as { __firstCard?: number };
      new MutationObserver((_m, observer) => {
        if (document.querySelector('article')) {
          w.__firstCard = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    for (let i = 0; i < rounds + 1; i++) {
      await bridge.page.reload();
      await bridge.page.getByRole('article').waitFor();
      const t = await bridge.page.evaluate(
        () => (window as unknown as { __firstCard?: number }).__firstCard ?? NaN,
      );
      if (i > 0) times.push(t); // the first reload warms the cache, as a running app has
    }
  } finally {
    await bridge.close();
    await browser.close();
  }
  const ms = median(times);
  return [
    {
      id: 'P3',
      measure: 'renderer production JavaScript, gzip',
      value: `${kb.toFixed(1)} KB`,
      target: '≤ 150 KB',
      ok: kb <= 150,
    },
    {
      id: 'P3',
      measure: `first render of the signed-in state in Chromium (median of ${rounds} reloads)`,
      value: `${ms.toFixed(1)} ms`,
      target: '≤ 200 ms',
      ok: ms <= 200,
    },
  ];
}
