/**
 * XWMS sign-in through the whole engine against the XWMS-compatible local server: both
 * credential styles, the documented response variants, the token check in place of `state`,
 * and every error, after which nothing is stored and the listener is closed.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../support/cleanup';
import { HttpBrowser } from '../../support/http-browser';
import { startXwmsServer, type XwmsKnobs } from '../../support/xwms-server';
import { buildWorld } from '../../support/world';

const track = cleanupAfterEach();

const portClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });

async function world(
  knobs: Partial<XwmsKnobs> = {},
  provider: Record<string, unknown> = {},
  fetchWrap?: (f: typeof fetch) => typeof fetch,
) {
  const xw = track(await startXwmsServer(knobs));
  const { clientId, clientSecret, domain, credentialStyle } = xw.knobs;
  const xwms = { id: 'xwms', kind: 'xwms', clientId, clientSecret, domain, apiUrl: xw.apiUrl };
  const w = track(
    await buildWorld({
      prefix: 'gh-xwms-',
      providers: [{ ...xwms, credentialStyle, ...provider }],
      ...(fetchWrap ? { fetch: fetchWrap(fetch) } : {}),
    }),
  );
  const signIn = async (user = 'ada') => {
    const started = await w.core.sessions.signIn('xwms', { openBrowser: false });
    const port = Number(new URL(started.url!).port);
    const page = new HttpBrowser().open(started.url!, { user }).catch(() => undefined);
    try {
      return await started.done;
    } finally {
      await page;
      expect(await portClosed(port)).toBe(true);
    }
  };
  return { xw, core: w.core, store: w.store, signIn };
}

describe('XWMS sign-in', () => {
  it('signs in with X-Client-* headers; sub is the identity; the session lasts until sign-out', async () => {
    const w = await world();
    const account = await w.signIn('ada');
    expect(account).toMatchObject({
      accountId: 'xwms:4242',
      sub: '4242',
      lastsUntilSignOut: true,
      claims: {
        name: 'Ada Lovelace',
        givenName: 'Ada',
        familyName: 'Lovelace',
        email: 'ada@xwms.test',
        emailVerified: true,
      },
    });
    expect(w.core.provider('xwms')!.info.supportsRefresh).toBe(false);
    await expect(w.core.sessions.signOut('xwms:4242')).resolves.toEqual({
      kind: 'no-revocation',
    });
  });

  it.each<[string, Partial<XwmsKnobs>]>([
    ['credentials in the JSON body (older guide)', { credentialStyle: 'body' }],
    ['claims nested as data.user', { nestUser: true }],
    ['data.redirect_url instead of data.url', { urlField: 'redirect_url' }],
    ['a top-level redirect_url', { urlField: 'top-level' }],
    ['a string sub', { numericSub: false }],
  ])('accepts %s', async (_name, knobs) => {
    const w = await world(knobs);
    const account = await w.signIn('ada');
    expect(account.accountId).toBe('xwms:4242');
  });

  it('a forged token on the loopback is ignored; the attempt keeps waiting, then completes', async () => {
    const w = await world();
    const started = await w.core.sessions.signIn('xwms', { openBrowser: false });
    const auth = new URL(w.core.sessions.authorizationUrlOf('xwms'));
    const redirect = w.xw.issued.get(auth.searchParams.get('token')!)!.redirect;
    const forged = await fetch(`${redirect}?token=forged-${'x'.repeat(20)}`);
    expect(forged.status).toBe(400);
    expect(w.core.sessions.snapshot().pending[0]!.status.kind).toBe('waiting-for-browser');
    await new HttpBrowser().open(started.url!, { user: 'ada' });
    await expect(started.done).resolves.toMatchObject({ accountId: 'xwms:4242' });
  });

  it('two people sharing an email stay two accounts (linked by sub, never email)', async () => {
    const w = await world();
    await w.signIn('ada');
    await w.signIn('alan');
    expect(w.core.sessions.snapshot().accounts.map((a) => a.accountId)).toEqual([
      'xwms:1912',
      'xwms:4242',
    ]);
  });
});

describe('XWMS errors: a clear code, nothing stored, the listener closed', () => {
  const reuse =
    (f: typeof fetch): typeof fetch =>
    async (input, init) => {
      if (String(input).endsWith('sign-token-verify')) await (await f(input, init)).text(); // used once already
      return f(input, init);
    };
  it.each<
    [
      string,
      Partial<XwmsKnobs>,
      Record<string, unknown>,
      ((f: typeof fetch) => typeof fetch) | undefined,
      string,
    ]
  >([
    [
      'wrong credentials (status "error")',
      {},
      { clientSecret: 'wrong' },
      undefined,
      'invalid_client',
    ],
    ['a non-JSON verify answer', { verifyAnswersHtml: true }, {}, undefined, 'invalid_response'],
    ['an expired token', { tokenTtlSeconds: -1 }, {}, undefined, 'invalid_grant'],
    ['a reused token', {}, {}, reuse, 'invalid_grant'],
    ['a verified answer without sub', { omitSub: true }, {}, undefined, 'invalid_response'],
  ])('%s', async (_name, knobs, provider, wrap, code) => {
    const w = await world(knobs, provider, wrap);
    await expect(w.signIn('ada')).rejects.toMatchObject({ code });
    expect(w.store.values.size).toBe(0);
    expect(w.core.sessions.snapshot().accounts).toEqual([]);
  });

  it('a missing XWMS_API_URL is a configuration problem shown before any sign-in', async () => {
    const w = await world({}, { apiUrl: '${XWMS_API_URL}' });
    expect(w.core.provider('xwms')!.info.configErrors).toContain(
      'XWMS_API_URL is not set in .env or providers.json',
    );
    await expect(w.core.sessions.signIn('xwms')).rejects.toMatchObject({
      code: 'provider_misconfigured',
    });
  });
});
