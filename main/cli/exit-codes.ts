/** The command line's exit codes (documented in the README and in `gatehouse help`). */
export const EXIT = {
  ok: 0,
  usage: 64,
  config: 78,
  signInFailed: 1,
  cancelled: 130,
  timeout: 2,
  keychain: 3,
  unknownAccount: 4,
  doctorFailed: 5,
} as const;

export const EXIT_HELP = `Exit codes:
  0    success
  1    the sign-in, refresh, token or sign-out failed (the error code is printed)
  2    the sign-in timed out
  3    the keychain is unavailable (sign-in stopped before the browser opened)
  4    no such account or provider
  5    doctor found a failing check
  64   usage error
  78   the provider's configuration has problems (listed), or the file cannot be used
  130  cancelled (Ctrl-C)`;
