/**
 * `gatehouse`: the command line over the same engine and the same store as the app.
 *   gatehouse sign-in <provider> [--device] [--no-open] [--no-remember]
 *   gatehouse status | accounts | providers | token <account> | refresh <account>
 *   gatehouse sign-out <account> | doctor <provider>
 * Results go to stdout, for a person (render.ts) or as JSON with --json (display claims only,
 * and a token only from `token`); messages go to stderr.
 */
import type { CliIo } from './io';
import { parseCommandLine } from './parse';
import { USAGE, usageError } from './usage';

export type { CliIo } from './io';

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'help') {
    io.err(USAGE);
    return parsed.exitCode;
  }
  if (parsed.kind === 'usage') return usageError(io, parsed.message);
  // Loaded only now, so `--help` and usage errors never load the engine, zod or the keychain;
  // `accounts` reads the index and the configuration only (commands/accounts.ts).
  if (parsed.command.name === 'accounts') {
    const { listAccounts } = await import('./commands/accounts');
    const listed = await listAccounts(parsed.command, io).catch(async (error: unknown) => {
      const { fail } = await import('./fail');
      return fail(error, io);
    });
    if (listed !== null) return listed;
  }
  const { runCommand } = await import('./run-command');
  return runCommand(parsed.command, io);
}
