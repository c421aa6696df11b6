/** `gatehouse refresh <account>`: renews the session now and prints the account's new state. */
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import type { CommandHandler } from './types';

export const refresh: CommandHandler = async (core, { target }, io) => {
  await core.sessions.restore();
  await core.sessions.refresh(target);
  printResult(
    io,
    core.sessions.snapshot().accounts.find((a) => a.accountId === target),
  );
  return EXIT.ok;
};
