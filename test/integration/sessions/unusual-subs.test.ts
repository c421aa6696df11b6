/**
 * Bad input: subject identifiers the window could not name. A `sub` is any string the provider
 * chooses (OIDC Core §2 asks for at most 255 ASCII characters, but not every provider keeps to
 * that), so IPC accepts exactly the account ids the engine makes, and the engine refuses a sub
 * over 1,024 UTF-8 bytes at sign-in, before anything is stored.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/ipc/dispatch';
import { createHandlers } from '../../../main/ipc/handlers';
import { cleanupAfterEach } from '../../support/cleanup';
import { buildWorld } from '../../support/world';

const track = cleanupAfterEach();

async function setup() {
  const w = track(
    await buildWorld({ prefix: 'gh-subs-', providers: [{ id: 'demo', kind: 'demo' }] }),
  );
  return { core: w.core, store: w.store, index: w.index, signIn: (user: string) => w.signIn(user) };
}

/** 300 characters with spaces and non-ASCII letters: no pattern of the old IPC schema fits. */
const ODD_SUB = `Zoë Ångström-Łukasz ${'ü'.repeat(280)}`;

describe('bad input: unusual subject identifiers', () => {
  it('a sub with spaces, non-ASCII and 300 characters signs in and is signed out over IPC', async () => {
    expect(ODD_SUB).toHaveLength(300);
    const { core, store, signIn } = await setup();
    const account = await signIn(ODD_SUB);
    expect(account.accountId).toBe(`demo:${ODD_SUB}`);
    const table = createHandlers(core);
    const listed = await dispatch(table, 'session:list', undefined);
    expect(JSON.stringify(listed)).toContain(ODD_SUB);
    const refreshed = await dispatch(table, 'auth:refresh', { accountId: account.accountId });
    expect(refreshed).toEqual({ ok: true, value: undefined });
    const out = await dispatch(table, 'auth:sign-out', { accountId: account.accountId });
    expect(out).toMatchObject({ ok: true });
    expect(core.sessions.snapshot().accounts).toEqual([]);
    expect(store.values.size).toBe(0);
  });

  it('a sub over 1,024 UTF-8 bytes is refused at sign-in with a clear error, and nothing is stored', async () => {
    const { core, store, index, signIn } = await setup();
    const long = 'ü'.repeat(513); // 1,026 bytes in 513 characters
    await expect(signIn(long)).rejects.toMatchObject({ code: 'account_id_too_long' });
    expect(store.values.size).toBe(0);
    expect(await index.list()).toEqual([]);
    expect(core.sessions.snapshot().accounts).toEqual([]);
  });

  it('a sub of exactly 1,024 UTF-8 bytes is accepted, and IPC accepts its id', async () => {
    const { core, signIn } = await setup();
    const account = await signIn(`${'ü'.repeat(511)}ab`);
    const out = await dispatch(createHandlers(core), 'auth:sign-out', {
      accountId: account.accountId,
    });
    expect(out).toMatchObject({ ok: true });
    expect(core.sessions.snapshot().accounts).toEqual([]);
  });
});
