import { describe, expect, it } from 'vitest';
import { API_METHODS, REQUEST_CHANNELS } from '../../../shared/ipc';
import { dispatch, type HandlerTable } from '../../../main/ipc/dispatch';
import { argSchemas } from '../../../main/ipc/schemas';
import { isTrustedSender } from '../../../main/ipc/sender';
import { GatehouseError } from '../../../main/ports/errors';

function table(overrides: Partial<HandlerTable> = {}): HandlerTable {
  const calls: unknown[] = [];
  const base = Object.fromEntries(
    REQUEST_CHANNELS.map((c) => [c, (args: unknown) => (calls.push(args), 'ok')]),
  ) as unknown as HandlerTable;
  return { ...base, ...overrides };
}

describe('IPC contract', () => {
  it('has a schema for every request channel and a method for every channel', () => {
    expect(Object.keys(argSchemas).sort()).toEqual([...REQUEST_CHANNELS].sort());
    expect(new Set(Object.values(API_METHODS)).size).toBe(REQUEST_CHANNELS.length);
  });
});

describe('dispatch', () => {
  it('returns ok with the handler value for a valid payload', async () => {
    const result = await dispatch(
      table({ 'auth:sign-in': async (a) => ({ attemptId: a.providerId }) }),
      'auth:sign-in',
      { providerId: 'demo' },
    );
    expect(result).toEqual({ ok: true, value: { attemptId: 'demo' } });
  });

  it.each([
    ['unknown channel', 'auth:steal-tokens', {}, 'ipc_unknown_channel'],
    ['non-string channel', 42, {}, 'ipc_unknown_channel'],
    ['missing field', 'auth:sign-in', {}, 'ipc_invalid_payload'],
    ['extra field', 'auth:sign-in', { providerId: 'demo', admin: true }, 'ipc_invalid_payload'],
    ['wrong type', 'auth:sign-in', { providerId: 7 }, 'ipc_invalid_payload'],
    ['path-like provider id', 'auth:sign-in', { providerId: '../../etc' }, 'ipc_invalid_payload'],
    [
      'bad method',
      'auth:sign-in',
      { providerId: 'demo', method: 'implicit' },
      'ipc_invalid_payload',
    ],
    ['payload for a no-argument channel', 'session:list', { x: 1 }, 'ipc_invalid_payload'],
    [
      'prototype pollution',
      'auth:cancel',
      JSON.parse('{"providerId":"demo","__proto__":{"x":1}}'),
      'ipc_invalid_payload',
    ],
    [
      'oversized account id',
      'auth:sign-out',
      // One byte past the engine's bound on a sub (main/ports/account-id.ts: 1,024 bytes).
      { accountId: 'demo:' + 'a'.repeat(1025) },
      'ipc_invalid_payload',
    ],
    [
      'account id without provider',
      'auth:refresh',
      { accountId: 'nocolon' },
      'ipc_invalid_payload',
    ],
  ])('refuses %s', async (_name, channel, payload, code) => {
    let called = false;
    const t = table();
    for (const c of REQUEST_CHANNELS)
      (t as Record<string, unknown>)[c] = () => ((called = true), 'x');
    const result = await dispatch(t, channel, payload);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
    expect(called).toBe(false);
  });

  it('turns a typed error into a result and hides untyped ones', async () => {
    const typed = await dispatch(
      table({
        'session:list': () => {
          throw new GatehouseError('keychain_locked', 'The keychain is locked.');
        },
      }),
      'session:list',
      undefined,
    );
    expect(typed).toEqual({
      ok: false,
      error: { code: 'keychain_locked', message: 'The keychain is locked.' },
    });
    const untyped = await dispatch(
      table({
        'session:list': () => {
          throw new Error('secret=abc at /home/x');
        },
      }),
      'session:list',
      undefined,
    );
    expect(untyped).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Something went wrong inside Gatehouse.' },
    });
  });

  it('does not echo payload values in validation messages', async () => {
    const result = await dispatch(table(), 'auth:sign-in', { providerId: 'SECRET-VALUE-123' });
    expect(JSON.stringify(result)).not.toContain('SECRET-VALUE-123');
  });
});

describe('sender check', () => {
  const trusted = new Set([3]);
  const app = 'app://gatehouse/index.html';
  it.each([
    [
      'the app window main frame is trusted',
      { webContentsId: 3, isMainFrame: true, frameUrl: app },
      true,
    ],
    ['another window is refused', { webContentsId: 4, isMainFrame: true, frameUrl: app }, false],
    ['a subframe is refused', { webContentsId: 3, isMainFrame: false, frameUrl: app }, false],
    [
      'a remote origin is refused',
      { webContentsId: 3, isMainFrame: true, frameUrl: 'https://evil.example/' },
      false,
    ],
    [
      'a look-alike app host is refused',
      { webContentsId: 3, isMainFrame: true, frameUrl: 'app://gatehouse.evil/index.html' },
      false,
    ],
    [
      'a file:// page is refused',
      { webContentsId: 3, isMainFrame: true, frameUrl: 'file:///index.html' },
      false,
    ],
    [
      'a frame without URL is refused',
      { webContentsId: 3, isMainFrame: true, frameUrl: null },
      false,
    ],
    [
      'an unparsable URL is refused',
      { webContentsId: 3, isMainFrame: true, frameUrl: 'not a url' },
      false,
    ],
  ] as const)('%s', (_name, facts, expected) => {
    expect(isTrustedSender(facts, trusted)).toBe(expected);
  });
});
