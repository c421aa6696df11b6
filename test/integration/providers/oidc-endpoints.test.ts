/**
 * An `oidc` provider configured by its endpoints, without discovery (issue 13 item 4), against a
 * local server that publishes no discovery document: ES256 ID tokens for the audience
 * `api://gatehouse` (not the client id), signing keys from `jwksUri` or a pinned `publicKeyPem`
 * written with literal "\n"s, PKCE S256, refresh with rotation, clock leeway, and the Hawcx
 * entry of the default configuration reading the guide's variable names.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../support/cleanup';
import {
  ENDPOINTS_TEST_AUDIENCE,
  startEndpointsIdp,
  type EndpointsIdp,
  type EndpointsKnobs,
} from '../../support/endpoints-idp';
import { buildWorld } from '../../support/world';

const ACCOUNT = 'corp:user-4711';
const track = cleanupAfterEach();

type KeySource = 'jwksUri' | 'publicKeyPem';

/** The provider entry: every endpoint but the JWKS, then the key from `keys`. */
function entry(idp: EndpointsIdp, keys: KeySource, extra: Record<string, unknown> = {}) {
  const { jwksUri, ...endpoints } = idp.endpoints;
  return {
    id: 'corp',
    kind: 'oidc',
    clientId: idp.knobs.clientId,
    issuer: idp.issuer,
    ...endpoints,
    ...(keys === 'jwksUri' ? { jwksUri } : { publicKeyPem: idp.publicKeyPemOneLine }),
    audience: ENDPOINTS_TEST_AUDIENCE,
    clockToleranceSeconds: 10,
    scopes: ['openid', 'profile', 'email'],
    ...extra,
  };
}

async function world(keys: KeySource, knobs: Partial<EndpointsKnobs> = {}) {
  const idp = track(await startEndpointsIdp(knobs));
  const w = track(await buildWorld({ prefix: 'gh-endpoints-', providers: [entry(idp, keys)] }));
  return { idp, ...w, signIn: () => w.signIn('ada') };
}

describe.each<KeySource>(['jwksUri', 'publicKeyPem'])(
  'endpoints without discovery (%s)',
  (keys) => {
    it('signs in with PKCE S256 and an ES256 ID token for its own audience, then refreshes', async () => {
      const w = await world(keys);
      const account = await w.signIn();
      expect(account).toMatchObject({
        accountId: ACCOUNT,
        claims: { name: 'Ada Lovelace', email: 'ada@example.test', emailVerified: true },
      });
      const first = w.sessions.tokensOf(ACCOUNT)!;
      expect(decodeJwt(first.idToken!)).toMatchObject({
        aud: ENDPOINTS_TEST_AUDIENCE,
        azp: w.idp.knobs.clientId,
      });
      // The redirect URI pre-flight sends the same authorization request first (issue 13 item 1).
      expect(w.idp.challengeMethods).toEqual(['S256', 'S256']);
      await w.sessions.refresh(ACCOUNT);
      const second = w.sessions.tokensOf(ACCOUNT)!;
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.idToken).not.toBe(first.idToken);
      expect(w.idp.refreshTokens.get(first.refreshToken!)!.used).toBe(true);
      // No discovery document was asked for; a pinned key needs no JWKS either.
      expect(w.idp.requests.some((r) => r.includes('.well-known'))).toBe(false);
      expect(w.idp.requests.includes('GET /oauth/jwks')).toBe(keys === 'jwksUri');
    });

    it('doctor checks the configured endpoints and keys, with no discovery', async () => {
      const w = await world(keys);
      const checks = await w.core.provider('corp')!.diagnose!();
      expect(checks.map((c) => [c.name, c.ok])).toEqual([
        ['endpoints', true],
        [keys === 'jwksUri' ? 'signing keys (JWKS)' : 'signing key (pinned)', true],
        ['PKCE S256', true],
        ['revocation', true],
        // Issue 13 item 1: a token request with a made-up code, at the configured token endpoint.
        ['client authentication', true],
      ]);
      expect(checks[1]!.detail).toBe(keys === 'jwksUri' ? '1 key(s)' : 'publicKeyPem, ES256');
      expect(w.idp.requests.some((r) => r.includes('.well-known'))).toBe(false);
    });

    it('an ID token whose aud is the client id only (not the audience) is refused', async () => {
      const w = await world(keys);
      w.idp.knobs.audience = w.idp.knobs.clientId;
      await expect(w.signIn()).rejects.toMatchObject({ code: 'id_token_invalid' });
      expect(w.store.values.size).toBe(0);
    });

    it('an HS256 ID token is refused', async () => {
      const w = await world(keys, { alg: 'HS256' });
      await expect(w.signIn()).rejects.toMatchObject({ code: 'id_token_invalid' });
      expect(w.sessions.snapshot().accounts).toEqual([]);
    });
  },
);

describe('endpoints without discovery: azp, clock leeway and sign-out', () => {
  it('several audiences need azp to be the client id (OIDC Core §3.1.3.7 items 4-5)', async () => {
    const w = await world('jwksUri', { audience: [ENDPOINTS_TEST_AUDIENCE, 'api://other'] });
    await expect(w.signIn()).resolves.toMatchObject({ accountId: ACCOUNT });
    w.idp.knobs.azp = 'another-client';
    await expect(w.sessions.refresh(ACCOUNT)).rejects.toMatchObject({ code: 'id_token_invalid' });
    await w.sessions.signOut(ACCOUNT);
    await expect(w.signIn()).rejects.toMatchObject({
      code: 'id_token_invalid',
      message: expect.stringMatching(/azp/),
    });
  });

  it('an iat 5 s in the future passes with 10 s of leeway', async () => {
    const w = await world('jwksUri', { clockOffsetSeconds: 5 });
    await expect(w.signIn()).resolves.toMatchObject({ accountId: ACCOUNT });
  });

  it('an iat 30 s in the future is refused with 10 s of leeway', async () => {
    const w = await world('jwksUri', { clockOffsetSeconds: 30 });
    await expect(w.signIn()).rejects.toMatchObject({
      code: 'id_token_invalid',
      message: expect.stringMatching(/future/),
    });
  });

  it('sign-out revokes the refresh token at the configured revocationEndpoint', async () => {
    const w = await world('publicKeyPem');
    await w.signIn();
    const { refreshToken } = w.sessions.tokensOf(ACCOUNT)!;
    await w.sessions.signOut(ACCOUNT);
    expect(w.idp.requests).toContain('POST /oauth/revoke');
    expect(w.idp.refreshTokens.get(refreshToken!)!.revoked).toBe(true);
  });
});

describe('the default configuration’s Hawcx entry', () => {
  it('reads the guide’s variables (OAUTH_PUBLIC_KEY with literal \\n) and signs in', async () => {
    const idp = track(await startEndpointsIdp());
    const w = track(
      await buildWorld({
        prefix: 'gh-hawcx-',
        env: {
          OAUTH_CLIENT_ID: idp.knobs.clientId,
          OAUTH_ISSUER: idp.issuer,
          OAUTH_AUTHORIZATION_ENDPOINT: idp.endpoints.authorizationEndpoint,
          OAUTH_TOKEN_ENDPOINT: idp.endpoints.tokenEndpoint,
          OAUTH_PUBLIC_KEY: idp.publicKeyPemOneLine,
          OAUTH_AUDIENCE: ENDPOINTS_TEST_AUDIENCE,
        },
      }),
    );
    const hawcx = w.core.providersList().providers.find((p) => p.id === 'hawcx')!;
    expect(hawcx).toMatchObject({ displayName: 'Hawcx', kind: 'oidc', configErrors: [] });
    await expect(w.signIn('ada', { provider: 'hawcx' })).resolves.toMatchObject({
      accountId: 'hawcx:user-4711',
    });
  });
});
