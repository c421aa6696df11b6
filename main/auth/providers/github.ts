/**
 * GitHub (OAuth 2.0, not OpenID Connect), wired from its parts: the web flow and refresh
 * (github-sign-in.ts), identity from the REST API keyed on the numeric user id
 * (github-identity.ts), revocation through the applications API (github-api.ts), and the
 * device flow in GitHub's dialect (../device-dialects.ts). Enterprise Server is a base URL.
 */
import { DEFAULT_DISPLAY_NAMES } from '../../../shared/provider-kinds';
import type { GithubProviderConfig } from '../../config/schema';
import { deviceAuthorization, type sleep } from '../device-flow';
import { startGithubDeviceFlow } from '../device-dialects';
import { githubApi } from './github-api';
import { githubFetch } from './github-fetch';
import {
  githubConfiguration,
  githubGrant,
  prepareGithubSignIn,
  refreshGithub,
  type GithubOAuth,
} from './github-sign-in';
import { originOf } from './binding';
import { providerInfo } from './info';
import type { ProviderContext, ProviderModule } from './types';

export interface GithubEndpoints {
  base: string;
  api: string;
}

/** github.com uses api.github.com; Enterprise Server uses https://HOST/api/v3. */
export function githubEndpoints(
  config: Pick<GithubProviderConfig, 'baseUrl' | 'apiUrl'>,
): GithubEndpoints {
  const base = (config.baseUrl ?? 'https://github.com').replace(/\/+$/, '');
  const api = (
    config.apiUrl ?? (base === 'https://github.com' ? 'https://api.github.com' : `${base}/api/v3`)
  ).replace(/\/+$/, '');
  return { base, api };
}

const GITHUB = {
  displayName: DEFAULT_DISPLAY_NAMES.github,
  supportsDeviceFlow: true,
  supportsRefresh: true,
};

/** `problems` already holds the registry's findings (registry.ts checks the URLs). */
export function createGithubModule(
  config: GithubProviderConfig,
  problems: string[],
  ctx: ProviderContext,
  timeoutMs: number,
  options: { sleep?: typeof sleep } = {},
): ProviderModule {
  if (!config.clientId) problems.push('clientId is empty');
  const { base, api } = githubEndpoints(config);
  const secret = config.clientSecret || undefined;
  const transport = githubFetch(ctx.fetch, `${base}/login/`);
  const oauth: GithubOAuth = {
    config: githubConfiguration(base, config.clientId, secret, transport),
    scope: (config.scopes ?? ['read:user', 'user:email']).join(' '),
    api: githubApi(ctx, api),
    now: ctx.now,
    hasSecret: secret !== undefined,
  };
  return {
    info: providerInfo(config, 'github', { ...GITHUB, configErrors: problems }),
    fixedPorts: config.ports ?? [],
    signInTimeoutMs: timeoutMs,
    // The token endpoint is under `base`; refresh (identity) and revocation call `api`.
    binding: {
      kind: 'github',
      origin: originOf(base),
      apiOrigin: originOf(api),
      clientId: config.clientId,
    },
    prepareSignIn: () => prepareGithubSignIn(oauth),
    refresh: (previous, identity) => refreshGithub(oauth, previous, identity),
    // DELETE /applications/{client_id}/token needs the app's secret; without it, local only.
    revoke: async (tokens) =>
      secret
        ? oauth.api.revoke(config.clientId, secret, tokens.accessToken)
        : { kind: 'no-revocation' },
    async startDeviceAuthorization() {
      const flow = await startGithubDeviceFlow({
        fetch: transport,
        codeUrl: `${base}/login/device/code`,
        tokenUrl: `${base}/login/oauth/access_token`,
        clientId: config.clientId,
        scope: oauth.scope,
        now: ctx.now,
        ...(options.sleep ? { sleep: options.sleep } : {}),
      });
      return deviceAuthorization(flow, (response) => githubGrant(oauth, response));
    },
  };
}
