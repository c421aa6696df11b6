/** `gatehouse providers`: the configured providers and their configuration problems. */
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import { providersTable } from '../render';
import type { CommandHandler } from './types';

export const providers: CommandHandler = async (core, command, io) => {
  const list = core.providersList();
  printResult(io, command, list, () => providersTable(list.providers));
  return EXIT.ok;
};
