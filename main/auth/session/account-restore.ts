/**
 * Startup restore from the index and the keychain, without the network, and the repair of
 * mismatches between the two: an index entry without its secret, a secret without its index
 * entry (a crash between the two writes), an entry older than its secret. A keychain item this
 * version cannot read is never deleted (a newer or older Gatehouse may own it): it is reported
 * as unreadable, with its `v`.
 * An item without an index entry is adopted only as an account of a configured provider, stored
 * under a name of its own (its account id, or a slot name: main/auth/item-keys.ts). Two items of
 * one account (two processes signed it in at once, each under its own slot) leave one: the
 * newer is kept, the older deleted, so a sign-out later leaves nothing behind.
 */
import type { ErrorCode } from '../../../shared/errors';
import type { SessionStatus, UnreadableItem } from '../../../shared/session';
import type { AccountIndexPort, IndexEntry } from '../../ports/account-index';
import type { SecretStore } from '../../ports/secret-store';
import { accountIdOf, readStoredAccount, type StoredAccount } from '../stored-account';
import { itemKeyOfEntry } from './account-record';
import { initialStatus, SESSION_ENDED } from './state-machine';

/** What restore needs from the repository, whose records are `R`. */
export interface RestoreHooks<R> {
  store: SecretStore;
  index: AccountIndexPort;
  isConfigured(providerId: string): boolean;
  /** Keeps a restored account, its status set from its tokens and its binding. */
  keep(stored: StoredAccount, itemKey: string): R;
  /** Deletes an item of an account that has a newer one. */
  discard(itemKey: string): Promise<void>;
  /** Keeps an account known from its index entry only, without tokens. */
  keepPlaceholder(entry: IndexEntry, status: SessionStatus, remembered: boolean): void;
  /** Writes the account's index entry again from its keychain entry. */
  reindex(record: R): Promise<void>;
  /** The same for an entry that is only out of date, shortly after, with other changes. */
  reindexSoon(record: R): void;
}

/** What one startup restore found: the accounts read back, the repairs, the items left alone. */
export interface RestoreResult<R> {
  restored: R[];
  repaired: number;
  unreadable: UnreadableItem[];
}

type Read = (itemKey: string) => Promise<string | null>;

/** What restore kept, by account id: the item's name and when it was saved. */
type Kept<R> = Map<string, { itemKey: string; savedAt: number; record: R }>;

export async function restoreAccounts<R>(h: RestoreHooks<R>): Promise<RestoreResult<R>> {
  const entries = await h.index.list().catch(() => [] as IndexEntry[]);
  // One bulk read where the store offers it; if that fails (a locked collection, say), each
  // account is read on its own, so every account gets its own precise error state.
  const bulk = h.store.readAll ? await h.store.readAll().catch(() => null) : null;
  // Missing from the bulk read is confirmed with a direct read before anything is repaired.
  const read: Read = async (id) => bulk?.get(id) ?? (await h.store.get(id));
  const result: RestoreResult<R> = { restored: [], repaired: 0, unreadable: [] };
  const kept: Kept<R> = new Map();
  await Promise.all(entries.map((entry) => restoreEntry(h, entry, read, result, kept)));
  const indexed = new Set(entries.map(itemKeyOfEntry));
  const keys = bulk ? [...bulk.keys()] : await listItemKeys(h.store);
  for (const key of keys.filter((k) => !indexed.has(k)))
    await repairOrphan(h, key, read, result, kept);
  result.unreadable.sort((a, b) => a.accountId.localeCompare(b.accountId));
  return result;
}

/** Every keychain item this version cannot read, without restoring or repairing anything. */
export async function findUnreadable(store: SecretStore): Promise<UnreadableItem[]> {
  const found: UnreadableItem[] = [];
  for (const [itemKey, item] of await readEveryItem(store))
    if (item.kind === 'unreadable') found.push({ accountId: itemKey, version: item.version });
  return found.sort((a, b) => a.accountId.localeCompare(b.accountId));
}

/** The names of every item that holds the account (sign-out deletes them all). */
export async function itemsOfAccount(store: SecretStore, accountId: string): Promise<string[]> {
  const found: string[] = [];
  for (const [itemKey, item] of await readEveryItem(store)) {
    const { account } = item.kind === 'account' ? item : { account: null };
    if (account && accountIdOf(account.providerId, account.sub) === accountId) found.push(itemKey);
  }
  return found;
}

async function readEveryItem(store: SecretStore) {
  const bulk = store.readAll ? await store.readAll().catch(() => null) : null;
  const keys = bulk ? [...bulk.keys()] : await listItemKeys(store);
  const items = new Map<string, ReturnType<typeof readStoredAccount>>();
  for (const key of keys) {
    const raw = bulk?.get(key) ?? (await store.get(key).catch(() => null));
    if (raw !== null) items.set(key, readStoredAccount(raw, key));
  }
  return items;
}

async function restoreEntry<R>(
  h: RestoreHooks<R>,
  entry: IndexEntry,
  read: Read,
  result: RestoreResult<R>,
  kept: Kept<R>,
) {
  const itemKey = itemKeyOfEntry(entry);
  let raw: string | null;
  try {
    raw = await read(itemKey);
  } catch (error) {
    // Keychain unreadable (locked, denied): show the account, but it cannot be used.
    const code = (error as { code?: ErrorCode }).code ?? 'keychain_unavailable';
    const status = initialStatus({ type: 'unreadable', code, message: (error as Error).message });
    h.keepPlaceholder(entry, status, false);
    return;
  }
  if (raw === null) return lostSecret(h, entry, result);
  const item = readStoredAccount(raw, itemKey, entry.accountId);
  if (item.kind === 'unreadable') {
    result.unreadable.push({ accountId: itemKey, version: item.version });
    return;
  }
  const record = h.keep(item.account, itemKey);
  result.restored.push(record);
  kept.set(entry.accountId, { itemKey, savedAt: item.account.savedAt, record });
  // A refresh's entry is written just after the keychain (upsertSoon): a process that ended in
  // between left the older expiry, which `gatehouse accounts` would otherwise show.
  if (entry.expiresAt !== item.account.tokens.expiresAt) h.reindexSoon(record);
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
  itemKey: string,
  read: Read,
  result: RestoreResult<R>,
  kept: Kept<R>,
) {
  const raw = await read(itemKey).catch(() => null);
  if (raw === null) return; // gone meanwhile, or not readable now: nothing to repair
  const item = readStoredAccount(raw, itemKey);
  if (item.kind === 'unreadable') {
    result.unreadable.push({ accountId: itemKey, version: item.version });
    return;
  }
  const { account } = item;
  // Another provider's account (its provider no longer configured) waits until it is again.
  if (!h.isConfigured(account.providerId)) return;
  const accountId = accountIdOf(account.providerId, account.sub);
  const other = kept.get(accountId);
  result.repaired++;
  if (other && other.savedAt >= account.savedAt) return void (await discard(h, itemKey));
  const record = h.keep(account, itemKey);
  kept.set(accountId, { itemKey, savedAt: account.savedAt, record });
  // The newer item replaces the older one, in the result as in the repository and the index.
  const older = other ? result.restored.indexOf(other.record) : -1;
  if (older >= 0) result.restored[older] = record;
  else result.restored.push(record);
  if (other) await discard(h, other.itemKey);
  await h.reindex(record);
}

function discard<R>(h: RestoreHooks<R>, itemKey: string): Promise<void> {
  return h.discard(itemKey).catch(() => undefined);
}

async function listItemKeys(store: SecretStore): Promise<string[]> {
  if (!store.listAccountIds) return [];
  return store.listAccountIds().catch(() => [] as string[]);
}
