/**
 * MemorySecretStore: the "not remembered" store used when the keychain is unusable. It says so
 * (backend kind 'memory' with the keychain's reason and code) and forgets everything with the
 * process.
 */
import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../main/secrets/memory-store';

describe('MemorySecretStore', () => {
  it('reports itself as memory, with the reason and code the keychain failed with', () => {
    expect(new MemorySecretStore('The keychain is locked.', 'keychain_locked').backend).toEqual({
      kind: 'memory',
      reason: 'The keychain is locked.',
      code: 'keychain_locked',
    });
    expect(new MemorySecretStore('Chosen by the person.', null).backend.kind).toBe('memory');
  });

  it('gets, overwrites, lists and deletes values', async () => {
    const store = new MemorySecretStore('x', null);
    expect(await store.get('demo:alice')).toBeNull();
    await store.set('demo:alice', 'one');
    await store.set('demo:alice', 'two');
    await store.set('github:42', 'g');
    expect(await store.get('demo:alice')).toBe('two');
    expect((await store.listAccountIds()).sort()).toEqual(['demo:alice', 'github:42']);
    expect(await store.delete('demo:alice')).toBe(true);
    expect(await store.delete('demo:alice')).toBe(false);
    expect(await store.listAccountIds()).toEqual(['github:42']);
  });

  it('keeps each store separate: nothing is shared between instances', async () => {
    const a = new MemorySecretStore('x', null);
    await a.set('demo:alice', 'secret');
    expect(await new MemorySecretStore('x', null).get('demo:alice')).toBeNull();
  });
});
