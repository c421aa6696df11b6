/**
 * Sessions for this run only, when the keychain is unusable. It says so (backend.kind
 * 'memory', with the keychain's reason) so the window can show "not remembered".
 */
import type { ErrorCode } from '../../shared/errors';
import type { StorageBackend } from '../../shared/session';
import type { SecretStore } from '../ports/secret-store';

export class MemorySecretStore implements SecretStore {
  readonly backend: StorageBackend;
  readonly #values = new Map<string, string>();

  constructor(reason: string, code: ErrorCode | null) {
    this.backend = { kind: 'memory', reason, code };
  }

  async get(accountId: string) {
    return this.#values.get(accountId) ?? null;
  }
  async set(accountId: string, value: string) {
    this.#values.set(accountId, value);
  }
  async delete(accountId: string) {
    return this.#values.delete(accountId);
  }
  async listAccountIds() {
    return [...this.#values.keys()];
  }
}
