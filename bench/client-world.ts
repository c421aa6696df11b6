/**
 * The client side of P1 and P5–P8: a GatehouseCore built the way the app builds it (openStores:
 * the real keychain, the account index file, the account lock, the batched sign-in log), on its
 * own data folder and keychain service, against the provider in the child process, with the
 * window's snapshot feed as main/index.ts attaches it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GatehouseCore } from '../main/app/core';
import { openStores } from '../main/app/open-stores';
import { feedSessions } from '../main/ipc/snapshot-throttle';
import type { AccountIndexPort } from '../main/ports/account-index';
import type { AccountSnapshot, SessionsSnapshot } from '../shared/session';
import { MemorySecretStoreForTests } from '../test/support/memory-store';
import type { RemoteIdp } from './remote-idp';
import { writeOidcProviders } from './world';

export interface ClientCore {
  core: GatehouseCore;
  /** 'real keychain', or what stands in for it. */
  storeLabel: string;
  keychain: boolean;
  /** The account index the core writes (main/secrets/account-index.ts). */
  index: AccountIndexPort;
  /** Disposes the core and deletes every keychain entry it made. */
  close(): Promise<void>;
}

let made = 0;

export async function clientCore(
  remote: RemoteIdp,
  options: { memory?: boolean; settings?: Record<string, unknown>; fetch?: typeof fetch } = {},
): Promise<ClientCore> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-bench-client-'));
  const configFile = path.join(dir, 'providers.json');
  writeOidcProviders(
    configFile,
    remote.issuer,
    [{ id: 'demo', clientId: remote.clientId }],
    options.settings,
  );
  const stores = await openStores(dir, { service: `Gatehouse-bench-${process.pid}-${++made}` });
  const keychainStore = stores.store;
  const keychain = !options.memory && keychainStore.backend.kind === 'keychain';
  const store = options.memory ? new MemorySecretStoreForTests() : keychainStore;
  const core = new GatehouseCore({
    configDir: dir,
    dataDir: dir,
    env: { GATEHOUSE_CONFIG: configFile },
    ...stores,
    store,
    openBrowser: async () => undefined,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  // The window, fed as main/index.ts feeds it: throttled snapshots, each serialized as IPC
  // serializes it (a structured clone); the bench has no window to send them to.
  feedSessions(core.sessions, (snapshot: SessionsSnapshot) => void structuredClone(snapshot));
  return {
    core,
    keychain,
    index: stores.index,
    storeLabel: options.memory
      ? 'memory store'
      : keychain
        ? 'real keychain'
        : 'memory store (no keychain here)',
    close: async () => {
      await core.dispose();
      for (const id of (await keychainStore.listAccountIds?.()) ?? [])
        await keychainStore.delete(id);
    },
  };
}

/** One sign-in by the remote browser; resolves once signed in and the browser is done. */
export async function signInRemote(
  { core }: ClientCore,
  remote: RemoteIdp,
  user: string,
): Promise<AccountSnapshot> {
  const started = await core.sessions.signIn('demo', { openBrowser: false });
  const [account] = await Promise.all([started.done, remote.open(started.url!, user)]);
  return account;
}
