/**
 * An OpenID provider that offers the device flow (RFC 8628), in the window: when the browser
 * never comes back, the waiting card offers "Sign in with a code instead" (known from the
 * provider's discovery, which the sign-in just ran), and the code signs in. The provider is a
 * real oidc-provider with its deviceFlow feature; the person types the code in another browser.
 */
import { expect, test } from '@playwright/test';
import { openBridge, type Bridge } from './support/bridge';
import {
  approveInBrowser,
  DEVICE_CLIENT_ID,
  startDeviceIdp,
  type DeviceIdp,
} from '../support/device-idp';

let bridge: Bridge | null = null;
let idp: DeviceIdp | null = null;
test.afterEach(async () => {
  await bridge?.close();
  await idp?.close();
  bridge = idp = null;
});

test('OIDC: the code is offered when the browser never comes back, and it signs in', async ({
  browser,
}) => {
  idp = await startDeviceIdp({ browserFor: 'corp' });
  bridge = await openBridge(browser, {
    providers: {
      providers: [{ id: 'corp', kind: 'oidc', issuer: idp.issuer, clientId: DEVICE_CLIENT_ID }],
    },
  });
  const b = bridge;
  await b.page.getByRole('button', { name: 'Sign in with corp' }).click();
  await expect(b.page.getByText('Continue in your browser')).toBeVisible();
  const fallback = b.page.getByRole('button', { name: 'Sign in with a code instead' });
  await expect(fallback).toBeVisible({ timeout: 15_000 });
  await fallback.click();
  const code = b.page.getByTestId('user-code');
  await expect(code).toHaveText(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
  const page = `${idp.issuer}/device?user_code=${encodeURIComponent((await code.textContent())!)}`;
  expect(await approveInBrowser(page, 'approve', 'grace')).toContain('Sign-in Success');
  const card = b.page.getByRole('article', { name: /Grace Device at corp/ });
  await expect(card).toBeVisible({ timeout: 15_000 });
  await expect(card.getByText('grace@device.test')).toBeVisible();
});
