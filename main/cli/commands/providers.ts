/** `gatehouse providers`: the configured providers and their configuration problems. */
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import type { CommandHandler } from './types';

export const providers: CommandHandler = async (core, _command, io) => {
  printResult(io, core.providersList());
  return EXIT.ok;
};
