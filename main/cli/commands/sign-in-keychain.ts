/**
 * The keychain check `gatehouse sign-in` makes before any listener or browser: a session that
 * could not be remembered stops here with the reason and this system's fix, unless the person
 * asked for this run only (`--no-remember`, which keeps the session in memory).
 */
import { existsSync } from 'node:fs';
import type { StorageBackend } from '../../../shared/session';
import { MemorySecretStore } from '../../secrets/memory-store';

/** The store `--no-remember` uses when the keychain works: code null means "as asked". */
export function thisRunOnlyStore(): MemorySecretStore {
  return new MemorySecretStore('Not remembered, as asked (--no-remember).', null);
}

/** The lines to print when sign-in stops for the keychain; null when it may go on. */
export function keychainStop(
  storage: StorageBackend,
  providerId: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): string | null {
  // A memory store without a code is --no-remember's own choice, not a keychain failure.
  if (storage.kind !== 'memory' || storage.code === null) return null;
  return [
    'gatehouse: the keychain is unavailable, so this sign-in could not be remembered; nothing was opened. [' +
      storage.code +
      ']',
    `  Why: ${storage.reason}`,
    `  Fix: ${keychainFix(storage.code, env, platform)}`,
    `  Or sign in for this run only: gatehouse sign-in ${providerId} --no-remember`,
  ].join('\n');
}

/** What to do about it, on this system; on Linux, for the D-Bus or Secret Service state seen. */
export function keychainFix(
  code: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
): string {
  if (platform === 'darwin')
    return 'open Keychain Access and make sure your login keychain exists and is unlocked (or run `security unlock-keychain`).';
  if (platform === 'win32')
    return 'Windows Credential Manager must be available to your user account (it is not for some service accounts and sandboxes): sign in to Windows as yourself and try again.';
  const address = env.DBUS_SESSION_BUS_ADDRESS ?? '';
  const socket = /(?:^|;)unix:path=([^,;]+)/.exec(address)?.[1];
  if (!address)
    return 'there is no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set), as over SSH or in a container. Sign in from your desktop session, or start one with `dbus-run-session -- $SHELL` and unlock a keyring in it with `gnome-keyring-daemon --unlock` (it reads the password from stdin).';
  if (socket && !existsSync(socket))
    return `DBUS_SESSION_BUS_ADDRESS points at a D-Bus socket that does not exist (${socket}): the session that owned it has ended. Log in to your desktop again, or start a new session with \`dbus-run-session -- $SHELL\`.`;
  if (code === 'keychain_locked')
    return 'the keyring is locked. Unlock it in Passwords and Keys (Seahorse) for GNOME Keyring or in KWallet Manager for KWallet, or log in to the desktop, which unlocks it.';
  if (code === 'keychain_corrupt')
    return 'a Gatehouse entry in the keyring is damaged. Delete the Gatehouse items in Passwords and Keys (Seahorse) or KWallet Manager, then try again.';
  if (code === 'keychain_denied')
    return 'the keyring refused Gatehouse. Allow it when the keyring asks, or check the keyring in Passwords and Keys (Seahorse) or KWallet Manager.';
  return 'no Secret Service answers on this D-Bus session. Install and unlock GNOME Keyring (the gnome-keyring package) or KWallet (with its Secret Service interface enabled), then try again.';
}
