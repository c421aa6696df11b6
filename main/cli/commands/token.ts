/**
 * `gatehouse token <account>`: prints a valid access token for a script, renewing the session
 * first when the token is due, as `gh auth token` prints gh's. The token is a live credential:
 * it goes to stdout and nowhere else (never stderr, never the log).
 */
import type { AccountSnapshot } from '../../../shared/session';
import { GatehouseError } from '../../ports/errors';
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import type { CommandHandler } from './types';

/** A token printed for a script should outlive the script's first request: a minute at least. */
const MIN_VALIDITY_MS = 60_000;

export const token: CommandHandler = async (core, command, io) => {
  const { target } = command;
  await core.sessions.restore();
  const find = () => core.sessions.snapshot().accounts.find((a) => a.accountId === target);
  const account = find();
  if (!account)
    throw new GatehouseError(
      'account_unknown',
      `No account "${target}" is signed in (see "gatehouse accounts").`,
    );
  // A refresh the restore started is joined: refresh is single-flight per account.
  if (due(account, Date.now())) await core.sessions.refresh(target);
  const accessToken = core.sessions.accessTokenOf(target);
  const now = find() ?? account;
  if (!accessToken)
    throw new GatehouseError(
      'session_expired',
      `${target} has no valid access token (${describe(now)}). Sign in again: gatehouse sign-in ${now.providerId}`,
    );
  const expiresAt = now.status.kind === 'signed-in' ? now.status.expiresAt : null;
  printResult(io, command, { accountId: target, accessToken, expiresAt }, () => accessToken);
  return EXIT.ok;
};

function due(account: AccountSnapshot, now: number): boolean {
  const { status } = account;
  if (status.kind === 'refreshing') return true;
  if (status.kind !== 'signed-in' || status.expiresAt === null) return false;
  return status.expiresAt - now < MIN_VALIDITY_MS;
}

function describe(account: AccountSnapshot): string {
  const { status } = account;
  if (status.kind === 'expired') return `the session has ended: ${status.reason}`;
  if (status.kind === 'error') return status.message;
  return status.kind;
}
