/**
 * GitHub sign-in through the whole engine against the GitHub-compatible local server: the web
 * flow, every documented quirk, expiring tokens with rotation, revocation and the device flow.
 */
import { describe, expect, it } from 'vitest';
import { pollDeviceToken } from '../../../main/auth/device-flow';
import { githubEndpoints } from '../../../main/auth/providers/github';
import { githubFetch } from '../../../main/auth/providers/github-fetch';
import { mapProviderError } from '../../../main/auth/oauth-errors';
import { cleanupAfterEach } from '../../support/cleanup';
import {
  startGithubServer,
  type GithubKnobs,
  type GithubServer,
} from '../../support/github-server';
import { buildWorld, requestBody } from '../../support/world';
import { callbackFromBrowser } from '../../support/http-browser';

const track = cleanupAfterEach();

async function world(
  knobs: Partial<GithubKnobs> = {},
  provider: Record<string, unknown> = {},
  fetchWrap?: (f: typeof fetch) => typeof fetch,
) {
  const gh = track(await startGithubServer(knobs));
  const { clientId, clientSecret } = gh.knobs;
  const github = { id: 'github', kind: 'github', clientId, clientSecret, baseUrl: gh.url };
  const w = track(
    await buildWorld({
      prefix: 'gh-github-',
      providers: [{ ...github, ...provider }],
      ...(fetchWrap ? { fetch: fetchWrap(fetch) } : {}),
    }),
  );
  return { gh, core: w.core, store: w.store, signIn: (user = 'octo') => w.signIn(user) };
}

async function deviceSignIn(
  w: Awaited<ReturnType<typeof world>>,
  act: (gh: GithubServer, userCode: string) => void,
) {
  const started = await w.core.sessions.signIn('github', { method: 'device' });
  const status = w.core.sessions.snapshot().pending[0]!.status;
  expect(status.kind).toBe('device-code');
  const userCode = (status as { userCode: string }).userCode;
  expect(userCode).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
  expect((status as { verificationUri: string }).verificationUri).toBe(`${w.gh.url}/login/device`);
  act(w.gh, userCode);
  return started.done;
}

describe('GitHub web flow', () => {
  it('a callback URL GitHub does not have: redirect_uri_mismatch ends the sign-in before any browser', async () => {
    // GitHub answers a redirect_uri it does not know by sending error=redirect_uri_mismatch to
    // the app's registered callback, so the pre-flight sees it (issue 13 item 1).
    const w = await world({ registeredCallback: 'http://127.0.0.1/callback/github-old' });
    await expect(w.core.sessions.signIn('github', { openBrowser: false })).rejects.toMatchObject({
      code: 'redirect_uri_rejected',
      message: expect.stringMatching(
        /^GitHub refused the redirect URI http:\/\/127\.0\.0\.1:\d+\/callback\/github \(answered error=redirect_uri_mismatch\)\./,
      ),
    });
    expect(w.gh.requests.filter((r) => r.startsWith('GET /login/oauth/authorize'))).toHaveLength(1);
  });

  it('signs in with PKCE + secret; the account is keyed on the numeric id; classic tokens last until sign-out', async () => {
    const w = await world();
    const account = await w.signIn('octo');
    expect(account).toMatchObject({
      accountId: 'github:583231',
      sub: '583231',
      lastsUntilSignOut: true,
      claims: { name: 'Octo Cat', email: 'octo@example.test', emailVerified: true, login: 'octo' },
    });
    expect(w.core.sessions.tokensOf('github:583231')!.expiresAt).toBeNull();
    // The API version header went with every API call; the token exchange asked for JSON.
    expect(w.gh.requests).toEqual(
      expect.arrayContaining(['GET /api/v3/user', 'GET /api/v3/user/emails']),
    );
  });

  it('a user with no public email gets the primary verified address from /user/emails', async () => {
    const w = await world();
    const account = await w.signIn('private');
    expect(account.claims).toMatchObject({
      email: 'hidden@example.test',
      emailVerified: true,
      name: 'private',
    });
    expect(account.sub).toBe('9000001');
  });

  it('incorrect_client_credentials (200 with error) → invalid_client, nothing stored', async () => {
    const w = await world({}, { clientSecret: 'wrong-secret' });
    await expect(w.signIn()).rejects.toMatchObject({ code: 'invalid_client' });
    expect(w.store.values.size).toBe(0);
  });

  it('a PKCE verifier that does not match (bad_verification_code) → invalid_grant', async () => {
    const tamper =
      (f: typeof fetch): typeof fetch =>
      async (input, init) => {
        const body = requestBody(init);
        if (body.includes('code_verifier=')) {
          const params = new URLSearchParams(body);
          params.set('code_verifier', 'x'.repeat(43));
          return f(input, { ...init, body: params.toString() });
        }
        return f(input, init);
      };
    const w = await world({}, {}, tamper);
    await expect(w.signIn()).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('codes are single use: a replayed code (bad_verification_code) → invalid_grant', async () => {
    const replay =
      (f: typeof fetch): typeof fetch =>
      async (input, init) => {
        const body = requestBody(init);
        if (body.includes('grant_type=authorization_code')) await (await f(input, init)).text(); // someone else used it first
        return f(input, init);
      };
    const w = await world({}, {}, replay);
    await expect(w.signIn()).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('access denied at GitHub → access_denied', async () => {
    const w = await world();
    const started = await w.core.sessions.signIn('github', { openBrowser: false });
    const auth = new URL(w.core.sessions.authorizationUrlOf('github'));
    const redirect = auth.searchParams.get('redirect_uri')!;
    const state = auth.searchParams.get('state');
    await callbackFromBrowser(started.url!, `${redirect}?error=access_denied&state=${state}`);
    await expect(started.done).rejects.toMatchObject({ code: 'access_denied' });
  });

  it('rate limit used up → rate_limited with the wait, nothing stored', async () => {
    const w = await world({ rateLimitRemaining: 0 });
    await expect(w.signIn()).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/try again in \d+ min/),
    });
    expect(w.store.values.size).toBe(0);
  });

  it('expiring user tokens refresh with rotation; the old refresh token is refused afterwards', async () => {
    const w = await world({ expiringTokens: true });
    const account = await w.signIn('octo');
    expect(account.lastsUntilSignOut).toBe(false);
    const first = w.core.sessions.tokensOf('github:583231')!;
    expect(first.expiresAt).toBeGreaterThan(Date.now() + 7.9 * 3600_000);
    await w.core.sessions.refresh('github:583231');
    const second = w.core.sessions.tokensOf('github:583231')!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(w.gh.refreshTokens.get(first.refreshToken!)!.used).toBe(true);
    // Another copy still holding the old refresh token: bad_refresh_token → sign in again.
    w.gh.refreshTokens.get(second.refreshToken!)!.used = true;
    await expect(w.core.sessions.refresh('github:583231')).rejects.toMatchObject({
      code: 'session_expired',
    });
  });

  it('sign-out revokes through DELETE /applications/{client_id}/token (204)', async () => {
    const w = await world();
    await w.signIn('octo');
    const token = w.core.sessions.tokensOf('github:583231')!.accessToken;
    expect(w.gh.tokens.has(token)).toBe(true);
    await expect(w.core.sessions.signOut('github:583231')).resolves.toEqual({
      kind: 'revoked',
    });
    expect(w.gh.tokens.has(token)).toBe(false);
  });

  it('without a client secret the web flow explains itself and sign-out is local only', async () => {
    const w = await world({ deviceInterval: 1 }, { clientSecret: '' });
    await expect(w.core.sessions.signIn('github', { openBrowser: false })).rejects.toMatchObject({
      code: 'provider_misconfigured',
      message: expect.stringContaining('Sign in with a code'),
    });
    await deviceSignIn(w, (gh, code) => setTimeout(() => gh.approveDevice(code, 'octo'), 50));
    await expect(w.core.sessions.signOut('github:583231')).resolves.toEqual({
      kind: 'no-revocation',
    });
  });
});

describe('GitHub device flow (RFC 8628)', () => {
  it('shows the user code and completes once approved, with no secret', async () => {
    const w = await world({ deviceInterval: 1 }, { clientSecret: '' });
    const account = await deviceSignIn(w, (gh, code) =>
      setTimeout(() => gh.approveDevice(code, 'octo'), 1500),
    );
    expect(account.accountId).toBe('github:583231');
  });

  it('access_denied → access_denied', async () => {
    const w = await world({ deviceInterval: 1 }, { clientSecret: '' });
    await expect(deviceSignIn(w, (gh, code) => gh.denyDevice(code))).rejects.toMatchObject({
      code: 'access_denied',
    });
  });

  it('expired_token → device_code_expired', async () => {
    const w = await world({ deviceInterval: 1, deviceExpiresIn: 1 }, { clientSecret: '' });
    await expect(deviceSignIn(w, () => undefined)).rejects.toMatchObject({
      code: 'device_code_expired',
    });
  });

  it('device_flow_disabled → device_flow_disabled, clearly', async () => {
    const w = await world({ deviceFlowEnabled: false }, { clientSecret: '' });
    await expect(w.core.sessions.signIn('github', { method: 'device' })).rejects.toMatchObject({
      code: 'device_flow_disabled',
    });
  });

  it('can be cancelled while polling', async () => {
    const w = await world({ deviceInterval: 1 }, { clientSecret: '' });
    const done = deviceSignIn(w, () => undefined);
    setTimeout(() => w.core.sessions.cancel('github'), 200);
    await expect(done).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('slow_down adds 5 s to every later poll (controllable clock, no real waiting)', async () => {
    let now = 0;
    const waits: number[] = [];
    const answers = [
      { error: 'authorization_pending' },
      { error: 'slow_down' },
      { error: 'authorization_pending' },
      { error: 'slow_down' },
      { access_token: 'gho_x', token_type: 'bearer' },
    ];
    const body = await pollDeviceToken({
      intervalSeconds: 5,
      expiresAt: 900_000,
      signal: new AbortController().signal,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
      poll: async () => ({ status: 200, body: answers.shift()! }),
    });
    expect(body.access_token).toBe('gho_x');
    expect(waits).toEqual([5000, 5000, 10_000, 10_000, 15_000]);
    expect(now).toBe(45_000);
  });
});

describe('GitHub quirks in isolation', () => {
  it.each([
    ['bad_verification_code', 'exchange', 'invalid_grant'],
    ['incorrect_client_credentials', 'exchange', 'invalid_client'],
    ['redirect_uri_mismatch', 'exchange', 'redirect_uri_rejected'],
    ['bad_refresh_token', 'refresh', 'session_expired'],
  ] as const)('HTTP 200 with error=%s becomes an OAuth error → %s', async (error, phase, code) => {
    const wrapped = githubFetch(
      async () =>
        new Response(`error=${error}&error_description=text`, {
          status: 200,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      'http://gh/login/',
    );
    const response = await wrapped('http://gh/login/oauth/access_token', { method: 'POST' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string };
    expect(body.error).toBe(error);
    expect(
      mapProviderError({ code: 'OAUTH_RESPONSE_BODY_ERROR', error: body.error, status: 400 }, phase)
        .code,
    ).toBe(code);
  });

  it('GitHub Enterprise Server: https://HOST/login/oauth and https://HOST/api/v3', () => {
    expect(githubEndpoints({})).toEqual({
      base: 'https://github.com',
      api: 'https://api.github.com',
    });
    expect(githubEndpoints({ baseUrl: 'https://ghe.example.com/' })).toEqual({
      base: 'https://ghe.example.com',
      api: 'https://ghe.example.com/api/v3',
    });
    expect(
      githubEndpoints({ baseUrl: 'https://ghe.example.com', apiUrl: 'https://api.ghe.example.com' })
        .api,
    ).toBe('https://api.ghe.example.com');
  });
});
