/**
 * `gatehouse accounts`: the remembered accounts as the account index records them (display
 * claims only), read without the keychain and without the provider modules, so it starts fast
 * (P9 in docs/performance.md). The configuration is read for the providers' names and for its
 * warning. What only the keychain can tell (an entry deleted behind Gatehouse's back, an account
 * whose provider now names another server) is `gatehouse status`'s to check: it restores every
 * account as the app does. An access token past its expiry needs that restore too (whether the
 * account renews or has ended depends on its refresh token, in the keychain): then `accounts`
 * takes the full path, `restoredAccounts` below.
 */
import path from 'node:path';
import { SESSION_ENDED } from '../../auth/session/state-machine';
import { DEFAULT_DISPLAY_NAMES } from '../../../shared/provider-kinds';
import type { AccountSnapshot, SessionStatus } from '../../../shared/session';
import { defaultDataDir } from '../../app/paths';
import { loadConfig, type LoadedConfig } from '../../config/load';
import type { IndexEntry } from '../../ports/account-index';
import { INDEX_FILE_NAME, indexFileSchema } from '../../secrets/account-index';
import { readJsonFile } from '../../secrets/atomic-file';
import { warnAboutConfiguration } from '../configuration-gate';
import { EXIT } from '../exit-codes';
import { printResult, type CliIo } from '../io';
import type { CliCommand } from '../parse';
import { accountsTable } from '../render';
import type { CommandHandler } from './types';

/**
 * The exit code, or null when the index cannot tell: no index (a first run, or one lost in a
 * crash, which the restore rebuilds from the keychain), an unreadable one (the restore sets it
 * aside and rebuilds it), or a token past its expiry. This path changes nothing on disk.
 */
export async function listAccounts(command: CliCommand, io: CliIo): Promise<number | null> {
  const dataDir = defaultDataDir(io.env);
  const read = await readJsonFile(path.join(dataDir, INDEX_FILE_NAME), indexFileSchema);
  if (read.kind !== 'ok') return null;
  const entries = read.value.accounts as IndexEntry[];
  const now = Date.now();
  if (entries.some((e) => e.expiresAt !== null && e.expiresAt !== 0 && e.expiresAt <= now))
    return null;
  const config = loadConfig({ configDir: dataDir, env: io.env });
  if (config.error) warnAboutConfiguration(config.error, io);
  const list = entries.map((entry) => snapshotOf(entry, config));
  printResult(io, command, list, () => accountsTable(list, now));
  return EXIT.ok;
}

/** The full path: every account restored from the keychain, as the app restores them. */
export const restoredAccounts: CommandHandler = async (core, command, io) => {
  await core.sessions.restore();
  const list = core.sessions.snapshot().accounts;
  printResult(io, command, list, () => accountsTable(list, Date.now()));
  return EXIT.ok;
};

/** The window's AccountSnapshot of an index entry: a saved session, or one that has ended. */
function snapshotOf(entry: IndexEntry, config: LoadedConfig): AccountSnapshot {
  const provider = config.providers.find((p) => p.config.id === entry.providerId)?.config;
  const status: SessionStatus =
    entry.expiresAt === 0
      ? { kind: 'expired', reason: SESSION_ENDED }
      : { kind: 'signed-in', expiresAt: entry.expiresAt };
  return {
    accountId: entry.accountId,
    providerId: entry.providerId,
    providerKind: entry.providerKind,
    providerName:
      provider?.displayName ?? DEFAULT_DISPLAY_NAMES[entry.providerKind] ?? entry.providerId,
    sub: entry.sub,
    claims: { ...entry.claims },
    status,
    remembered: true,
    lastsUntilSignOut: entry.lastsUntilSignOut,
    profileId: entry.profileId,
  };
}
