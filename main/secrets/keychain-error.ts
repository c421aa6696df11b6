/**
 * Keychain error classification. @napi-rs/keyring reports every platform failure as a plain
 * Error whose only structured content is its message text (its N-API binding exposes no error
 * code), so here, and only here, the message is read: each backend's words map to one code.
 */
import { GatehouseError } from '../ports/errors';

/**
 * Maps @napi-rs/keyring's errors (observed on the Linux Secret Service: "Platform failure: DBus
 * error: Failed to connect to socket …", "Couldn't access platform storage: AccessDenied",
 * "… locked …", "… BadEncoding / bad data …", and "Entry is matched by 2 credentials: …" when
 * another app wrote a look-alike item) to a code and one clear sentence.
 */
export function classifyKeyringError(error: unknown, backendName: string): GatehouseError {
  if (error instanceof GatehouseError) return error;
  const reason = (error instanceof Error ? error.message : String(error))
    .split('\n')[0]!
    .slice(0, 300);
  const text = reason.toLowerCase();
  if (/locked|prompt|dismissed|unlock/.test(text)) {
    return new GatehouseError(
      'keychain_locked',
      `The ${backendName} is locked. Unlock it and try again.`,
      { cause: error, reason },
    );
  }
  if (
    /dbus|socket|no such file|not provided by any|serviceunknown|autolaunch|no storage access|platform failure|nostorageaccess/.test(
      text,
    )
  ) {
    return new GatehouseError(
      'keychain_unavailable',
      `The ${backendName} is not reachable: ${reason}`,
      { cause: error, reason },
    );
  }
  if (/accessdenied|access denied|denied|not permitted|permission/.test(text)) {
    return new GatehouseError(
      'keychain_denied',
      `Gatehouse was refused access to the ${backendName}.`,
      { cause: error, reason },
    );
  }
  if (/encoding|utf-?8|invalid|corrupt|bad data|ambiguous|matched by \d+ credentials/.test(text)) {
    return new GatehouseError(
      'keychain_corrupt',
      `A Gatehouse entry in the ${backendName} is damaged.`,
      { cause: error, reason },
    );
  }
  return new GatehouseError(
    'keychain_unavailable',
    reason
      ? `The ${backendName} could not be used: ${reason}`
      : `The ${backendName} could not be used.`,
    { cause: error, reason },
  );
}
