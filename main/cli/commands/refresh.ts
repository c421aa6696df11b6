/** `gatehouse refresh <account>`: renews the session now and prints the account's new state. */
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import { statusWords } from '../render';
import type { CommandHandler } from './types';

export const refresh: CommandHandler = async (core, command, io) => {
  const { target } = command;
  await core.sessions.restore();
  await core.sessions.refresh(target);
  const account = core.sessions.snapshot().accounts.find((a) => a.accountId === target);
  printResult(io, command, account, () =>
    account ? `Renewed ${target}: ${statusWords(account, Date.now())}` : `Renewed ${target}.`,
  );
  return EXIT.ok;
};
