/**
 * Webex sign-in through the whole engine against the Webex-style local server: an idbroker
 * issuer with every endpoint on 127.0.0.1, client_secret_basic, the issuer family checked on the
 * code exchange and on refresh (and a look-alike refused in both), RFC 9207 before the code is
 * spent, each endpoint held to the https rule on its own, and a sign-out that stays local.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { isWebexIssuer } from '../../../main/auth/providers/webex';
import { cleanupAfterEach } from '../../support/cleanup';
import { startWebexServer, WEBEX_TEST_ISSUER, type WebexKnobs } from '../../support/webex-server';
import { buildWorld } from '../../support/world';
import { callbackFromBrowser } from '../../support/http-browser';

const SIBLING = 'https://idbroker-a-eu.webex.com/idb';
const LOOK_ALIKE = 'https://idbroker.evil.com/idb';
const ADA = 'webex:8f1c2a4e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';

const track = cleanupAfterEach();

async function world(knobs: Partial<WebexKnobs> = {}) {
  const wx = track(await startWebexServer(knobs));
  const { clientId, clientSecret } = wx.knobs;
  const webex = { id: 'webex', kind: 'webex', clientId, clientSecret };
  const w = track(
    await buildWorld({
      prefix: 'gh-webex-',
      providers: [{ ...webex, wellKnownUrl: wx.wellKnownUrl }],
    }),
  );
  const { core, store } = w;
  const signIn = (user = 'ada') => w.signIn(user);
  const issuerOfStoredIdToken = () => decodeJwt(core.sessions.tokensOf(ADA)!.idToken!).iss;
  return { wx, core, store, signIn, issuerOfStoredIdToken };
}

describe('Webex sign-in', () => {
  it('signs in with client_secret_basic; email_verified "true" counts as verified', async () => {
    const w = await world();
    const account = await w.signIn();
    expect(account).toMatchObject({
      accountId: ADA,
      lastsUntilSignOut: false,
      claims: { name: 'Ada Lovelace', email: 'ada@example.test', emailVerified: true },
    });
    expect(w.issuerOfStoredIdToken()).toBe(WEBEX_TEST_ISSUER);
    expect(w.store.values.has(ADA)).toBe(true);
  });

  it('the server takes the secret only in the Authorization header (so the sign-in used it)', async () => {
    const w = await world();
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: w.wx.knobs.clientId,
      client_secret: w.wx.knobs.clientSecret,
    });
    const reply = await fetch(`${w.wx.url}/v1/access_token`, { method: 'POST', body });
    expect(reply.status).toBe(401);
    expect(await reply.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refreshes with rotation; the old refresh token is then refused', async () => {
    const w = await world();
    await w.signIn();
    const first = w.core.sessions.tokensOf(ADA)!;
    await w.core.sessions.refresh(ADA);
    const second = w.core.sessions.tokensOf(ADA)!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(w.wx.refreshTokens.get(first.refreshToken!)!.used).toBe(true);
  });

  it('sign-out is local only: there is no revocation endpoint, and none is called', async () => {
    const w = await world();
    await w.signIn();
    const before = w.wx.requests.length;
    await expect(w.core.sessions.signOut(ADA)).resolves.toEqual({ kind: 'no-revocation' });
    expect(w.wx.requests.slice(before).filter((r) => r.startsWith('POST'))).toEqual([]);
    expect(w.store.values.has(ADA)).toBe(false);
    expect(w.core.sessions.snapshot().accounts).toEqual([]);
  });
});

describe('Webex issuer family (idbroker hosts)', () => {
  it('the family is idbroker(-region) under webex.com/idb, nothing else', () => {
    expect(isWebexIssuer(SIBLING)).toBe(true);
    expect(isWebexIssuer('https://idbroker.webex.com/idb')).toBe(true);
    expect(isWebexIssuer(LOOK_ALIKE)).toBe(false);
    expect(isWebexIssuer('https://idbroker.webex.com.evil.test/idb')).toBe(false);
    expect(isWebexIssuer('http://idbroker.webex.com/idb')).toBe(false);
  });

  it('an ID token from a sibling idbroker host passes on the code exchange and on refresh', async () => {
    const w = await world({ idTokenIssuer: SIBLING });
    const account = await w.signIn();
    expect(account.accountId).toBe(ADA);
    expect(w.issuerOfStoredIdToken()).toBe(SIBLING);
    const first = w.core.sessions.tokensOf(ADA)!;
    await w.core.sessions.refresh(ADA);
    const second = w.core.sessions.tokensOf(ADA)!;
    // A new ID token from the sibling host was verified and kept.
    expect(second.idToken).not.toBe(first.idToken);
    expect(w.issuerOfStoredIdToken()).toBe(SIBLING);
    expect(w.core.sessions.snapshot().accounts[0]!.status.kind).toBe('signed-in');
  });

  it('a look-alike issuer on the code exchange → id_token_invalid, nothing stored', async () => {
    const w = await world({ idTokenIssuer: LOOK_ALIKE });
    await expect(w.signIn()).rejects.toMatchObject({ code: 'id_token_invalid' });
    expect(w.store.values.size).toBe(0);
    expect(w.core.sessions.snapshot().accounts).toEqual([]);
  });

  it('a look-alike issuer on refresh → id_token_invalid; its tokens are not taken', async () => {
    const w = await world({ idTokenIssuer: SIBLING });
    await w.signIn();
    const before = w.core.sessions.tokensOf(ADA)!;
    w.wx.knobs.idTokenIssuer = LOOK_ALIKE;
    await expect(w.core.sessions.refresh(ADA)).rejects.toMatchObject({ code: 'id_token_invalid' });
    expect(w.core.sessions.tokensOf(ADA)).toEqual(before);
    // Refused like a badly signed ID token (negative-refresh.test.ts): the session is kept.
    expect(w.core.sessions.snapshot().accounts[0]!.status.kind).toBe('signed-in');
  });

  it('another family host on refresh than at sign-in → refresh_identity_changed (OIDC Core §12.2)', async () => {
    const w = await world({ idTokenIssuer: SIBLING });
    await w.signIn();
    w.wx.knobs.idTokenIssuer = null;
    await expect(w.core.sessions.refresh(ADA)).rejects.toMatchObject({
      code: 'refresh_identity_changed',
    });
    expect(w.core.sessions.snapshot().accounts[0]!.status.kind).toBe('expired');
  });
});

describe('Webex authorization response and endpoints', () => {
  it('RFC 9207: a callback iss of a look-alike → issuer_response_mismatch before the code is spent', async () => {
    const w = await world();
    const started = await w.core.sessions.signIn('webex', { openBrowser: false });
    const auth = new URL(w.core.sessions.authorizationUrlOf('webex'));
    const redirect = auth.searchParams.get('redirect_uri')!;
    const state = auth.searchParams.get('state')!;
    const iss = encodeURIComponent(LOOK_ALIKE);
    await callbackFromBrowser(started.url!, `${redirect}?code=abc&state=${state}&iss=${iss}`);
    await expect(started.done).rejects.toMatchObject({ code: 'issuer_response_mismatch' });
    expect(w.wx.requests).not.toContain('POST /v1/access_token');
  });

  it('an http endpoint off this computer is refused, though discovery itself is on loopback', async () => {
    const w = await world({
      discoveryOverrides: { token_endpoint: 'http://webexapis.example/v1/access_token' },
    });
    // Refused at discovery, before any listener or authorization URL exists.
    await expect(w.core.sessions.signIn('webex', { openBrowser: false })).rejects.toMatchObject({
      code: 'insecure_issuer',
    });
    expect(w.wx.requests).toEqual(['GET /v1/.well-known/openid-configuration']);
  });
});
