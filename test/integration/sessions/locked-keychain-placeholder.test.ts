/**
 * An account whose keychain was locked at startup is shown from its index entry only, without
 * tokens (a placeholder). Its stored tokens must survive whatever is pressed on its card:
 * "Refresh now" reads the keychain again instead of asking the provider (and, while it is still
 * locked, says so with the keychain's code); unlinking and linking read it first too. Nothing
 * ever writes the placeholder's empty tokens over the stored entry, nor deletes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CLIENT_ID,
  demoNativeClient,
  startDemoServer,
  type DemoServer,
} from '../../../main/demo/demo-server';
import { decodeStoredAccount, encodeStoredAccount } from '../../../main/auth/stored-account';
import { GatehouseError } from '../../../main/ports/errors';
import { cleanupAfterEach } from '../../support/cleanup';
import { faultFetch } from '../../support/fault-idp';
import { MemorySecretStoreForTests } from '../../support/memory-store';
import { buildWorld, oidcProvider } from '../../support/world';
import { startXwmsServer } from '../../support/xwms-server';

/** The test keychain, lockable as a Secret Service collection is: every call then refuses. */
class LockableStore extends MemorySecretStoreForTests {
  locked = false;
  #check() {
    if (this.locked)
      throw new GatehouseError(
        'keychain_locked',
        'The test keychain is locked. Unlock it and try again.',
      );
  }
  override async get(id: string) {
    this.#check();
    return super.get(id);
  }
  override async set(id: string, value: string) {
    this.#check();
    return super.set(id, value);
  }
  override async delete(id: string) {
    this.#check();
    return super.delete(id);
  }
  override async listAccountIds() {
    this.#check();
    return super.listAccountIds();
  }
}

const track = cleanupAfterEach();
let idp: DemoServer;
beforeAll(async () => {
  idp = await startDemoServer({ clients: [demoNativeClient('idp')] });
});
afterAll(async () => idp.close());

/** Alice signed in with the keychain unlocked; then the app starts again with it locked. */
async function lockedAtStartup(change?: (store: LockableStore) => void) {
  const xw = track(await startXwmsServer());
  const { clientId, clientSecret, domain } = xw.knobs;
  const store = new LockableStore();
  const counters: Record<string, number> = {};
  const world = track(
    await buildWorld({
      prefix: 'gh-locked-',
      store,
      providers: [
        oidcProvider('idp', idp.issuer, DEMO_CLIENT_ID),
        { id: 'xwms', kind: 'xwms', clientId, clientSecret, domain, apiUrl: xw.apiUrl },
      ],
      fetch: faultFetch(idp, {}, counters),
    }),
  );
  await world.signIn('alice');
  await world.core.dispose();
  change?.(store);
  const saved = store.values.get('idp:alice')!;
  store.locked = true;
  const core = await world.reopen();
  await core.sessions.restore();
  const tokenRequests = () => counters.token ?? 0;
  const before = tokenRequests();
  return { world, core, store, saved, tokenRequests, before };
}

describe('an account whose keychain was locked at startup', () => {
  it('is shown with the keychain code, and keeps its stored entry', async () => {
    const { core, store, saved } = await lockedAtStartup();
    expect(core.sessions.snapshot().accounts).toMatchObject([
      { accountId: 'idp:alice', status: { kind: 'error', code: 'keychain_locked' } },
    ]);
    expect(store.values.get('idp:alice')).toBe(saved);
  });

  it('"Refresh now" while still locked reports keychain_locked and asks no provider', async () => {
    const { core, store, saved, tokenRequests, before } = await lockedAtStartup();
    await expect(core.sessions.refresh('idp:alice')).rejects.toMatchObject({
      code: 'keychain_locked',
    });
    expect(core.sessions.snapshot().accounts[0]!.status).toMatchObject({
      kind: 'error',
      code: 'keychain_locked',
    });
    expect(tokenRequests()).toBe(before);
    store.locked = false;
    expect(store.values.get('idp:alice')).toBe(saved);
  });

  it('"Refresh now" after unlocking reads the stored tokens back: signed in, entry untouched', async () => {
    const { core, store, saved, tokenRequests, before } = await lockedAtStartup();
    store.locked = false;
    await core.sessions.refresh('idp:alice');
    expect(core.sessions.snapshot().accounts).toMatchObject([
      { accountId: 'idp:alice', status: { kind: 'signed-in' }, remembered: true },
    ]);
    expect(core.sessions.tokensOf('idp:alice')).toEqual(decodeStoredAccount(saved)!.tokens);
    expect(store.values.get('idp:alice')).toBe(saved);
    // The tokens were still good: the provider was not asked.
    expect(tokenRequests()).toBe(before);
  });

  it('"Refresh now" after unlocking, with tokens that expired meanwhile: read back, then renewed once', async () => {
    const expire = (store: LockableStore) => {
      const stored = decodeStoredAccount(store.values.get('idp:alice')!)!;
      stored.tokens.expiresAt = Date.now() - 60_000;
      store.values.set('idp:alice', encodeStoredAccount(stored));
    };
    const { core, store, saved, tokenRequests, before } = await lockedAtStartup(expire);
    store.locked = false;
    await core.sessions.refresh('idp:alice');
    expect(core.sessions.snapshot().accounts).toMatchObject([
      { accountId: 'idp:alice', status: { kind: 'signed-in' } },
    ]);
    expect(tokenRequests()).toBe(before + 1);
    const renewed = decodeStoredAccount(store.values.get('idp:alice')!)!;
    expect(renewed.tokens.expiresAt).toBeGreaterThan(Date.now());
    expect(renewed.tokens.refreshToken).not.toBe(decodeStoredAccount(saved)!.tokens.refreshToken);
  });

  it('unlinking while still locked refuses with keychain_locked; after unlocking it keeps the tokens', async () => {
    const { core, store, saved } = await lockedAtStartup();
    await expect(core.sessions.unlink('idp:alice')).rejects.toMatchObject({
      code: 'keychain_locked',
    });
    store.locked = false;
    expect(store.values.get('idp:alice')).toBe(saved);
    await core.sessions.unlink('idp:alice');
    const after = decodeStoredAccount(store.values.get('idp:alice')!)!;
    expect(after.tokens).toEqual(decodeStoredAccount(saved)!.tokens);
    expect(after.profileId).toBeNull();
  });

  it('linking to it while still locked is refused before any browser; after unlocking its tokens stay', async () => {
    const { world, core, store, saved } = await lockedAtStartup();
    await expect(
      core.sessions.signIn('xwms', { openBrowser: false, linkTo: 'idp:alice' }),
    ).rejects.toMatchObject({ code: 'keychain_locked' });
    expect(core.sessions.snapshot().pending).toEqual([]);
    store.locked = false;
    const started = await core.sessions.signIn('xwms', { openBrowser: false, linkTo: 'idp:alice' });
    const page = world.browser.open(started.url!, { user: 'ada' }).catch(() => undefined);
    const linked = await started.done;
    await page;
    const alice = decodeStoredAccount(store.values.get('idp:alice')!)!;
    expect(alice.tokens).toEqual(decodeStoredAccount(saved)!.tokens);
    expect(alice.profileId).not.toBeNull();
    expect(linked.profileId).toBe(alice.profileId);
  });
});

describe('an account whose session ended (known from its index entry only)', () => {
  it('unlinking it writes no keychain entry of empty tokens', async () => {
    const store = new LockableStore();
    const world = track(
      await buildWorld({
        prefix: 'gh-ended-',
        store,
        providers: [oidcProvider('idp', idp.issuer, DEMO_CLIENT_ID)],
        fetch: faultFetch(idp, {
          token: ({ request }) =>
            request.body.includes('grant_type=refresh_token')
              ? Response.json({ error: 'invalid_grant' }, { status: 400 })
              : null,
        }),
      }),
    );
    await world.signIn('alice');
    await expect(world.sessions.refresh('idp:alice')).rejects.toMatchObject({
      code: 'session_expired',
    });
    expect(store.values.has('idp:alice')).toBe(false);
    await world.core.dispose();
    const core = await world.reopen();
    await core.sessions.restore();
    expect(core.sessions.snapshot().accounts).toMatchObject([
      { accountId: 'idp:alice', status: { kind: 'expired' } },
    ]);
    await core.sessions.unlink('idp:alice');
    expect(store.values.has('idp:alice')).toBe(false);
    expect((await world.index.list()).map((e) => [e.accountId, e.expiresAt])).toEqual([
      ['idp:alice', 0],
    ]);
  });
});
