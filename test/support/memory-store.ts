import type { SecretStore } from '../../main/ports/secret-store';

/** A plain in-memory SecretStore reporting itself as a keychain, for engine tests. */
export class MemorySecretStoreForTests implements SecretStore {
  readonly backend = { kind: 'keychain', name: 'test memory keychain' } as const;
  readonly values = new Map<string, string>();
  async get(id: string) {
    return this.values.get(id) ?? null;
  }
  async set(id: string, value: string) {
    this.values.set(id, value);
  }
  async delete(id: string) {
    return this.values.delete(id);
  }
  async listAccountIds() {
    return [...this.values.keys()];
  }
}
