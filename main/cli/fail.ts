/** A failed command's message on stderr, with its error code, and its exit code. */
import { GatehouseError } from '../ports/errors';
import { EXIT } from './exit-codes';
import type { CliIo } from './io';

export function fail(error: unknown, io: CliIo): number {
  const e = error instanceof GatehouseError ? error : null;
  const code = e?.code ?? (error as { code?: string }).code ?? 'internal';
  const message =
    e?.message ??
    (error instanceof Error && 'code' in error
      ? error.message
      : 'Something went wrong inside Gatehouse.');
  io.err(`gatehouse: ${message} [${code}]`);
  return exitCodeFor(code);
}

function exitCodeFor(code: string): number {
  switch (code) {
    case 'cancelled':
    case 'superseded':
      return EXIT.cancelled;
    case 'sign_in_timeout':
      return EXIT.timeout;
    case 'account_unknown':
    case 'provider_unknown':
      return EXIT.unknownAccount;
    case 'config_invalid':
      return EXIT.config;
    default:
      return code.startsWith('keychain_') ? EXIT.keychain : EXIT.signInFailed;
  }
}
