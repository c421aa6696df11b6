/**
 * Issue 15: a keychain entry takes a Secret Service session set-up (about 5–10 ms) before its
 * first write. A new account's item gets an opaque name when the sign-in starts, and its entry
 * is readied then, so the set-up overlaps the whole sign-in (main/auth/item-keys.ts); a known
 * account's item keeps its name and is readied as soon as the provider has verified who signed
 * in (the ID token's sub), before userinfo.
 */
import { describe, expect, it } from 'vitest';
import { isSlotKey } from '../../../main/ports/item-key';
import { DEMO_CLIENT_ID } from '../../../main/demo/demo-server';
import { cleanupAfterEach } from '../../support/cleanup';
import { countingIdp, type CountingIdp } from '../../support/counting-idp';
import { HttpBrowser } from '../../support/http-browser';
import { MemorySecretStoreForTests } from '../../support/memory-store';
import { buildWorld, oidcProvider } from '../../support/world';

const track = cleanupAfterEach();

/** Records each warm() with the provider's requests seen so far, and each write. */
class WatchingStore extends MemorySecretStoreForTests {
  readonly events: string[] = [];
  constructor(private readonly idp: CountingIdp) {
    super();
  }
  warm(accountId: string) {
    const seen = this.idp.seen;
    const when = seen.includes('GET /me')
      ? 'after userinfo'
      : seen.includes('POST /token')
        ? 'after the token, before userinfo'
        : 'before the token';
    this.events.push(`warm ${accountId} ${when}`);
  }
  override async set(id: string, value: string) {
    this.events.push(`set ${id}`);
    return super.set(id, value);
  }
}

/** A provider, a watching store and the engine on them, closed after the test. */
async function setUp() {
  const idp = track(await countingIdp({ providerId: 'corp' }));
  const store = new WatchingStore(idp);
  const world = track(
    await buildWorld({
      prefix: 'gh-warm-',
      store,
      providers: [oidcProvider('corp', idp.issuer, DEMO_CLIENT_ID)],
    }),
  );
  return { idp, store, world };
}

describe('the keychain entry of a signing-in account', () => {
  it('a new account: its item is named and readied before the token request, then written', async () => {
    const { store, world } = await setUp();
    const started = await world.sessions.signIn('corp', { openBrowser: false });
    await new HttpBrowser().open(started.url!, { user: 'ada' });
    await expect(started.done).resolves.toMatchObject({ accountId: 'corp:ada' });
    const [first] = store.events;
    expect(first).toMatch(/^warm item-\S+ before the token$/);
    const slot = first!.split(' ')[1]!;
    expect(isSlotKey(slot)).toBe(true);
    expect(store.events.at(-1)).toBe(`set ${slot}`);
    // The index maps the account to that item; the item names its account.
    const [entry] = await world.index.list();
    expect(entry).toMatchObject({ accountId: 'corp:ada', itemKey: slot });
    expect(JSON.parse(store.values.get(slot)!)).toMatchObject({ v: 3, sub: 'ada' });
    expect(store.values.has('corp:ada')).toBe(false);
  });

  it('a failed sign-in leaves its reserved name to the next one, which writes under it', async () => {
    const { store, world } = await setUp();
    const failed = await world.sessions.signIn('corp', { openBrowser: false });
    world.sessions.cancel('corp');
    await expect(failed.done).rejects.toMatchObject({ code: 'cancelled' });
    const slot = store.events[0]!.split(' ')[1]!;
    const started = await world.sessions.signIn('corp', { openBrowser: false });
    await new HttpBrowser().open(started.url!, { user: 'ada' });
    await started.done;
    expect(store.events.filter((e) => e.startsWith('set '))).toEqual([`set ${slot}`]);
  });

  it('a signed-out account leaves its name, entry open, to the next new account (P8)', async () => {
    const { store, world } = await setUp();
    for (const user of ['ada', 'bob', 'ada']) {
      const started = await world.sessions.signIn('corp', { openBrowser: false });
      await new HttpBrowser().open(started.url!, { user });
      await started.done;
      await world.sessions.signOut(`corp:${user}`);
    }
    // Each sign-in after a sign-out reuses the one name and its open entry: no new entry each
    // cycle, each of which would hold its own D-Bus connection until collected.
    const names = new Set(store.events.map((e) => e.split(' ')[1]));
    expect(names.size).toBe(1);
    expect(store.values.size).toBe(0);
  });

  it('a known account: its item is readied once the ID token is verified, before userinfo', async () => {
    const { idp, store, world } = await setUp();
    const first = await world.sessions.signIn('corp', { openBrowser: false });
    await new HttpBrowser().open(first.url!, { user: 'ada' });
    await first.done;
    const slot = store.events.at(-1)!.split(' ')[1]!;
    store.events.length = 0;
    idp.seen.length = 0;
    const again = await world.sessions.signIn('corp', { openBrowser: false });
    await new HttpBrowser().open(again.url!, { user: 'ada' });
    await expect(again.done).resolves.toMatchObject({ accountId: 'corp:ada' });
    // Its own item is readied after the token request and before userinfo (GET /me), which
    // the sign-in did make, and written last, under the name it already had.
    expect(store.events).toContain(`warm ${slot} after the token, before userinfo`);
    expect(idp.seen).toContain('GET /me');
    expect(store.events.at(-1)).toBe(`set ${slot}`);
  });
});
