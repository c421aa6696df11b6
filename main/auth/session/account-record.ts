/**
 * One account as the repository holds it, and the builders of the shapes made from it: the
 * stored account of a verified grant, its index entry, a placeholder made back from an index
 * entry, and the window's snapshots. account-repository.ts and account-restore.ts share them.
 */
import type {
  AccountSnapshot,
  DisplayClaims,
  ProfileSnapshot,
  SessionStatus,
} from '../../../shared/session';
import type { IndexEntry } from '../../ports/account-index';
import type { Grant, ProviderModule } from '../providers/types';
import { accountIdOf, STORED_ACCOUNT_VERSION, type StoredAccount } from '../stored-account';
import { bindingProblem } from './account-binding';
import { initialStatus } from './state-machine';

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

/** The stored account a verified grant becomes; the caller has checked its sub. */
export function storedAccountOf(
  module: ProviderModule,
  grant: Grant,
  rest: { claims: DisplayClaims; profileId: string | null; savedAt: number },
): StoredAccount {
  return {
    v: STORED_ACCOUNT_VERSION,
    providerId: module.info.id,
    providerKind: module.info.kind,
    sub: grant.identity.sub,
    claims: rest.claims,
    tokens: grant.tokens,
    // The configuration the tokens were issued under: no other server or client gets them.
    binding: module.binding,
    profileId: rest.profileId,
    savedAt: rest.savedAt,
  };
}

/** The window's view of an account: display claims and status, never a token. */
export function snapshotOfRecord(
  record: AccountRecord,
  lastsUntilSignOut: boolean,
): AccountSnapshot {
  const { stored } = record;
  return {
    accountId: recordId(record),
    providerId: stored.providerId,
    providerKind: stored.providerKind,
    providerName: record.providerName,
    sub: stored.sub,
    claims: { ...stored.claims },
    status: record.status,
    remembered: record.remembered,
    lastsUntilSignOut,
    profileId: stored.profileId,
  };
}

/** The linked profiles among `records`, each with its accounts in a stable order. */
export function profilesOf(records: Iterable<AccountRecord>): ProfileSnapshot[] {
  const byProfile = new Map<string, string[]>();
  for (const record of records) {
    const id = record.stored.profileId;
    if (id) byProfile.set(id, [...(byProfile.get(id) ?? []), recordId(record)]);
  }
  return [...byProfile.entries()].map(([profileId, accountIds]) => ({
    profileId,
    accountIds: accountIds.sort((a, b) => a.localeCompare(b)),
  }));
}

/** True when the account has a refresh token and its provider can use it. */
export function refreshable(stored: StoredAccount, module: ProviderModule | undefined): boolean {
  return Boolean(module?.refresh && stored.tokens.refreshToken);
}

/** A stored account read back at restore, with the status its tokens and binding give it. */
export function restoredRecordOf(
  stored: StoredAccount,
  itemKey: string,
  context: {
    module: ProviderModule | undefined;
    providerName: string;
    now: number;
    remembered: boolean;
  },
): AccountRecord {
  // Tokens bound to another server or client than configured now: "sign in again".
  const problem = bindingProblem(stored, context.module);
  const status = problem
    ? initialStatus({ type: 'expired', reason: problem.message })
    : initialStatus({
        type: 'restored',
        expiresAt: stored.tokens.expiresAt,
        canRefresh: refreshable(stored, context.module),
        now: context.now,
      });
  const { providerName, remembered } = context;
  return { stored, itemKey, providerName, status, remembered };
}
