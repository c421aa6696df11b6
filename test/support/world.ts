/**
 * One builder for the set-up the engine suites share: a providers.json in a fresh data folder,
 * the secret store (the in-memory test keychain, or the real one through openStores), a
 * GatehouseCore on them, and what its "open the browser" does. It imports no test runner, so the
 * benchmarks (bench/world.ts) build on it too; test/support/cleanup.ts disposes worlds in tests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AccountSnapshot } from '../../shared/session';
import { GatehouseCore, type CoreOptions } from '../../main/app/core';
import { openStores } from '../../main/app/open-stores';
import { MemoryAccountIndex } from '../../main/auth/account-registry';
import type { SessionManager, SignInOptions } from '../../main/auth/session/session-manager';
import type { AccountIndexPort } from '../../main/ports/account-index';
import type { SecretStore } from '../../main/ports/secret-store';
import { HttpBrowser, type BrowseResult } from './http-browser';
import { MemorySecretStoreForTests } from './memory-store';

/** One entry of providers.json's `providers` list. */
export type ProviderEntry = { id: string; kind: string } & Record<string, unknown>;

/** A generic OIDC provider entry, with the scopes (refresh included) the engine suites ask for. */
export function oidcProvider(
  id: string,
  issuer: string,
  clientId: string,
  extra: Record<string, unknown> = {},
): ProviderEntry {
  const scopes = ['openid', 'email', 'profile', 'offline_access'];
  return { id, kind: 'oidc', issuer, clientId, scopes, ...extra };
}

/** Writes providers.json: the providers plus top-level settings (httpTimeoutSeconds, …). */
export function writeProvidersFile(
  file: string,
  providers: ProviderEntry[],
  settings: Record<string, unknown> = {},
): void {
  writeFileSync(file, JSON.stringify({ ...settings, providers }));
}

/** A fetch request body as text (string or form), for the transports tests wrap around fetch. */
export function requestBody(init?: RequestInit): string {
  const body = init?.body;
  return typeof body === 'string' ? body : body instanceof URLSearchParams ? body.toString() : '';
}

/** 'memory': the in-memory test keychain and index; 'keychain': openStores on the data folder. */
export type StoreChoice = 'memory' | 'keychain' | SecretStore;
type StoreOf<C> = C extends 'keychain'
  ? SecretStore
  : C extends SecretStore
    ? C
    : MemorySecretStoreForTests;

export interface WorldOptions<C extends StoreChoice = StoreChoice> {
  /** providers.json's providers; without them no file is written and the defaults (demo) apply. */
  providers?: ProviderEntry[];
  /** Top-level providers.json settings, written with `providers`. */
  settings?: Record<string, unknown>;
  /** The secret store (default 'memory'); 'keychain' also brings the index file, lock and log. */
  store?: C;
  /** With a memory or given store: the account index (default a fresh in-memory one). */
  index?: AccountIndexPort;
  /** With 'keychain': the keychain service (default one of this world's own). */
  service?: string;
  /** "Open the browser": 'record' (default) keeps the URL in `opened`; 'http' also opens it in
   * the HTTP browser as `user`, the page in `pages`; or the opener itself. */
  browser?: 'record' | 'http' | ((url: string) => Promise<void>);
  /** Who signs in at the provider's login form (default 'alice'). */
  user?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** More of the core's environment; GATEHOUSE_CONFIG names this world's providers.json. */
  env?: Record<string, string | undefined>;
  /** The data (and config) folder; default a fresh temporary one named after `prefix`. */
  dataDir?: string;
  /** An existing providers.json to use instead of writing one. */
  configFile?: string;
  prefix?: string;
  /** Any other core option (appVersion, packaged, refreshLeadMs, …). */
  coreOptions?: Partial<
    Omit<CoreOptions, 'configDir' | 'dataDir' | 'env' | 'openBrowser' | 'store' | 'index'>
  >;
}

export interface World<S extends SecretStore = SecretStore> {
  core: GatehouseCore;
  sessions: SessionManager;
  dataDir: string;
  configFile: string;
  store: S;
  index: AccountIndexPort;
  /** The HTTP browser that the 'http' opener uses. */
  browser: HttpBrowser;
  /** Every URL the core asked to open, and (with 'http') each page it led to. */
  opened: string[];
  pages: Array<Promise<BrowseResult>>;
  /** Signs in as `user` in a fresh HTTP browser (no URL opened by the core); resolves with the
   * account or rejects with the engine's error once the browser is done. */
  signIn(user?: string, options?: SignInOptions & { provider?: string }): Promise<AccountSnapshot>;
  /** Another core on the same folder, configuration and stores: the app started again. */
  reopen(): Promise<GatehouseCore>;
  /** Disposes every core; with 'keychain' also deletes what this world left in the keychain. */
  dispose(): Promise<void>;
}

type Stores = Pick<CoreOptions, 'store' | 'index' | 'lock' | 'log'>;

export async function buildWorld<C extends StoreChoice = 'memory'>(
  options: WorldOptions<C> = {},
): Promise<World<StoreOf<C>>> {
  const dataDir =
    options.dataDir ?? mkdtempSync(path.join(tmpdir(), options.prefix ?? 'gh-world-'));
  const configFile = options.configFile ?? path.join(dataDir, 'providers.json');
  if (options.providers) writeProvidersFile(configFile, options.providers, options.settings);
  const choice: StoreChoice = options.store ?? 'memory';
  const service = options.service ?? `Gatehouse-test-${path.basename(dataDir)}`;
  const memory: Stores | null =
    choice === 'keychain'
      ? null
      : {
          store: choice === 'memory' ? new MemorySecretStoreForTests() : choice,
          index: options.index ?? new MemoryAccountIndex(),
        };
  const openWorldStores = async (): Promise<Stores> =>
    memory ?? openStores(dataDir, { service, ...(options.now ? { now: options.now } : {}) });

  const user = options.user ?? 'alice';
  const browser = new HttpBrowser();
  const opened: string[] = [];
  const pages: Array<Promise<BrowseResult>> = [];
  const opener = options.browser;
  const openBrowser =
    typeof opener === 'function'
      ? opener
      : async (url: string) => {
          opened.push(url);
          if (opener === 'http') pages.push(browser.open(url, { user }));
        };

  const cores: GatehouseCore[] = [];
  const makeCore = async (stores: Stores) => {
    const core = new GatehouseCore({
      configDir: dataDir,
      dataDir,
      env: { GATEHOUSE_CONFIG: configFile, ...options.env },
      ...stores,
      openBrowser,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...options.coreOptions,
    });
    cores.push(core);
    return core;
  };
  const stores = await openWorldStores();
  const core = await makeCore(stores);
  const defaultProvider = options.providers?.[0]?.id ?? 'demo';

  return {
    core,
    sessions: core.sessions,
    dataDir,
    configFile,
    store: stores.store as StoreOf<C>,
    index: stores.index,
    browser,
    opened,
    pages,
    async signIn(as = user, { provider = defaultProvider, ...signInOptions } = {}) {
      const started = await core.sessions.signIn(provider, {
        openBrowser: false,
        ...signInOptions,
      });
      const page = new HttpBrowser().open(started.url!, { user: as }).catch(() => undefined);
      try {
        return await started.done;
      } finally {
        await page;
      }
    },
    async reopen() {
      return makeCore(await openWorldStores());
    },
    async dispose() {
      for (const c of cores.splice(0)) await c.dispose();
      if (choice !== 'keychain') return;
      const ids = (await stores.store.listAccountIds?.()) ?? [];
      for (const id of ids) await stores.store.delete(id);
    },
  };
}
