/**
 * The keychain entry format, defined once: format 1 (the first release, no binding) reads as an
 * account that must sign in again; format 2 carries its binding; format 3 may also sit under an
 * opaque slot name; any other `v`, a torn item or an item under another account's name is
 * unreadable and reported with its version. And the one account-id rule that the engine and IPC
 * share.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_BINDING } from '../../../main/auth/providers/demo';
import { sameBinding, type AccountBinding } from '../../../main/auth/providers/binding';
import {
  encodeStoredAccount,
  readStoredAccount,
  STORED_ACCOUNT_VERSION,
  type StoredAccount,
} from '../../../main/auth/stored-account';
import { newSlotKey } from '../../../main/auth/item-keys';
import { DEMO_CLIENT_ID, startDemoServer } from '../../../main/demo/demo-server';
import { isAccountId, MAX_SUB_BYTES } from '../../../main/ports/account-id';

const oidc: Extract<AccountBinding, { kind: 'oidc' }> = {
  kind: 'oidc',
  issuer: 'https://idp.example.test/',
  clientId: 'app',
};
const account: StoredAccount = {
  v: STORED_ACCOUNT_VERSION,
  providerId: 'corp',
  providerKind: 'oidc',
  sub: 'alice',
  claims: { name: 'Alice' },
  tokens: { accessToken: 'at', refreshToken: 'rt', expiresAt: 1 },
  binding: oidc,
  profileId: null,
  savedAt: 2,
};

const v2 = { ...account, v: 2 };

describe('stored account format', () => {
  it('reads back what it writes', () => {
    expect(readStoredAccount(encodeStoredAccount(account), 'corp:alice')).toEqual({
      kind: 'account',
      account,
    });
  });

  it('migrates format 1 to an account without a binding', () => {
    const { binding: _binding, ...rest } = account;
    const read = readStoredAccount(JSON.stringify({ ...rest, v: 1 }), 'corp:alice');
    expect(read).toEqual({ kind: 'account', account: { ...account, binding: null } });
  });

  it.each([
    ['a newer format', JSON.stringify({ ...account, v: 4 }), 4],
    ['torn JSON', '{"v":2,"prov', null],
    ['no version at all', JSON.stringify({ ...account, v: undefined }), null],
    ['format 2 without its binding', JSON.stringify({ ...v2, binding: undefined }), 2],
    ['an unknown binding kind', JSON.stringify({ ...account, binding: { kind: 'x' } }), 3],
    ['another account under this key', encodeStoredAccount({ ...account, sub: 'bob' }), 3],
  ])('reports %s as unreadable, with its version', (_name, raw, version) => {
    expect(readStoredAccount(raw, 'corp:alice')).toEqual({ kind: 'unreadable', version });
  });

  it('reads format 2 as the current format', () => {
    expect(readStoredAccount(JSON.stringify(v2), 'corp:alice')).toEqual({
      kind: 'account',
      account,
    });
  });

  it('format 3 may sit under a slot name; format 2 only under its account id', () => {
    const slot = newSlotKey();
    expect(readStoredAccount(encodeStoredAccount(account), slot)).toEqual({
      kind: 'account',
      account,
    });
    expect(readStoredAccount(JSON.stringify(v2), slot)).toEqual({ kind: 'unreadable', version: 2 });
    expect(readStoredAccount(encodeStoredAccount(account), 'item-short')).toEqual({
      kind: 'unreadable',
      version: 3,
    });
  });

  it('a slot the index maps to one account holding another is unreadable', () => {
    const raw = encodeStoredAccount({ ...account, sub: 'mallory' });
    expect(readStoredAccount(raw, newSlotKey(), 'corp:alice')).toEqual({
      kind: 'unreadable',
      version: 3,
    });
  });

  it('compares bindings field by field', () => {
    expect(sameBinding(oidc, { ...oidc })).toBe(true);
    expect(sameBinding(oidc, { ...oidc, clientId: 'other' })).toBe(false);
    expect(sameBinding(oidc, { ...oidc, endpoints: 'https://idp.example.test/token' })).toBe(false);
    expect(sameBinding(oidc, { kind: 'demo', origin: oidc.issuer, clientId: 'app' })).toBe(false);
  });

  it('the demo binding names the demo server host and client', async () => {
    const server = await startDemoServer();
    try {
      expect(DEMO_BINDING).toMatchObject({
        origin: new URL(server.issuer).origin.replace(/:\d+$/, ''),
      });
      expect(DEMO_BINDING.clientId).toBe(DEMO_CLIENT_ID);
    } finally {
      await server.close();
    }
  });
});

describe('account ids', () => {
  it.each([
    ['demo:alice', true],
    ['demo:Zoë van der Berg', true],
    [`demo:${'a'.repeat(MAX_SUB_BYTES)}`, true],
    [`demo:${'ü'.repeat(MAX_SUB_BYTES / 2)}`, true],
    [`demo:${'a'.repeat(MAX_SUB_BYTES + 1)}`, false],
    [`demo:${'ü'.repeat(MAX_SUB_BYTES / 2)}a`, false],
    ['demo:', false],
    ['nocolon', false],
    [':alice', false],
    ['Demo:alice', false],
    ['demo:a\uD800b', false],
  ])('%s → %s', (id, ok) => {
    expect(isAccountId(id)).toBe(ok);
  });
});
