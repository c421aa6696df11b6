/** The command line's human output (main/cli/render.ts): who, the status words, the tables. */
import { describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../../shared/session';
import { accountsTable, attentionFor, statusWords, table, who } from '../../../main/cli/render';

const NOW = Date.UTC(2026, 11, 2, 12, 0);

function account(over: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    accountId: 'github:583231',
    providerId: 'github',
    providerKind: 'github',
    providerName: 'GitHub',
    sub: '583231',
    claims: { name: 'Ada Lovelace', email: 'ada@example.com', login: 'ada' },
    status: { kind: 'signed-in', expiresAt: null },
    remembered: true,
    lastsUntilSignOut: true,
    profileId: null,
    ...over,
  };
}

describe('who', () => {
  it('is the name with the email, else whichever there is, else the sub', () => {
    expect(who({ name: 'Ada', email: 'a@x' }, 's')).toBe('Ada <a@x>');
    expect(who({ login: 'ada' }, 's')).toBe('ada');
    expect(who({ email: 'a@x' }, 's')).toBe('a@x');
    expect(who({}, 's')).toBe('s');
  });
});

describe('table', () => {
  it('aligns every column but the last, under an upper-case header', () => {
    expect(
      table(
        ['id', 'name'],
        [
          ['a', 'x'],
          ['long-id', 'y'],
        ],
      ),
    ).toBe('ID       NAME\na        x\nlong-id  y');
  });
});

describe('statusWords and attentionFor', () => {
  it('says how long a session lasts, and nothing needs doing while it does', () => {
    expect(statusWords(account(), NOW)).toBe('signed in, until you sign out');
    const timed = account({
      lastsUntilSignOut: false,
      status: { kind: 'signed-in', expiresAt: NOW + 3_600_000 },
    });
    expect(statusWords(timed, NOW)).toMatch(/^signed in, token valid until \d\d:\d\d$/);
    expect(attentionFor(timed)).toBeNull();
  });

  it('an ended or failed session names the command that fixes it', () => {
    const ended = account({ status: { kind: 'expired', reason: 'The session has ended.' } });
    expect(statusWords(ended, NOW)).toBe('expired: sign in again');
    expect(attentionFor(ended)).toBe(
      'github:583231: the session has ended (The session has ended.). Run: gatehouse sign-in github',
    );
    const failed = account({
      status: { kind: 'error', code: 'refresh_failed', message: 'raw provider text' },
    });
    expect(statusWords(failed, NOW)).toMatch(/^needs attention: /);
    expect(attentionFor(failed)).toContain('Run: gatehouse sign-in github');
    expect(attentionFor(failed)).not.toContain('raw provider text');
  });

  it('an account kept for this run only says so', () => {
    expect(accountsTable([account({ remembered: false })], NOW)).toContain('(not remembered)');
    expect(attentionFor(account({ remembered: false }))).toContain('kept for this run only');
  });
});
