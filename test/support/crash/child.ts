/**
 * Crash-test child: runs one flow (sign-in, refresh or sign-out) with the real keychain and the
 * real account index, and SIGKILLs itself at a chosen step — the same as being killed there.
 *   argv: <flow> <crash-step|none>   env: GATEHOUSE_DATA_DIR, GATEHOUSE_CONFIG,
 *   GATEHOUSE_KEYCHAIN_SERVICE. The sign-in URL is written to stdout as "URL <url>".
 */
import { GatehouseCore } from '../../../main/app/core';
import { openStores } from '../../../main/app/open-stores';
import type { AccountIndexPort } from '../../../main/ports/account-index';
import type { SecretStore } from '../../../main/ports/secret-store';
import { requestBody } from '../world';

export const CRASH_STEPS = {
  'sign-in': ['before-keychain-write', 'after-keychain-write', 'after-index-write'],
  refresh: ['after-token-response', 'after-keychain-write', 'after-index-write'],
  'sign-out': ['after-revoke', 'after-keychain-delete', 'after-index-remove'],
} as const;

const [flow, step] = process.argv.slice(2) as [keyof typeof CRASH_STEPS, string];
const die = (at: string) => {
  if (at === step) process.kill(process.pid, 'SIGKILL');
};

const stores = await openStores(process.env.GATEHOUSE_DATA_DIR!, {
  service: process.env.GATEHOUSE_KEYCHAIN_SERVICE!,
});
const store: SecretStore & { listAccountIds?: () => Promise<string[]> } = {
  get backend() {
    return stores.store.backend;
  },
  get: (id) => stores.store.get(id),
  async set(id, value) {
    die('before-keychain-write');
    await stores.store.set(id, value);
    die('after-keychain-write');
  },
  async delete(id) {
    const deleted = await stores.store.delete(id);
    die('after-keychain-delete');
    return deleted;
  },
  // A new account's item is named and readied at the sign-in's start, as in the app.
  ...(stores.store.warm ? { warm: (key: string) => stores.store.warm!(key) } : {}),
  // Restore reads through the same bulk path as the app.
  ...(stores.store.readAll ? { readAll: () => stores.store.readAll!() } : {}),
  listAccountIds: () =>
    (stores.store as { listAccountIds?: () => Promise<string[]> }).listAccountIds?.() ??
    Promise.resolve([]),
};
const index: AccountIndexPort = {
  list: () => stores.index.list(),
  async upsert(entry) {
    await stores.index.upsert(entry);
    die('after-index-write');
  },
  // A refresh's entry is written shortly after (upsertSoon); the step is once it has landed.
  upsertSoon(entry) {
    stores.index.upsertSoon(entry);
    void stores.index.flush().then(() => die('after-index-write'));
  },
  async remove(id) {
    await stores.index.remove(id);
    die('after-index-remove');
  },
  flush: () => stores.index.flush(),
};
const fetchWithCrash: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const body = requestBody(init);
  if (body.includes('grant_type=refresh_token')) {
    await response.clone().arrayBuffer();
    die('after-token-response');
  }
  if (String(input instanceof Request ? input.url : input).includes('/revocation'))
    die('after-revoke');
  return response;
};

const core = new GatehouseCore({
  configDir: process.env.GATEHOUSE_DATA_DIR!,
  dataDir: process.env.GATEHOUSE_DATA_DIR!,
  env: process.env,
  ...stores,
  store,
  index,
  fetch: fetchWithCrash,
  openBrowser: async (url) => {
    process.stdout.write(`URL ${url}\n`);
  },
});
await core.sessions.restore();
const accountId = process.env.CRASH_ACCOUNT ?? 'idp:crash-user';
if (flow === 'sign-in') {
  const started = await core.sessions.signIn('idp');
  await started.done;
} else if (flow === 'refresh') {
  await core.sessions.refresh(accountId);
} else {
  await core.sessions.signOut(accountId);
}
process.stdout.write(
  `DONE ${JSON.stringify(core.sessions.snapshot().accounts.map((a) => [a.accountId, a.status.kind]))}\n`,
);
await core.dispose();
process.exit(0);
