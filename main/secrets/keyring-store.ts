/**
 * SecretStore on the OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential
 * Manager, or the Linux Secret Service — pinned there, because the library's default on Linux
 * silently falls back to the kernel keyring, which does not survive a reboot.
 * One entry per account under the service name (default "Gatehouse").
 */
import type { EntryOptions } from '@napi-rs/keyring';
import { randomBytes } from 'node:crypto';
import type { StorageBackend } from '../../shared/session';
import { GatehouseError } from '../ports/errors';
import { classifyKeyringError } from './keychain-error';
import type { SecretStore } from '../ports/secret-store';
import { KeyringThread, type KeyringCredential } from './keyring-thread';

/** Keychains limit item sizes (Windows: 2560 bytes per blob, handled by the library's split). */
const MAX_VALUE_BYTES = 16 * 1024;
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

export function keychainName(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (GNOME Keyring / KWallet)';
}

let shared: KeyringThread | null = null;

/** One keychain thread per process, started at the first call (keyring-thread.ts). */
export function keyringThread(): KeyringThread {
  return (shared ??= new KeyringThread(ENTRY_OPTIONS));
}

export class KeyringSecretStore implements SecretStore {
  readonly backend: StorageBackend;
  readonly #service: string;
  /**
   * The thread keeps one entry per account open and reuses it: each new entry opens its own
   * Secret Service session (D-Bus connection + key exchange, ~10 ms), while an operation on an
   * open one takes ~1 ms.
   */
  readonly #thread = keyringThread();

  constructor(service = 'Gatehouse') {
    this.#service = service;
    this.backend = { kind: 'keychain', name: keychainName() };
  }

  async get(accountId: string): Promise<string | null> {
    try {
      return (await this.#call({ op: 'get', account: accountId })) as string | null;
    } catch (error) {
      throw classifyKeyringError(error, this.#name());
    }
  }

  async set(accountId: string, value: string): Promise<void> {
    if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
      throw new GatehouseError(
        'keychain_write_failed',
        'The session is too large for the keychain.',
        {
          reason: 'value over 16 KiB',
        },
      );
    }
    try {
      await this.#call({ op: 'set', account: accountId, value });
    } catch (error) {
      const classified = classifyKeyringError(error, this.#name());
      throw classified.code === 'keychain_unavailable'
        ? classified
        : new GatehouseError(
            classified.code === 'keychain_corrupt' ? 'keychain_write_failed' : classified.code,
            classified.message,
            { cause: error, ...(classified.reason ? { reason: classified.reason } : {}) },
          );
    }
  }

  async delete(accountId: string): Promise<boolean> {
    try {
      return (await this.#call({ op: 'delete', account: accountId })) as boolean;
    } catch (error) {
      throw classifyKeyringError(error, this.#name());
    }
  }

  /**
   * Opens the account's entry now, off this thread, so that a write expected soon (a sign-in's
   * save) finds its Secret Service session ready. A failure here is left to that write.
   */
  warm(accountId: string): void {
    this.#call({ op: 'warm', account: accountId }).catch(() => undefined);
  }

  /** The same keychain under `<service>-<suffix>` (the demo provider's own service). */
  companion(suffix: string): KeyringSecretStore {
    return new KeyringSecretStore(`${this.#service}-${suffix}`);
  }

  #prefetched: Promise<Map<string, string>> | null = null;

  /**
   * Starts the bulk read now, so that at startup it overlaps the probe (each takes its own
   * Secret Service session). The next readAll() takes this result, once; restore double-checks
   * any account missing from it with a direct read, so a sign-in by another process in between
   * is never mistaken for a lost entry.
   */
  prefetchAll(): void {
    this.#prefetched = this.#search();
    this.#prefetched.catch(() => undefined);
  }

  /** The prefetched bulk read, without taking it (the probe looks, restore takes). */
  peekPrefetched(): Promise<Map<string, string>> | null {
    return this.#prefetched;
  }

  /** Every entry of this service in one search: what startup restore reads. */
  async readAll(): Promise<Map<string, string>> {
    const prefetched = this.#prefetched;
    this.#prefetched = null;
    return prefetched ?? this.#search();
  }

  async #search(): Promise<Map<string, string>> {
    try {
      const found = await this.#find();
      return new Map(
        found.filter((c) => !c.account.startsWith('__')).map((c) => [c.account, c.password]),
      );
    } catch (error) {
      throw classifyKeyringError(error, this.#name());
    }
  }

  /** Every account id stored under this service: lets restore repair a lost index entry. */
  async listAccountIds(): Promise<string[]> {
    try {
      const found = await this.#find();
      return found.map((c) => c.account).filter((a) => !a.startsWith('__'));
    } catch (error) {
      throw classifyKeyringError(error, this.#name());
    }
  }

  #find(): Promise<KeyringCredential[]> {
    return this.#thread.call({ op: 'find', service: this.#service }) as Promise<
      KeyringCredential[]
    >;
  }

  #call(
    call:
      | { op: 'get' | 'delete' | 'warm'; account: string }
      | { op: 'set'; account: string; value: string },
  ) {
    return this.#thread.call({ ...call, service: this.#service });
  }

  #name() {
    return this.backend.kind === 'keychain' ? this.backend.name : 'keychain';
  }
}

/**
 * Decides at startup whether the keychain is usable: writes, reads back and deletes a probe
 * entry. On failure the app keeps sessions in memory and shows the reason.
 */
export async function probeKeychain(
  service = 'Gatehouse',
): Promise<{ ok: true; store: KeyringSecretStore } | { ok: false; error: GatehouseError }> {
  const store = new KeyringSecretStore(service);
  store.prefetchAll();
  // Entries that read back decrypted already prove the keychain is reachable, unlocked and ours;
  // then the write probe (two more writes to the keyring file) is skipped. With no entries yet,
  // or if the read fails, the write probe decides and classifies the failure.
  const existing = await store.peekPrefetched()?.catch(() => null);
  if (existing && existing.size > 0) return { ok: true, store };
  const probeId = `__probe-${randomBytes(6).toString('hex')}`;
  const value = randomBytes(12).toString('base64url');
  try {
    await store.set(probeId, value);
    const back = await store.get(probeId);
    await store.delete(probeId);
    if (back !== value) {
      return {
        ok: false,
        error: new GatehouseError(
          'keychain_corrupt',
          'The keychain returned a different value than was stored.',
          { reason: 'probe mismatch' },
        ),
      };
    }
    return { ok: true, store };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof GatehouseError ? error : classifyKeyringError(error, keychainName()),
    };
  }
}
