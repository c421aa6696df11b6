/**
 * The renderer ↔ contract ↔ handlers path in a real browser: the built renderer in Chromium,
 * its `window.gatehouse` calling the real handler table in this process.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openBridge, type Bridge } from './support/bridge';

let bridge: Bridge;
test.beforeEach(async ({ browser }) => {
  bridge = await openBridge(browser);
});
test.afterEach(async () => bridge.close());

test('shows the app info fetched over IPC from the real handler table', async () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  await expect(bridge.page.getByTestId('app-info')).toHaveText(new RegExp(`^Version ${version} `));
  await expect(bridge.page.getByTestId('app-info')).toContainText(`Node ${process.versions.node}`);
});

test('window.gatehouse exposes exactly the contract methods, frozen, and no generic invoke', async () => {
  const keys = await bridge.page.evaluate(() => ({
    keys: Object.keys((window as unknown as { gatehouse: object }).gatehouse).sort(),
    frozen: Object.isFrozen((window as unknown as { gatehouse: object }).gatehouse),
  }));
  expect(keys.frozen).toBe(true);
  expect(keys.keys).not.toContain('invoke');
  expect(keys.keys).toContain('signIn');
  expect(keys.keys).toContain('onSessionChanged');
});

test('a malformed call from the page is refused by validation in main', async () => {
  const result = await bridge.page.evaluate(() =>
    (window as unknown as { gatehouse: { signIn(a: unknown): Promise<unknown> } }).gatehouse.signIn(
      { providerId: '../../etc', extra: 1 },
    ),
  );
  expect(result).toMatchObject({ ok: false, error: { code: 'ipc_invalid_payload' } });
});

test('the CSP blocks inline script in the window', async () => {
  const ran = await bridge.page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.appendChild(s);
    return (window as unknown as { __inline?: number }).__inline ?? 0;
  });
  expect(ran).toBe(0);
});

test('demo sign-in through the system browser reaches the window as display claims only', async () => {
  await bridge.page.getByRole('button', { name: /sign in with demo/i }).click();
  await expect.poll(() => bridge.opened.length).toBe(1);
  await bridge.loginInSystemBrowser(bridge.opened[0]!, 'alice');
  await expect(bridge.page.getByText('Alice Demo')).toBeVisible();
  const text = await bridge.page.evaluate(() => document.documentElement.outerHTML);
  const tokens = bridge.core.sessions.tokensOf('demo:alice')!;
  expect(text).not.toContain(tokens.accessToken);
  expect(text).not.toContain(tokens.refreshToken!);
});
