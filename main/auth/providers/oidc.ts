/**
 * Generic OpenID Connect provider (Hawcx, Keycloak, Okta, glewlwyd-style servers, and the base
 * of the Webex and demo presets). This file only assembles the module; the protocol steps live
 * in oidc-discovery.ts, oidc-sign-in.ts, oidc-device.ts, oidc-refresh.ts and oidc-tokens.ts.
 */
import { normalisedUrl } from './binding';
import { createOidcRuntime, diagnoseOidc, type OidcOptions } from './oidc-discovery';
import { startOidcDevice } from './oidc-device';
import { refreshOidc, revokeOidc } from './oidc-refresh';
import { prepareOidcSignIn } from './oidc-sign-in';
import type { AccountBinding, ProviderContext, ProviderModule } from './types';

export function createOidcModule(options: OidcOptions, ctx: ProviderContext): ProviderModule {
  const rt = createOidcRuntime(options, ctx);
  return {
    info: options.info,
    fixedPorts: options.fixedPorts,
    signInTimeoutMs: options.signInTimeoutMs,
    binding: oidcBinding(options),
    prepareSignIn: () => prepareOidcSignIn(rt),
    refresh: (tokens, identity) => refreshOidc(rt, tokens, identity),
    revoke: (tokens) => revokeOidc(rt, tokens),
    diagnose: () => diagnoseOidc(rt),
    // Offered to every OIDC module: without a device endpoint it says so (device_flow_unsupported).
    startDeviceAuthorization: () => startOidcDevice(rt),
  };
}

/** The issuer and client; configured endpoints too (the Webex and demo presets have their own). */
function oidcBinding(options: OidcOptions): AccountBinding {
  const meta = options.endpoints?.metadata;
  const used = meta && [meta.token_endpoint, meta.revocation_endpoint, meta.userinfo_endpoint];
  const endpoints = used?.flatMap((url) => (url ? [normalisedUrl(url)] : [])).join(' ');
  return {
    kind: 'oidc',
    issuer: normalisedUrl(options.discoveryUrl),
    clientId: options.clientId,
    ...(endpoints ? { endpoints } : {}),
  };
}
