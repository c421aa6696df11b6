/**
 * The per-attempt secrets of a browser sign-in, made before the loopback listener starts
 * (RFC 8252 §8.9): a PKCE S256 verifier and challenge (RFC 7636; `plain` is never used), a
 * `state` (RFC 6749 §10.12) and, for OpenID Connect, a `nonce` (OIDC Core §3.1.2.1).
 */
import * as client from 'openid-client';

export interface AttemptSecrets {
  verifier: string;
  challenge: string;
  state: string;
  nonce: string;
}

export async function newAttemptSecrets(): Promise<AttemptSecrets> {
  const verifier = client.randomPKCECodeVerifier();
  return {
    verifier,
    challenge: await client.calculatePKCECodeChallenge(verifier),
    state: client.randomState(),
    nonce: client.randomNonce(),
  };
}

/** The authorization request parameters every attempt sends, whatever the provider. */
export function pkceParameters(secrets: AttemptSecrets, redirectUri: string) {
  return {
    redirect_uri: redirectUri,
    state: secrets.state,
    code_challenge: secrets.challenge,
    code_challenge_method: 'S256',
  };
}
