/**
 * Discovery for the generic OpenID Connect module (OpenID Connect Discovery 1.0, RFC 8414), or
 * the configured endpoints instead (oidc-endpoints.ts): the options every OIDC-based preset
 * passes, one cached openid-client Configuration an hour, the signing keys, the rule each
 * endpoint must pass, and `gatehouse doctor`'s checks.
 */
import * as client from 'openid-client';
import { createRemoteJWKSet, customFetch as joseFetch, type JWTVerifyGetKey } from 'jose';
import type { ProviderInfo } from '../../../shared/session';
import { GatehouseError } from '../../ports/errors';
import { mapProviderError } from '../oauth-errors';
import { assertSecureUrl } from '../url-rules';
import {
  chooseAuthMethod,
  clientAuthFor,
  probeClientAuth,
  type ConfiguredAuthMethod,
} from './oidc-client-auth';
import type { EndpointOptions, ExplicitEndpoints } from './oidc-endpoints';
import type { DiagnosticCheck, ProviderContext } from './types';

export interface OidcOptions extends EndpointOptions {
  info: ProviderInfo;
  fixedPorts: readonly number[];
  signInTimeoutMs: number;
  /** Issuer URL, or a full .well-known URL (which skips openid-client's issuer equality check);
   * unused when `endpoints` are configured. */
  discoveryUrl: string;
  clientId: string;
  clientSecret?: string;
  authMethod: ConfiguredAuthMethod;
  scopes: readonly string[];
  extraAuthorizeParams?: Record<string, string>;
  /** Accepts an ID token `iss` other than the discovered issuer (Webex's idbroker family). */
  issuerFamily?: (iss: string) => boolean;
}

/** What one discovery yields; `withFetch` builds a Configuration with a transport of its own. */
export interface Discovered {
  config: client.Configuration;
  meta: client.ServerMetadata;
  keys: JWTVerifyGetKey;
  withFetch(fetch: typeof globalThis.fetch): client.Configuration;
}

/** The module's parts share these: its options, the engine's context and the cached discovery. */
export interface OidcRuntime {
  options: OidcOptions;
  ctx: ProviderContext;
  discover(): Promise<Discovered>;
}

const DISCOVERY_TTL_MS = 60 * 60 * 1000;

export function createOidcRuntime(options: OidcOptions, ctx: ProviderContext): OidcRuntime {
  let cached: { found: Discovered; at: number } | null = null;
  return {
    options,
    ctx,
    async discover() {
      if (cached && ctx.now() - cached.at < DISCOVERY_TTL_MS) return cached.found;
      const found = await discoverOnce(options, ctx);
      // What the server offers decides whether the window offers sign-in with a code.
      options.info.supportsDeviceFlow = Boolean(found.meta.device_authorization_endpoint);
      cached = { found, at: ctx.now() };
      return found;
    },
  };
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

async function discoverOnce(options: OidcOptions, ctx: ProviderContext): Promise<Discovered> {
  if (options.endpoints) return fromEndpoints(options.endpoints, options, ctx);
  const found = await fetchMetadata(parseIssuerUrl(options.discoveryUrl), options, ctx);
  const algs = options.idTokenSigningAlgs;
  const meta = algs ? { ...found, id_token_signing_alg_values_supported: [...algs] } : found;
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
  return assemble(meta, options, ctx, () => remoteKeys(meta.jwks_uri!, ctx));
}

/** No discovery: the configured metadata, checked endpoint by endpoint like a discovered one. */
function fromEndpoints(
  endpoints: ExplicitEndpoints,
  options: OidcOptions,
  ctx: ProviderContext,
): Discovered {
  const { metadata, publicKey } = endpoints;
  const jwksUri = metadata.jwks_uri;
  if (!publicKey && !jwksUri)
    throw new GatehouseError('provider_misconfigured', 'Neither jwksUri nor publicKeyPem is set.');
  const pinned: JWTVerifyGetKey | null = publicKey ? async () => publicKey : null;
  return assemble(metadata, options, ctx, () => pinned ?? remoteKeys(jwksUri!, ctx));
}

/** The keys are made only once every endpoint, jwks_uri included, passed the https rule. */
function assemble(
  meta: client.ServerMetadata,
  options: OidcOptions,
  ctx: ProviderContext,
  keys: () => JWTVerifyGetKey,
): Discovered {
  const insecure = checkEndpoints(meta);
  const withFetch = (fetch: typeof globalThis.fetch) =>
    configure(meta, options, ctx, fetch, insecure);
  return { config: withFetch(ctx.fetch), meta, keys: keys(), withFetch };
}

function remoteKeys(jwksUri: string, ctx: ProviderContext): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUri), {
    [joseFetch]: ctx.fetch,
    timeoutDuration: ctx.httpTimeoutMs,
    cooldownDuration: 30_000,
  });
}

async function fetchMetadata(
  url: URL,
  options: OidcOptions,
  ctx: ProviderContext,
): Promise<client.ServerMetadata> {
  try {
    const found = await client.discovery(url, options.clientId, undefined, client.None(), {
      [client.customFetch]: transport(ctx.fetch),
      timeout: timeoutSeconds(ctx),
      // For this one request only; configure() decides for the endpoints, one by one.
      execute: url.protocol === 'http:' ? [client.allowInsecureRequests] : [],
    });
    return found.serverMetadata();
  } catch (error) {
    throw mapProviderError(error, 'discovery');
  }
}

/**
 * Every endpoint in the document must be https or http to this computer (url-rules.ts) on its
 * own: a loopback issuer does not vouch for its endpoints. True when any of them is plain http.
 */
function checkEndpoints(meta: client.ServerMetadata): boolean {
  let insecure = false;
  for (const [key, value] of Object.entries(meta)) {
    const isEndpoint = key === 'jwks_uri' || key.endsWith('_endpoint');
    if (!isEndpoint && key !== 'issuer') continue;
    let url: URL;
    try {
      url = new URL(String(value));
    } catch {
      throw new GatehouseError('discovery_failed', `The provider's ${key} is not a URL.`);
    }
    assertSecureUrl(url);
    if (isEndpoint && url.protocol === 'http:') insecure = true;
  }
  return insecure;
}

function configure(
  meta: client.ServerMetadata,
  options: OidcOptions,
  ctx: ProviderContext,
  fetch: typeof globalThis.fetch,
  insecure: boolean,
): client.Configuration {
  const tolerance = options.clockToleranceSeconds;
  // openid-client's own exp/nbf leeway (30 s by default) follows the configured one.
  const metadata = tolerance === undefined ? undefined : { [client.clockTolerance]: tolerance };
  const method = chooseAuthMethod(options.authMethod, meta, options);
  const auth = clientAuthFor(method, options.clientSecret);
  const config = new client.Configuration(meta, options.clientId, metadata, auth);
  config[client.customFetch] = transport(fetch);
  config.timeout = timeoutSeconds(ctx);
  // Every http endpoint passed checkEndpoints, so each one is on this computer.
  if (insecure) client.allowInsecureRequests(config);
  return config;
}

/** The DOM and Node typings of fetch differ only in body types openid-client never sends. */
function transport(fetch: typeof globalThis.fetch): client.CustomFetch {
  return fetch as unknown as client.CustomFetch;
}

function timeoutSeconds(ctx: ProviderContext): number {
  return Math.ceil(ctx.httpTimeoutMs / 1000);
}

export async function diagnoseOidc(rt: OidcRuntime): Promise<DiagnosticCheck[]> {
  const source = rt.options.endpoints ? 'endpoints' : 'discovery';
  let found: Discovered;
  try {
    found = await rt.discover();
  } catch (error) {
    return [{ name: source, ok: false, detail: (error as Error).message }];
  }
  const { meta } = found;
  const methods = meta.code_challenge_methods_supported;
  const algs = meta.id_token_signing_alg_values_supported ?? [];
  return [
    {
      name: source,
      ok: true,
      detail: rt.options.endpoints ? `configured, issuer ${meta.issuer}` : `issuer ${meta.issuer}`,
    },
    meta.jwks_uri
      ? await checkSigningKeys(rt.ctx, meta.jwks_uri)
      : { name: 'signing key (pinned)', ok: true, detail: `publicKeyPem, ${algs.join(', ')}` },
    {
      name: 'PKCE S256',
      ok: !methods || methods.includes('S256'),
      detail: methods ? `announced: ${methods.join(', ')}` : 'not announced (assumed supported)',
    },
    {
      name: 'revocation',
      ok: true,
      detail: meta.revocation_endpoint
        ? 'RFC 7009 endpoint present'
        : 'none: sign-out is local only',
    },
    await probeClientAuth(
      found.config,
      chooseAuthMethod(rt.options.authMethod, meta, rt.options),
      `http://127.0.0.1/callback/${rt.options.info.id}`,
    ),
  ];
}

async function checkSigningKeys(ctx: ProviderContext, jwksUri: string): Promise<DiagnosticCheck> {
  const name = 'signing keys (JWKS)';
  try {
    const response = await ctx.fetch(jwksUri, { headers: { accept: 'application/json' } });
    const body = (await response.json()) as { keys?: unknown[] };
    const count = Array.isArray(body.keys) ? body.keys.length : 0;
    return { name, ok: response.ok && count > 0, detail: `${count} key(s)` };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message };
  }
}
