/**
 * The persistence seam the session engine needs besides the SecretStore: the display-claims
 * index (main/secrets/account-index.ts in the app, an in-memory map in tests) and an optional
 * cross-process per-account lock, so the app and the `gatehouse` command line never refresh the
 * same account at once (main/secrets/account-lock.ts).
 */
import type { ProviderKind } from '../../shared/provider-kinds';
import type { DisplayClaims } from '../../shared/session';

/** One account as the index mirrors it: display claims and timing, never a token. */
export interface IndexEntry {
  accountId: string;
  providerId: string;
  providerKind: ProviderKind;
  sub: string;
  claims: DisplayClaims;
  /** 0 marks an expired account that keeps its card ("sign in again") without tokens. */
  expiresAt: number | null;
  lastsUntilSignOut: boolean;
  profileId: string | null;
  updatedAt: number;
  /** The keychain item's name when it is not the account id (main/auth/item-keys.ts). */
  itemKey?: string;
}

export interface AccountIndexPort {
  list(): Promise<IndexEntry[]>;
  /** Settles once the change is on disk. */
  upsert(entry: IndexEntry): Promise<void>;
  /**
   * Keeps the change at once (list() sees it) and writes it shortly after, with any others made
   * meanwhile. Only for an account whose keychain item is already written (a sign-in's entry, a
   * refresh's new expiry): if the process ends first, the file keeps the older entry or none,
   * which restore corrects from the item. A change that is not valid throws here, as upsert()
   * rejects.
   */
  upsertSoon(entry: IndexEntry): void;
  remove(accountId: string): Promise<void>;
  /** Settles once every change kept so far is on disk. */
  flush(): Promise<void>;
}

/** Runs `fn` while holding the account's lock; rejects with account_busy when it cannot. */
export type AccountLock = <T>(accountId: string, fn: () => Promise<T>) => Promise<T>;
