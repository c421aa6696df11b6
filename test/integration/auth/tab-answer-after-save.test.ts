/**
 * The browser tab that brought the callback is answered with what the app reports, after the
 * account is saved: an account the save refuses is not shown as "Signed in", and a sign-in
 * cancelled or replaced during the code exchange ends, in the tab and in the app, with that
 * reason. XWMS against its local server; the exchange (sign-token-verify) is held at a gate.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../../shared/error-messages';
import { cleanupAfterEach } from '../../support/cleanup';
import { MemorySecretStoreForTests } from '../../support/memory-store';
import { gate, xwmsWorld, type Gate } from '../../support/xwms-world';

const track = cleanupAfterEach();

async function world() {
  const store = new MemorySecretStoreForTests();
  const held: { exchange: Gate | null; longSub: boolean } = { exchange: null, longSub: false };
  const { w, start } = await xwmsWorld(track, {
    prefix: 'gh-tab-answer-',
    store,
    wrap: async (url, pass) => {
      if (!url.endsWith('/api/sign-token-verify')) return pass();
      held.exchange?.reached();
      await held.exchange?.opened;
      const answer = await pass();
      if (!held.longSub) return answer;
      // The identity the save refuses: a sub longer than the 1,024 bytes an account id may hold.
      const body = (await answer.json()) as { data: Record<string, unknown> };
      body.data.sub = 'x'.repeat(2000);
      return Response.json(body);
    },
  });
  return { w, store, held, start };
}

const sentence = (code: keyof typeof ERROR_MESSAGES) => ERROR_MESSAGES[code].sentence;

describe('the browser tab is answered after the save', () => {
  it('signed in and saved: the tab says so', async () => {
    const { start } = await world();
    const signIn = await start('ada');
    await expect(signIn.done).resolves.toMatchObject({ accountId: 'xwms:4242' });
    expect((await signIn.page).body).toContain('Signed in to XWMS. You can close this tab.');
  });

  it('the save refuses the account: the tab shows that failure, never "Signed in"', async () => {
    const { w, held, start } = await world();
    held.longSub = true;
    const signIn = await start('ada');
    await expect(signIn.done).rejects.toMatchObject({ code: 'account_id_too_long' });
    const page = await signIn.page;
    expect(page.body).not.toContain('Signed in');
    expect(page.body).toContain(sentence('account_id_too_long'));
    expect(w.sessions.snapshot().accounts).toEqual([]);
  });

  it('cancelled during the code exchange: the app and the tab both say cancelled', async () => {
    const { w, held, start } = await world();
    held.exchange = gate();
    const signIn = await start('ada');
    await held.exchange.arrived;
    w.sessions.cancel('xwms');
    held.exchange.open();
    await expect(signIn.done).rejects.toMatchObject({ code: 'cancelled' });
    expect((await signIn.page).body).toContain(sentence('cancelled'));
    expect(w.sessions.snapshot().accounts).toEqual([]);
  });

  it('replaced during the code exchange: both say superseded, and the newer one finishes', async () => {
    const { held, start } = await world();
    const exchange = (held.exchange = gate());
    const first = await start('ada');
    await exchange.arrived;
    const second = await start('alan');
    held.exchange = null; // before the second browser gets anywhere: it runs freely
    exchange.open();
    await expect(first.done).rejects.toMatchObject({ code: 'superseded' });
    expect((await first.page).body).toContain(sentence('superseded'));
    await expect(second.done).resolves.toMatchObject({ accountId: 'xwms:1912' });
    expect((await second.page).body).toContain('Signed in to XWMS.');
  });
});
