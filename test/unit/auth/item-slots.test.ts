/**
 * Issue 15: a new account's keychain item has an opaque slot name, reserved when its sign-in
 * starts, that the index maps to the account (main/auth/item-keys.ts, stored format 3). Restore
 * follows the mapping, rebuilds a lost one from the item itself, keeps one item per account, and
 * refuses a slot that holds another account than the index says; sign-out deletes every item of
 * the account, so none brings it back at the next start.
 */
import { describe, expect, it } from 'vitest';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { newSlotKey } from '../../../main/auth/item-keys';
import { DEMO_BINDING } from '../../../main/auth/providers/demo';
import { encodeStoredAccount, STORED_ACCOUNT_VERSION } from '../../../main/auth/stored-account';
import type { IndexEntry } from '../../../main/ports/account-index';
import { cleanupAfterEach } from '../../support/cleanup';
import { MemorySecretStoreForTests } from '../../support/memory-store';
import { buildWorld } from '../../support/world';

const track = cleanupAfterEach();

/** A keychain-like store: entries are costly to open (warm), and it reads in bulk. */
class SlotStore extends MemorySecretStoreForTests {
  readonly warmed: string[] = [];
  warm(key: string) {
    this.warmed.push(key);
  }
  async readAll() {
    return new Map(this.values);
  }
}

const expiresAt = Date.now() + 3600_000;

function item(sub: string, savedAt: number, accessToken = `at-${sub}`) {
  return encodeStoredAccount({
    v: STORED_ACCOUNT_VERSION,
    providerId: 'demo',
    providerKind: 'demo',
    sub,
    claims: { name: sub },
    tokens: { accessToken, expiresAt },
    binding: DEMO_BINDING,
    profileId: null,
    savedAt,
  });
}

function entry(sub: string, itemKey?: string): IndexEntry {
  return {
    accountId: `demo:${sub}`,
    providerId: 'demo',
    providerKind: 'demo',
    sub,
    claims: { name: sub },
    expiresAt,
    lastsUntilSignOut: false,
    profileId: null,
    updatedAt: 1,
    ...(itemKey ? { itemKey } : {}),
  };
}

/** A core on the store and index, restored: the app started on them. */
async function restored(store: SlotStore, index: MemoryAccountIndex) {
  const world = track(await buildWorld({ prefix: 'gh-slots-', store, index }));
  const result = await world.sessions.restore();
  return { core: world.core, result, accounts: world.sessions.snapshot().accounts };
}

describe('keychain items under slot names', () => {
  it('restore reads an account through the slot its index entry names', async () => {
    const store = new SlotStore();
    const index = new MemoryAccountIndex();
    const slot = newSlotKey();
    await store.set(slot, item('ada', 1));
    await index.upsert(entry('ada', slot));
    const { core, accounts } = await restored(store, index);
    expect(accounts.map((a) => [a.accountId, a.status.kind])).toEqual([['demo:ada', 'signed-in']]);
    expect(core.sessions.accessTokenOf('demo:ada')).toBe('at-ada');
  });

  it('a slot item without its index entry (a crash between the writes) is adopted and mapped', async () => {
    const store = new SlotStore();
    const index = new MemoryAccountIndex();
    const slot = newSlotKey();
    await store.set(slot, item('ada', 1));
    const { result, accounts } = await restored(store, index);
    expect(result.repaired).toBe(1);
    expect(accounts.map((a) => a.accountId)).toEqual(['demo:ada']);
    expect(await index.list()).toMatchObject([{ accountId: 'demo:ada', itemKey: slot }]);
  });

  it('two items of one account (two processes signed it in at once) leave the newer', async () => {
    for (const newerIndexed of [true, false]) {
      const store = new SlotStore();
      const index = new MemoryAccountIndex();
      const [indexed, orphan] = [newSlotKey(), newSlotKey()];
      await store.set(indexed, item('ada', newerIndexed ? 2 : 1, 'at-indexed'));
      await store.set(orphan, item('ada', newerIndexed ? 1 : 2, 'at-orphan'));
      await index.upsert(entry('ada', indexed));
      const { core, accounts } = await restored(store, index);
      const kept = newerIndexed ? indexed : orphan;
      expect(accounts.map((a) => a.accountId)).toEqual(['demo:ada']);
      expect([...store.values.keys()]).toEqual([kept]);
      expect(await index.list()).toMatchObject([{ itemKey: kept }]);
      expect(core.sessions.accessTokenOf('demo:ada')).toBe(
        newerIndexed ? 'at-indexed' : 'at-orphan',
      );
    }
  });

  it('a slot the index maps to ada that holds mallory’s tokens gives ada nothing of them', async () => {
    const store = new SlotStore();
    const index = new MemoryAccountIndex();
    const slot = newSlotKey();
    await store.set(slot, item('mallory', 1, 'at-mallory'));
    await index.upsert(entry('ada', slot));
    const { core } = await restored(store, index);
    expect(core.sessions.snapshot().unreadable).toEqual([{ accountId: slot, version: 3 }]);
    expect(core.sessions.accessTokenOf('demo:ada')).toBeNull();
    expect(store.values.get(slot)).toContain('at-mallory'); // left in place, never deleted
    const ada = core.sessions.snapshot().accounts.find((a) => a.accountId === 'demo:ada');
    expect(ada?.status.kind).not.toBe('signed-in');
  });

  it('sign-out deletes every item of the account, so no restart brings it back', async () => {
    const store = new SlotStore();
    const index = new MemoryAccountIndex();
    const [mine, theirs, other] = [newSlotKey(), newSlotKey(), newSlotKey()];
    await store.set(mine, item('ada', 1));
    await store.set(other, item('alan', 1));
    await index.upsert(entry('ada', mine));
    await index.upsert(entry('alan', other));
    const { core } = await restored(store, index);
    // Another process signs ada in again under its own slot while this one runs.
    await store.set(theirs, item('ada', 2));
    await core.sessions.signOut('demo:ada');
    expect([...store.values.keys()]).toEqual([other]);
    const again = await restored(store, index);
    expect(again.accounts.map((a) => a.accountId)).toEqual(['demo:alan']);
  });

  it('an item an earlier release stored under the account id keeps that name', async () => {
    const store = new SlotStore();
    const index = new MemoryAccountIndex();
    await store.set('demo:ada', JSON.stringify({ ...JSON.parse(item('ada', 1)), v: 2 }));
    await index.upsert(entry('ada'));
    const { core, accounts } = await restored(store, index);
    expect(accounts.map((a) => a.status.kind)).toEqual(['signed-in']);
    await core.sessions.signOut('demo:ada');
    expect(store.values.size).toBe(0);
  });
});
