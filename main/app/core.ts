/**
 * The electron-free application core: configuration, provider modules, secret store, sign-in
 * log and session manager, composed once. The Electron entry, the command line and the browser
 * tests all build it with their own opener, transport and folders.
 */
import type { AppInfo } from '../../shared/app-info';
import type { ProvidersList } from '../../shared/ipc';
import type { ProviderInfo, StorageBackend } from '../../shared/session';
import { loadConfig, type LoadedConfig, type UnusableProvider } from '../config/load';
import { fetchAvatarDataUrl } from '../auth/avatar';
import { createFetch } from '../auth/http';
import { providerInfo, setupInfo } from '../auth/providers/info';
import { createProviderModule } from '../auth/providers/registry';
import type { ProviderModule } from '../auth/providers/types';
import type { BrowserOpener } from '../auth/session/attempt-runner';
import { SessionManager } from '../auth/session/session-manager';
import { SignInLog } from '../auth/sign-in-log';
import type { AccountIndexPort, AccountLock } from '../ports/account-index';
import type { SecretStore } from '../ports/secret-store';

export interface CoreOptions {
  configDir: string;
  dataDir: string;
  env?: Record<string, string | undefined>;
  /** A packaged build (app.isPackaged): no demo provider unless providers.json lists one. */
  packaged?: boolean;
  store: SecretStore;
  index: AccountIndexPort;
  lock?: AccountLock;
  log?: SignInLog;
  openBrowser: BrowserOpener;
  fetch?: typeof fetch;
  now?: () => number;
  refreshLeadMs?: number;
  versions?: AppInfo['versions'];
  appVersion?: string;
  onSignedIn?: (accountId: string) => void;
}

export class GatehouseCore {
  readonly sessions: SessionManager;
  readonly log: SignInLog;
  #config: LoadedConfig;
  #providers = new Map<string, ProviderModule>();
  readonly #o: CoreOptions;

  constructor(options: CoreOptions) {
    this.#o = options;
    const now = options.now ?? Date.now;
    this.log = options.log ?? new SignInLog({ now });
    this.#config = this.#load();
    this.sessions = new SessionManager({
      providers: () => this.#providers,
      store: options.store,
      index: options.index,
      ...(options.lock ? { lock: options.lock } : {}),
      openBrowser: options.openBrowser,
      log: this.log,
      now,
      refreshConcurrency: this.#config.refreshConcurrency,
      ...(options.refreshLeadMs !== undefined ? { refreshLeadMs: options.refreshLeadMs } : {}),
      ...(options.onSignedIn ? { onSignedIn: options.onSignedIn } : {}),
      resolveAvatar: (url) => fetchAvatarDataUrl(url, createFetch(options.fetch ?? fetch, 5_000)),
    });
  }

  get config(): LoadedConfig {
    return this.#config;
  }

  get storage(): StorageBackend {
    return this.#o.store.backend;
  }

  provider(id: string): ProviderModule | undefined {
    return this.#providers.get(id);
  }

  /** Every provider, in the file's order: the unusable entries too, with what is wrong. */
  providersList(): ProvidersList {
    const providers = [...this.#providers.values()].map((m) => structuredClone(m.info));
    for (const entry of this.#config.unusable)
      providers.splice(entry.position, 0, unusableInfo(entry));
    return {
      providers,
      configError: this.#config.error,
      configPath: this.#config.path,
    };
  }

  /** Re-reads the configuration file; running sessions keep their provider until replaced. */
  async reload(): Promise<ProvidersList> {
    const old = this.#providers;
    this.#config = this.#load();
    await Promise.allSettled([...old.values()].map((m) => m.dispose?.()));
    return this.providersList();
  }

  appInfo(): AppInfo {
    return {
      name: 'Gatehouse',
      version: this.#o.appVersion ?? '0.0.0',
      platform: process.platform,
      arch: process.arch,
      versions: this.#o.versions ?? { electron: null, chrome: null, node: process.versions.node },
      storage: this.storage,
      configPath: this.#config.path,
      packaged: this.#o.packaged ?? false,
    };
  }

  async dispose(): Promise<void> {
    await this.sessions.dispose();
    await Promise.allSettled([...this.#providers.values()].map((m) => m.dispose?.()));
    await Promise.all([this.log.flush(), this.#o.index.flush()]);
  }

  /** The demo provider persists only where the accounts do: in the keychain, beside them. */
  #demoStorage() {
    const secrets = this.#o.store.companion?.('demo');
    return secrets ? { demoStorage: { dataDir: this.#o.dataDir, secrets } } : {};
  }

  #load(): LoadedConfig {
    const config = loadConfig({
      configDir: this.#o.configDir,
      ...(this.#o.env ? { env: this.#o.env } : {}),
      packaged: this.#o.packaged ?? false,
    });
    const ctx = {
      fetch: createFetch(this.#o.fetch ?? fetch, config.httpTimeoutMs),
      now: this.#o.now ?? Date.now,
      httpTimeoutMs: config.httpTimeoutMs,
      ...this.#demoStorage(),
    };
    this.#providers = new Map(
      config.providers.map((p) => [
        p.config.id,
        createProviderModule(p, ctx, config.signInTimeoutMs),
      ]),
    );
    return config;
  }
}

/**
 * A listed entry that has no module: the session manager never sees it, so its accounts wait
 * as they do for a provider no longer configured, and no token goes anywhere meanwhile.
 */
function unusableInfo(entry: UnusableProvider): ProviderInfo {
  const info = providerInfo(entry, entry.kind, {
    displayName: entry.id,
    configErrors: [...entry.problems],
    supportsDeviceFlow: false,
    supportsRefresh: false,
  });
  return { ...info, ...setupInfo({ id: entry.id, kind: entry.kind }) };
}
