/**
 * What a sign-out did at the provider. The tokens are forgotten on this computer in every case;
 * the outcome says whether the provider ended the session too (RFC 7009). One closed union for
 * the engine, IPC, the command line, the window and the sign-in log.
 */

/** RFC 6749 §5.2 and RFC 7009 §2.2.1 error codes: the only server words ever shown. */
export const REVOCATION_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'invalid_token',
  'unauthorized_client',
  'unsupported_token_type',
  'unsupported_grant_type',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
] as const;
export type RevocationError = (typeof REVOCATION_ERRORS)[number];

export type SignOutOutcome =
  /** The provider revoked the session. */
  | { kind: 'revoked' }
  /** The provider offers this client no revocation (Webex, XWMS, GitHub without a secret). */
  | { kind: 'no-revocation' }
  /** The provider answered, but refused: the session may stay valid there until it expires. */
  | { kind: 'refused'; status: number; error?: RevocationError }
  /** No answer: `cause` is the transport's sentence (host and cause), never the server's text. */
  | { kind: 'unreachable'; cause: string }
  /** The session had already ended (expired, or unknown to the provider): nothing was sent. */
  | { kind: 'nothing-to-revoke' }
  /** The account's provider is gone from the configuration, or now names another server or
   * client (main/auth/session/account-binding.ts): nothing was sent. */
  | { kind: 'not-configured' };

export type SignOutKind = SignOutOutcome['kind'];

/** What a provider module's revoke can report; the engine decides the other kinds. */
export type RevocationResult = Exclude<SignOutOutcome, { kind: 'not-configured' }>;

/** The server's `error`, kept only when it is one of the codes above. */
export function revocationError(value: unknown): RevocationError | undefined {
  return REVOCATION_ERRORS.find((code) => code === value);
}
