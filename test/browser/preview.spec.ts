/**
 * `npm run preview` end to end: its server runs as its own process (tsx main/preview/main.ts,
 * as the npm script runs it) on a temporary data folder with the demo provider and the test
 * keychain; Chromium opens the start page it hands to "the system browser" ($BROWSER records
 * it), signs in at the demo provider in a second context, and sees the account in the window.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const TSX = path.resolve('node_modules/.bin/tsx');
const LINK = /^\s+(http:\/\/127\.0\.0\.1:\d+\/open\?t=[\w-]+)$/m;

/** Waits (bounded) until `probe` returns something. */
async function until<T>(probe: () => T | null | undefined, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Preview {
  child: ChildProcess;
  output: () => string;
  /** Each URL the preview asked "the system browser" to open, first one first. */
  opened: () => string[];
  dir: string;
}

function startPreview(): Preview {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-preview-'));
  const record = path.join(dir, 'opened.txt');
  const browser = path.join(dir, 'record-browser.mjs');
  writeFileSync(
    browser,
    `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(record)}, process.argv[2] + '\\n');\n`,
  );
  const env: Record<string, string | undefined> = {
    ...process.env,
    GATEHOUSE_DATA_DIR: path.join(dir, 'data'),
    GATEHOUSE_KEYCHAIN_SERVICE: `Gatehouse-test-${path.basename(dir)}`,
    BROWSER: `${process.execPath} ${browser} %s`,
  };
  delete env.GATEHOUSE_CONFIG;
  const child = spawn(TSX, ['main/preview/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return {
    child,
    dir,
    output: () => output,
    opened: () =>
      existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : [],
  };
}

async function stopPreview(preview: Preview) {
  if (preview.child.exitCode === null) {
    const exited = new Promise((resolve) => preview.child.once('exit', resolve));
    preview.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  rmSync(preview.dir, { recursive: true, force: true });
}

/** The "system browser" logs in at the demo provider (main/demo/), as the bridge's does. */
async function loginAtDemo(browser: Browser, target: string, user: string): Promise<Page> {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(target);
  await tab.fill('input[name="login"]', user);
  await tab.fill('input[name="password"]', 'any password');
  await tab.click('button[type="submit"]');
  // Gatehouse's loopback reply page; the demo asks for consent once per account.
  const done = tab.getByText('Signed in to Demo provider (local). You can close this tab.');
  const consent = tab.getByRole('button', { name: /^(Allow|Continue)$/ });
  await done.or(consent).first().waitFor();
  if (await consent.isVisible()) await consent.click();
  await done.waitFor();
  return tab;
}

test('npm run preview: the window in Chromium signs in with the demo provider', async ({
  browser,
}) => {
  if (!existsSync('dist/renderer/index.html'))
    execFileSync('npm', ['run', '--silent', 'build:renderer'], { stdio: 'inherit' });
  const preview = startPreview();
  try {
    const link = await until(() => LINK.exec(preview.output())?.[1], 'the printed link');
    const startPage = await until(() => preview.opened()[0], 'the browser to be opened');
    // The link travels inside a file:// page, never on the browser's command line.
    expect(startPage).toMatch(/^file:\/\//);

    const app = await browser.newContext();
    const page = await app.newPage();
    await page.goto(startPage);
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/p-[\w-]+\/$/);
    const signIn = page.getByRole('button', { name: /sign in with demo provider/i });
    await expect(signIn).toBeEnabled();
    await signIn.click();
    const signInPage = await until(() => preview.opened()[1], 'the sign-in to open a browser');
    await loginAtDemo(browser, signInPage, 'alice');
    // session:changed reached the page over the preview channel.
    const card = page.getByRole('article', { name: /Alice Demo at Demo provider/ });
    await expect(card).toBeVisible();
    await expect(card.getByText('alice@demo.gatehouse.invalid')).toBeVisible();

    // The one-time link, used once by the start page, lets no second browser in.
    const other = await browser.newContext();
    const second = await other.newPage();
    const refused = await second.goto(link);
    expect(refused?.status()).toBe(403);
    expect((await second.request.get(new URL(page.url()).href)).status()).toBe(401);
    await other.close();

    await card.getByRole('button', { name: 'Sign out' }).click();
    await expect(card).toHaveCount(0);
    await app.close();
  } finally {
    await stopPreview(preview);
  }
});
