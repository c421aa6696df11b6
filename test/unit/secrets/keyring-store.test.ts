/**
 * KeyringSecretStore against the real Secret Service of test/support/keyring/with-keyring.sh:
 * the size limit, hidden probe entries, the prefetched bulk read, the startup probe, and an
 * item written by another app that makes one account ambiguous.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import {
  KeyringSecretStore,
  keychainName,
  probeKeychain,
} from '../../../main/secrets/keyring-store';
import { keyringReady } from '../../support/keyring/ready';

const SS = 'Secret Service (GNOME Keyring / KWallet)';
const keyring = keyringReady('keyring-store.test (real-keychain cases)');
const service = `Gatehouse-unit-${process.pid}`;
const services: string[] = [];

function storeFor(suffix: string) {
  services.push(`${service}-${suffix}`);
  return new KeyringSecretStore(`${service}-${suffix}`);
}

afterAll(async () => {
  if (!keyring) return;
  for (const svc of services) {
    const store = new KeyringSecretStore(svc);
    for (const id of await store.listAccountIds().catch(() => [])) await store.delete(id);
    await store.delete('__probe-hidden').catch(() => undefined);
  }
});

describe('keychainName', () => {
  it.each([
    ['darwin', 'macOS Keychain'],
    ['win32', 'Windows Credential Manager'],
    ['linux', SS],
    ['freebsd', SS],
  ] as const)('%s → %s', (platform, name) => {
    expect(keychainName(platform)).toBe(name);
  });
});

describe('the size limit (checked before the keychain is touched)', () => {
  it('refuses a value over 16 KiB, counting UTF-8 bytes, not characters', async () => {
    const store = new KeyringSecretStore(`${service}-never-written`);
    await expect(store.set('demo:big', 'x'.repeat(16 * 1024 + 1))).rejects.toMatchObject({
      name: 'GatehouseError',
      code: 'keychain_write_failed',
      message: 'The session is too large for the keychain.',
      reason: 'value over 16 KiB',
    });
    // 8,193 characters, but 16,386 bytes.
    await expect(store.set('demo:big', 'é'.repeat(8193))).rejects.toMatchObject({
      code: 'keychain_write_failed',
    });
  });
});

describe.skipIf(!keyring)('KeyringSecretStore on the real Secret Service', () => {
  it('reports the backend, reads a missing entry as null and deletes it as false', async () => {
    const store = storeFor('basic');
    expect(store.backend).toEqual({ kind: 'keychain', name: SS });
    expect(await store.get('demo:nobody')).toBeNull();
    expect(await store.delete('demo:nobody')).toBe(false);
  });

  it('stores a value of exactly 16 KiB and keeps the old value when a larger one is refused', async () => {
    const store = storeFor('limit');
    const exact = 'y'.repeat(16 * 1024);
    await store.set('demo:edge', exact);
    expect(await store.get('demo:edge')).toBe(exact);
    await expect(store.set('demo:edge', exact + 'y')).rejects.toMatchObject({
      code: 'keychain_write_failed',
    });
    expect(await store.get('demo:edge')).toBe(exact);
  });

  it('hides "__" entries (the startup probe) from listAccountIds and readAll', async () => {
    const store = storeFor('hidden');
    await store.set('__probe-hidden', 'p');
    await store.set('demo:alice', 'a');
    expect(await store.listAccountIds()).toEqual(['demo:alice']);
    expect([...(await store.readAll()).entries()]).toEqual([['demo:alice', 'a']]);
    expect(await store.get('__probe-hidden')).toBe('p');
  });

  it('readAll takes the prefetched read once, then searches afresh', async () => {
    const store = storeFor('prefetch');
    await store.set('demo:alice', 'a');
    expect(store.peekPrefetched()).toBeNull();
    store.prefetchAll();
    const peeked = await store.peekPrefetched();
    expect(Object.fromEntries(peeked!)).toEqual({ 'demo:alice': 'a' });
    await store.set('demo:bob', 'b');
    // The prefetched result is from before bob: restore double-checks missing ones directly.
    expect(Object.fromEntries(await store.readAll())).toEqual({ 'demo:alice': 'a' });
    expect(store.peekPrefetched()).toBeNull();
    expect(Object.fromEntries(await store.readAll())).toEqual({
      'demo:alice': 'a',
      'demo:bob': 'b',
    });
  });

  it('probes an empty service as usable and leaves no probe entry behind', async () => {
    const svc = `${service}-probe-empty`;
    services.push(svc);
    const result = await probeKeychain(svc);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.store.backend).toEqual({ kind: 'keychain', name: SS });
    expect(await result.store.listAccountIds()).toEqual([]);
    const raw = spawnSync('secret-tool', ['search', '--all', 'service', svc], { encoding: 'utf8' });
    if (!raw.error) expect(`${raw.stdout}${raw.stderr}`).not.toContain('__probe');
  });

  it('probes a service with entries as usable, and its store hands them to restore', async () => {
    const seeded = storeFor('probe-seeded');
    await seeded.set('demo:carol', 'c');
    const result = await probeKeychain(`${service}-probe-seeded`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.fromEntries(await result.store.readAll())).toEqual({ 'demo:carol': 'c' });
  });
});

const secretTool = spawnSync('secret-tool', [], { encoding: 'utf8' }).error === undefined;
if (keyring && !secretTool)
  console.warn(
    'keyring-store.test: look-alike case skipped: secret-tool (libsecret-tools) missing',
  );

describe.skipIf(!keyring || !secretTool)('an item written by another app', () => {
  it('makes the account ambiguous: keychain_corrupt to read, keychain_write_failed to write', async () => {
    const svc = `${service}-ambiguous`;
    const store = storeFor('ambiguous');
    await store.set('demo:alice', 'ours');
    expect(await store.get('demo:alice')).toBe('ours');
    // Same service and account, one attribute more: the library's search now matches two items.
    const theirs = ['service', svc, 'username', 'demo:alice', 'application', 'other'];
    execFileSync('secret-tool', ['store', '--label=another app', ...theirs], { input: 'theirs' });
    try {
      const damaged = `A Gatehouse entry in the ${SS} is damaged.`;
      await expect(store.get('demo:alice')).rejects.toMatchObject({
        code: 'keychain_corrupt',
        message: damaged,
        reason: expect.stringMatching(/^Entry is matched by 2 credentials/),
      });
      await expect(store.set('demo:alice', 'new')).rejects.toMatchObject({
        code: 'keychain_write_failed',
        message: damaged,
        reason: expect.stringMatching(/^Entry is matched by 2 credentials/),
      });
      await expect(store.delete('demo:alice')).rejects.toMatchObject({ code: 'keychain_corrupt' });
    } finally {
      execFileSync('secret-tool', ['clear', ...theirs]);
    }
    // With the look-alike gone, our entry reads again, untouched.
    expect(await store.get('demo:alice')).toBe('ours');
  });
});
