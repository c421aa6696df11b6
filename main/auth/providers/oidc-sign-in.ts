/**
 * The OpenID Connect sign-in (OIDC Core §3.1, authorization code with PKCE S256, state and
 * nonce): the authorization URL, the callback's RFC 9207 issuer, the code exchange, the ID
 * token (oidc-tokens.ts) and the identity, whose userinfo sub must match.
 */
import * as client from 'openid-client';
import type { JWTPayload } from 'jose';
import { GatehouseError } from '../../ports/errors';
import { mapProviderError } from '../oauth-errors';
import { newAttemptSecrets, pkceParameters, type AttemptSecrets } from './attempt-secrets';
import { displayClaims } from './claims';
import type { Discovered, OidcRuntime } from './oidc-discovery';
import { callTokenEndpoint, toTokenSet } from './oidc-tokens';
import { expectParam } from './state-check';
import type { BrowserAttempt, CompleteHooks, Grant, Identity, PreparedSignIn } from './types';

export async function prepareOidcSignIn(rt: OidcRuntime): Promise<PreparedSignIn> {
  const found = await rt.discover();
  const secrets = await newAttemptSecrets();
  return { begin: async (redirectUri) => beginAttempt(rt, found, secrets, redirectUri) };
}

function beginAttempt(
  rt: OidcRuntime,
  found: Discovered,
  secrets: AttemptSecrets,
  redirectUri: string,
): BrowserAttempt {
  const url = client.buildAuthorizationUrl(found.config, {
    ...rt.options.extraAuthorizeParams,
    ...pkceParameters(secrets, redirectUri),
    scope: rt.options.scopes.join(' '),
    nonce: secrets.nonce,
  });
  return {
    authorizationUrl: url.href,
    check: expectParam('state', secrets.state),
    complete: (callbackUrl, hooks) => completeSignIn(rt, found, secrets, callbackUrl, hooks),
  };
}

async function completeSignIn(
  rt: OidcRuntime,
  found: Discovered,
  secrets: AttemptSecrets,
  callbackUrl: URL,
  hooks?: CompleteHooks,
): Promise<Grant> {
  checkResponseIssuer(found.meta, callbackUrl.searchParams);
  const { response, idToken } = await callTokenEndpoint(rt, found, {
    phase: 'exchange',
    nonce: secrets.nonce,
    grant: (config) =>
      client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: secrets.verifier,
        expectedState: secrets.state,
        expectedNonce: secrets.nonce,
        idTokenExpected: true,
      }),
  });
  if (!idToken) throw new GatehouseError('id_token_invalid', 'The provider sent no ID token.');
  const identity = await identify(found, idToken, response.access_token, hooks);
  return { identity, tokens: toTokenSet(response, rt.ctx.now()) };
}

/**
 * RFC 9207 §2.4, before the code is spent: an `iss` present must be the issuer, and a server
 * that announces the parameter must send it. openid-client reports either only as a plain
 * OAUTH_INVALID_RESPONSE, hence the check here (the mix-up defence, RFC 9700 §4.4).
 */
function checkResponseIssuer(meta: client.ServerMetadata, params: URLSearchParams): void {
  const iss = params.get('iss');
  const refused =
    iss === null
      ? meta.authorization_response_iss_parameter_supported === true
      : iss !== meta.issuer;
  if (refused)
    throw new GatehouseError(
      'issuer_response_mismatch',
      'The sign-in reply did not come from the expected provider.',
    );
}

/** The identity of a verified ID token: its sub, and display claims from it and userinfo. */
export async function identify(
  found: Discovered,
  payload: JWTPayload,
  accessToken: string,
  hooks?: CompleteHooks,
): Promise<Identity> {
  const sub = payload.sub!;
  hooks?.onSubject?.(sub);
  const info = found.meta.userinfo_endpoint
    ? await fetchProfile(found.config, accessToken, sub)
    : null;
  return { sub, claims: displayClaims({ ...payload, ...(info ?? {}) }) };
}

async function fetchProfile(config: client.Configuration, accessToken: string, sub: string) {
  try {
    // fetchUserInfo enforces OIDC Core §5.3.2: the userinfo sub must equal the ID token's.
    return await client.fetchUserInfo(config, accessToken, sub);
  } catch (error) {
    // A userinfo sub of someone else is userinfo_sub_mismatch (errors-map/rows.ts).
    throw mapProviderError(error, 'userinfo');
  }
}
