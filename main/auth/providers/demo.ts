/**
 * The "demo" provider kind: the embedded local OpenID provider (main/demo/demo-server.ts), started
 * on demand the first time someone signs in with it, then used exactly like any OIDC provider.
 * It is imported lazily, so nothing else (`gatehouse --help`, `accounts`) loads oidc-provider.
 */
import type { DemoProviderConfig } from '../../config/schema';
import type { DemoServer } from '../../demo/demo-server';
import { createOidcModule } from './oidc';
import type { ProviderContext, ProviderModule } from './types';

export function createDemoModule(
  config: DemoProviderConfig,
  ctx: ProviderContext,
  timeoutMs: number,
): ProviderModule {
  let server: Promise<DemoServer> | null = null;
  let inner: ProviderModule | null = null;
  let clientId = '';

  async function ensure(): Promise<ProviderModule> {
    server ??= import('../../demo/demo-server').then((demo) => {
      clientId = demo.DEMO_CLIENT_ID;
      return demo.startDemoServer({ clients: [demo.demoNativeClient(config.id)] });
    });
    const { issuer } = await server;
    inner ??= createOidcModule(
      {
        info: module.info,
        fixedPorts: config.ports ?? [],
        signInTimeoutMs: timeoutMs,
        discoveryUrl: issuer,
        clientId,
        authMethod: 'none',
        scopes: config.scopes ?? ['openid', 'email', 'profile', 'offline_access'],
      },
      ctx,
    );
    return inner;
  }

  const module: ProviderModule = {
    info: {
      id: config.id,
      displayName: config.displayName ?? 'Demo provider (local)',
      kind: 'demo',
      configErrors: [],
      supportsDeviceFlow: false,
      supportsRefresh: true,
    },
    fixedPorts: config.ports ?? [],
    signInTimeoutMs: timeoutMs,
    prepareSignIn: async () => (await ensure()).prepareSignIn(),
    refresh: async (tokens, identity) => (await ensure()).refresh!(tokens, identity),
    revoke: async (tokens) => (await ensure()).revoke!(tokens),
    diagnose: async () => (await ensure()).diagnose!(),
    async dispose() {
      if (server) await (await server).close();
      server = null;
      inner = null;
    },
  };
  return module;
}
