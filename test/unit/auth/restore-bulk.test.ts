/**
 * Startup restore reads the keychain in bulk where it can (one Secret Service session instead
 * of one per account). The bulk read must never cost an account: an entry missing from it (a
 * sign-in by another process after it was taken) is confirmed with a direct read, and a failed
 * bulk read falls back to reading each account.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../../main/app/core';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { DEMO_BINDING } from '../../../main/auth/providers/demo';
import {
  accountIdOf,
  encodeStoredAccount,
  STORED_ACCOUNT_VERSION,
} from '../../../main/auth/stored-account';
import { MemorySecretStoreForTests } from '../../support/memory-store';

class BulkStore extends MemorySecretStoreForTests {
  bulkCalls = 0;
  directGets = 0;
  constructor(private readonly bulk: () => Promise<Map<string, string>>) {
    super();
  }
  readAll() {
    this.bulkCalls++;
    return this.bulk();
  }
  override async get(accountId: string) {
    this.directGets++;
    return super.get(accountId);
  }
}

async function seeded(bulk: (store: BulkStore) => Promise<Map<string, string>>) {
  const store: BulkStore = new BulkStore(() => bulk(store));
  const index = new MemoryAccountIndex();
  const expiresAt = Date.now() + 3600_000;
  for (const sub of ['ada', 'alan']) {
    const accountId = accountIdOf('demo', sub);
    await store.set(
      accountId,
      encodeStoredAccount({
        v: STORED_ACCOUNT_VERSION,
        providerId: 'demo',
        providerKind: 'demo',
        sub,
        claims: { name: sub },
        tokens: { accessToken: `at-${sub}`, expiresAt },
        binding: DEMO_BINDING,
        profileId: null,
        savedAt: Date.now(),
      }),
    );
    await index.upsert({
      accountId,
      providerId: 'demo',
      providerKind: 'demo',
      sub,
      claims: { name: sub },
      expiresAt,
      lastsUntilSignOut: false,
      profileId: null,
      updatedAt: Date.now(),
    });
  }
  store.directGets = 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-restore-'));
  const core = new GatehouseCore({
    configDir: dir,
    dataDir: dir,
    env: {},
    store,
    index,
    openBrowser: async () => undefined,
  });
  const result = await core.sessions.restore();
  const ids = core.sessions
    .snapshot()
    .accounts.filter((a) => a.status.kind === 'signed-in')
    .map((a) => a.accountId);
  const indexed = (await index.list()).map((e) => e.accountId).sort();
  await core.dispose();
  return { store, result, ids, indexed };
}

describe('bulk restore', () => {
  it('reads every account in one bulk read, with no direct reads', async () => {
    const r = await seeded(
      async (store) => new Map([...store.values.entries()].map(([k, v]) => [k, v])),
    );
    expect(r.ids.sort()).toEqual(['demo:ada', 'demo:alan']);
    expect(r.store.bulkCalls).toBe(1);
    expect(r.store.directGets).toBe(0);
    expect(r.result.repaired).toBe(0);
  });

  it('an account missing from a stale bulk read is confirmed directly, not repaired away', async () => {
    const r = await seeded(async (store) => {
      const all = new Map(store.values);
      all.delete('demo:alan'); // written by another process after the bulk read
      return all;
    });
    expect(r.ids.sort()).toEqual(['demo:ada', 'demo:alan']);
    expect(r.store.directGets).toBe(1);
    expect(r.result.repaired).toBe(0);
    expect(r.indexed).toEqual(['demo:ada', 'demo:alan']);
  });

  it('a failed bulk read (a locked collection, say) falls back to reading each account', async () => {
    const r = await seeded(async () => {
      throw new Error('org.freedesktop.Secret.Error.IsLocked');
    });
    expect(r.ids.sort()).toEqual(['demo:ada', 'demo:alan']);
    expect(r.store.directGets).toBe(2);
  });
});
