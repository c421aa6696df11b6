/**
 * shared/errors.ts: the one closed list of error codes, and isErrorCode, the guard that decides
 * whether a thrown value's `code` may cross IPC (main/ipc/dispatch.ts) as it is.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../../../shared/errors';

describe('ERROR_CODES', () => {
  it('is a list of distinct snake_case codes', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
  });

  it('has the codes the IPC boundary and the keychain report', () => {
    for (const code of [
      'ipc_invalid_payload',
      'ipc_forbidden_sender',
      'ipc_unknown_channel',
      'internal',
      'keychain_unavailable',
      'keychain_locked',
      'keychain_denied',
      'keychain_corrupt',
      'keychain_write_failed',
      'account_busy',
    ])
      expect(ERROR_CODES).toContain(code);
  });
});

describe('isErrorCode', () => {
  it.each(ERROR_CODES)('accepts %s', (code) => {
    expect(isErrorCode(code)).toBe(true);
  });

  it.each([
    ['a different case', 'Internal'],
    ['surrounding space', ' internal '],
    ['a prefix of a code', 'keychain'],
    ['the empty string', ''],
    ['a Node system code', 'ENOENT'],
    ['an openid-client code', 'OAUTH_INVALID_RESPONSE'],
    ['an Object.prototype name', 'toString'],
    ['__proto__', '__proto__'],
    ['an array method name', 'includes'],
    ['a boxed string', new String('internal')],
    ['an array holding a code', ['internal']],
    ['a number', 0],
    ['null', null],
    ['undefined', undefined],
    ['an object', { code: 'internal' }],
  ])('refuses %s', (_name, value) => {
    expect(isErrorCode(value)).toBe(false);
  });
});
