/**
 * The browser tab and the app say the same thing, end to end, for each outcome issue 13 item 2
 * lists: the demo oidc-provider behind a transport that turns its answers into the failure (a
 * token endpoint refusing the client, an ID token signed by another key), and a person declining
 * at the provider. The tab's page is what the person's browser shows after the callback; the
 * app's is the sign-in's error code (and its sentence in the one catalogue).
 */
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../../shared/error-messages';
import type { ErrorCode } from '../../../shared/errors';
import { DEMO_CLIENT_ID, demoNativeClient, startDemoServer } from '../../../main/demo/demo-server';
import { cleanupAfterEach } from '../../support/cleanup';
import {
  faultFetch,
  forgeIdToken,
  json,
  type Endpoint,
  type FaultRule,
} from '../../support/fault-idp';
import { callbackFromBrowser, HttpBrowser } from '../../support/http-browser';
import { MemorySecretStoreForTests } from '../../support/memory-store';
import { buildWorld, oidcProvider } from '../../support/world';

const track = cleanupAfterEach();

async function world(rules: Partial<Record<Endpoint, FaultRule>> = {}) {
  const idp = track(await startDemoServer({ clients: [demoNativeClient('idp')] }));
  const w = track(
    await buildWorld({
      prefix: 'gh-tab-outcome-',
      store: new MemorySecretStoreForTests(),
      providers: [oidcProvider('idp', idp.issuer, DEMO_CLIENT_ID)],
      fetch: faultFetch(idp, rules, {}),
    }),
  );
  const started = await w.sessions.signIn('idp', { openBrowser: false });
  started.done.catch(() => undefined);
  return { w, started, idp };
}

/** The sign-in's code in the app, and the page the tab ended on. */
async function outcomeOf(rules: Partial<Record<Endpoint, FaultRule>>) {
  const { started } = await world(rules);
  const page = await new HttpBrowser().open(started.url!, { user: 'ada' });
  const code = await started.done.then(
    () => 'signed in',
    (error: { code: ErrorCode }) => error.code,
  );
  return { code, page: page.body };
}

describe('the tab and the app agree', () => {
  it('success: "Signed in to …" in the tab, an account in the app', async () => {
    const { code, page } = await outcomeOf({});
    expect(code).toBe('signed in');
    expect(page).toContain('Signed in to idp. You can close this tab.');
  });

  it.each([
    [
      'invalid_client',
      { token: () => json({ error: 'invalid_client', error_description: 'no such client' }, 401) },
    ],
    ['id_token_invalid', { token: forgeIdToken((claims) => claims, 'other-key') }],
  ] as const)('%s: the tab shows its sentence, never "Signed in"', async (expected, rules) => {
    const { code, page } = await outcomeOf(rules);
    expect(code).toBe(expected);
    expect(page).toContain(ERROR_MESSAGES[expected].sentence);
    expect(page).not.toContain('Signed in');
  });

  it('access_denied: the person declined at the provider (RFC 9207 iss included); both say so', async () => {
    const { w, started, idp } = await world();
    const auth = new URL(w.sessions.authorizationUrlOf('idp'));
    const redirect = auth.searchParams.get('redirect_uri')!;
    const state = auth.searchParams.get('state')!;
    const tab = await callbackFromBrowser(
      started.url!,
      `${redirect}?error=access_denied&state=${state}&iss=${encodeURIComponent(idp.issuer)}`,
    );
    await expect(started.done).rejects.toMatchObject({ code: 'access_denied' });
    const page = await tab.text();
    expect(page).toContain(ERROR_MESSAGES.access_denied.sentence);
    expect(page).not.toContain('Signed in');
  });
});
