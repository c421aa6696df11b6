/**
 * Builds provider modules from resolved configuration: one factory per kind, the only place
 * that switches on the kind. A provider with configuration problems is still listed (so the
 * window can show the problem) but refuses to start a sign-in.
 */
import { assertNever } from '../../../shared/assert-never';
import type { ResolvedProvider } from '../../config/load';
import { GatehouseError } from '../../ports/errors';
import { createDemoModule } from './demo';
import { assertSecureUrl } from '../url-rules';
import { createOidcModule } from './oidc';
import type { ProviderContext, ProviderModule } from './types';
import { createWebexModule } from './webex';
import { createGithubModule } from './github';
import { createXwmsModule } from './xwms';

export function createProviderModule(
  resolved: ResolvedProvider,
  ctx: ProviderContext,
  defaultTimeoutMs: number,
): ProviderModule {
  const { config } = resolved;
  const problems = [...resolved.problems];
  const timeoutMs = (config.timeoutSeconds ?? 0) * 1000 || defaultTimeoutMs;
  let module: ProviderModule;
  switch (config.kind) {
    case 'demo':
      module = createDemoModule(config, ctx, timeoutMs);
      break;
    case 'oidc': {
      checkUrl(config.issuer, 'issuer', problems);
      if (
        config.tokenEndpointAuthMethod &&
        config.tokenEndpointAuthMethod !== 'none' &&
        !config.clientSecret
      ) {
        problems.push(`clientSecret is required for ${config.tokenEndpointAuthMethod}`);
      }
      module = createOidcModule(
        {
          info: {
            id: config.id,
            displayName: config.displayName ?? config.id,
            kind: 'oidc',
            configErrors: problems,
            supportsDeviceFlow: false,
            supportsRefresh: true,
          },
          fixedPorts: config.ports ?? [],
          signInTimeoutMs: timeoutMs,
          discoveryUrl: config.issuer,
          clientId: config.clientId,
          ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
          authMethod:
            config.tokenEndpointAuthMethod ??
            (config.clientSecret ? 'client_secret_basic' : 'none'),
          scopes: config.scopes ?? ['openid', 'email', 'profile', 'offline_access'],
          ...(config.extraAuthorizeParams
            ? { extraAuthorizeParams: config.extraAuthorizeParams }
            : {}),
        },
        ctx,
      );
      break;
    }
    case 'webex':
      if (config.wellKnownUrl) checkUrl(config.wellKnownUrl, 'wellKnownUrl', problems);
      module = createWebexModule(config, problems, ctx, timeoutMs);
      break;
    case 'github':
      module = createGithubModule(config, problems, ctx, timeoutMs);
      break;
    case 'xwms':
      module = createXwmsModule(config, problems, ctx, timeoutMs);
      break;
    default:
      return assertNever(config, 'provider kind');
  }
  if (module.info.configErrors.length > 0) return guarded(module);
  return module;
}

function checkUrl(raw: string, field: string, problems: string[]) {
  if (!raw) return;
  try {
    assertSecureUrl(new URL(raw));
  } catch {
    problems.push(`${field} must be an https URL (plain http only on this computer)`);
  }
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
