/**
 * What a configuration problem does to a command. A command that needs a provider whose entry
 * is broken (or that is missing while the file has problems: the broken part may have been it)
 * stops with exit 78 and names the problems; every other command still runs, with the problems
 * as a warning on stderr, so `accounts`, `providers` and `status` help fix the file.
 */
import type { GatehouseCore } from '../app/core';
import { EXIT } from './exit-codes';
import type { CliIo } from './io';
import type { CliCommand, CommandName } from './parse';

/** Commands whose target names a provider (sign-in, doctor) or an account of one. */
const NEEDS_PROVIDER: Partial<Record<CommandName, 'provider' | 'account'>> = {
  'sign-in': 'provider',
  doctor: 'provider',
  refresh: 'account',
  token: 'account',
  'sign-out': 'account',
};

/** The exit code when the command must not run; null when it may (after any warning). */
export function configurationGate(
  core: GatehouseCore,
  command: CliCommand,
  io: CliIo,
): number | null {
  const { error, unusable } = core.config;
  if (!error) return null;
  const providerId = neededProvider(command);
  const broken = unusable.find((entry) => entry.id === providerId);
  if (broken) {
    const where = `provider "${broken.id}" in ${error.file} cannot be used`;
    io.err(`gatehouse: configuration error: ${where}:${indented(broken.problems)}`);
    return EXIT.config;
  }
  const problems = indented(error.message.split('\n'));
  if (providerId !== null && !core.provider(providerId)) {
    io.err(`gatehouse: configuration error:${problems}`);
    return EXIT.config;
  }
  warnAboutConfiguration(error, io);
  return null;
}

/** The warning of a command that runs despite the problems (and `accounts`, which has no core). */
export function warnAboutConfiguration(error: { message: string }, io: CliIo): void {
  io.err(
    `gatehouse: warning: the configuration has problems:${indented(error.message.split('\n'))}`,
  );
}

const indented = (lines: string[]) => lines.map((line) => `\n  ${line}`).join('');

function neededProvider(command: CliCommand): string | null {
  const needs = NEEDS_PROVIDER[command.name];
  if (!needs) return null;
  // Account ids are "provider:sub" (main/ports/account-id.ts), and a provider id has no colon.
  return needs === 'provider' ? command.target : command.target.split(':')[0]!;
}
