/**
 * The "demo" provider kind: the embedded local OpenID provider (main/demo/demo-server.ts), started
 * on demand the first time someone signs in with it, then used exactly like any OIDC provider.
 * It listens only while an attempt, refresh, sign-out or check needs it, since anyone on this
 * computer could sign in at it. It is imported lazily, so nothing else (`gatehouse --help`,
 * `accounts`) loads oidc-provider.
 */
import type { DemoProviderConfig } from '../../config/schema';
import type { DemoServer } from '../../demo/demo-server';
import { createOidcModule } from './oidc';
import type { BrowserAttempt, PreparedSignIn, ProviderContext, ProviderModule } from './types';

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
      return demo.startDemoServer({
        clients: [demo.demoNativeClient(config.id)],
        keepAlive: false,
      });
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

  const lease = leases(async () => {
    const ready = await ensure();
    return { module: ready, server: await server! };
  });

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
    prepareSignIn: async () => attemptLease(await lease.acquire(), lease, timeoutMs),
    refresh: (tokens, identity) => lease.using((m) => m.refresh!(tokens, identity)),
    revoke: (tokens) => lease.using((m) => m.revoke!(tokens)),
    diagnose: () => lease.using((m) => m.diagnose!()),
    async dispose() {
      if (server) await (await server).close();
      server = null;
      inner = null;
    },
  };
  return module;
}

interface Leases {
  acquire(): Promise<ProviderModule>;
  release(): void;
  using<T>(run: (module: ProviderModule) => Promise<T>): Promise<T>;
}

/** Counts what needs the server: listening from the first lease, suspended after the last. */
function leases(start: () => Promise<{ module: ProviderModule; server: DemoServer }>): Leases {
  let users = 0;
  let current: DemoServer | null = null;
  // Transitions run one at a time; a failed resume (port taken) fails only its own lease.
  let transition: Promise<void> = Promise.resolve();
  const queue = (step: () => Promise<void>) =>
    (transition = transition.catch(() => undefined).then(step));

  const release = () => {
    users -= 1;
    const server = current;
    if (users === 0 && server) void queue(async () => (users === 0 ? server.suspend() : undefined));
  };
  const acquire = async () => {
    users += 1;
    try {
      const { module, server } = await start();
      current = server;
      await queue(() => server.resume());
      return module;
    } catch (error) {
      release();
      throw error;
    }
  };
  return {
    acquire,
    release,
    async using(run) {
      const module = await acquire();
      try {
        return await run(module);
      } finally {
        release();
      }
    },
  };
}

/**
 * A sign-in holds its lease until the callback arrives, and the code exchange holds one of its
 * own. An attempt that is cancelled or times out never calls back: its deadline ends the lease.
 */
async function attemptLease(
  module: ProviderModule,
  lease: Leases,
  timeoutMs: number,
): Promise<PreparedSignIn> {
  let held = true;
  const done = () => {
    if (!held) return;
    held = false;
    clearTimeout(deadline);
    lease.release();
  };
  const deadline = setTimeout(done, timeoutMs + 1000);
  deadline.unref();
  const settle = async <T>(work: () => Promise<T>, always: boolean): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      done();
      throw error;
    } finally {
      if (always) done();
    }
  };
  const prepared = await settle(() => module.prepareSignIn(), false);
  return {
    begin: async (redirectUri) => {
      const attempt = await settle(() => prepared.begin(redirectUri), false);
      const complete: BrowserAttempt['complete'] = (url) =>
        settle(() => lease.using(() => attempt.complete(url)), true);
      return { ...attempt, complete };
    },
  };
}
