/**
 * The first screen (issue 14, item 4): the providers that work lead; the ones that are not set up
 * wait behind one collapsed "Set up another provider" disclosure, each with its set-up steps; a
 * packaged build, where the demo is off, leads with "Set up a provider". Real renderer, real
 * handler table and engine behind the bridge; keyboard only where a person would use it.
 */
import { expect, test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { axe } from './support/axe';
import { openBridge, type Bridge } from './support/bridge';
import { shot } from './support/shot';

let bridge: Bridge | null = null;
test.afterEach(async () => {
  await bridge?.close();
  bridge = null;
});

/** Tabs through the window from the top; the buttons styled as primary, in tab order. */
async function primaryButtonsInTabOrder(page: Page, presses = 40): Promise<string[]> {
  const seen: string[] = [];
  await page.locator('body').focus();
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!(el instanceof HTMLButtonElement)) return null;
      const styled = ['tab', 'secondary', 'ghost', 'link-button'];
      return styled.some((c) => el.classList.contains(c)) ? null : (el.textContent ?? '');
    });
    if (focused !== null && !seen.includes(focused)) seen.push(focused);
  }
  return seen;
}

test('development run: "Sign in with Demo provider" is the first primary action, set-up collapsed', async ({
  browser,
}) => {
  bridge = await openBridge(browser);
  const { page } = bridge;
  await expect(page.getByRole('button', { name: /^Sign in with Demo provider/ })).toBeEnabled();
  const primary = await primaryButtonsInTabOrder(page);
  expect(primary[0]).toMatch(/^Sign in with Demo provider/);
  // The providers that are not set up: no sign-in button, one collapsed section.
  for (const name of ['Webex', 'GitHub', 'XWMS', 'Hawcx'])
    await expect(page.getByRole('button', { name: `Sign in with ${name}` })).toHaveCount(0);
  const setUp = page.getByRole('button', { name: /^Set up another provider/ });
  await expect(setUp).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('button', { name: 'Set up GitHub' })).toBeHidden();
  await expect(page.getByText(/is not set in \.env/).filter({ visible: true })).toHaveCount(0);
  await shot(page, '01-start');
  await axe(page, 'first-screen');
});

test('set-up steps: the exact redirect URI to copy, the .env names, and a reload that makes it ready', async ({
  browser,
}) => {
  bridge = await openBridge(browser);
  const { page } = bridge;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const setUp = page.getByRole('button', { name: /^Set up another provider/ });
  await setUp.focus();
  await page.keyboard.press('Enter');
  await expect(setUp).toHaveAttribute('aria-expanded', 'true');
  const github = page.getByRole('button', { name: 'Set up GitHub' });
  await expect(github).toHaveAttribute('aria-expanded', 'false');
  await github.focus();
  await page.keyboard.press('Space');
  await expect(github).toHaveAttribute('aria-expanded', 'true');
  const steps = page.locator('#setup-github');
  await expect(steps).toContainText('New OAuth App');
  // What the loopback registers without fixed ports (RFC 8252 §7.3: any port).
  await expect(steps.getByText('http://127.0.0.1/callback/github', { exact: true })).toBeVisible();
  await steps
    .getByRole('button', {
      name: 'Copy Authorization callback URL http://127.0.0.1/callback/github',
    })
    .click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    'http://127.0.0.1/callback/github',
  );
  await expect(steps.locator('.env-block')).toHaveText(
    'GITHUB_CLIENT_ID=\n# GITHUB_CLIENT_SECRET=   (optional)',
  );
  await expect(steps).toContainText('Registering Gatehouse with GitHub');
  await expect(steps.getByRole('list', { name: 'Problems with GitHub' })).toContainText(
    'GITHUB_CLIENT_ID is not set in .env',
  );
  await steps.getByRole('button', { name: "Copy the folder's path" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(bridge.configDir);
  await axe(page, 'set-up-github');

  // The person follows the steps: a .env beside the configuration file, then reload.
  writeFileSync(path.join(bridge.configDir, '.env'), 'GITHUB_CLIENT_ID=Iv1.example\n');
  await steps.getByRole('button', { name: 'Reload configuration' }).click();
  await expect(page.getByRole('button', { name: 'Sign in with GitHub' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Set up GitHub' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Set up another provider \(3\)/ })).toBeVisible();
});

test('packaged build: no demo, and the window leads with "Set up a provider"', async ({
  browser,
}) => {
  bridge = await openBridge(browser, { packaged: true });
  const { page } = bridge;
  const lead = page.getByRole('main').getByRole('heading', { level: 2 }).first();
  await expect(lead).toHaveText('Set up a provider');
  await expect(page.getByRole('button', { name: /^Sign in with/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Set up another provider/ })).toHaveCount(0);
  // Each provider opens its own steps; all start closed, in the order of the configuration.
  const items = page.getByRole('button', { name: /^Set up / });
  await expect(items).toHaveText([
    /Set up Webex$/,
    /Set up GitHub$/,
    /Set up XWMS$/,
    /Set up Hawcx$/,
  ]);
  for (const item of await items.all())
    await expect(item).toHaveAttribute('aria-expanded', 'false');
  // After the section tabs, the keyboard reaches the first provider's set-up first.
  await page.getByRole('button', { name: 'Settings' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Set up Webex' })).toBeFocused();
  await shot(page, '12-set-up');
  await axe(page, 'packaged-first-screen');
});
