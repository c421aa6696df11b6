/**
 * Whether this process runs under the private Secret Service of with-keyring.sh (npm test does).
 * Suites that need the real keychain skip without it, and say so once, with the way to run them.
 */
export function keyringReady(suite: string): boolean {
  const ready = process.env.GATEHOUSE_KEYRING_READY === '1';
  if (!ready)
    console.warn(
      `${suite}: skipped: needs the private Secret Service (run under test/support/keyring/with-keyring.sh, as npm test does)`,
    );
  return ready;
}
