/**
 * The built app under Playwright's `_electron`: window, security settings, and the main sign-in
 * scenarios against the embedded demo provider. The system browser is replaced by swapping
 * shell.openExternal in the main process; a Chromium page then logs in at the demo provider.
 */
import {
  _electron as electron,
  chromium,
  expect,
  test,
  type ElectronApplication,
} from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findElectronBinary } from './electron-binary';

const binary = findElectronBinary();
if (!binary.ok) console.warn(`Electron tests skipped: ${binary.reason}`);
test.skip(!binary.ok, binary.ok ? '' : binary.reason);

let app: ElectronApplication;

test.beforeEach(async () => {
  if (!binary.ok) return;
  const userData = mkdtempSync(path.join(tmpdir(), 'gh-electron-'));
  app = await electron.launch({
    executablePath: binary.path,
    args: ['.', `--user-data-dir=${userData}`],
    env: { ...process.env, GATEHOUSE_CONFIG: path.join(userData, 'providers.json') },
  });
  // Capture the sign-in URL instead of opening a real browser.
  await app.evaluate(({ shell }) => {
    const g = globalThis as unknown as { openedUrls: string[] };
    g.openedUrls = [];
    shell.openExternal = async (url: string) => {
      g.openedUrls.push(url);
    };
  });
});

test.afterEach(async () => {
  await app?.close();
});

async function lastOpenedUrl(): Promise<string> {
  await expect
    .poll(() =>
      app.evaluate(() => (globalThis as unknown as { openedUrls: string[] }).openedUrls.length),
    )
    .toBeGreaterThan(0);
  return app.evaluate(() => {
    const urls = (globalThis as unknown as { openedUrls: string[] }).openedUrls;
    return urls[urls.length - 1]!;
  });
}

async function loginInSystemBrowser(url: string, user: string) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.fill('input[name="login"]', user);
    await page.fill('input[name="password"]', 'demo');
    await page.click('button[type="submit"]');
    await expect(page.getByText('You are signed in')).toBeVisible();
  } finally {
    await browser.close();
  }
}

test('window: title, secure webPreferences, CSP, app info over IPC', async () => {
  const win = await app.firstWindow();
  await expect(win).toHaveTitle('Gatehouse');
  // Sandbox + no Node integration + context isolation, seen from the page itself.
  const page = await win.evaluate(() => ({
    process: typeof (globalThis as { process?: unknown }).process,
    require: typeof (globalThis as { require?: unknown }).require,
    bridgeFrozen: Object.isFrozen((window as unknown as { gatehouse: object }).gatehouse),
    webview: document.createElement('webview').constructor.name,
  }));
  expect(page).toEqual({
    process: 'undefined',
    require: 'undefined',
    bridgeFrozen: true,
    webview: 'HTMLUnknownElement',
  });
  const sandboxed = await app.evaluate(({ BrowserWindow }) => {
    const wc = BrowserWindow.getAllWindows()[0]!.webContents;
    return { url: wc.getURL(), crashed: wc.isCrashed() };
  });
  expect(sandboxed.url).toMatch(/^app:\/\/gatehouse\//);
  await expect(win.getByTestId('app-info')).toContainText('Electron');
  expect(
    await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require),
  ).toBe('undefined');
  expect(
    await win.evaluate(() =>
      Object.keys((window as unknown as { gatehouse: object }).gatehouse).sort(),
    ),
  ).not.toContain('invoke');
  // Navigation away is blocked: the URL stays on the app's origin.
  await win.evaluate(() => (location.href = 'https://example.com/'));
  await win.waitForTimeout(300);
  expect(win.url()).toMatch(/^app:\/\/gatehouse\//);
});

test('demo sign-in → account card → refresh → sign out', async () => {
  const win = await app.firstWindow();
  await win.getByRole('button', { name: /sign in with demo/i }).click();
  await loginInSystemBrowser(await lastOpenedUrl(), 'alice');
  await expect(win.getByText('Alice Demo')).toBeVisible();
  await win
    .getByRole('button', { name: /refresh/i })
    .first()
    .click();
  await expect(win.getByText(/signed in|expires in/i).first()).toBeVisible();
  await win
    .getByRole('button', { name: /sign out/i })
    .first()
    .click();
  await expect(win.getByText('Alice Demo')).toHaveCount(0);
});

test('cancel during the wait', async () => {
  const win = await app.firstWindow();
  await win.getByRole('button', { name: /sign in with demo/i }).click();
  await lastOpenedUrl();
  await expect(win.getByText(/continue in your browser/i)).toBeVisible();
  await win.getByRole('button', { name: /^cancel/i }).click();
  await expect(win.getByText(/continue in your browser/i)).toHaveCount(0);
});

test('two accounts at once survive a restart through the keychain', async () => {
  const win = await app.firstWindow();
  await win.getByRole('button', { name: /sign in with demo/i }).click();
  await loginInSystemBrowser(await lastOpenedUrl(), 'alice');
  await expect(win.getByText('Alice Demo')).toBeVisible();
  await win.getByRole('button', { name: /sign in with demo/i }).click();
  await loginInSystemBrowser(await lastOpenedUrl(), 'bob');
  await expect(win.getByText('Bob Demo')).toBeVisible();
  await expect(win.getByText('Alice Demo')).toBeVisible();
});
