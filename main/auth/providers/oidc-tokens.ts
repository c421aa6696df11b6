/**
 * What the code exchange and the refresh share: the token endpoint call, the issuer-family
 * recovery (Webex's idbroker hosts), the ID-token check with jose (id-token.ts) and the
 * TokenSet that the keychain keeps.
 */
import * as client from 'openid-client';
import type { JWTPayload } from 'jose';
import { verifyIdToken } from '../id-token';
import { mapProviderError, refusedClaim } from '../oauth-errors';
import type { Discovered, OidcRuntime } from './oidc-discovery';
import type { TokenSet } from './types';

export interface TokenCall {
  phase: 'exchange' | 'refresh';
  /** The sign-in's nonce; absent on refresh, where OIDC Core §12.2 makes it optional. */
  nonce?: string;
  grant(config: client.Configuration): Promise<client.TokenEndpointResponse>;
}

export interface TokenAnswer {
  response: client.TokenEndpointResponse;
  /** The ID token's verified claims, or null when the answer carried none. */
  idToken: JWTPayload | null;
}

/** One token endpoint call; any ID token in the answer is verified before it is returned. */
export async function callTokenEndpoint(
  rt: OidcRuntime,
  found: Discovered,
  call: TokenCall,
): Promise<TokenAnswer> {
  const response = rt.options.issuerFamily
    ? await grantForFamily(rt, found, call)
    : await grantExact(found.config, call);
  const idToken =
    typeof response.id_token === 'string'
      ? await checkIdToken(rt, found, response.id_token, call.nonce)
      : null;
  return { response, idToken };
}

async function grantExact(config: client.Configuration, call: TokenCall) {
  try {
    return await call.grant(config);
  } catch (error) {
    throw mapProviderError(error, call.phase);
  }
}

/**
 * openid-client compares the ID token's iss with the discovered issuer exactly and refuses a
 * sibling host. This one call's own transport keeps the raw answer; on that refusal alone it is
 * returned, and callTokenEndpoint verifies its ID token against the family with jose.
 */
async function grantForFamily(rt: OidcRuntime, found: Discovered, call: TokenCall) {
  let raw: unknown = null;
  const keepAnswer: typeof fetch = async (input, init) => {
    const response = await rt.ctx.fetch(input, init);
    if (response.ok)
      raw = await response
        .clone()
        .json()
        .catch(() => null);
    return response;
  };
  try {
    return await call.grant(found.withFetch(keepAnswer));
  } catch (error) {
    if (isIssuerClaimMismatch(error) && isTokenResponse(raw)) return normalized(raw);
    throw mapProviderError(error, call.phase);
  }
}

/** openid-client's exact comparison of the ID token's iss (its ClientError names the claim). */
function isIssuerClaimMismatch(error: unknown): boolean {
  return (
    error instanceof client.ClientError &&
    error.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' &&
    refusedClaim(error) === 'iss'
  );
}

/** The fields openid-client had checked before it reached the ID token (RFC 6749 §5.1). */
function isTokenResponse(raw: unknown): raw is client.TokenEndpointResponse {
  if (!raw || typeof raw !== 'object') return false;
  const body = raw as Record<string, unknown>;
  return (
    typeof body.access_token === 'string' &&
    body.access_token.length > 0 &&
    typeof body.token_type === 'string' &&
    typeof body.id_token === 'string'
  );
}

/** As openid-client hands its own answers back: token_type in lower case, expires_in a number. */
function normalized(raw: client.TokenEndpointResponse): client.TokenEndpointResponse {
  const { expires_in: expiresIn, ...rest } = raw;
  const seconds = Number(expiresIn);
  return {
    ...rest,
    token_type: raw.token_type.toLowerCase() as Lowercase<string>,
    ...(expiresIn !== undefined && Number.isFinite(seconds) ? { expires_in: seconds } : {}),
  };
}

function checkIdToken(rt: OidcRuntime, found: Discovered, idToken: string, nonce?: string) {
  const { meta } = found;
  const family = rt.options.issuerFamily;
  return verifyIdToken(idToken, {
    issuer: family ? (iss: string) => iss === meta.issuer || family(iss) : meta.issuer,
    clientId: rt.options.clientId,
    ...(nonce !== undefined ? { nonce } : {}),
    keys: found.keys,
    algorithms: meta.id_token_signing_alg_values_supported ?? ['RS256'],
    now: rt.ctx.now,
  });
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
