/**
 * Opens the secret store, account index, cross-process lock and log file for a data folder.
 * Shared by the app and the command line so both use the same store. The keychain is probed
 * once; if it is unusable, sessions are kept in memory ("not remembered") with the reason.
 */
import path from 'node:path';
import type { AccountIndexPort, AccountLock } from '../ports/account-index';
import type { SecretStore } from '../ports/secret-store';
import { AccountIndex } from '../secrets/account-index';
import { withAccountLock } from '../secrets/account-lock';
import { MemorySecretStore } from '../secrets/memory-store';
import { probeKeychain } from '../secrets/keyring-store';
import { SignInLog } from '../auth/sign-in-log';
import { LogFileWriter, readLogFile } from './log-file';
import { ensurePrivateDir } from './paths';

export interface Stores {
  store: SecretStore;
  index: AccountIndexPort;
  lock: AccountLock;
  log: SignInLog;
}

export async function openStores(
  dataDir: string,
  options: { service?: string; now?: () => number } = {},
): Promise<Stores> {
  ensurePrivateDir(dataDir);
  const probe = await probeKeychain(options.service ?? 'Gatehouse');
  const store: SecretStore = probe.ok
    ? probe.store
    : new MemorySecretStore(probe.error.message, probe.error.code);
  const index = new AccountIndex(dataDir);
  await index.load();
  const lockDir = path.join(dataDir, 'locks');
  ensurePrivateDir(lockDir);
  const lock: AccountLock = (accountId, fn) =>
    withAccountLock(lockDir, accountId, fn, { timeoutMs: 30_000, staleMs: 120_000 });
  const logFile = path.join(dataDir, 'sign-in-log.json');
  const now = options.now ?? Date.now;
  const writer = new LogFileWriter(logFile);
  const log = new SignInLog({
    now,
    initial: readLogFile(logFile),
    persist: (entries) => writer.save(entries),
    flush: () => writer.flush(),
  });
  return { store, index, lock, log };
}
