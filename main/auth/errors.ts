/**
 * AuthError: the one error type the engine throws. Its `code` is from the shared union so the
 * window can turn it into a sentence; `message` is safe to show and to log (never a token, code
 * or URL query).
 */
import type { ErrorCode } from '../../shared/errors';

export class AuthError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export function isAuthError(error: unknown): error is AuthError {
  return error instanceof AuthError;
}
