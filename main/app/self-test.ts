/**
 * `--self-test-keychain`: writes, reads back and deletes one entry in the OS keychain through
 * the bundled native module, under a throwaway service name. Used on every release runner.
 */
import { randomBytes } from 'node:crypto';
import { probeKeychain } from '../secrets/keyring-store';

export async function selfTestKeychain(): Promise<{ ok: boolean; message: string }> {
  const service = `Gatehouse-selftest-${randomBytes(4).toString('hex')}`;
  const probe = await probeKeychain(service);
  if (!probe.ok) return { ok: false, message: `keychain self-test failed: ${probe.error.message}` };
  const value = randomBytes(24).toString('base64url');
  await probe.store.set('selftest', value);
  const back = await probe.store.get('selftest');
  await probe.store.delete('selftest');
  const ok = back === value;
  const name = probe.store.backend.kind === 'keychain' ? probe.store.backend.name : 'memory';
  return {
    ok,
    message: ok
      ? `keychain self-test ok: ${name} (${process.platform}-${process.arch})`
      : 'keychain self-test failed: value read back differs',
  };
}
