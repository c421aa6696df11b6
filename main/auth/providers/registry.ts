/**
 * Builds provider modules from resolved configuration: one factory per kind, the only place
 * that maps a kind to its module. A provider with configuration problems is still listed (so the
 * window can show the problem) but refuses to start a sign-in.
 */
import type { ProviderKind } from '../../../shared/provider-kinds';
import type { ResolvedProvider } from '../../config/load';
import type { OidcProviderConfig, ProviderConfig } from '../../config/schema';
import { GatehouseError } from '../../ports/errors';
import { createDemoModule } from './demo';
import { probeRedirect } from '../redirect-probe';
import { isSecureUrl } from '../url-rules';
import { createOidcModule } from './oidc';
import { endpointOptions } from './oidc-endpoints';
import type { ProviderContext, ProviderModule } from './types';
import { createWebexModule } from './webex';
import { createGithubModule, githubEndpoints } from './github';
import { providerInfo, setupInfo } from './info';
import { createXwmsModule } from './xwms';

type ConfigOf<K extends ProviderKind> = Extract<ProviderConfig, { kind: K }>;
type Factory<K extends ProviderKind> = (
  config: ConfigOf<K>,
  problems: string[],
  ctx: ProviderContext,
  timeoutMs: number,
) => ProviderModule;

/** One factory per kind; a kind added to PROVIDER_KINDS fails here until it has one. */
const FACTORIES: { [K in ProviderKind]: Factory<K> } = {
  demo: (config, _problems, ctx, timeoutMs) => createDemoModule(config, ctx, timeoutMs),
  oidc: (config, problems, ctx, timeoutMs) => buildOidc(config, problems, ctx, timeoutMs),
  webex: (config, problems, ctx, timeoutMs) => {
    if (config.wellKnownUrl) checkUrl(config.wellKnownUrl, 'wellKnownUrl', problems);
    return createWebexModule(config, problems, ctx, timeoutMs);
  },
  github: (config, problems, ctx, timeoutMs) => {
    const { base, api } = githubEndpoints(config);
    checkUrl(base, 'baseUrl', problems);
    // An unset base (its variable is already reported) leaves no API URL worth judging.
    if (base) checkUrl(api, 'apiUrl', problems);
    return createGithubModule(config, problems, ctx, timeoutMs);
  },
  xwms: (config, problems, ctx, timeoutMs) => {
    checkUrl(config.apiUrl, 'apiUrl', problems);
    return createXwmsModule(config, problems, ctx, timeoutMs);
  },
};

function factoryFor<K extends ProviderKind>(kind: K): Factory<K> {
  return FACTORIES[kind];
}

export function createProviderModule(
  resolved: ResolvedProvider,
  ctx: ProviderContext,
  defaultTimeoutMs: number,
): ProviderModule {
  const { config } = resolved;
  const problems = [...resolved.problems];
  const timeoutMs = (config.timeoutSeconds ?? 0) * 1000 || defaultTimeoutMs;
  const module = factoryFor(config.kind)(config, problems, ctx, timeoutMs);
  Object.assign(module.info, setupInfo(config));
  module.probeRedirect ??= (url, redirectUri) => probeRedirect(ctx.fetch, url, redirectUri);
  if (module.info.configErrors.length > 0) return guarded(module);
  return module;
}

function buildOidc(
  config: OidcProviderConfig,
  problems: string[],
  ctx: ProviderContext,
  timeoutMs: number,
): ProviderModule {
  checkUrl(config.issuer, 'issuer', problems);
  if (
    config.tokenEndpointAuthMethod &&
    config.tokenEndpointAuthMethod !== 'none' &&
    !config.clientSecret
  ) {
    problems.push(`clientSecret is required for ${config.tokenEndpointAuthMethod}`);
  }
  const explicit = endpointOptions(config, problems);
  return createOidcModule(
    {
      info: providerInfo(config, 'oidc', {
        displayName: config.id,
        configErrors: problems,
        // Known before discovery only when configured; discovery sets it (oidc-discovery.ts).
        supportsDeviceFlow: Boolean(config.deviceAuthorizationEndpoint),
        supportsRefresh: true,
      }),
      fixedPorts: config.ports ?? [],
      signInTimeoutMs: timeoutMs,
      discoveryUrl: config.issuer,
      clientId: config.clientId,
      ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
      // Unconfigured with a secret: discovery's list decides (oidc-client-auth.ts).
      authMethod: config.tokenEndpointAuthMethod ?? (config.clientSecret ? 'auto' : 'none'),
      scopes: config.scopes ?? ['openid', 'email', 'profile', 'offline_access'],
      ...(config.extraAuthorizeParams ? { extraAuthorizeParams: config.extraAuthorizeParams } : {}),
      ...explicit,
    },
    ctx,
  );
}

/** The one configuration check of every endpoint URL (url-rules.ts decides what is secure). */
function checkUrl(raw: string, field: string, problems: string[]) {
  if (!raw || (URL.canParse(raw) && isSecureUrl(new URL(raw)))) return;
  problems.push(`${field} must be an https URL (plain http only on this computer)`);
}

/** A provider with problems stays visible but every sign-in explains why it cannot start. */
function guarded(module: ProviderModule): ProviderModule {
  const refuse = async (): Promise<never> => {
    throw new GatehouseError(
      'provider_misconfigured',
      `${module.info.displayName} is not set up: ${module.info.configErrors.join('; ')}.`,
    );
  };
  return {
    ...module,
    prepareSignIn: refuse,
    ...(module.startDeviceAuthorization ? { startDeviceAuthorization: refuse } : {}),
  };
}
