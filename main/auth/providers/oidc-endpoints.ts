/**
 * An OpenID Connect provider configured by its endpoints, without discovery, as the Hawcx guide
 * does (OAUTH_TOKEN_ENDPOINT, JWKS_URL or OAUTH_PUBLIC_KEY, OAUTH_ISSUER, OAUTH_AUDIENCE): the
 * RFC 8414 metadata openid-client's Configuration is built from, and the pinned key if any.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type * as client from 'openid-client';
import { ID_TOKEN_SIGNING_ALGS, type OidcProviderConfig } from '../../config/schema';
import { isSecureUrl } from '../url-rules';

export interface ExplicitEndpoints {
  /** What discovery would have said, in RFC 8414 names. */
  metadata: client.ServerMetadata;
  /** The pinned signing key (publicKeyPem), used instead of a jwks_uri. */
  publicKey?: KeyObject;
}

/** The options an oidc configuration adds to discovery's (oidc-discovery.ts OidcOptions). */
export interface EndpointOptions {
  /** The ID token's expected aud when it is not the client id (Hawcx's OAUTH_AUDIENCE). */
  audience?: string;
  /** Leeway for exp, nbf and iat; 60 s unless set. */
  clockToleranceSeconds?: number;
  /** Replaces discovery's id_token_signing_alg_values_supported; never HS* or none (schema.ts). */
  idTokenSigningAlgs?: readonly string[];
  /** Without discovery: the endpoints and keys from the configuration. */
  endpoints?: ExplicitEndpoints;
}

/** Each endpoint field of the configuration and its RFC 8414 / RFC 8628 metadata name. */
const ENDPOINT_NAMES = {
  authorizationEndpoint: 'authorization_endpoint',
  tokenEndpoint: 'token_endpoint',
  jwksUri: 'jwks_uri',
  userinfoEndpoint: 'userinfo_endpoint',
  revocationEndpoint: 'revocation_endpoint',
  deviceAuthorizationEndpoint: 'device_authorization_endpoint',
} as const;
type EndpointField = keyof typeof ENDPOINT_NAMES;

/** The JWA algorithms a P-256, P-384 or P-521 key verifies (RFC 7518 §3.4). */
const EC_ALGS: Record<string, string[]> = {
  prime256v1: ['ES256'],
  secp384r1: ['ES384'],
  secp521r1: ['ES512'],
};

/**
 * What an oidc configuration adds to discovery's options: the audience, the clock leeway, the
 * ID-token algorithms and, without discovery, the endpoints. What cannot be used goes to
 * `problems` (the provider is then listed but refuses to sign in).
 */
export function endpointOptions(config: OidcProviderConfig, problems: string[]): EndpointOptions {
  const options: EndpointOptions = {};
  if (config.audience) options.audience = config.audience;
  if (config.clockToleranceSeconds !== undefined)
    options.clockToleranceSeconds = config.clockToleranceSeconds;
  if (config.idTokenSigningAlgs) options.idTokenSigningAlgs = config.idTokenSigningAlgs;
  const endpoints = explicitEndpoints(config, problems);
  if (endpoints) options.endpoints = endpoints;
  return options;
}

function explicitEndpoints(
  config: OidcProviderConfig,
  problems: string[],
): ExplicitEndpoints | null {
  const fields = (Object.keys(ENDPOINT_NAMES) as EndpointField[]).filter((field) => config[field]);
  if (fields.length === 0 && !config.publicKeyPem) return null;
  const metadata: Record<string, unknown> = { issuer: config.issuer };
  for (const field of fields) {
    const raw = config[field]!;
    // url-rules.ts for each endpoint on its own: a loopback issuer vouches for none of them.
    if (!URL.canParse(raw) || !isSecureUrl(new URL(raw)))
      problems.push(`${field} must be an https URL (plain http only on this computer)`);
    metadata[ENDPOINT_NAMES[field]] = raw;
  }
  if (config.jwksUri && config.publicKeyPem)
    problems.push('jwksUri and publicKeyPem are both set: give one of them');
  if (!config.jwksUri && !config.publicKeyPem)
    problems.push(
      'neither jwksUri nor publicKeyPem is set: one of them is needed without discovery',
    );
  const pinned = config.publicKeyPem ? pinnedKey(config.publicKeyPem, problems) : null;
  // Without discovery openid-client would accept RS256 alone. A JWKS key's own type (kty, crv)
  // then decides among the public-key algorithms, as jose selects keys by it.
  metadata.id_token_signing_alg_values_supported = [
    ...(config.idTokenSigningAlgs ?? pinned?.algorithms ?? ID_TOKEN_SIGNING_ALGS),
  ];
  const meta = metadata as client.ServerMetadata;
  return pinned ? { metadata: meta, publicKey: pinned.key } : { metadata: meta };
}

/** The guide writes the PEM on one line with literal "\n"s; a private key is refused. */
function pinnedKey(
  pem: string,
  problems: string[],
): { key: KeyObject; algorithms: string[] } | null {
  const text = pem.replace(/\\n/g, '\n');
  if (/PRIVATE KEY-----/.test(text)) {
    problems.push('publicKeyPem holds a private key: give the public key');
    return null;
  }
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    problems.push('publicKeyPem is not a PEM public key or certificate');
    return null;
  }
  const algorithms = algorithmsFor(key);
  if (!algorithms) {
    problems.push(
      `publicKeyPem is a ${key.asymmetricKeyType ?? 'unknown'} key, which signs no ID token`,
    );
    return null;
  }
  return { key, algorithms };
}

/** The ID-token algorithms a pinned key verifies: RSA → RS256/PS256, EC by curve, Ed25519. */
export function algorithmsFor(key: KeyObject): string[] | null {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'PS256'];
    case 'rsa-pss':
      return ['PS256'];
    case 'ec':
      return EC_ALGS[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? null;
    case 'ed25519':
      return ['EdDSA'];
    default:
      return null;
  }
}
