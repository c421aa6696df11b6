/**
 * What the code exchange and the refresh share: the token endpoint call, the recovery from
 * openid-client's exact iss and aud checks (Webex's idbroker hosts, an audience that is not the
 * client id), the ID-token check with jose (id-token.ts) and the TokenSet the keychain keeps.
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
  const claims = ownChecks(rt);
  const response =
    claims.length > 0
      ? await grantRecovering(rt, found, call, claims)
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
 * The claims openid-client checks too strictly for this provider: iss exactly the issuer (an
 * issuer family has siblings) and aud containing the client id (a configured audience).
 */
function ownChecks(rt: OidcRuntime): Array<'iss' | 'aud'> {
  const { issuerFamily, audience, clientId } = rt.options;
  return [
    ...(issuerFamily ? (['iss'] as const) : []),
    ...(audience !== undefined && audience !== clientId ? (['aud'] as const) : []),
  ];
}

/**
 * This one call's own transport keeps the raw answer. On openid-client's refusal of one of
 * `claims` alone it is returned, and callTokenEndpoint verifies its ID token with jose.
 */
async function grantRecovering(
  rt: OidcRuntime,
  found: Discovered,
  call: TokenCall,
  claims: readonly string[],
) {
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
    if (isClaimMismatch(error, claims) && isTokenResponse(raw)) return normalized(raw);
    throw mapProviderError(error, call.phase);
  }
}

/** openid-client's exact comparison of one of `claims` (its ClientError names the claim). */
function isClaimMismatch(error: unknown, claims: readonly string[]): boolean {
  return (
    error instanceof client.ClientError &&
    error.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' &&
    claims.includes(refusedClaim(error) ?? '')
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
  const { issuerFamily: family, clientId, audience, clockToleranceSeconds } = rt.options;
  return verifyIdToken(idToken, {
    issuer: family ? (iss: string) => iss === meta.issuer || family(iss) : meta.issuer,
    clientId,
    audience: audience ?? clientId,
    ...(nonce !== undefined ? { nonce } : {}),
    keys: found.keys,
    algorithms: meta.id_token_signing_alg_values_supported ?? ['RS256'],
    now: rt.ctx.now,
    ...(clockToleranceSeconds !== undefined ? { clockToleranceSeconds } : {}),
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
