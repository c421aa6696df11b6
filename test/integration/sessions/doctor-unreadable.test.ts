/**
 * Bad input in the real keychain: an item another version of Gatehouse wrote. The command line
 * leaves it where it is, and `gatehouse doctor` names it as unreadable, with its version.
 */
import { describe, expect, it } from 'vitest';
import { KeyringSecretStore } from '../../../main/secrets/keyring-store';
import { cliSandbox, runCli } from '../../support/cli';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('doctor-unreadable.test');

describe.skipIf(!keyring)('bad input: a keychain item from another version', () => {
  it('is left in the keychain by accounts and doctor, and doctor lists it with its version', async () => {
    const sandbox = cliSandbox({ providers: [{ id: 'demo', kind: 'demo' }], prefix: 'gh-doc-' });
    const store = new KeyringSecretStore(sandbox.env.GATEHOUSE_KEYCHAIN_SERVICE);
    const newer = JSON.stringify({ v: 7, sealed: 'opaque' });
    await store.set('demo:alice', newer);
    try {
      const accounts = await runCli(['accounts'], { env: sandbox.env });
      expect(accounts.code).toBe(0);
      const doctor = await runCli(['doctor', 'demo'], { env: sandbox.env });
      const checks = doctor.json<{ checks: Array<{ name: string; detail: string }> }>().checks;
      const line = checks.find((c) => c.name === 'keychain items');
      expect(line?.detail).toMatch(/1 unreadable/);
      expect(line?.detail).toContain('demo:alice (format v7)');
      expect(doctor.stderr).toContain('demo:alice (format v7)');
      expect(await store.get('demo:alice')).toBe(newer);
    } finally {
      await store.delete('demo:alice');
    }
  });
});
