/**
 * Startup restore from the index and the keychain, without the network, and the repair of
 * mismatches between the two: an index entry without its secret, a secret without its index
 * entry (a crash between the two writes). A keychain item this version cannot read is never
 * deleted (a newer or older Gatehouse may own it): it is reported as unreadable, with its `v`.
 * An item without an index entry is adopted only as an account of a configured provider, stored
 * under its own key.
 */
import type { ErrorCode } from '../../../shared/errors';
import type { SessionStatus, UnreadableItem } from '../../../shared/session';
import type { AccountIndexPort, IndexEntry } from '../../ports/account-index';
import type { SecretStore } from '../../ports/secret-store';
import { readStoredAccount, type StoredAccount } from '../stored-account';
import { initialStatus, SESSION_ENDED } from './state-machine';

/** What restore needs from the repository, whose records are `R`. */
export interface RestoreHooks<R> {
  store: SecretStore;
  index: AccountIndexPort;
  isConfigured(providerId: string): boolean;
  /** Keeps a restored account, its status set from its tokens and its binding. */
  keep(stored: StoredAccount): R;
  /** Keeps an account known from its index entry only, without tokens. */
  keepPlaceholder(entry: IndexEntry, status: SessionStatus, remembered: boolean): void;
  /** Writes the account's index entry again from its keychain entry. */
  reindex(record: R): Promise<void>;
}

/** What one startup restore found: the accounts read back, the repairs, the items left alone. */
export interface RestoreResult<R> {
  restored: R[];
  repaired: number;
  unreadable: UnreadableItem[];
}

type Read = (accountId: string) => Promise<string | null>;

export async function restoreAccounts<R>(h: RestoreHooks<R>): Promise<RestoreResult<R>> {
  const entries = await h.index.list().catch(() => [] as IndexEntry[]);
  // One bulk read where the store offers it; if that fails (a locked collection, say), each
  // account is read on its own, so every account gets its own precise error state.
  const bulk = h.store.readAll ? await h.store.readAll().catch(() => null) : null;
  // Missing from the bulk read is confirmed with a direct read before anything is repaired.
  const read: Read = async (id) => bulk?.get(id) ?? (await h.store.get(id));
  const result: RestoreResult<R> = { restored: [], repaired: 0, unreadable: [] };
  await Promise.all(entries.map((entry) => restoreEntry(h, entry, read, result)));
  const indexed = new Set(entries.map((e) => e.accountId));
  const ids = bulk ? [...bulk.keys()] : await listAccountIds(h.store);
  for (const id of ids.filter((i) => !indexed.has(i))) await repairOrphan(h, id, read, result);
  result.unreadable.sort((a, b) => a.accountId.localeCompare(b.accountId));
  return result;
}

/** Every keychain item this version cannot read, without restoring or repairing anything. */
export async function findUnreadable(store: SecretStore): Promise<UnreadableItem[]> {
  const bulk = store.readAll ? await store.readAll().catch(() => null) : null;
  const ids = bulk ? [...bulk.keys()] : await listAccountIds(store);
  const found: UnreadableItem[] = [];
  for (const accountId of ids) {
    const raw = bulk?.get(accountId) ?? (await store.get(accountId).catch(() => null));
    const item = raw === null ? null : readStoredAccount(raw, accountId);
    if (item?.kind === 'unreadable') found.push({ accountId, version: item.version });
  }
  return found.sort((a, b) => a.accountId.localeCompare(b.accountId));
}

async function restoreEntry<R>(
  h: RestoreHooks<R>,
  entry: IndexEntry,
  read: Read,
  result: RestoreResult<R>,
) {
  let raw: string | null;
  try {
    raw = await read(entry.accountId);
  } catch (error) {
    // Keychain unreadable (locked, denied): show the account, but it cannot be used.
    const code = (error as { code?: ErrorCode }).code ?? 'keychain_unavailable';
    const status = initialStatus({ type: 'unreadable', code, message: (error as Error).message });
    h.keepPlaceholder(entry, status, false);
    return;
  }
  if (raw === null) return lostSecret(h, entry, result);
  const item = readStoredAccount(raw, entry.accountId);
  if (item.kind === 'account') result.restored.push(h.keep(item.account));
  else result.unreadable.push({ accountId: entry.accountId, version: item.version });
}

/** An index entry whose keychain entry is gone. */
async function lostSecret<R>(h: RestoreHooks<R>, entry: IndexEntry, result: RestoreResult<R>) {
  result.repaired++;
  if (entry.expiresAt === 0) {
    // An expired account keeps its card ("sign in again") without a keychain entry.
    const status = initialStatus({ type: 'expired', reason: SESSION_ENDED });
    h.keepPlaceholder(entry, status, true);
    return;
  }
  await h.index.remove(entry.accountId).catch(() => undefined);
}

/** A keychain entry with no index entry: adopted and re-indexed, or left alone. */
async function repairOrphan<R>(
  h: RestoreHooks<R>,
  id: string,
  read: Read,
  result: RestoreResult<R>,
) {
  const raw = await read(id).catch(() => null);
  if (raw === null) return; // gone meanwhile, or not readable now: nothing to repair
  const item = readStoredAccount(raw, id);
  if (item.kind === 'unreadable') {
    result.unreadable.push({ accountId: id, version: item.version });
    return;
  }
  // Another provider's account (its provider no longer configured) waits until it is again.
  if (!h.isConfigured(item.account.providerId)) return;
  result.repaired++;
  const record = h.keep(item.account);
  result.restored.push(record);
  await h.reindex(record);
}

async function listAccountIds(store: SecretStore): Promise<string[]> {
  if (!store.listAccountIds) return [];
  return store.listAccountIds().catch(() => [] as string[]);
}
