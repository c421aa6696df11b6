/**
 * Truthful sign-out in the window (Chromium, the real engine behind the bridge): the card goes,
 * and the window says what the provider did in the command line's own sentence
 * (shared/sign-out-messages.ts), against the embedded demo provider and a real oidc-provider whose
 * revocation endpoint answers a public client 401 with an empty body.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { DEMO_CLIENT_ID } from '../../main/demo/demo-server';
import { countingIdp, type CountingIdp } from '../support/counting-idp';
import { openBridge, type Bridge } from './support/bridge';

let bridge: Bridge | null = null;
let idp: CountingIdp | null = null;
test.afterEach(async () => {
  await bridge?.close();
  bridge = null;
  await idp?.close();
  idp = null;
});

async function signIn(b: Bridge, button: RegExp, user: string) {
  const before = b.opened.length;
  await b.page.getByRole('button', { name: button }).click();
  await expect.poll(() => b.opened.length).toBeGreaterThan(before);
  await b.loginInSystemBrowser(b.opened.at(-1)!, user);
}

function signOutDetail(b: Bridge): string | undefined {
  const entry = b.core.log.list().findLast((e) => e.outcome === 'sign-out');
  return entry?.events.find((e) => e.step === 'signed-out')?.detail;
}

test('revoked: the window says the provider revoked the session', async ({ browser }) => {
  bridge = await openBridge(browser);
  await signIn(bridge, /sign in with demo provider/i, 'alice');
  const card = bridge.page.getByRole('article', { name: /Alice Demo/ });
  await card.getByRole('button', { name: 'Sign out' }).click();
  const notice = bridge.page.getByTestId('sign-out');
  await expect(notice).toContainText('Signed out. The provider revoked the session.');
  await expect(notice).toContainText('Alice Demo at Demo provider');
  await expect(bridge.page.getByText('No one is signed in yet.')).toBeVisible();
  expect(signOutDetail(bridge)).toBe('revoked');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});

test('refused: a 401 with an empty body is a warning with the status, never "no revocation"', async ({
  browser,
}) => {
  idp = await countingIdp({}, async (ctx, next) => {
    if (ctx.path !== '/token/revocation') return next();
    ctx.status = 401;
    ctx.body = '';
  });
  bridge = await openBridge(browser, {
    providers: {
      providers: [
        {
          id: 'idp',
          kind: 'oidc',
          displayName: 'Test IdP',
          issuer: idp.issuer,
          clientId: DEMO_CLIENT_ID,
          scopes: ['openid', 'email', 'profile', 'offline_access'],
        },
      ],
    },
  });
  await signIn(bridge, /sign in with test idp/i, 'bob');
  const card = bridge.page.getByRole('article', { name: /Bob Demo at Test IdP/ });
  await card.getByRole('button', { name: 'Sign out' }).click();
  const notice = bridge.page.getByTestId('sign-out');
  await expect(notice).toContainText(
    'Signed out on this computer, but the provider refused to revoke the session (HTTP 401): ' +
      'the session may stay valid there until it expires.',
  );
  await expect(notice).toHaveClass(/notice-warn/);
  await expect(notice).not.toContainText('no revocation');
  expect(idp.seen).toContain('POST /token/revocation');
  expect(signOutDetail(bridge)).toBe('revocation refused');
  expect(bridge.core.sessions.snapshot().accounts).toEqual([]);
  const results = await new AxeBuilder({ page: bridge.page })
    .include('[data-testid="sign-out"]')
    .analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
});
