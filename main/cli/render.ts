/**
 * The command line's human output: the words and tables a person reads. `--json` bypasses all of
 * this (io.ts printResult), so these shapes may change for readability; the JSON shapes may not
 * (docs/cli.md). Status words follow the window's account card (renderer AccountCard), and error
 * sentences come from the one catalogue (shared/error-messages.ts).
 */
import { assertNever } from '../../shared/assert-never';
import { ERROR_MESSAGES } from '../../shared/error-messages';
import type {
  AccountSnapshot,
  DisplayClaims,
  ProviderInfo,
  SessionStatus,
} from '../../shared/session';

/** "Alice Example <alice@example.com>", or whichever of name, login, email and sub there is. */
export function who(claims: DisplayClaims, sub: string): string {
  const name = claims.name ?? claims.login;
  if (name && claims.email) return `${name} <${claims.email}>`;
  return name ?? claims.email ?? sub;
}

/** The sign-in's one line, as `gh auth login` ends with "Logged in as …". */
export function signedInLine(account: AccountSnapshot): string {
  return `Signed in as ${who(account.claims, account.sub)} with ${account.providerName} (${account.accountId})`;
}

/** Left-aligned columns, two spaces apart, with an upper-case header row. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [line(header.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n');
}

const clock = (ms: number) =>
  new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

/** The session's state in plain words. */
export function statusWords(account: AccountSnapshot, now: number): string {
  const status: SessionStatus = account.status;
  switch (status.kind) {
    case 'signed-in':
      if (account.lastsUntilSignOut || status.expiresAt === null)
        return 'signed in, until you sign out';
      if (status.expiresAt <= now) return 'signed in, token expired (renews when used)';
      return `signed in, token valid until ${clock(status.expiresAt)}`;
    case 'refreshing':
      return 'renewing the session';
    case 'expired':
      return 'expired: sign in again';
    case 'error':
      return `needs attention: ${ERROR_MESSAGES[status.code].sentence}`;
    case 'waiting-for-browser':
    case 'device-code':
    case 'exchanging':
      return 'signing in';
    default:
      return assertNever(status, 'account status');
  }
}

export function accountsTable(accounts: AccountSnapshot[], now: number): string {
  if (accounts.length === 0)
    return 'No accounts are signed in. Sign in with: gatehouse sign-in <provider>';
  const rows = accounts.map((a) => [
    a.accountId,
    who(a.claims, a.sub),
    a.providerName,
    statusWords(a, now) + (a.remembered ? '' : ' (not remembered)'),
  ]);
  return table(['account', 'name', 'provider', 'status'], rows);
}

export function providersTable(providers: ProviderInfo[]): string {
  if (providers.length === 0) return 'No providers are configured.';
  const rows = providers.map((p) => [
    p.id,
    p.kind,
    p.displayName,
    p.configErrors.length === 0 ? 'ready' : `not set up: ${p.configErrors.join('; ')}`,
  ]);
  return table(['id', 'kind', 'name', 'state'], rows);
}

/** What a person should do about an account, or null when nothing. */
export function attentionFor(account: AccountSnapshot): string | null {
  const again = `gatehouse sign-in ${account.providerId}`;
  switch (account.status.kind) {
    case 'expired':
      return `${account.accountId}: the session has ended (${account.status.reason}). Run: ${again}`;
    case 'error':
      return `${account.accountId}: ${ERROR_MESSAGES[account.status.code].sentence} Run: ${again}`;
    default:
      return account.remembered
        ? null
        : `${account.accountId}: kept for this run only; it is gone when the command ends.`;
  }
}
