/**
 * Specification of main/secrets/keychain-error.ts classifyKeyringError: each family of
 * @napi-rs/keyring messages maps to one code and one sentence shape. Rows marked "observed" are
 * the library's own words, recorded from @napi-rs/keyring 2.1.2 on GNOME Keyring under
 * test/support/keyring/with-keyring.sh (no D-Bus, a locked collection, a look-alike item).
 */
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../shared/errors';
import { GatehouseError } from '../../../main/ports/errors';
import { classifyKeyringError } from '../../../main/secrets/keychain-error';

const SS = 'Secret Service (GNOME Keyring / KWallet)';

/** The sentence each code is written with, for a backend name and the backend's reason. */
const SENTENCE: Record<string, (backend: string, reason: string) => string> = {
  locked: (b) => `The ${b} is locked. Unlock it and try again.`,
  unreachable: (b, r) => `The ${b} is not reachable: ${r}`,
  denied: (b) => `Gatehouse was refused access to the ${b}.`,
  damaged: (b) => `A Gatehouse entry in the ${b} is damaged.`,
  unknown: (b, r) => `The ${b} could not be used: ${r}`,
};

type Row = [family: string, message: string, code: ErrorCode, sentence: keyof typeof SENTENCE];

const TABLE: Row[] = [
  // Secret Service / D-Bus not reachable
  [
    'observed: no D-Bus socket (entry)',
    'Platform failure: DBus error: Failed to connect to socket /nonexistent/bus: No such file or directory',
    'keychain_unavailable',
    'unreachable',
  ],
  [
    'observed: no D-Bus socket (search)',
    'zbus error: Failed to connect to address `unix:path=/nonexistent/bus`: No such file or directory (os error 2)',
    'keychain_unavailable',
    'unreachable',
  ],
  [
    'no Secret Service provider on the bus',
    'No DBus session or Secret Service provider found',
    'keychain_unavailable',
    'unreachable',
  ],
  [
    'D-Bus service not activatable',
    'org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files',
    'keychain_unavailable',
    'unreachable',
  ],
  [
    'no session bus to autolaunch',
    'Unable to autolaunch a dbus-daemon without a $DISPLAY for X11',
    'keychain_unavailable',
    'unreachable',
  ],
  [
    'a socket that refuses us is still "not reachable", not "denied"',
    'Platform failure: DBus error: Failed to connect to socket /run/user/1000/bus: Permission denied',
    'keychain_unavailable',
    'unreachable',
  ],
  ['NoStorageAccess variant name', 'NoStorageAccess', 'keychain_unavailable', 'unreachable'],
  // locked, or the unlock prompt dismissed
  [
    "observed: locked collection (entry): Couldn't access platform storage",
    "Couldn't access platform storage: Secret Service: unlock prompt was dismissed",
    'keychain_locked',
    'locked',
  ],
  [
    'observed: locked collection (search)',
    'zbus error: org.freedesktop.Secret.Error.IsLocked: Cannot get secret of a locked object',
    'keychain_locked',
    'locked',
  ],
  ['object locked', 'Secret Service: object locked', 'keychain_locked', 'locked'],
  [
    'locked wins over a D-Bus word in the same line',
    'Platform failure: DBus error: prompt dismissed',
    'keychain_locked',
    'locked',
  ],
  // access denied
  [
    "Couldn't access platform storage: AccessDenied",
    "Couldn't access platform storage: AccessDenied",
    'keychain_denied',
    'denied',
  ],
  ['access denied, in words', 'Access denied by policy', 'keychain_denied', 'denied'],
  ['operation not permitted', 'Operation not permitted', 'keychain_denied', 'denied'],
  [
    'denied wins over a damaged-entry word',
    'Permission to read the invalid item was refused',
    'keychain_denied',
    'denied',
  ],
  // a damaged entry
  ['bad encoding', 'Password data is not valid UTF-8', 'keychain_corrupt', 'damaged'],
  ['bad encoding, variant name', 'BadEncoding', 'keychain_corrupt', 'damaged'],
  ['bad data format', 'Bad data format in credential', 'keychain_corrupt', 'damaged'],
  ['an invalid attribute', 'Attribute username is invalid: empty', 'keychain_corrupt', 'damaged'],
  [
    'observed: a look-alike item written by another app (Ambiguous)',
    'Entry is matched by 2 credentials: [Entry { inner: Wrapper { path: Path("/org/freedesktop/secrets/collection/login/1\\0") } }, Entry { inner: Wrapper { path: Path("/org/freedesktop/secrets/collection/login/2\\0") } }]',
    'keychain_corrupt',
    'damaged',
  ],
  // anything else
  ['no result', 'Secret Service: no result found', 'keychain_unavailable', 'unknown'],
  [
    'a library bug',
    'Mutex failure in credential store: please report a bug',
    'keychain_unavailable',
    'unknown',
  ],
  [
    'an attribute over the platform limit',
    "Attribute 'service' is longer than the platform limit of 255 chars",
    'keychain_unavailable',
    'unknown',
  ],
];

describe('classifyKeyringError: message family → code and sentence', () => {
  const rows = TABLE.map(([family, message, code, sentence]) => [family, code, sentence, message]);
  it.each(rows)('%s → %s (%s)', (_family, code, sentence, message) => {
    const original = new Error(message);
    const error = classifyKeyringError(original, SS);
    expect(error).toBeInstanceOf(GatehouseError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(SENTENCE[sentence]!(SS, message));
    expect(error.reason).toBe(message);
    expect(error.cause).toBe(original);
  });

  it('names the backend it was given in every sentence', () => {
    for (const [, message] of TABLE) {
      const error = classifyKeyringError(new Error(message), 'macOS Keychain');
      expect(error.message).toContain('macOS Keychain');
      expect(error.message).not.toContain(SS);
    }
  });

  it('matches without regard to case', () => {
    expect(classifyKeyringError(new Error('OBJECT LOCKED'), SS).code).toBe('keychain_locked');
    expect(classifyKeyringError(new Error('ACCESS DENIED'), SS).code).toBe('keychain_denied');
  });
});

describe('classifyKeyringError: the reason', () => {
  it('keeps only the first line of a multi-line message', () => {
    const error = classifyKeyringError(
      new Error('Secret Service: object locked\n  at keyring::secret_service\n  more detail'),
      SS,
    );
    expect(error.reason).toBe('Secret Service: object locked');
    expect(error.message).not.toContain('keyring::secret_service');
  });

  it('is cut to 300 characters, in the sentence too', () => {
    const long = `Platform failure: DBus error: ${'x'.repeat(1000)}`;
    const error = classifyKeyringError(new Error(long), SS);
    expect(error.code).toBe('keychain_unavailable');
    expect(error.reason).toHaveLength(300);
    expect(error.reason).toBe(long.slice(0, 300));
    expect(error.message).toBe(`The ${SS} is not reachable: ${long.slice(0, 300)}`);
  });

  it('an empty message still gives a whole sentence', () => {
    const error = classifyKeyringError(new Error(''), SS);
    expect(error.code).toBe('keychain_unavailable');
    expect(error.message).toBe(`The ${SS} could not be used.`);
    expect(error.reason).toBe('');
  });
});

describe('classifyKeyringError: what is not a keyring Error', () => {
  it('passes an existing GatehouseError through unchanged', () => {
    const already = new GatehouseError('keychain_write_failed', 'Too large.', { reason: 'x' });
    expect(classifyKeyringError(already, SS)).toBe(already);
  });

  it('classifies a thrown string by its text, keeping it as the cause', () => {
    const error = classifyKeyringError('Secret Service: object locked', SS);
    expect(error).toMatchObject({
      code: 'keychain_locked',
      reason: 'Secret Service: object locked',
    });
    expect(error.cause).toBe('Secret Service: object locked');
  });

  it('turns any other thrown value into keychain_unavailable with its text as the reason', () => {
    const error = classifyKeyringError(42, SS);
    expect(error).toMatchObject({
      code: 'keychain_unavailable',
      message: `The ${SS} could not be used: 42`,
      reason: '42',
    });
    expect(classifyKeyringError({ code: 'EACCES' }, SS).code).toBe('keychain_unavailable');
  });
});
