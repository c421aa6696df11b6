/**
 * The Gatehouse window end to end in Chromium, against the real engine in this process (the real
 * keychain store under the private Secret Service), the embedded demo provider and the GitHub
 * wire-format server, with a second browser context playing the system browser. Screenshots of
 * the key steps go to test-results/screenshots (docs/screenshots with `npm run screenshots`,
 * for the README); axe checks each main screen in both themes.
 */
import { expect, test } from '@playwright/test';
import { keychainName } from '../../main/secrets/keyring-store';
import { MemorySecretStore } from '../../main/secrets/memory-store';
import { startGithubServer, type GithubServer } from '../support/github-server';
import { axe } from './support/axe';
import { openBridge, type Bridge } from './support/bridge';
import { shot } from './support/shot';

let bridge: Bridge | null = null;
let github: GithubServer | null = null;
test.afterEach(async () => {
  await bridge?.close();
  bridge = null;
  await github?.close();
  github = null;
});

async function startDemoSignIn(b: Bridge, button = /sign in with demo provider/i) {
  const before = b.opened.length;
  await b.page.getByRole('button', { name: button }).click();
  await expect.poll(() => b.opened.length).toBeGreaterThan(before);
  return b.opened[b.opened.length - 1]!;
}

test('demo sign-in → account card → refresh → sign out', async ({ browser }) => {
  bridge = await openBridge(browser);
  const { page } = bridge;
  await expect(page.getByRole('button', { name: /sign in with demo provider/i })).toBeEnabled();
  await axe(page, 'start');
  const url = await startDemoSignIn(bridge);
  await expect(page.getByText('Continue in your browser')).toBeVisible();
  await expect(page.getByTestId('countdown')).toHaveText(/\d+ min/);
  await shot(page, '02-waiting');
  await axe(page, 'waiting');
  const tab = await bridge.loginInSystemBrowser(url, 'alice');
  await expect(
    tab.getByText('Signed in to Demo provider (local). You can close this tab.'),
  ).toBeVisible();
  const card = page.getByRole('article', { name: /Alice Demo at Demo provider/ });
  await expect(card).toBeVisible();
  await expect(card.getByText('alice@demo.gatehouse.invalid')).toBeVisible();
  await expect(card.getByTestId('account-status')).toHaveText(/Signed in/);
  // Where the tokens are: the real keychain store, as in the app (under npm test's Secret Service).
  const storage = bridge.core.storage;
  if (process.env.GATEHOUSE_KEYRING_READY === '1')
    expect(storage).toEqual({ kind: 'keychain', name: keychainName() });
  await expect(
    card.getByText(`Tokens kept in ${storage.kind === 'keychain' ? storage.name : ''}`),
  ).toBeVisible();
  // The raw ids and the manual refresh are behind "Details".
  await expect(card.getByText('alice', { exact: true })).toBeHidden();
  await expect(card.getByRole('button', { name: 'Refresh now' })).toBeHidden();
  await shot(page, '03-signed-in');
  await axe(page, 'signed-in');
  await card.getByText('Details').click();
  await expect(card.getByText('alice', { exact: true })).toBeVisible();
  await expect(card.getByText('demo:alice', { exact: true })).toBeVisible();
  await axe(page, 'signed-in-details');
  const before = bridge.core.sessions.tokensOf('demo:alice')!.accessToken;
  await card.getByRole('button', { name: 'Refresh now' }).click();
  await expect
    .poll(() => bridge!.core.sessions.tokensOf('demo:alice')?.accessToken)
    .not.toBe(before);
  await expect(card.getByTestId('account-status')).toHaveText(/Signed in/);
  await card.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('No one is signed in yet.')).toBeVisible();
});

test('cancel during the wait', async ({ browser }) => {
  bridge = await openBridge(browser);
  await startDemoSignIn(bridge);
  await expect(bridge.page.getByText('Continue in your browser')).toBeVisible();
  await bridge.page.getByRole('button', { name: 'Cancel' }).click();
  await expect(bridge.page.getByText('Continue in your browser')).toHaveCount(0);
  expect(bridge.core.sessions.snapshot().pending).toEqual([]);
});

test('the timeout ends the attempt with a sentence and a way to retry', async ({ browser }) => {
  bridge = await openBridge(browser, {
    providers: {
      providers: [{ id: 'demo', kind: 'demo', displayName: 'Demo provider', timeoutSeconds: 10 }],
    },
  });
  await startDemoSignIn(bridge);
  await expect(bridge.page.getByText('The sign-in was not finished in time.')).toBeVisible({
    timeout: 15_000,
  });
  await expect(bridge.page.getByRole('button', { name: 'Try again' })).toBeVisible();
  await shot(bridge.page, '05-timeout');
});

test('copy link: each copy is a fresh attempt, and the copied link completes the sign-in', async ({
  browser,
}) => {
  bridge = await openBridge(browser);
  await bridge.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const opened = await startDemoSignIn(bridge);
  await bridge.page.getByRole('button', { name: 'Copy sign-in link' }).click();
  await expect(bridge.page.getByTestId('copied')).toBeVisible();
  const copied = await bridge.page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/signin\?n=/);
  expect(copied).not.toBe(opened);
  await bridge.loginInSystemBrowser(copied, 'carol');
  await expect(bridge.page.getByRole('article', { name: /Carol Demo/ })).toBeVisible();
});

test('a provider error (access denied) is shown as a sentence with the code in details', async ({
  browser,
}) => {
  bridge = await openBridge(browser);
  await startDemoSignIn(bridge);
  // The person clicks "Cancel" on the provider's page: the provider answers access_denied.
  const systemBrowser = await browser.newContext();
  const tab = await systemBrowser.newPage();
  await tab.goto(bridge.opened[0]!);
  await tab.fill('input[name="login"]', 'dave');
  await tab.fill('input[name="password"]', 'x');
  await tab.click('button[type="submit"]');
  const abort = tab.getByRole('link', { name: /cancel/i });
  const done = tab.getByText('Signed in to Demo provider (local). You can close this tab.');
  await abort.or(done).first().waitFor();
  if (await abort.isVisible()) {
    await abort.click();
  } else {
    // Already signed in at the provider: reproduce the provider's denial on the loopback.
    throw new Error('the demo provider skipped its consent screen');
  }
  await expect(tab.getByText('Sign-in did not complete')).toBeVisible();
  await systemBrowser.close();
  await expect(
    bridge.page.locator('.notice-sentence', {
      hasText: 'The sign-in was declined at the provider.',
    }),
  ).toBeVisible();
  await bridge.page.getByText('Details').click();
  await expect(bridge.page.getByText('access_denied')).toBeVisible();
  await shot(bridge.page, '06-access-denied');
  await axe(bridge.page, 'error');
});

test('a provider that is not set up has no sign-in button: its set-up steps name the problems', async ({
  browser,
}) => {
  bridge = await openBridge(browser, {
    providers: {
      providers: [
        { id: 'demo', kind: 'demo', displayName: 'Demo provider' },
        {
          id: 'webex',
          kind: 'webex',
          clientId: '${WEBEX_CLIENT_ID}',
          clientSecret: '${WEBEX_CLIENT_SECRET}',
          ports: [53682, 53683],
        },
      ],
    },
  });
  const { page } = bridge;
  await expect(page.getByRole('button', { name: /sign in with demo provider/i })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Sign in with Webex' })).toHaveCount(0);
  await page.getByRole('button', { name: /Set up another provider/ }).click();
  await page.getByRole('button', { name: 'Set up Webex' }).click();
  const problems = page.getByRole('list', { name: 'Problems with Webex' });
  await expect(problems).toContainText('WEBEX_CLIENT_ID is not set in .env');
  // Fixed ports: one redirect URI per port, exactly as the loopback listens.
  await expect(
    page.getByText('http://127.0.0.1:53682/callback/webex', { exact: true }),
  ).toBeVisible();
  await expect(
    page.getByText('http://127.0.0.1:53683/callback/webex', { exact: true }),
  ).toBeVisible();
  await shot(page, '07-config-error');
  await axe(page, 'set-up-steps');
});

test('a broken configuration file names the file and the field; no provider stands in', async ({
  browser,
}) => {
  bridge = await openBridge(browser, {
    providers: { providers: [{ id: 'kc', kind: 'oidc', clientId: 'x' }] },
  });
  await expect(bridge.page.getByText(/providers\.json: providers\[0\]\.issuer/)).toBeVisible();
  await expect(bridge.page.getByRole('button', { name: /sign in with demo/i })).toHaveCount(0);
});

test('two accounts at once, from two providers', async ({ browser }) => {
  github = await startGithubServer();
  bridge = await openBridge(browser, {
    providers: {
      providers: [
        { id: 'demo', kind: 'demo', displayName: 'Demo provider' },
        {
          id: 'github',
          kind: 'github',
          displayName: 'GitHub',
          clientId: github.knobs.clientId,
          clientSecret: github.knobs.clientSecret,
          baseUrl: github.url,
        },
      ],
    },
  });
  const first = await startDemoSignIn(bridge, /sign in with demo provider/i);
  const second = await startDemoSignIn(bridge, /^sign in with github$/i);
  await bridge.loginInSystemBrowser(second, 'octo');
  await bridge.loginInSystemBrowser(first, 'alice');
  await expect(
    bridge.page.getByRole('article', { name: /Alice Demo at Demo provider/ }),
  ).toBeVisible();
  await expect(bridge.page.getByRole('article', { name: /Octo Cat at GitHub/ })).toBeVisible();
  await shot(bridge.page, '04-two-accounts');
});

test('linking a second provider identity to the same profile, then unlinking', async ({
  browser,
}) => {
  bridge = await openBridge(browser, {
    providers: {
      providers: [
        { id: 'demo', kind: 'demo', displayName: 'Demo provider' },
        { id: 'demo2', kind: 'demo', displayName: 'Second demo' },
      ],
    },
  });
  await bridge.loginInSystemBrowser(await startDemoSignIn(bridge), 'alice');
  const card = bridge.page.getByRole('article', { name: /Alice Demo at Demo provider/ });
  await card.getByRole('button', { name: 'Link another provider' }).click();
  await card.getByRole('button', { name: 'Link Second demo' }).click();
  await expect.poll(() => bridge!.opened.length).toBe(2);
  await bridge.loginInSystemBrowser(bridge.opened[1]!, 'alice-work');
  await expect(card.getByText('Linked identities:')).toBeVisible();
  await expect(card.getByText('Second demo: Alice-work Demo')).toBeVisible();
  await card.getByRole('button', { name: 'Unlink' }).click();
  await expect(card.getByText('Linked identities:')).toHaveCount(0);
});

test('keychain unavailable: the window says sessions are not remembered, and sign-in still works', async ({
  browser,
}) => {
  bridge = await openBridge(browser, {
    store: new MemorySecretStore(
      'The Secret Service (GNOME Keyring / KWallet) is not reachable: DBus error: Failed to connect to socket',
      'keychain_unavailable',
    ),
  });
  await expect(bridge.page.getByTestId('storage-banner')).toContainText(
    'Sessions are not remembered',
  );
  await bridge.loginInSystemBrowser(await startDemoSignIn(bridge), 'erin');
  const card = bridge.page.getByRole('article', { name: /Erin Demo/ });
  await expect(
    card.getByText(/Not remembered: kept in memory for this session only/),
  ).toBeVisible();
  await shot(bridge.page, '08-keychain-unavailable');
});

test('sign-in log and settings screens', async ({ browser }) => {
  bridge = await openBridge(browser);
  await bridge.loginInSystemBrowser(await startDemoSignIn(bridge), 'alice');
  await expect(bridge.page.getByText('Alice Demo')).toBeVisible();
  await bridge.page.getByRole('button', { name: 'Sign-in log' }).click();
  const entry = bridge.page.locator('.log-entry').first();
  await expect(entry).toContainText('Demo provider (local) · signed in');
  // The step timings are behind "Details".
  await expect(entry.getByText(/port-bound :\d+/)).toBeHidden();
  await entry.getByText('Details').click();
  await expect(entry.getByText(/port-bound :\d+/)).toBeVisible();
  const download = bridge.page.waitForEvent('download');
  await bridge.page.getByRole('button', { name: 'Export to JSON' }).click();
  expect((await download).suggestedFilename()).toBe('gatehouse-sign-in-log.json');
  const exported = await bridge.page.locator('textarea').inputValue();
  const tokens = bridge.core.sessions.tokensOf('demo:alice')!;
  expect(exported).toContain('"signed-in"');
  expect(exported).not.toContain(tokens.accessToken);
  await shot(bridge.page, '09-log');
  await axe(bridge.page, 'log');
  await bridge.page.getByRole('button', { name: 'Settings' }).click();
  await expect(bridge.page.getByTestId('config-path')).toContainText('providers.json');
  await bridge.page.getByLabel('Dark').check();
  expect(await bridge.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await axe(bridge.page, 'settings');
  // axe left the theme to the system: choose Dark again, as a person would.
  await bridge.page.getByLabel('Light').check();
  await bridge.page.getByLabel('Dark').check();
  await bridge.page.getByRole('button', { name: 'Reload configuration' }).click();
  await bridge.page.getByRole('button', { name: 'Accounts' }).click();
  await expect(bridge.page.getByText('Alice Demo')).toBeVisible();
  // The dark theme on the screen people see most (Settings shows the test's data folder).
  await shot(bridge.page, '10-dark');
});
