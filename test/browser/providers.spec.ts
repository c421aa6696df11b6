/**
 * GitHub and XWMS end to end in Chromium: the window (real renderer, real handler table, real
 * engine) and a second browser context as the system browser, against the protocol-faithful
 * local servers. Covers the GitHub web flow, the device-flow fallback offered when the browser
 * never reaches the loopback (the person types the code at GitHub's device page), and XWMS.
 */
import { expect, test } from '@playwright/test';
import { openBridge, type Bridge } from './support/bridge';
import { shot } from './support/shot';
import { startGithubServer, type GithubServer } from '../support/github-server';
import { startXwmsServer, type XwmsServer } from '../support/xwms-server';

let bridge: Bridge | null = null;
const servers: Array<GithubServer | XwmsServer> = [];
test.afterEach(async () => {
  await bridge?.close();
  bridge = null;
  for (const s of servers.splice(0)) await s.close();
});

async function githubWorld(browser: Parameters<typeof openBridge>[0]) {
  // The device page named in the answer is github.com's, as GitHub's own answer names it.
  const gh = await startGithubServer({
    deviceInterval: 1,
    verificationUri: 'https://github.com/login/device',
  });
  servers.push(gh);
  bridge = await openBridge(browser, {
    providers: {
      providers: [
        {
          id: 'github',
          kind: 'github',
          displayName: 'GitHub',
          clientId: gh.knobs.clientId,
          clientSecret: gh.knobs.clientSecret,
          baseUrl: gh.url,
        },
      ],
    },
  });
  return { gh, b: bridge };
}

test('GitHub web flow: login, authorise, account card keyed on the numeric id', async ({
  browser,
}) => {
  const { gh, b } = await githubWorld(browser);
  await b.page.getByRole('button', { name: 'Sign in with GitHub' }).click();
  await expect.poll(() => b.opened.length).toBe(1);
  const tab = await b.loginInSystemBrowser(b.opened[0]!, 'private');
  await expect(tab.getByText('Signed in to GitHub. You can close this tab.')).toBeVisible();
  // "private" has no public email: the primary verified one comes from /user/emails.
  const card = b.page.getByRole('article', { name: /private at GitHub/ });
  await expect(card).toBeVisible();
  await expect(card.getByText('hidden@example.test')).toBeVisible();
  await expect(card.getByTestId('account-status')).toHaveText(/lasts until you sign out/);
  expect(b.core.sessions.snapshot().accounts.map((a) => a.accountId)).toEqual(['github:9000001']);
  expect(gh.tokens.size).toBe(1);
  // Sign-out revokes at GitHub (a secret is configured), then forgets locally.
  await card.getByRole('button', { name: 'Sign out' }).click();
  await expect(b.page.getByText('No one is signed in yet.')).toBeVisible();
  expect(gh.tokens.size).toBe(0);
});

test('GitHub device flow as the fallback when the browser never comes back', async ({
  browser,
}) => {
  const { gh, b } = await githubWorld(browser);
  await b.page.getByRole('button', { name: 'Sign in with GitHub' }).click();
  await expect(b.page.getByText('Continue in your browser')).toBeVisible();
  // Nobody visits the link: after a few seconds the window offers the code instead.
  const fallback = b.page.getByRole('button', { name: 'Sign in with a code instead' });
  await expect(fallback).toBeVisible({ timeout: 15_000 });
  await fallback.click();
  const code = b.page.getByTestId('user-code');
  await expect(code).toHaveText(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
  await shot(b.page, '11-device-code');
  await expect(
    b.page.getByRole('link', { name: 'https://github.com/login/device' }),
  ).toHaveAttribute('href', 'https://github.com/login/device');
  // The person opens the device page in their browser and types the code: here the wire-format
  // server's copy of it, as the network guard refuses github.com.
  const tab = await (await browser.newContext()).newPage();
  await tab.goto(`${gh.url}/login/device`);
  await tab.fill('input[name="user_code"]', (await code.textContent())!);
  await tab.fill('input[name="device_login"]', 'octo');
  await tab.click('button[type="submit"]');
  await expect(tab.getByText('you are all set')).toBeVisible();
  const card = b.page.getByRole('article', { name: /Octo Cat at GitHub/ });
  await expect(card).toBeVisible({ timeout: 10_000 });
  await expect(card.getByText('octo@example.test')).toBeVisible();
  await tab.context().close();
});

test('XWMS: token login in the browser, sub as identity, lasts until sign-out', async ({
  browser,
}) => {
  const xw = await startXwmsServer();
  servers.push(xw);
  bridge = await openBridge(browser, {
    providers: {
      providers: [
        {
          id: 'xwms',
          kind: 'xwms',
          displayName: 'XWMS',
          clientId: xw.knobs.clientId,
          clientSecret: xw.knobs.clientSecret,
          domain: xw.knobs.domain,
          apiUrl: xw.apiUrl,
        },
      ],
    },
  });
  const b = bridge;
  await b.page.getByRole('button', { name: 'Sign in with XWMS' }).click();
  await expect.poll(() => b.opened.length).toBe(1);
  await b.loginInSystemBrowser(b.opened[0]!, 'ada');
  const card = b.page.getByRole('article', { name: /Ada Lovelace at XWMS/ });
  await expect(card).toBeVisible();
  await expect(card.getByText('ada@xwms.test')).toBeVisible();
  await expect(card.getByTestId('account-status')).toHaveText(/lasts until you sign out/);
  await card.getByText('Details').click();
  await expect(card.getByText('4242', { exact: true })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Refresh now' })).toHaveCount(0);
  expect(b.core.sessions.snapshot().accounts.map((a) => a.accountId)).toEqual(['xwms:4242']);
});
