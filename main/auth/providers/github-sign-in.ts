/**
 * GitHub's OAuth 2.0 web flow through openid-client: PKCE S256 + state (attempt-secrets.ts) and
 * the client secret GitHub requires for the code exchange (not confidential in a desktop app,
 * RFC 8252 §8.5), then refresh with rotation for expiring user tokens.
 */
import * as client from 'openid-client';
import { GatehouseError } from '../../ports/errors';
import { mapProviderError } from '../oauth-errors';
import { newAttemptSecrets, pkceParameters, type AttemptSecrets } from './attempt-secrets';
import type { GithubApi } from './github-api';
import { githubIdentity } from './github-identity';
import { toTokenSet } from './oidc-tokens';
import { expectParam } from './state-check';
import type {
  BrowserAttempt,
  Grant,
  Identity,
  PreparedSignIn,
  RefreshResult,
  TokenSet,
} from './types';

export interface GithubOAuth {
  config: client.Configuration;
  scope: string;
  api: GithubApi;
  now: () => number;
  hasSecret: boolean;
}

/** GitHub publishes no discovery document: its endpoints sit under the base URL. */
export function githubConfiguration(
  base: string,
  clientId: string,
  secret: string | undefined,
  transport: typeof fetch,
): client.Configuration {
  const config = new client.Configuration(
    {
      issuer: base,
      authorization_endpoint: `${base}/login/oauth/authorize`,
      token_endpoint: `${base}/login/oauth/access_token`,
      device_authorization_endpoint: `${base}/login/device/code`,
    },
    // openid-client refuses an empty client id at construction; an unset GITHUB_CLIENT_ID must
    // leave the provider listed with its problem (registry.ts guards every sign-in), not crash
    // start-up. The placeholder never reaches GitHub.
    clientId || 'unconfigured',
    secret ? { client_secret: secret } : undefined,
    secret ? client.ClientSecretPost(secret) : client.None(),
  );
  config[client.customFetch] = transport as unknown as client.CustomFetch;
  if (URL.canParse(base) && new URL(base).protocol === 'http:')
    client.allowInsecureRequests(config);
  return config;
}

export async function prepareGithubSignIn(oauth: GithubOAuth): Promise<PreparedSignIn> {
  if (!oauth.hasSecret) {
    throw new GatehouseError(
      'provider_misconfigured',
      'GitHub requires a client secret for browser sign-in; use "Sign in with a code", or set GITHUB_CLIENT_SECRET.',
    );
  }
  const secrets = await newAttemptSecrets();
  return { begin: async (redirectUri) => githubAttempt(oauth, secrets, redirectUri) };
}

function githubAttempt(
  oauth: GithubOAuth,
  secrets: AttemptSecrets,
  redirectUri: string,
): BrowserAttempt {
  const url = client.buildAuthorizationUrl(oauth.config, {
    ...pkceParameters(secrets, redirectUri),
    scope: oauth.scope,
    allow_signup: 'true',
  });
  const verdict = expectParam('state', secrets.state);
  return {
    authorizationUrl: url.href,
    check: verdict,
    complete: (callbackUrl) => exchangeCode(oauth, secrets, callbackUrl),
  };
}

async function exchangeCode(
  oauth: GithubOAuth,
  secrets: AttemptSecrets,
  callbackUrl: URL,
): Promise<Grant> {
  const response = await client
    .authorizationCodeGrant(oauth.config, callbackUrl, {
      pkceCodeVerifier: secrets.verifier,
      expectedState: secrets.state,
    })
    .catch((error: unknown) => {
      throw mapProviderError(error, 'exchange');
    });
  return githubGrant(oauth, response);
}

/** Tokens from either flow, and the person they belong to. */
export async function githubGrant(
  oauth: Pick<GithubOAuth, 'api' | 'now'>,
  response: client.TokenEndpointResponse,
): Promise<Grant> {
  const tokens = toTokenSet(response, oauth.now());
  return { identity: await githubIdentity(oauth.api, tokens.accessToken), tokens };
}

const CLASSIC_TOKEN = 'This GitHub token does not expire; it lasts until sign-out.';

export async function refreshGithub(
  oauth: GithubOAuth,
  previous: TokenSet,
  identity: Identity,
): Promise<RefreshResult> {
  if (!previous.refreshToken) throw new GatehouseError('refresh_failed', CLASSIC_TOKEN);
  const response = await client
    .refreshTokenGrant(oauth.config, previous.refreshToken)
    .catch((error: unknown) => {
      throw mapProviderError(error, 'refresh');
    });
  const { tokens, identity: fresh } = await githubGrant(oauth, response);
  // No new refresh token in the answer: keep the old one (RFC 6749 §6).
  tokens.refreshToken ??= previous.refreshToken;
  if (fresh.sub !== identity.sub)
    throw new GatehouseError(
      'refresh_identity_changed',
      'GitHub renewed the session for a different user. Sign in again.',
    );
  return { tokens, claims: fresh.claims };
}
