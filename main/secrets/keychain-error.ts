/**
 * KeychainError: every keychain failure, with a code the window can explain and the backend's
 * own reason (never a secret). Gatehouse never falls back to plaintext when this is thrown.
 */
export type KeychainErrorCode =
  | 'keychain_unavailable'
  | 'keychain_locked'
  | 'keychain_denied'
  | 'keychain_corrupt'
  | 'keychain_write_failed';

export class KeychainError extends Error {
  readonly code: KeychainErrorCode;
  /** The backend's words, e.g. "DBus error: Failed to connect to socket …". */
  readonly reason: string;

  constructor(
    code: KeychainErrorCode,
    message: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.reason = reason;
  }
}

/**
 * Maps @napi-rs/keyring's errors (observed on the Linux Secret Service: "Platform failure: DBus
 * error: Failed to connect to socket …", "Couldn't access platform storage: AccessDenied",
 * "… locked …", "… BadEncoding / bad data …") to a code and one clear sentence.
 */
export function classifyKeyringError(error: unknown, backendName: string): KeychainError {
  if (error instanceof KeychainError) return error;
  const reason = (error instanceof Error ? error.message : String(error))
    .split('\n')[0]!
    .slice(0, 300);
  const text = reason.toLowerCase();
  if (/locked|prompt|dismissed|unlock/.test(text)) {
    return new KeychainError(
      'keychain_locked',
      `The ${backendName} is locked. Unlock it and try again.`,
      reason,
      { cause: error },
    );
  }
  if (
    /dbus|socket|no such file|not provided by any|serviceunknown|autolaunch|no storage access|platform failure|nostorageaccess/.test(
      text,
    )
  ) {
    return new KeychainError(
      'keychain_unavailable',
      `The ${backendName} is not reachable: ${reason}`,
      reason,
      { cause: error },
    );
  }
  if (/accessdenied|access denied|denied|not permitted|permission/.test(text)) {
    return new KeychainError(
      'keychain_denied',
      `Gatehouse was refused access to the ${backendName}.`,
      reason,
      { cause: error },
    );
  }
  if (/encoding|utf-?8|invalid|corrupt|bad data|ambiguous/.test(text)) {
    return new KeychainError(
      'keychain_corrupt',
      `A Gatehouse entry in the ${backendName} is damaged.`,
      reason,
      { cause: error },
    );
  }
  return new KeychainError(
    'keychain_unavailable',
    `The ${backendName} could not be used: ${reason}`,
    reason,
    { cause: error },
  );
}
