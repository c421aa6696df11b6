/**
 * GatehouseError: the one error class of the main process. Its `code` comes from the closed
 * union in shared/errors.ts, so `switch (error.code)` is exhaustive and the window, the command
 * line and the sign-in log can each turn it into a sentence. `message` is safe to show and to
 * log: never a token, a code, a secret or a URL query. `reason` carries a backend's own words
 * (for example the keychain's D-Bus error) where that helps the person fix their machine.
 */
import type { ErrorCode } from '../../shared/errors';

export class GatehouseError extends Error {
  readonly code: ErrorCode;
  /** A backend's own words, e.g. "DBus error: Failed to connect to socket …"; never a secret. */
  readonly reason: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; reason?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.reason = options?.reason;
  }
}
