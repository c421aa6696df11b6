/** `gatehouse accounts`: the remembered accounts, display claims only. */
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import type { CommandHandler } from './types';

export const accounts: CommandHandler = async (core, _command, io) => {
  await core.sessions.restore();
  printResult(io, core.sessions.snapshot().accounts);
  return EXIT.ok;
};
