/**
 * Webex preset over the generic OIDC module: the full well-known URL (its issuer differs from
 * the discovery host), client_secret_basic (the token endpoint demands the secret, which a
 * desktop app cannot keep confidential: RFC 8252 §8.5), no revocation endpoint (sign-out is local
 * only), and ID tokens from any https://idbroker(-region)?.webex.com/idb host, verified with jose
 * on the code exchange and on refresh alike (oidc-tokens.ts).
 */
import { DEFAULT_DISPLAY_NAMES } from '../../../shared/provider-kinds';
import type { WebexProviderConfig } from '../../config/schema';
import { normalisedUrl } from './binding';
import { providerInfo } from './info';
import { createOidcModule } from './oidc';
import type { ProviderContext, ProviderModule } from './types';

export const WEBEX_WELL_KNOWN = 'https://webexapis.com/v1/.well-known/openid-configuration';
const WEBEX_ISSUER_FAMILY = /^https:\/\/idbroker(-[a-z0-9]+(-[a-z0-9]+)*)?\.webex\.com\/idb$/;

/** The family as account bindings name it, so refining the pattern above signs no one out. */
const WEBEX_ISSUER_FAMILY_NAME = 'https://idbroker(-region).webex.com/idb';

export function isWebexIssuer(iss: string): boolean {
  return WEBEX_ISSUER_FAMILY.test(iss);
}

export function createWebexModule(
  config: WebexProviderConfig,
  problems: string[],
  ctx: ProviderContext,
  timeoutMs: number,
): ProviderModule {
  const wellKnownUrl = config.wellKnownUrl ?? WEBEX_WELL_KNOWN;
  const module = createOidcModule(
    {
      info: providerInfo(config, 'webex', {
        displayName: DEFAULT_DISPLAY_NAMES.webex,
        configErrors: problems,
        supportsDeviceFlow: false,
        supportsRefresh: true,
      }),
      fixedPorts: config.ports ?? [],
      signInTimeoutMs: timeoutMs,
      discoveryUrl: wellKnownUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authMethod: 'client_secret_basic',
      scopes: config.scopes ?? ['openid', 'email', 'profile'],
      issuerFamily: isWebexIssuer,
    },
    ctx,
  );
  const binding = {
    kind: 'webex',
    wellKnownUrl: normalisedUrl(wellKnownUrl),
    issuerFamily: WEBEX_ISSUER_FAMILY_NAME,
    clientId: config.clientId,
  } as const;
  return { ...module, binding };
}
