/**
 * Issue 13 item 6 in the window: a slip in one provider entry leaves the others signing in and
 * lists the broken one with what is wrong; a file that is not JSON names its line and column,
 * and no provider (the demo least of all) stands in for it.
 */
import { expect, test } from '@playwright/test';
import { openBridge, type Bridge } from './support/bridge';

let bridge: Bridge | null = null;
test.afterEach(async () => {
  await bridge?.close();
  bridge = null;
});

test('one bad entry: the demo still signs in; the bad one shows the key it probably meant', async ({
  browser,
}) => {
  bridge = await openBridge(browser, {
    providers: {
      providers: [
        { id: 'demo', kind: 'demo', displayName: 'Demo provider' },
        { id: 'corp', kind: 'oidc', isuer: 'https://sso.example.com', clientId: 'c' },
      ],
    },
  });
  const { page } = bridge;
  await expect(page.getByRole('button', { name: /sign in with demo provider/i })).toBeEnabled();
  await expect(
    page.getByText('Part of the provider configuration could not be used.'),
  ).toBeVisible();
  await expect(
    page.getByText(
      /providers\.json: providers\[1\]\.isuer \(provider "corp"\): .*did you mean "issuer"\?/,
    ),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: /sign in with corp/i })).toHaveCount(0);
});

test('a JSON syntax error names the line and column; no provider stands in', async ({
  browser,
}) => {
  bridge = await openBridge(browser, {
    providersText: '{\n  "providers": [\n    { "id": "demo", "kind": "demo" },\n  ]\n}\n',
  });
  const { page } = bridge;
  await expect(page.getByText('The provider configuration could not be used.')).toBeVisible();
  await expect(page.getByText(/providers\.json:4:3: not valid JSON/)).toBeVisible();
  await expect(page.getByRole('button', { name: /sign in with demo/i })).toHaveCount(0);
});
