/**
 * The built app under Playwright's `_electron`: window, security settings, and the main sign-in
 * scenarios against the embedded demo provider. The system browser is replaced by swapping
 * shell.openExternal in the main process; a Chromium page then logs in at the demo provider.
 * The issue-12 hardening specs (provider session, window.open, packaged DevTools and menu) pair
 * with the Node tests of their decision functions in test/unit/app/.
 */
import {
  _electron as electron,
  chromium,
  expect,
  test,
  type ElectronApplication,
} from '@playwright/test';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { providerSessionOptions } from '../../main/app/provider-session';
import { startGithubServer, type GithubServer } from '../support/github-server';
import { findElectronBinary } from './electron-binary';

const binary = findElectronBinary();
if (!binary.ok) console.warn(`Electron tests skipped: ${binary.reason}`);
test.skip(!binary.ok, binary.ok ? '' : binary.reason);

let app: ElectronApplication;

test.beforeEach(async () => {
  if (!binary.ok) return;
  app = await launch(binary.path);
});

/** Starts the app with a fresh data folder; `providers` becomes its providers.json. */
async function launch(executablePath: string, providers?: object): Promise<ElectronApplication> {
  const userData = mkdtempSync(path.join(tmpdir(), 'gh-electron-'));
  const config = path.join(userData, 'providers.json');
  if (providers) writeFileSync(config, JSON.stringify(providers));
  const launched = await electron.launch({
    executablePath,
    args: ['.', `--user-data-dir=${userData}`],
    env: { ...process.env, GATEHOUSE_CONFIG: config },
  });
  // Capture the sign-in URL instead of opening a real browser.
  await launched.evaluate(({ shell }) => {
    const g = globalThis as unknown as { openedUrls: string[] };
    g.openedUrls = [];
    shell.openExternal = async (url: string) => {
      g.openedUrls.push(url);
    };
  });
  return launched;
}

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
    await expect(
      page.getByText('Signed in to Demo provider (local). You can close this tab.'),
    ).toBeVisible();
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

// Issue 12 item 12: provider traffic used to run on the default session (net.fetch), which keeps
// cookies and an HTTP cache (GitHub /user, /user/emails) in the data folder.
test('provider traffic runs on an in-memory session without cache, never the default one', async () => {
  const win = await app.firstWindow();
  await app.evaluate(({ session }) => {
    const g = globalThis as unknown as { providerFetches: object[] };
    g.providerFetches = [];
    const proto = Object.getPrototypeOf(session.defaultSession) as Electron.Session;
    const original = proto.fetch;
    // net.fetch is defaultSession.fetch: every fetch of every session passes here.
    proto.fetch = function (this: Electron.Session, input, init) {
      const url = typeof input === 'string' ? input : input.url;
      if (/^https?:/.test(url))
        g.providerFetches.push({
          persistent: this.isPersistent(),
          storagePath: this.getStoragePath(),
          default: this === session.defaultSession,
        });
      return original.call(this, input, init);
    };
  });
  await win.getByRole('button', { name: /sign in with demo/i }).click();
  await loginInSystemBrowser(await lastOpenedUrl(), 'alice');
  await expect(win.getByText('Alice Demo')).toBeVisible();
  const seen = await app.evaluate(async ({ session }, partition) => {
    const fetches = (globalThis as unknown as { providerFetches: object[] }).providerFetches;
    const providers = session.fromPartition(partition);
    return {
      fetches,
      partition: { persistent: providers.isPersistent(), storagePath: providers.getStoragePath() },
      defaultCookies: (await session.defaultSession.cookies.get({})).length,
    };
  }, providerSessionOptions().partition);
  expect(seen.fetches.length).toBeGreaterThan(0);
  for (const fetch of seen.fetches)
    expect(fetch).toEqual({ persistent: false, storagePath: null, default: false });
  expect(seen.partition).toEqual({ persistent: false, storagePath: null });
  expect(seen.defaultCookies).toBe(0);
});

// Issue 12 item 15: any https window.open used to reach the system browser.
test.describe('window.open from the renderer', () => {
  let gh: GithubServer;
  test.beforeEach(async () => {
    if (!binary.ok) return;
    gh = await startGithubServer({ deviceInterval: 1 });
    await app.close();
    const { clientId, clientSecret } = gh.knobs;
    app = await launch(binary.path, {
      providers: [{ id: 'github', kind: 'github', clientId, clientSecret, baseUrl: gh.url }],
    });
  });
  test.afterEach(async () => gh?.close());

  const opened = () =>
    app.evaluate(() => (globalThis as unknown as { openedUrls: string[] }).openedUrls.slice());

  test('another site is refused; the device page the app started opens until the attempt ends', async () => {
    const win = await app.firstWindow();
    const page = `${gh.url}/login/device`;
    await win.evaluate(() => window.open('https://evil.example/'));
    await win.getByRole('button', { name: 'Sign in with a code' }).click();
    await expect(win.getByTestId('user-code')).toBeVisible();
    await win.evaluate(() => window.open('https://evil.example/'));
    const before = (await opened()).length;
    await win.getByRole('link', { name: page }).click();
    await expect.poll(async () => (await opened()).slice(before)).toEqual([page]);
    await win.getByRole('button', { name: /^cancel/i }).click();
    await expect(win.getByTestId('user-code')).toHaveCount(0);
    await win.evaluate((url) => window.open(url), page);
    await win.waitForTimeout(300);
    expect(await opened()).not.toContain('https://evil.example/');
    expect((await opened()).slice(before)).toEqual([page]);
    expect(app.windows()).toHaveLength(1);
  });
});

// Issue 12 item 15: packaged builds used to keep DevTools and Electron's default menu.
/** Asks for DevTools the way a person would (the shortcut), then directly, and reports. */
async function devToolsAndMenu() {
  const win = await app.firstWindow();
  await win.keyboard.press('Control+Shift+I');
  return app.evaluate(async ({ app: electronApp, BrowserWindow, Menu }) => {
    const wc = BrowserWindow.getAllWindows()[0]!.webContents;
    wc.openDevTools({ mode: 'detach' });
    const deadline = Date.now() + 2_000;
    while (!wc.isDevToolsOpened() && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      packaged: electronApp.isPackaged,
      devToolsOpened: wc.isDevToolsOpened(),
      menu: Menu.getApplicationMenu() !== null,
    };
  });
}

test('development run keeps DevTools and the default menu (windowChromeFor)', async () => {
  expect(await devToolsAndMenu()).toEqual({ packaged: false, devToolsOpened: true, menu: true });
});

test('packaged build: DevTools cannot be opened and there is no menu', async () => {
  test.skip(
    process.platform !== 'linux',
    'the packaged stand-in (the Electron binary under the product name) is made on Linux only',
  );
  await app.close();
  app = await launch(packagedStandIn(binary.ok ? binary.path : ''));
  expect(await devToolsAndMenu()).toEqual({ packaged: true, devToolsOpened: false, menu: false });
});

/**
 * app.isPackaged is true unless the executable is named "electron": the same binary, linked (or
 * copied) under the product's name beside links to its resources, is a packaged build to Electron.
 */
function packagedStandIn(electronPath: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-packaged-'));
  const source = path.dirname(electronPath);
  for (const entry of readdirSync(source))
    if (entry !== path.basename(electronPath))
      symlinkSync(path.join(source, entry), path.join(dir, entry));
  const exe = path.join(dir, 'gatehouse');
  try {
    linkSync(electronPath, exe);
  } catch {
    copyFileSync(electronPath, exe); // another file system: a hard link cannot cross it
  }
  if (!existsSync(exe)) throw new Error(`could not make ${exe}`);
  return exe;
}
