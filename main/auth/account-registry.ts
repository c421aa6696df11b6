/**
 * In-process implementations of the account ports (main/ports/account-index.ts): an in-memory
 * index for tests and benchmarks, and the no-op lock used where one process owns the store.
 */
import type { AccountIndexPort, AccountLock, IndexEntry } from '../ports/account-index';

export class MemoryAccountIndex implements AccountIndexPort {
  readonly #entries = new Map<string, IndexEntry>();
  async list() {
    return [...this.#entries.values()].map((e) => structuredClone(e));
  }
  async upsert(entry: IndexEntry) {
    this.#entries.set(entry.accountId, structuredClone(entry));
  }
  upsertSoon(entry: IndexEntry) {
    this.#entries.set(entry.accountId, structuredClone(entry));
  }
  async remove(accountId: string) {
    this.#entries.delete(accountId);
  }
  async flush() {}
}

/** In-process only: good enough where a single process owns the store (unit tests). */
export const noLock: AccountLock = (_id, fn) => fn();
