/**
 * Bad input in the keychain: items this version cannot parse (a newer or older Gatehouse may
 * have written them) are never deleted, but listed as unreadable with their version; repair
 * adopts only items that parse as accounts of a configured provider, under their own key; and
 * sign-out takes the account's id out of the sign-in log.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../../main/app/core';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { HttpBrowser } from '../../support/http-browser';
import { MemorySecretStoreForTests } from '../../support/memory-store';

const cores: GatehouseCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()));
});

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-kept-'));
  const file = path.join(dir, 'providers.json');
  writeFileSync(file, JSON.stringify({ providers: [{ id: 'demo', kind: 'demo' }] }));
  const store = new MemorySecretStoreForTests();
  const index = new MemoryAccountIndex();
  const make = () => {
    const core = new GatehouseCore({
      configDir: dir,
      dataDir: dir,
      env: { GATEHOUSE_CONFIG: file },
      store,
      index,
      openBrowser: async () => undefined,
    });
    cores.push(core);
    return core;
  };
  return { make, store, index };
}

async function signIn(core: GatehouseCore, user: string) {
  const started = await core.sessions.signIn('demo', { openBrowser: false });
  const page = new HttpBrowser().open(started.url!, { user }).catch(() => undefined);
  try {
    return await started.done;
  } finally {
    await page;
  }
}

const NEWER = JSON.stringify({ v: 3, key: 'demo:alice', sealed: 'opaque-to-this-version' });

describe('bad input: keychain items this version cannot read', () => {
  it('an item written by a newer version is left in place and listed as unreadable, with its version', async () => {
    const { make, store } = setup();
    const first = make();
    await signIn(first, 'alice');
    await first.dispose();
    store.values.set('demo:alice', NEWER);
    const second = make();
    await second.sessions.restore();
    expect(store.values.get('demo:alice')).toBe(NEWER);
    const snapshot = second.sessions.snapshot();
    expect(snapshot.unreadable).toEqual([{ accountId: 'demo:alice', version: 3 }]);
    expect(snapshot.accounts).toEqual([]);
  });

  it('a torn item is left in place and listed as unreadable, without a version', async () => {
    const { make, store, index } = setup();
    const first = make();
    await signIn(first, 'alice');
    await first.dispose();
    store.values.set('demo:alice', '{"v":2,"torn');
    store.values.set('demo:orphan', 'not json at all');
    const second = make();
    await second.sessions.restore();
    expect(store.values.get('demo:alice')).toBe('{"v":2,"torn');
    expect(store.values.get('demo:orphan')).toBe('not json at all');
    expect(second.sessions.snapshot().unreadable).toEqual([
      { accountId: 'demo:alice', version: null },
      { accountId: 'demo:orphan', version: null },
    ]);
    expect((await index.list()).map((e) => e.accountId)).toEqual(['demo:alice']);
  });

  it('repair adopts an orphan item only for a configured provider, under its own key', async () => {
    const { make, store, index } = setup();
    const first = make();
    await signIn(first, 'alice');
    await first.dispose();
    const alice = store.values.get('demo:alice')!;
    const elsewhere = alice.replaceAll('"providerId":"demo"', '"providerId":"gone"');
    store.values.set('gone:alice', elsewhere); // a provider no longer configured
    store.values.set('demo:mallory', alice); // an account's item under another account's key
    await index.remove('demo:alice');
    store.values.delete('demo:alice');
    const second = make();
    await second.sessions.restore();
    expect(second.sessions.snapshot().accounts).toEqual([]);
    expect(await index.list()).toEqual([]);
    expect(store.values.get('gone:alice')).toBe(elsewhere);
    expect(store.values.get('demo:mallory')).toBe(alice);
  });
});

describe('sign-out and the sign-in log', () => {
  it('sign-out removes the account id (its sub) from every log entry', async () => {
    const { make } = setup();
    const core = make();
    await signIn(core, 'zebedee');
    await core.sessions.refresh('demo:zebedee');
    expect(core.log.exportJson()).toContain('demo:zebedee');
    await core.sessions.signOut('demo:zebedee');
    const exported = core.log.exportJson();
    expect(exported).not.toContain('zebedee');
    const outcomes = core.log.list().map((e) => e.outcome);
    expect(outcomes).toEqual(expect.arrayContaining(['signed-in', 'refresh', 'sign-out']));
  });
});
