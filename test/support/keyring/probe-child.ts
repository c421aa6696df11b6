/**
 * Child for the keychain failure tests, run on a private bus of its own: "lock" locks the
 * collection, then probes; "restart" stores a session, stops the Secret Service daemon (the bus
 * starts it again on the next request, as a desktop session does), and reads it back through
 * the same store, whose open entries now point at a daemon that is gone.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { KeyringSecretStore, probeKeychain } from '../../../main/secrets/keyring-store';

if (process.argv[2] === 'restart') {
  const store = new KeyringSecretStore(`Gatehouse-restart-${process.pid}`);
  await store.set('demo:alice', 'session-before-restart');
  const before = await store.get('demo:alice');
  const starts = readFileSync(`${process.env.GATEHOUSE_KEYRING_HOME}/starts`, 'utf8');
  for (const line of starts.trim().split('\n')) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await new Promise((r) => setTimeout(r, 300));
  let after: string | null = null;
  let error: string | undefined;
  try {
    after = await store.get('demo:alice');
    await store.set('demo:alice', 'session-after-restart');
    after += ' / ' + (await store.get('demo:alice'));
  } catch (e) {
    error = `${(e as { code?: string }).code}: ${(e as Error).message}`;
  }
  const restarts = readFileSync(`${process.env.GATEHOUSE_KEYRING_HOME}/starts`, 'utf8');
  process.stdout.write(
    JSON.stringify({ before, after, error, starts: restarts.trim().split('\n').length }),
  );
  process.exit(0);
}

if (process.argv[2] === 'lock') {
  execFileSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.secrets',
      '/org/freedesktop/secrets',
      'org.freedesktop.Secret.Service.Lock',
      'array:objpath:/org/freedesktop/secrets/collection/login',
    ],
    { stdio: 'ignore' },
  );
}
const result = await probeKeychain(`Gatehouse-probe-${process.pid}`);
process.stdout.write(
  JSON.stringify(
    result.ok
      ? { ok: true, backend: result.store.backend }
      : {
          ok: false,
          code: result.error.code,
          message: result.error.message,
          reason: result.error.reason,
        },
  ),
);
