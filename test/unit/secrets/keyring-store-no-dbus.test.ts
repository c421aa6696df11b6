/**
 * KeyringSecretStore in a process whose D-Bus session bus does not exist (a server, a bare
 * container, ssh without a desktop): every operation fails as keychain_unavailable with the
 * backend's own reason, nothing hangs, and a failed prefetch never becomes an unhandled rejection.
 * The address is set before the first keyring call: each Vitest file runs in its own process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { KeyringSecretStore, probeKeychain } from '../../../main/secrets/keyring-store';

const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/gatehouse-test-bus';
afterAll(() => {
  if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
});

const unreachable = {
  name: 'GatehouseError',
  code: 'keychain_unavailable',
  message: expect.stringMatching(
    /^The Secret Service \(GNOME Keyring \/ KWallet\) is not reachable: /,
  ),
  reason: expect.stringMatching(/nonexistent\/gatehouse-test-bus.*No such file or directory/),
};

describe('KeyringSecretStore without a D-Bus session bus', () => {
  const store = new KeyringSecretStore('Gatehouse-no-dbus');

  it('get, set and delete fail as keychain_unavailable, again on a second try', async () => {
    await expect(store.get('demo:alice')).rejects.toMatchObject(unreachable);
    // The second call finds a cached entry and retries on a fresh one: still the same answer.
    await expect(store.get('demo:alice')).rejects.toMatchObject(unreachable);
    // A write keeps keychain_unavailable (not keychain_write_failed): nothing is wrong with the value.
    await expect(store.set('demo:alice', 'v')).rejects.toMatchObject(unreachable);
    await expect(store.delete('demo:alice')).rejects.toMatchObject(unreachable);
  });

  it('the bulk reads fail as keychain_unavailable', async () => {
    await expect(store.listAccountIds()).rejects.toMatchObject(unreachable);
    await expect(store.readAll()).rejects.toMatchObject(unreachable);
  });

  it('a failed prefetch is handed to the next readAll, once, and is never unhandled', async () => {
    store.prefetchAll();
    const peeked = store.peekPrefetched();
    expect(peeked).not.toBeNull();
    await expect(peeked).rejects.toMatchObject(unreachable);
    await expect(store.readAll()).rejects.toMatchObject(unreachable);
    expect(store.peekPrefetched()).toBeNull();
  });

  it('the startup probe says why, so the app can keep sessions in memory', async () => {
    const result = await probeKeychain('Gatehouse-no-dbus-probe');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject(unreachable);
  });
});
