/**
 * The IPC refusal paths, over the real handler table and a real GatehouseCore: a bad payload on
 * every channel, names that are not channels (including Object.prototype's), a frame that is not
 * the app's, and errors from the core (typed ones keep their code and sentence, anything else
 * becomes `internal` without its message).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUEST_CHANNELS, type RequestChannel } from '../../../shared/ipc';
import { GatehouseCore } from '../../../main/app/core';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { dispatch, isRequestChannel, toErrorInfo } from '../../../main/ipc/dispatch';
import { createHandlers } from '../../../main/ipc/handlers';
import { isTrustedSender } from '../../../main/ipc/sender';
import { GatehouseError } from '../../../main/ports/errors';
import { MemorySecretStoreForTests } from '../../support/memory-store';

const LEAK = 'spawn xdg-open ENOENT /home/alice/.secret token=abc123';
const dir = mkdtempSync(path.join(tmpdir(), 'gh-ipc-refusals-'));
const core = new GatehouseCore({
  configDir: dir,
  dataDir: dir,
  env: { GATEHOUSE_CONFIG: path.join(dir, 'none.json') },
  store: new MemorySecretStoreForTests(),
  index: new MemoryAccountIndex(),
  openBrowser: async () => {
    throw new Error(LEAK);
  },
});
afterAll(() => core.dispose());
const table = createHandlers(core);
const INTERNAL = { code: 'internal', message: 'Something went wrong inside Gatehouse.' };

/** One payload per channel that its schema must refuse, and the field the refusal names. */
const BAD: Record<RequestChannel, [payload: unknown, where: string]> = {
  'app:get-info': [{}, '(payload)'],
  'providers:list': [null, '(payload)'],
  'providers:reload': ['reload', '(payload)'],
  'auth:sign-in': [{ providerId: 'demo', method: 'implicit' }, 'method'],
  'auth:copy-link': [{ providerId: 'Demo' }, 'providerId'],
  'auth:open-browser-again': [{ providerId: 'a'.repeat(41) }, 'providerId'],
  'auth:cancel': [{ providerId: 'demo', extra: 1 }, '(payload)'],
  // A sub may hold spaces (issue 12 item 10); one byte past the engine's 1,024 may not.
  'auth:sign-out': [{ accountId: `demo:${'a'.repeat(1025)}` }, 'accountId'],
  'auth:refresh': [{ accountId: 7 }, 'accountId'],
  'session:list': [[], '(payload)'],
  'profile:list': [0, '(payload)'],
  'profile:unlink': [{}, 'accountId'],
  'log:list': [false, '(payload)'],
  'log:export': [{ json: true }, '(payload)'],
};

describe('a bad payload, on every channel', () => {
  it.each(REQUEST_CHANNELS)(
    '%s: ipc_invalid_payload naming the field, core untouched',
    async (c) => {
      const [payload, where] = BAD[c];
      const logged = core.log.list().length;
      expect(await dispatch(table, c, payload)).toEqual({
        ok: false,
        error: { code: 'ipc_invalid_payload', message: `Invalid request for ${c}: ${where}.` },
      });
      expect(core.log.list()).toHaveLength(logged);
      expect(core.sessions.snapshot()).toEqual({ accounts: [], pending: [] });
    },
  );
});

describe('names that are not channels', () => {
  it.each([
    'auth:steal-tokens',
    'AUTH:SIGN-IN',
    ' auth:sign-in',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'session:changed', // an event channel, main → renderer only
    '',
  ])('%j is an unknown channel', async (name) => {
    expect(isRequestChannel(name)).toBe(false);
    expect(await dispatch(table, name, undefined)).toEqual({
      ok: false,
      error: { code: 'ipc_unknown_channel', message: 'Unknown IPC channel.' },
    });
  });

  it.each([undefined, null, 42, ['auth:sign-in'], { toString: () => 'auth:sign-in' }])(
    'a channel of the wrong type (%j) is unknown',
    async (name) => {
      expect(isRequestChannel(name)).toBe(false);
      expect((await dispatch(table, name, undefined)).ok).toBe(false);
    },
  );
});

describe('errors from the core', () => {
  it.each([
    [
      'auth:sign-in',
      { providerId: 'nope' },
      'provider_unknown',
      'No provider called "nope" is configured.',
    ],
    [
      'auth:sign-in',
      { providerId: 'demo', method: 'device' },
      'device_flow_unsupported',
      'Demo provider (local) does not offer sign-in with a code.',
    ],
    [
      'auth:copy-link',
      { providerId: 'github' },
      'provider_misconfigured',
      expect.stringMatching(/GITHUB_CLIENT_ID/),
    ],
    [
      'auth:open-browser-again',
      { providerId: 'demo' },
      'cancelled',
      'There is no sign-in waiting for the browser.',
    ],
    [
      'auth:sign-out',
      { accountId: 'demo:ghost' },
      'account_unknown',
      'That account is not signed in.',
    ],
    [
      'auth:refresh',
      { accountId: 'demo:ghost' },
      'account_unknown',
      'That account is not signed in.',
    ],
    [
      'profile:unlink',
      { accountId: 'demo:ghost' },
      'account_unknown',
      'That account is not signed in.',
    ],
  ])('%s %j → %s, with its sentence', async (channel, payload, code, message) => {
    expect(await dispatch(table, channel, payload)).toEqual({
      ok: false,
      error: { code, message },
    });
  });

  it('a plain Error from deep inside (the browser opener) becomes internal, message withheld', async () => {
    const link = await dispatch(table, 'auth:copy-link', { providerId: 'demo' });
    expect(link.ok).toBe(true);
    const again = await dispatch(table, 'auth:open-browser-again', { providerId: 'demo' });
    expect(again).toEqual({ ok: false, error: INTERNAL });
    expect(JSON.stringify(again)).not.toContain('abc123');
    await dispatch(table, 'auth:cancel', { providerId: 'demo' });
  });

  it('a browser that cannot be opened: sign-in answers, the attempt waits and says so', async () => {
    const started = await dispatch(table, 'auth:sign-in', { providerId: 'demo' });
    expect(started.ok).toBe(true);
    const list = await dispatch(table, 'session:list', undefined);
    type Pending = { providerId: string; status: { kind: string } };
    const pending = list.ok ? (list.value as { pending: Pending[] }).pending : [];
    expect(pending.filter((p) => p.providerId === 'demo')).toEqual([
      expect.objectContaining({
        status: expect.objectContaining({ kind: 'waiting-for-browser', browserOpened: false }),
      }),
    ]);
    // The opener's reason (paths, anything) never crosses the boundary.
    expect(JSON.stringify(list)).not.toContain('abc123');
    await dispatch(table, 'auth:cancel', { providerId: 'demo' });
  });
});

describe('toErrorInfo: what crosses the boundary', () => {
  it.each([
    [
      'a GatehouseError',
      new GatehouseError('keychain_locked', 'Locked.'),
      { code: 'keychain_locked', message: 'Locked.' },
    ],
    [
      'a GatehouseError with an empty message',
      new GatehouseError('timeout', ''),
      { code: 'timeout', message: '' },
    ],
    ['a Node system error', Object.assign(new Error(LEAK), { code: 'ENOENT' }), INTERNAL],
    [
      'an openid-client style code',
      Object.assign(new Error(LEAK), { code: 'OAUTH_INVALID_RESPONSE' }),
      INTERNAL,
    ],
    [
      'a code that only looks like ours',
      Object.assign(new Error(LEAK), { code: 'Internal' }),
      INTERNAL,
    ],
    ['a thrown string', LEAK, INTERNAL],
    ['null', null, INTERNAL],
    ['undefined', undefined, INTERNAL],
  ])('%s', (_name, thrown, expected) => {
    expect(toErrorInfo(thrown)).toEqual(expected);
  });
});

describe('sender check, beyond the basics', () => {
  const app = 'app://gatehouse/index.html';
  it.each([
    ['no window is trusted yet', new Set<number>(), 3, app, false],
    ['the app origin with a port', new Set([3]), 3, 'app://gatehouse:8080/index.html', false],
    ['credentials pointing at another host', new Set([3]), 3, 'app://gatehouse@evil/x', false],
    ['a devtools page', new Set([3]), 3, 'devtools://devtools/bundled/inspector.html', false],
    ['about:blank', new Set([3]), 3, 'about:blank', false],
    ['a data: page', new Set([3]), 3, 'data:text/html,<script>1</script>', false],
    ['the app origin, any path and query', new Set([3, 9]), 9, 'app://gatehouse/a/b?c#d', true],
  ] as const)('%s', (_name, trusted, id, frameUrl, expected) => {
    expect(isTrustedSender({ webContentsId: id, isMainFrame: true, frameUrl }, trusted)).toBe(
      expected,
    );
  });
});
