/**
 * A sign-in superseded while its verified grant is being saved. The newer attempt must stay the
 * pending one, and be able to finish. What the older one reports is what happened: superseded
 * before its keychain write began, nothing is saved and it says "superseded"; superseded during
 * the write, the account exists, so it resolves signed in. XWMS against its local server.
 */
import { describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../../shared/session';
import { cleanupAfterEach } from '../../support/cleanup';
import { MemorySecretStoreForTests } from '../../support/memory-store';
import { HttpBrowser } from '../../support/http-browser';
import { gate, xwmsWorld, type Gate } from '../../support/xwms-world';

const track = cleanupAfterEach();

/** The test keychain, whose writes wait at `hold` while it is set. */
class HeldStore extends MemorySecretStoreForTests {
  hold: Gate | null = null;
  override async set(id: string, value: string) {
    const held = this.hold;
    if (held) {
      held.reached();
      await held.opened;
    }
    return super.set(id, value);
  }
}

async function world() {
  const store = new HeldStore();
  // The avatar fetch (an https URL in the XWMS claims) waits at `avatar` while it is set.
  const held: { avatar: Gate | null } = { avatar: null };
  const { w, start } = await xwmsWorld(track, {
    prefix: 'gh-superseded-',
    store,
    wrap: async (url, pass) => {
      if (url.startsWith('https://xwms.example/')) {
        held.avatar?.reached();
        await held.avatar?.opened;
      }
      return pass();
    },
  });
  return { w, store, held, start };
}

describe('a sign-in superseded while its account is saved', () => {
  it('during the keychain write: it resolves signed in, and the newer attempt stays pending and finishes', async () => {
    const { w, store, start } = await world();
    const write = gate();
    store.hold = write;
    const first = await start('ada');
    await write.arrived;
    store.hold = null;
    const second = await w.sessions.signIn('xwms', { openBrowser: false });
    write.open();
    const account: AccountSnapshot = await first.done;
    expect(account.accountId).toBe('xwms:4242');
    expect(store.values.has('xwms:4242')).toBe(true);
    expect(w.sessions.snapshot().pending.map((p) => p.attemptId)).toEqual([second.attemptId]);
    const page = new HttpBrowser().open(second.url!, { user: 'alan' }).catch(() => undefined);
    await expect(second.done).resolves.toMatchObject({ accountId: 'xwms:1912' });
    await Promise.all([first.page.catch(() => undefined), page]);
    expect(w.sessions.snapshot().pending).toEqual([]);
  });

  it('before the keychain write: nothing is saved, it says superseded, and the newer one finishes', async () => {
    const { w, store, held, start } = await world();
    const avatar = gate();
    held.avatar = avatar;
    const first = await start('ada');
    await avatar.arrived;
    held.avatar = null;
    const second = await w.sessions.signIn('xwms', { openBrowser: false });
    avatar.open();
    await expect(first.done).rejects.toMatchObject({ code: 'superseded' });
    expect(store.values.has('xwms:4242')).toBe(false);
    expect(w.sessions.snapshot().accounts).toEqual([]);
    expect(w.sessions.snapshot().pending.map((p) => p.attemptId)).toEqual([second.attemptId]);
    const page = new HttpBrowser().open(second.url!, { user: 'alan' }).catch(() => undefined);
    await expect(second.done).resolves.toMatchObject({ accountId: 'xwms:1912' });
    await Promise.all([first.page.catch(() => undefined), page]);
    const outcomes = w.core.log.list().map((e) => e.outcome);
    expect(outcomes.sort()).toEqual(['cancelled', 'signed-in']);
  });
});
