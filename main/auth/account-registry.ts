/**
 * The persistence seam the session manager needs: the display-claims index (main/secrets
 * account-index.ts in the app, an in-memory map in unit tests) and an optional cross-process
 * per-account lock, so the app and the `gatehouse` command line never refresh at the same time.
 */
import type { DisplayClaims, ProviderKind } from '../../shared/session';

export interface IndexEntry {
  accountId: string;
  providerId: string;
  providerKind: ProviderKind;
  sub: string;
  claims: DisplayClaims;
  expiresAt: number | null;
  lastsUntilSignOut: boolean;
  profileId: string | null;
  updatedAt: number;
}

export interface AccountIndexPort {
  list(): Promise<IndexEntry[]>;
  upsert(entry: IndexEntry): Promise<void>;
  remove(accountId: string): Promise<void>;
}

export type AccountLock = <T>(accountId: string, fn: () => Promise<T>) => Promise<T>;

export class MemoryAccountIndex implements AccountIndexPort {
  readonly #entries = new Map<string, IndexEntry>();
  async list() {
    return [...this.#entries.values()].map((e) => structuredClone(e));
  }
  async upsert(entry: IndexEntry) {
    this.#entries.set(entry.accountId, structuredClone(entry));
  }
  async remove(accountId: string) {
    this.#entries.delete(accountId);
  }
}

/** In-process only: good enough where a single process owns the store (unit tests). */
export const noLock: AccountLock = (_id, fn) => fn();
