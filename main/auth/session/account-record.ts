/**
 * One account as the repository holds it, and the two builders that turn it into an index entry
 * and back into a placeholder: the shapes account-repository.ts and account-restore.ts share.
 */
import type { SessionStatus } from '../../../shared/session';
import type { IndexEntry } from '../../ports/account-index';
import { accountIdOf, STORED_ACCOUNT_VERSION, type StoredAccount } from '../stored-account';

export interface AccountRecord {
  stored: StoredAccount;
  /** The keychain item's name: the account id, or an opaque slot name (main/auth/item-keys.ts). */
  itemKey: string;
  providerName: string;
  status: SessionStatus;
  /** False when the keychain was unavailable: the session lasts for this run only. */
  remembered: boolean;
  /** Known from its index entry only (the keychain was locked, or the session ended): no tokens.
   * Its keychain entry, if any, is read again before use and never written over. */
  placeholder?: true;
}

export function recordId(record: AccountRecord): string {
  return accountIdOf(record.stored.providerId, record.stored.sub);
}

/** The item an index entry points to: its own name, or the account id for an older entry. */
export function itemKeyOfEntry(entry: IndexEntry): string {
  return entry.itemKey ?? entry.accountId;
}

/** The one index entry builder: the display-claims mirror of a keychain entry. */
export function indexEntryOf(
  record: Pick<AccountRecord, 'stored' | 'itemKey'>,
  timing: Pick<IndexEntry, 'expiresAt' | 'lastsUntilSignOut'>,
  updatedAt: number,
): IndexEntry {
  const { providerId, providerKind, sub, claims, profileId } = record.stored;
  const accountId = accountIdOf(providerId, sub);
  const entry: IndexEntry = {
    accountId,
    providerId,
    providerKind,
    sub,
    claims,
    ...timing,
    profileId,
    updatedAt,
  };
  // An item under the account id needs no mapping: such entries stay as older releases wrote them.
  if (record.itemKey !== accountId) entry.itemKey = record.itemKey;
  return entry;
}

/** The one placeholder builder: an account known from its index entry only, without tokens. */
export function placeholderOf(
  entry: IndexEntry,
  providerName: string,
  status: SessionStatus,
  remembered: boolean,
): AccountRecord {
  const { providerId, providerKind, sub, claims, profileId } = entry;
  const tokens = { accessToken: '', expiresAt: 0 };
  const stored: StoredAccount = {
    v: STORED_ACCOUNT_VERSION,
    providerId,
    providerKind,
    sub,
    claims,
    tokens,
    binding: null,
    profileId,
    savedAt: entry.updatedAt,
  };
  const itemKey = itemKeyOfEntry(entry);
  return { stored, itemKey, providerName, status, remembered, placeholder: true };
}
