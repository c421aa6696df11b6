/**
 * Webex preset over the generic OIDC module (providers.md, "Webex"): the full well-known URL
 * (its issuer differs from the discovery host), client_secret_basic (the token endpoint demands
 * the secret, which a desktop app cannot keep confidential: RFC 8252 §8.5), and the
 * https://idbroker(-region)?.webex.com/idb issuer family verified with jose.
 */
import type * as client from 'openid-client';
import type { WebexProviderConfig } from '../../config/schema';
import { createOidcModule } from './oidc';
import type { ProviderContext, ProviderModule } from './types';

export const WEBEX_WELL_KNOWN = 'https://webexapis.com/v1/.well-known/openid-configuration';
const WEBEX_ISSUER_FAMILY = /^https:\/\/idbroker(-[a-z0-9]+(-[a-z0-9]+)*)?\.webex\.com\/idb$/;

export function isWebexIssuer(iss: string): boolean {
  return WEBEX_ISSUER_FAMILY.test(iss);
}

export function createWebexModule(
  config: WebexProviderConfig,
  problems: string[],
  ctx: ProviderContext,
  timeoutMs: number,
): ProviderModule {
  let lastTokenResponse: client.TokenEndpointResponse | null = null;
  // Remembers the token endpoint's JSON so a family issuer refused by openid-client's exact
  // comparison can be re-verified with jose instead of failing the sign-in.
  const capturingFetch: typeof fetch = async (input, init) => {
    const response = await ctx.fetch(input, init);
    if (
      init?.method === 'POST' &&
      String(input instanceof Request ? input.url : input).includes('access_token') &&
      response.ok
    ) {
      lastTokenResponse = (await response
        .clone()
        .json()
        .catch(() => null)) as client.TokenEndpointResponse | null;
    }
    return response;
  };
  return createOidcModule(
    {
      info: {
        id: config.id,
        displayName: config.displayName ?? 'Webex',
        kind: 'webex',
        configErrors: problems,
        supportsDeviceFlow: false,
        supportsRefresh: true,
      },
      fixedPorts: config.ports ?? [],
      signInTimeoutMs: timeoutMs,
      discoveryUrl: config.wellKnownUrl ?? WEBEX_WELL_KNOWN,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authMethod: 'client_secret_basic',
      scopes: config.scopes ?? ['openid', 'email', 'profile'],
      issuerFamily: isWebexIssuer,
      takeTokenResponse: () => {
        const taken = lastTokenResponse;
        lastTokenResponse = null;
        return taken;
      },
    },
    { ...ctx, fetch: capturingFetch },
  );
}
