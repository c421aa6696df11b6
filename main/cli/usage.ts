/** The `gatehouse` usage text and the one way a usage error is reported (exit 64). */
import { EXIT, EXIT_HELP } from './exit-codes';
import type { CliIo } from './io';

export const USAGE = `Usage: gatehouse <command> [arguments] [--json]

Commands:
  sign-in <provider> [--device] [--no-open] [--no-remember]
                                               sign in through the system browser (or with a code)
  status                                       who is signed in where, and what needs attention
  accounts                                     list signed-in accounts
  providers                                    list configured providers and their problems
  token <account>                              print a valid access token (renewed first if due)
  refresh <account>                            renew an account's session now
  sign-out <account>                           revoke where possible, then forget the account
  doctor <provider>                            check configuration, discovery, keys, PKCE, ports
  help                                         show this text (also --help or -h on any command)

Options:
  --json          print the result on stdout as JSON, for scripts (shapes: docs/cli.md)
  --no-remember   sign-in: keep the session for this run only, in memory, not in the keychain

Environment:
  GATEHOUSE_CONFIG     provider configuration file (default: <data dir>/providers.json)
  GATEHOUSE_DATA_DIR   data folder shared with the app (default: the app's user-data folder)
  BROWSER              browser command used to open the sign-in page

${EXIT_HELP}`;

export function usageError(io: CliIo, message: string): number {
  io.err(`gatehouse: ${message}\n\n${USAGE}`);
  return EXIT.usage;
}
