/** The shape of one command: it runs against the open core and returns the exit code. */
import type { GatehouseCore } from '../../app/core';
import type { CliIo } from '../io';
import type { CliCommand } from '../parse';

export type CommandHandler = (
  core: GatehouseCore,
  command: CliCommand,
  io: CliIo,
) => Promise<number>;
