/**
 * ID token validation per OIDC Core §3.1.3.7, done here with jose because openid-client trusts
 * the TLS channel for the signature and checks neither a future iat nor azp with a single aud.
 * Symmetric algorithms are refused: a native app has no confidential key (and "HS256 signed with
 * the public key" is the classic confusion attack).
 */
import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ID_TOKEN_SIGNING_ALGS } from '../config/schema';
import { GatehouseError } from '../ports/errors';

/** The one list, which providers.json's idTokenSigningAlgs is held to as well. */
export const ASYMMETRIC_ALGS = ID_TOKEN_SIGNING_ALGS;

export interface IdTokenExpectations {
  /** Exact issuer, or a predicate for issuer families (Webex's idbroker hosts). */
  issuer: string | ((iss: string) => boolean);
  clientId: string;
  /** The expected aud, when the provider names an API rather than the client id; azp is still
   * the client id (§3.1.3.7 items 3-5). */
  audience?: string;
  /** Required on sign-in; absent on refresh, where OIDC Core §12.2 makes nonce optional. */
  nonce?: string;
  keys: JWTVerifyGetKey;
  /** From discovery; intersected with ASYMMETRIC_ALGS, never 'none' or HS*. */
  algorithms?: readonly string[];
  now: () => number;
  clockToleranceSeconds?: number;
}

export async function verifyIdToken(
  token: string,
  expect: IdTokenExpectations,
): Promise<JWTPayload> {
  const tolerance = expect.clockToleranceSeconds ?? 60;
  const algorithms = (expect.algorithms ?? ['RS256']).filter((alg) =>
    ASYMMETRIC_ALGS.includes(alg),
  );
  if (algorithms.length === 0)
    throw invalid('the provider signs ID tokens with no algorithm Gatehouse accepts');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, expect.keys, {
      algorithms,
      audience: expect.audience ?? expect.clientId,
      currentDate: new Date(expect.now()),
      clockTolerance: tolerance,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (error) {
    throw invalid(describeJoseError(error), error);
  }
  const issuerOk =
    typeof expect.issuer === 'string'
      ? payload.iss === expect.issuer
      : expect.issuer(payload.iss ?? '');
  if (!issuerOk) throw invalid('it was issued by an unexpected issuer');
  if (typeof payload.iat !== 'number' || payload.iat > expect.now() / 1000 + tolerance) {
    throw invalid('it claims to be issued in the future');
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  // §3.1.3.7 items 4-5: several audiences need azp; an azp present must be us.
  if ((audiences.length > 1 || payload.azp !== undefined) && payload.azp !== expect.clientId) {
    throw invalid('it was issued to another application (azp)');
  }
  if (expect.nonce !== undefined && payload.nonce !== expect.nonce) {
    throw invalid('its nonce does not match this sign-in');
  }
  if (typeof payload.sub !== 'string' || payload.sub.length === 0)
    throw invalid('it has no subject');
  return payload;
}

function invalid(why: string, cause?: unknown) {
  return new GatehouseError('id_token_invalid', `The provider's ID token was refused: ${why}.`, {
    cause,
  });
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'its signature is not valid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return 'it uses a signing algorithm that is not allowed';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'it was signed with an unknown key';
  if (error instanceof joseErrors.JWKSTimeout)
    return "the provider's keys could not be fetched in time";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'it was issued to another application (aud)';
    if (error.claim === 'iat' || error.claim === 'nbf') return 'its issue time is not valid';
    return `its ${error.claim} claim is missing or wrong`;
  }
  if (error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JWSInvalid)
    return 'it is malformed';
  if (error instanceof joseErrors.JOSEError) return `it could not be verified (${error.code})`;
  return "the provider's keys could not be fetched";
}
