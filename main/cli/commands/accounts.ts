/** `gatehouse accounts`: the remembered accounts, display claims only. */
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import { accountsTable } from '../render';
import type { CommandHandler } from './types';

export const accounts: CommandHandler = async (core, command, io) => {
  await core.sessions.restore();
  const list = core.sessions.snapshot().accounts;
  printResult(io, command, list, () => accountsTable(list, Date.now()));
  return EXIT.ok;
};
