/**
 * The "demo" provider kind: the embedded local OpenID provider (main/demo/), started on demand
 * the first time someone signs in with it, then used exactly like any OIDC provider. It listens
 * only while an attempt, refresh, sign-out or check needs it, since anyone on this computer
 * could sign in at it. With the keychain it is one issuer per data folder, shared by the app and
 * the command line (main/demo/demo-service.ts). It is imported lazily, so nothing else
 * (`gatehouse --help`, `accounts`) loads oidc-provider.
 */
import { DEFAULT_DISPLAY_NAMES } from '../../../shared/provider-kinds';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { decodeJwt } from 'jose';
import type { DemoProviderConfig } from '../../config/schema';
import type { DemoPersistence, DemoPurpose, DemoService } from '../../demo/demo-server';
import { GatehouseError } from '../../ports/errors';
import { withAccountLock } from '../../secrets/account-lock';
import { writeFileAtomic } from '../../secrets/atomic-file';
import { providerInfo } from './info';
import { createOidcModule } from './oidc';
import type {
  AccountBinding,
  BrowserAttempt,
  PreparedSignIn,
  ProviderContext,
  ProviderModule,
  TokenSet,
} from './types';

/**
 * The demo server's host and client (DEMO_CLIENT_ID in main/demo/demo-server.ts). Its port is
 * kept in the data folder, but a sign-in moves it when another program holds it, so the binding
 * names the host and the kind, and a session from an older port is ended by issuedHere().
 */
export const DEMO_BINDING: AccountBinding = {
  kind: 'demo',
  origin: 'http://127.0.0.1',
  clientId: 'gatehouse-demo',
};

export function createDemoModule(
  config: DemoProviderConfig,
  ctx: ProviderContext,
  timeoutMs: number,
): ProviderModule {
  let service: Promise<DemoService> | null = null;
  let inner: { issuer: string; module: ProviderModule } | null = null;
  const open = () =>
    (service ??= import('../../demo/demo-server')
      .then((demo) =>
        demo.openDemoService({
          clients: [demo.demoNativeClient(config.id)],
          keepAlive: false,
          persistence: demoPersistence(config.id, ctx.demoStorage),
          fetch: ctx.fetch,
        }),
      )
      .catch((error: unknown) => {
        service = null;
        throw error;
      }));
  const demoCtx: ProviderContext = { ...ctx, fetch: recovering(ctx.fetch, () => service) };
  // One OIDC module per issuer: a sign-in that moved the demo to a new port gets a new one.
  const moduleFor = (issuer: string) => {
    if (inner?.issuer !== issuer)
      inner = { issuer, module: oidcModule(config, demoCtx, issuer, timeoutMs) };
    return inner.module;
  };
  const lease = leases(open, moduleFor);

  return {
    info: demoInfo(config),
    fixedPorts: config.ports ?? [],
    signInTimeoutMs: timeoutMs,
    binding: DEMO_BINDING,
    prepareSignIn: async () => attemptLease(await lease.acquire('sign-in'), lease, timeoutMs),
    refresh: (tokens, identity) =>
      lease.using((m) => {
        issuedHere(tokens, inner?.issuer);
        return m.refresh!(tokens, identity);
      }),
    revoke: (tokens) => lease.using((m) => m.revoke!(tokens)),
    diagnose: () => lease.using((m) => m.diagnose!()),
    async dispose() {
      const running = service;
      service = null;
      inner = null;
      if (running) await (await running.catch(() => null))?.close();
    },
  };
}

/**
 * After a sign-in moved the demo to a new port, it is a new issuer: a session from the old one
 * ends here, with no request, as a changed issuer would end it (OIDC Core §12.2).
 */
function issuedHere(tokens: TokenSet, issuer: string | undefined): void {
  if (!tokens.idToken || !issuer) return;
  let iss: unknown;
  try {
    iss = decodeJwt(tokens.idToken).iss;
  } catch {
    return;
  }
  if (iss !== issuer)
    throw new GatehouseError(
      'session_expired',
      `The demo provider now listens at ${issuer}, a new address, so this session has ended. Sign in with it again.`,
    );
}

function demoInfo(config: DemoProviderConfig): ProviderModule['info'] {
  return providerInfo(config, 'demo', {
    displayName: DEFAULT_DISPLAY_NAMES.demo,
    supportsDeviceFlow: false,
    supportsRefresh: true,
  });
}

function oidcModule(
  config: DemoProviderConfig,
  ctx: ProviderContext,
  issuer: string,
  timeoutMs: number,
): ProviderModule {
  return createOidcModule(
    {
      info: demoInfo(config),
      fixedPorts: config.ports ?? [],
      signInTimeoutMs: timeoutMs,
      discoveryUrl: issuer,
      clientId: DEMO_BINDING.clientId,
      authMethod: 'none',
      scopes: config.scopes ?? ['openid', 'email', 'profile', 'offline_access'],
    },
    ctx,
  );
}

/**
 * The demo's files beside the accounts: main/demo/ may not import main/secrets/, so the lock
 * (the accounts' cross-process lock, main/secrets/account-lock.ts) and atomic writes come from here.
 */
function demoPersistence(
  providerId: string,
  storage: ProviderContext['demoStorage'],
): DemoPersistence | null {
  if (!storage) return null;
  const lockDir = path.join(storage.dataDir, 'locks');
  return {
    dir: path.join(storage.dataDir, 'demo', providerId),
    secrets: storage.secrets,
    prefix: `${providerId}/`,
    lock: async (fn) => {
      await mkdir(lockDir, { recursive: true, mode: 0o700 });
      return withAccountLock(lockDir, `demo-provider:${providerId}`, fn, {
        timeoutMs: 15_000,
        staleMs: 60_000,
      });
    },
    writeFile: (file, text) => writeFileAtomic(file, text),
  };
}

/**
 * Another Gatehouse process that served the demo may stop between two requests: a refused
 * connection reached no server, so once this process serves the demo the request is sent again.
 */
function recovering(base: typeof fetch, service: () => Promise<DemoService> | null): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    try {
      return await base(input, init);
    } catch (error) {
      const running = await service()?.catch(() => null);
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!running || !(await running.recover(url, error))) throw error;
      return base(input, init);
    }
  }) as typeof fetch;
}

interface Leases {
  acquire(purpose: DemoPurpose): Promise<ProviderModule>;
  release(): void;
  using<T>(run: (module: ProviderModule) => Promise<T>): Promise<T>;
}

/** Counts what needs the server: listening from the first lease, suspended after the last. */
function leases(
  open: () => Promise<DemoService>,
  moduleFor: (issuer: string) => ProviderModule,
): Leases {
  let users = 0;
  let current: DemoService | null = null;
  const release = () => {
    users -= 1;
    const running = current;
    // The service runs its steps in order: a lease taken after this resumes after it.
    if (users === 0 && running) void running.suspend().catch(() => undefined);
  };
  const acquire = async (purpose: DemoPurpose) => {
    users += 1;
    try {
      const running = await open();
      current = running;
      return moduleFor(await running.resume(purpose));
    } catch (error) {
      release();
      throw error;
    }
  };
  return {
    acquire,
    release,
    async using(run) {
      const module = await acquire('use');
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
