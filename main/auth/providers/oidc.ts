/**
 * Generic OpenID Connect provider (Hawcx, Keycloak, Okta, glewlwyd-style servers, and the base
 * of the Webex and demo presets): discovery, PKCE S256 + state + nonce, code exchange through
 * openid-client, ID token verified with jose (id-token.ts), userinfo whose sub must match.
 */
import * as client from 'openid-client';
import {
  createRemoteJWKSet,
  customFetch as joseFetch,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { DisplayClaims, ProviderInfo } from '../../../shared/session';
import { assertSecureUrl } from '../url-rules';
import { GatehouseError } from '../../ports/errors';
import { verifyIdToken } from '../id-token';
import { toAuthError } from '../oauth-errors';
import { displayClaims } from './claims';
import type {
  DiagnosticCheck,
  Grant,
  Identity,
  ProviderContext,
  ProviderModule,
  RefreshResult,
  TokenSet,
} from './types';

export interface OidcOptions {
  info: ProviderInfo;
  fixedPorts: readonly number[];
  signInTimeoutMs: number;
  /** Issuer URL, or a full .well-known URL (which skips openid-client's issuer equality check). */
  discoveryUrl: string;
  clientId: string;
  clientSecret?: string;
  authMethod: 'none' | 'client_secret_basic' | 'client_secret_post';
  scopes: readonly string[];
  extraAuthorizeParams?: Record<string, string>;
  /** Accepts an ID token `iss` other than the discovered issuer (Webex's idbroker family). */
  issuerFamily?: (iss: string) => boolean;
  /** With issuerFamily: the raw token response seen by the transport, for re-verification. */
  takeTokenResponse?: () => client.TokenEndpointResponse | null;
}

const DISCOVERY_TTL_MS = 60 * 60 * 1000;

export function createOidcModule(options: OidcOptions, ctx: ProviderContext): ProviderModule {
  let cached: { config: client.Configuration; keys: JWTVerifyGetKey; at: number } | null = null;
  // The DOM and Node typings of fetch differ only in body types openid-client never sends.
  const transport = ctx.fetch as unknown as client.CustomFetch;

  async function discover() {
    if (cached && ctx.now() - cached.at < DISCOVERY_TTL_MS) return cached;
    const url = parseIssuerUrl(options.discoveryUrl);
    const clientAuth =
      options.authMethod === 'client_secret_basic'
        ? client.ClientSecretBasic(options.clientSecret)
        : options.authMethod === 'client_secret_post'
          ? client.ClientSecretPost(options.clientSecret)
          : client.None();
    let config: client.Configuration;
    try {
      config = await client.discovery(url, options.clientId, undefined, clientAuth, {
        [client.customFetch]: transport,
        timeout: Math.ceil(ctx.httpTimeoutMs / 1000),
        execute: url.protocol === 'http:' ? [client.allowInsecureRequests] : [],
      });
    } catch (error) {
      throw toAuthError(error, 'discovery');
    }
    config[client.customFetch] = transport;
    const meta = config.serverMetadata();
    if (!meta.jwks_uri)
      throw new GatehouseError(
        'discovery_failed',
        'The provider publishes no signing keys (jwks_uri).',
      );
    const methods = meta.code_challenge_methods_supported;
    // RFC 7636/9700: refuse servers that announce PKCE without S256. Absent means "not announced".
    if (methods && !methods.includes('S256'))
      throw new GatehouseError(
        'provider_misconfigured',
        'The provider does not support PKCE with S256.',
      );
    const jwksUrl = new URL(meta.jwks_uri);
    assertSecureUrl(jwksUrl);
    const keys = createRemoteJWKSet(jwksUrl, {
      [joseFetch]: ctx.fetch,
      timeoutDuration: ctx.httpTimeoutMs,
      cooldownDuration: 30_000,
    });
    cached = { config, keys, at: ctx.now() };
    return cached;
  }

  async function identify(
    config: client.Configuration,
    payload: JWTPayload,
    accessToken: string,
  ): Promise<Identity> {
    const sub = payload.sub!;
    let info: client.UserInfoResponse | null = null;
    if (config.serverMetadata().userinfo_endpoint) {
      try {
        // fetchUserInfo enforces OIDC Core §5.3.2: the userinfo sub must equal the ID token's.
        info = await client.fetchUserInfo(config, accessToken, sub);
      } catch (error) {
        const e = error as { code?: string; message?: string };
        if (e.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || /sub/.test(e.message ?? '')) {
          throw new GatehouseError(
            'userinfo_sub_mismatch',
            'The profile the provider returned belongs to someone else.',
            { cause: error },
          );
        }
        const mapped = toAuthError(error, 'userinfo');
        throw mapped.code === 'token_exchange_failed'
          ? new GatehouseError(
              'userinfo_failed',
              'Your profile could not be read from the provider.',
              {
                cause: error,
              },
            )
          : mapped;
      }
    }
    return { sub, claims: displayClaims({ ...payload, ...(info ?? {}) }) };
  }

  async function checkIdToken(
    config: client.Configuration,
    keys: JWTVerifyGetKey,
    idToken: string,
    nonce?: string,
  ) {
    const meta = config.serverMetadata();
    return verifyIdToken(idToken, {
      issuer: options.issuerFamily
        ? (iss: string) => iss === meta.issuer || options.issuerFamily!(iss)
        : meta.issuer,
      clientId: options.clientId,
      ...(nonce !== undefined ? { nonce } : {}),
      keys,
      algorithms: meta.id_token_signing_alg_values_supported ?? ['RS256'],
      now: ctx.now,
    });
  }

  const module: ProviderModule = {
    info: options.info,
    fixedPorts: options.fixedPorts,
    signInTimeoutMs: options.signInTimeoutMs,

    async prepareSignIn() {
      const { config, keys } = await discover();
      const verifier = client.randomPKCECodeVerifier();
      const challenge = await client.calculatePKCECodeChallenge(verifier);
      const state = client.randomState();
      const nonce = client.randomNonce();
      return {
        async begin(redirectUri: string) {
          const url = client.buildAuthorizationUrl(config, {
            ...options.extraAuthorizeParams,
            redirect_uri: redirectUri,
            scope: options.scopes.join(' '),
            code_challenge: challenge,
            code_challenge_method: 'S256',
            state,
            nonce,
          });
          return {
            authorizationUrl: url.href,
            check: (params) =>
              params.get('state') === state ? { kind: 'accept' } : { kind: 'ignore' },
            async complete(callbackUrl: URL): Promise<Grant> {
              let tokens: client.TokenEndpointResponse;
              try {
                tokens = await client.authorizationCodeGrant(config, callbackUrl, {
                  pkceCodeVerifier: verifier,
                  expectedState: state,
                  expectedNonce: nonce,
                  idTokenExpected: true,
                });
              } catch (error) {
                const recovered = await recoverIssuerFamily(error);
                if (!recovered) throw toAuthError(error, 'exchange');
                tokens = recovered;
              }
              if (!tokens.id_token)
                throw new GatehouseError('id_token_invalid', 'The provider sent no ID token.');
              const payload = await checkIdToken(config, keys, tokens.id_token, nonce);
              const identity = await identify(config, payload, tokens.access_token);
              return { identity, tokens: toTokenSet(tokens, ctx.now()) };
            },
          };
        },
      };
    },

    async refresh(previous: TokenSet, identity: Identity): Promise<RefreshResult> {
      if (!previous.refreshToken)
        throw new GatehouseError(
          'session_expired',
          'The session cannot be renewed. Sign in again.',
        );
      const { config, keys } = await discover();
      let response: client.TokenEndpointResponse;
      try {
        response = await client.refreshTokenGrant(config, previous.refreshToken);
      } catch (error) {
        throw toAuthError(error, 'refresh');
      }
      const next = toTokenSet(response, ctx.now());
      // No new refresh token in the answer: keep the old one (RFC 6749 §6).
      if (!next.refreshToken) next.refreshToken = previous.refreshToken;
      let claims: DisplayClaims | undefined;
      if (response.id_token) {
        const payload = await checkIdToken(config, keys, response.id_token);
        const before = previous.idToken ? decodePayload(previous.idToken) : null;
        // OIDC Core §12.2: same iss, sub and aud as the original; openid-client does not check it.
        if (
          payload.sub !== identity.sub ||
          (before &&
            (before.iss !== payload.iss ||
              JSON.stringify(before.aud) !== JSON.stringify(payload.aud)))
        ) {
          throw new GatehouseError(
            'refresh_identity_changed',
            'The provider renewed the session for a different identity. Sign in again.',
          );
        }
        claims = displayClaims(payload);
      } else if (previous.idToken) {
        next.idToken = previous.idToken;
      }
      return claims ? { tokens: next, claims } : { tokens: next };
    },
  };

  module.diagnose = async () => {
    const checks: DiagnosticCheck[] = [];
    let found;
    try {
      found = await discover();
      checks.push({
        name: 'discovery',
        ok: true,
        detail: `issuer ${found.config.serverMetadata().issuer}`,
      });
    } catch (error) {
      checks.push({ name: 'discovery', ok: false, detail: (error as Error).message });
      return checks;
    }
    const meta = found.config.serverMetadata();
    try {
      const response = await ctx.fetch(meta.jwks_uri!, { headers: { accept: 'application/json' } });
      const body = (await response.json()) as { keys?: unknown[] };
      const count = Array.isArray(body.keys) ? body.keys.length : 0;
      checks.push({
        name: 'signing keys (JWKS)',
        ok: response.ok && count > 0,
        detail: `${count} key(s)`,
      });
    } catch (error) {
      checks.push({ name: 'signing keys (JWKS)', ok: false, detail: (error as Error).message });
    }
    const methods = meta.code_challenge_methods_supported;
    checks.push({
      name: 'PKCE S256',
      ok: !methods || methods.includes('S256'),
      detail: methods ? `announced: ${methods.join(', ')}` : 'not announced (assumed supported)',
    });
    checks.push({
      name: 'revocation',
      ok: true,
      detail: meta.revocation_endpoint
        ? 'RFC 7009 endpoint present'
        : 'none: sign-out is local only',
    });
    return checks;
  };

  module.revoke = async (tokens: TokenSet) => {
    const { config } = await discover();
    // No RFC 7009 endpoint (Webex, Hawcx): sign-out is local only, and says so.
    if (!config.serverMetadata().revocation_endpoint) return false;
    try {
      // RFC 7009 §2.1: revoking the refresh token also ends its access tokens.
      await client.tokenRevocation(config, tokens.refreshToken ?? tokens.accessToken, {
        token_type_hint: tokens.refreshToken ? 'refresh_token' : 'access_token',
      });
      return true;
    } catch (error) {
      const mapped = toAuthError(error, 'revoke');
      throw new GatehouseError(
        'revocation_failed',
        `Signed out here, but the provider could not be told: ${mapped.message}`,
        { cause: error },
      );
    }
  };
  return module;

  async function recoverIssuerFamily(error: unknown): Promise<client.TokenEndpointResponse | null> {
    // Webex: the ID token's iss may be another idbroker host than the discovered issuer.
    // openid-client's exact comparison refuses it; jose then verifies against the family.
    if (!options.issuerFamily) return null;
    const e = error as { code?: string; cause?: { claim?: string; body?: unknown } };
    if (e.code !== 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || e.cause?.claim !== 'iss') return null;
    return options.takeTokenResponse?.() ?? null;
  }
}

export function parseIssuerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GatehouseError('config_invalid', `"${raw}" is not a URL.`);
  }
  assertSecureUrl(url);
  return url;
}

export function toTokenSet(response: client.TokenEndpointResponse, now: number): TokenSet {
  const set: TokenSet = {
    accessToken: response.access_token,
    expiresAt: typeof response.expires_in === 'number' ? now + response.expires_in * 1000 : null,
  };
  if (typeof response.refresh_token === 'string') set.refreshToken = response.refresh_token;
  if (typeof response.id_token === 'string') set.idToken = response.id_token;
  if (typeof response.token_type === 'string') set.tokenType = response.token_type;
  if (typeof response.scope === 'string') set.scope = response.scope;
  return set;
}

function decodePayload(jwt: string): JWTPayload | null {
  try {
    const part = jwt.split('.')[1] ?? '';
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as JWTPayload;
  } catch {
    return null;
  }
}
