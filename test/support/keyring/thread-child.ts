/**
 * Child process for keyring-thread.test.ts: stores, reads and deletes one entry through
 * KeyringSecretStore, then prints where the calls ran and which @napi-rs/keyring files this
 * (main) thread's module cache holds. It never closes the thread: the process must end by
 * itself once the last call is answered, and must not end before.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { KeyringSecretStore, keyringThread } from '../../../main/secrets/keyring-store';

const store = new KeyringSecretStore(`Gatehouse-thread-${randomBytes(6).toString('hex')}`);
const value = randomBytes(12).toString('base64url');
await store.set('thread:1', value);
const back = await store.get('thread:1');
const deleted = await store.delete('thread:1');
const gone = await store.get('thread:1');
const cache = Object.keys(createRequire(import.meta.url).cache);
process.stdout.write(
  JSON.stringify({
    roundTrip: back === value,
    deleted,
    gone,
    where: keyringThread().where,
    nativeOnMainThread: cache.filter((file) => file.includes('@napi-rs/keyring')),
  }),
);
