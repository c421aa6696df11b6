/**
 * An OpenID Connect session after sign-in: the refresh (RFC 6749 §6), whose new ID token must
 * name the same iss, sub and aud as the first one (OIDC Core §12.2, which openid-client does not
 * check), and the revocation at sign-out (RFC 7009) when the provider has an endpoint for it.
 */
import * as client from 'openid-client';
import { decodeJwt, type JWTPayload } from 'jose';
import type { RevocationResult } from '../../../shared/sign-out';
import { GatehouseError } from '../../ports/errors';
import { displayClaims } from './claims';
import type { OidcRuntime } from './oidc-discovery';
import { callTokenEndpoint, toTokenSet } from './oidc-tokens';
import type { Identity, RefreshResult, TokenSet } from './types';

export async function refreshOidc(
  rt: OidcRuntime,
  previous: TokenSet,
  identity: Identity,
): Promise<RefreshResult> {
  const refreshToken = previous.refreshToken;
  if (!refreshToken)
    throw new GatehouseError('session_expired', 'The session cannot be renewed. Sign in again.');
  const found = await rt.discover();
  const { response, idToken } = await callTokenEndpoint(rt, found, {
    phase: 'refresh',
    grant: (config) => client.refreshTokenGrant(config, refreshToken),
  });
  const next = toTokenSet(response, rt.ctx.now());
  // No new refresh token in the answer: keep the old one (RFC 6749 §6).
  next.refreshToken ||= refreshToken;
  if (!idToken) {
    if (previous.idToken) next.idToken = previous.idToken;
    return { tokens: next };
  }
  assertSameIdentity(idToken, identity, previous.idToken);
  return { tokens: next, claims: displayClaims(idToken) };
}

function assertSameIdentity(payload: JWTPayload, identity: Identity, previousIdToken?: string) {
  const before = previousIdToken ? claimsOf(previousIdToken) : null;
  const same =
    payload.sub === identity.sub &&
    (!before ||
      (before.iss === payload.iss && JSON.stringify(before.aud) === JSON.stringify(payload.aud)));
  if (!same)
    throw new GatehouseError(
      'refresh_identity_changed',
      'The provider renewed the session for a different identity. Sign in again.',
    );
}

/** The stored ID token was verified at sign-in; reading its claims again needs no key. */
function claimsOf(jwt: string): JWTPayload | null {
  try {
    return decodeJwt(jwt);
  } catch {
    return null;
  }
}

/** A refused or failed request throws; main/auth/session/sign-out.ts reads its status. */
export async function revokeOidc(rt: OidcRuntime, tokens: TokenSet): Promise<RevocationResult> {
  const { config, meta } = await rt.discover();
  // No RFC 7009 endpoint (Webex, Hawcx): sign-out is local only, and says so.
  if (!meta.revocation_endpoint) return { kind: 'no-revocation' };
  // RFC 7009 §2.1: revoking the refresh token also ends its access tokens.
  await client.tokenRevocation(config, tokens.refreshToken ?? tokens.accessToken, {
    token_type_hint: tokens.refreshToken ? 'refresh_token' : 'access_token',
  });
  return { kind: 'revoked' };
}
