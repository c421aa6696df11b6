/**
 * GitHub (OAuth 2.0, not OpenID Connect): the web flow with PKCE S256 + state + the client
 * secret GitHub requires for the code exchange (not confidential in a desktop app, RFC 8252
 * §8.5), identity from the REST API keyed on the numeric user id, refresh with rotation for
 * expiring user tokens, revocation through the applications API, and the device flow.
 * GitHub Enterprise Server is a base-URL setting.
 */
import * as client from 'openid-client';
import type { GithubProviderConfig } from '../../config/schema';
import type { DisplayClaims } from '../../../shared/session';
import { GatehouseError } from '../../ports/errors';
import { pollDeviceToken, sleep, type DeviceCodeResponse } from '../device-flow';
import { toAuthError } from '../oauth-errors';
import { githubFetch } from './github-fetch';
import { assertSecureUrl } from '../url-rules';
import { toTokenSet } from './oidc';
import type {
  DeviceAuthorization,
  Grant,
  Identity,
  ProviderContext,
  ProviderModule,
  TokenSet,
} from './types';

export const GITHUB_API_VERSION = '2022-11-28';

export interface GithubEndpoints {
  base: string;
  api: string;
}

/** github.com uses api.github.com; Enterprise Server uses https://HOST/api/v3. */
export function githubEndpoints(
  config: Pick<GithubProviderConfig, 'baseUrl' | 'apiUrl'>,
): GithubEndpoints {
  const base = (config.baseUrl ?? 'https://github.com').replace(/\/+$/, '');
  const api = (
    config.apiUrl ?? (base === 'https://github.com' ? 'https://api.github.com' : `${base}/api/v3`)
  ).replace(/\/+$/, '');
  return { base, api };
}

export function createGithubModule(
  config: GithubProviderConfig,
  problems: string[],
  ctx: ProviderContext,
  timeoutMs: number,
  options: { sleep?: typeof sleep } = {},
): ProviderModule {
  const { base, api } = githubEndpoints(config);
  for (const [field, url] of [
    ['baseUrl', base],
    ['apiUrl', api],
  ] as const) {
    try {
      assertSecureUrl(new URL(url));
    } catch {
      problems.push(`${field} must be an https URL (plain http only on this computer)`);
    }
  }
  if (!config.clientId) problems.push('clientId is empty');
  const scopes = config.scopes ?? ['read:user', 'user:email'];
  const transport = githubFetch(ctx.fetch, `${base}/login/`);
  const secret = config.clientSecret || undefined;

  const oauth = new client.Configuration(
    {
      issuer: base,
      authorization_endpoint: `${base}/login/oauth/authorize`,
      token_endpoint: `${base}/login/oauth/access_token`,
      device_authorization_endpoint: `${base}/login/device/code`,
    },
    // openid-client refuses an empty client id at construction; an unset GITHUB_CLIENT_ID must
    // leave the provider listed with its problem (the registry guards every sign-in), not crash
    // start-up. The placeholder never reaches GitHub.
    config.clientId || 'unconfigured',
    secret ? { client_secret: secret } : undefined,
    secret ? client.ClientSecretPost(secret) : client.None(),
  );
  oauth[client.customFetch] = transport as unknown as client.CustomFetch;
  if (new URL(base).protocol === 'http:') client.allowInsecureRequests(oauth);

  async function apiGet<T>(
    path: string,
    accessToken: string,
  ): Promise<{ status: number; body: T | null }> {
    const response = await ctx.fetch(`${api}${path}`, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${accessToken}`,
        'x-github-api-version': GITHUB_API_VERSION,
        'user-agent': 'Gatehouse',
      },
    });
    // Respect the rate limit: a spent budget is a clear, timed message, not a mystery failure.
    const remaining = response.headers.get('x-ratelimit-remaining');
    if (
      (response.status === 403 || response.status === 429) &&
      (remaining === '0' || response.headers.has('retry-after'))
    ) {
      const reset = Number(response.headers.get('x-ratelimit-reset') ?? 0) * 1000;
      const retry = Number(response.headers.get('retry-after') ?? 0) * 1000;
      const waitMs = Math.max(retry, reset ? reset - ctx.now() : 0);
      throw new GatehouseError(
        'rate_limited',
        `GitHub's API rate limit is used up; try again in ${Math.max(1, Math.ceil(waitMs / 60000))} min.`,
      );
    }
    if (response.status >= 500)
      throw new GatehouseError('server_error', `GitHub had a problem (HTTP ${response.status}).`);
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as T };
    } catch {
      return { status: response.status, body: null };
    }
  }

  /** GET /user keyed on the numeric id; GET /user/emails for the primary verified address. */
  async function identify(accessToken: string): Promise<Identity> {
    const user = await apiGet<{
      id?: unknown;
      login?: string;
      name?: string | null;
      email?: string | null;
      avatar_url?: string;
    }>('/user', accessToken);
    if (user.status === 401)
      throw new GatehouseError(
        'session_expired',
        'GitHub no longer accepts this session. Sign in again.',
      );
    if (user.status !== 200 || !user.body)
      throw new GatehouseError('userinfo_failed', 'Your GitHub profile could not be read.');
    const id = user.body.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id))
      throw new GatehouseError('invalid_response', 'GitHub sent a profile without a numeric id.');
    const claims: DisplayClaims = {};
    if (user.body.login) claims.login = user.body.login;
    const name = user.body.name ?? user.body.login;
    if (name) claims.name = name;
    if (user.body.avatar_url?.startsWith('https://')) claims.picture = user.body.avatar_url;
    // /user's email is the *public* one and may be null; /user/emails (user:email) has the rest.
    const emails = await apiGet<Array<{ email: string; primary: boolean; verified: boolean }>>(
      '/user/emails',
      accessToken,
    );
    const primary = Array.isArray(emails.body)
      ? emails.body.find((e) => e.primary && e.verified)
      : undefined;
    if (primary) {
      claims.email = primary.email;
      claims.emailVerified = true;
    } else if (user.body.email) {
      claims.email = user.body.email;
    }
    return { sub: String(id), claims };
  }

  const module: ProviderModule = {
    info: {
      id: config.id,
      displayName: config.displayName ?? 'GitHub',
      kind: 'github',
      configErrors: problems,
      supportsDeviceFlow: true,
      supportsRefresh: true,
    },
    fixedPorts: config.ports ?? [],
    signInTimeoutMs: timeoutMs,

    async prepareSignIn() {
      if (!secret) {
        throw new GatehouseError(
          'provider_misconfigured',
          'GitHub requires a client secret for browser sign-in; use "Sign in with a code", or set GITHUB_CLIENT_SECRET.',
        );
      }
      const verifier = client.randomPKCECodeVerifier();
      const challenge = await client.calculatePKCECodeChallenge(verifier);
      const state = client.randomState();
      return {
        async begin(redirectUri: string) {
          const url = client.buildAuthorizationUrl(oauth, {
            redirect_uri: redirectUri,
            scope: scopes.join(' '),
            state,
            code_challenge: challenge,
            code_challenge_method: 'S256',
            allow_signup: 'true',
          });
          return {
            authorizationUrl: url.href,
            check: (params) =>
              params.get('state') === state ? { kind: 'accept' } : { kind: 'ignore' },
            async complete(callbackUrl: URL): Promise<Grant> {
              let response: client.TokenEndpointResponse;
              try {
                response = await client.authorizationCodeGrant(oauth, callbackUrl, {
                  pkceCodeVerifier: verifier,
                  expectedState: state,
                });
              } catch (error) {
                throw toAuthError(error, 'exchange');
              }
              const tokens = toTokenSet(response, ctx.now());
              return { identity: await identify(tokens.accessToken), tokens };
            },
          };
        },
      };
    },

    async refresh(previous: TokenSet, identity: Identity) {
      if (!previous.refreshToken)
        throw new GatehouseError(
          'refresh_failed',
          'This GitHub token does not expire; it lasts until sign-out.',
        );
      let response: client.TokenEndpointResponse;
      try {
        response = await client.refreshTokenGrant(oauth, previous.refreshToken);
      } catch (error) {
        throw toAuthError(error, 'refresh');
      }
      const tokens = toTokenSet(response, ctx.now());
      if (!tokens.refreshToken) tokens.refreshToken = previous.refreshToken;
      const fresh = await identify(tokens.accessToken);
      if (fresh.sub !== identity.sub)
        throw new GatehouseError(
          'refresh_identity_changed',
          'GitHub renewed the session for a different user. Sign in again.',
        );
      return { tokens, claims: fresh.claims };
    },

    async revoke(tokens: TokenSet) {
      // DELETE /applications/{client_id}/token needs the app's secret; without it, local only.
      if (!secret) return false;
      const response = await ctx.fetch(
        `${api}/applications/${encodeURIComponent(config.clientId)}/token`,
        {
          method: 'DELETE',
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Basic ${Buffer.from(`${config.clientId}:${secret}`).toString('base64')}`,
            'content-type': 'application/json',
            'x-github-api-version': GITHUB_API_VERSION,
          },
          body: JSON.stringify({ access_token: tokens.accessToken }),
        },
      );
      if (response.status === 204 || response.status === 404) return response.status === 204;
      throw new GatehouseError(
        'revocation_failed',
        `Signed out here, but GitHub could not be told (HTTP ${response.status}).`,
      );
    },

    async startDeviceAuthorization(): Promise<DeviceAuthorization> {
      // RFC 8628 needs no secret: this is the fallback when the loopback cannot be reached.
      const response = await transport(`${base}/login/device/code`, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          client_id: config.clientId,
          scope: scopes.join(' '),
        }).toString(),
      });
      const body = (await response.json().catch(() => ({}))) as Partial<DeviceCodeResponse> & {
        error?: string;
      };
      if (body.error || !response.ok)
        throw toAuthError(
          {
            code: 'OAUTH_RESPONSE_BODY_ERROR',
            error: body.error ?? 'server_error',
            status: response.status,
          },
          'device',
        );
      if (!body.device_code || !body.user_code || !body.verification_uri || !body.expires_in) {
        throw new GatehouseError('invalid_response', 'GitHub sent an incomplete device code.');
      }
      const code = body as DeviceCodeResponse;
      const expiresAt = ctx.now() + code.expires_in * 1000;
      return {
        userCode: code.user_code,
        verificationUri: code.verification_uri,
        expiresAt,
        poll: async (signal: AbortSignal): Promise<Grant> => {
          const body = await pollDeviceToken({
            intervalSeconds: code.interval ?? 5,
            expiresAt,
            signal,
            now: ctx.now,
            sleep: options.sleep ?? sleep,
            poll: async () => {
              const r = await ctx.fetch(`${base}/login/oauth/access_token`, {
                method: 'POST',
                headers: {
                  accept: 'application/json',
                  'content-type': 'application/x-www-form-urlencoded',
                },
                body: new URLSearchParams({
                  client_id: config.clientId,
                  device_code: code.device_code,
                  grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
                }).toString(),
              });
              return {
                status: r.status,
                body: (await r.json().catch(() => ({ error: 'invalid_response' }))) as Record<
                  string,
                  unknown
                >,
              };
            },
          });
          if (typeof body.access_token !== 'string')
            throw new GatehouseError('invalid_response', 'GitHub sent no access token.');
          const tokens = toTokenSet(body as unknown as client.TokenEndpointResponse, ctx.now());
          return { identity: await identify(tokens.accessToken), tokens };
        },
      };
    },
  };
  return module;
}
