/**
 * Where secrets live. The engine stores one opaque JSON string per account; implementations are
 * the OS keychain (main/secrets/keyring-store.ts) and an in-memory store for "not remembered"
 * sessions. Every failure is a GatehouseError with a code, never a silent fallback to plaintext.
 */
import type { StorageBackend } from '../../shared/session';

export interface SecretStore {
  /** Where the secrets go, for app:get-info and the account cards. */
  readonly backend: StorageBackend;
  /** The stored value, or null when there is none. Throws GatehouseError when the store fails. */
  get(accountId: string): Promise<string | null>;
  set(accountId: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(accountId: string): Promise<boolean>;
  /**
   * Optional: gets the account's entry ready for a write expected soon (a sign-in's save), off
   * the main thread; never throws (a failure is the write's to report).
   */
  warm?(accountId: string): void;
  /**
   * Optional bulk read of every entry (account id → value) in one round trip. Startup restore
   * uses it when present: on the Secret Service each separate entry costs its own D-Bus session
   * (about 10 ms of key exchange), so 100 accounts read one by one take over a second.
   */
  readAll?(): Promise<Map<string, string>>;
  /**
   * Optional: every account id the store holds. Restore uses it (when there is no bulk read) to
   * find a keychain entry whose index entry was lost, a crash between the two writes.
   */
  listAccountIds?(): Promise<string[]>;
  /**
   * Optional: a store of the same kind under a separate service (`<service>-<suffix>`), for
   * secrets that are not accounts (the demo provider's keys and grants), so restore, repair and
   * sign-out never see them. Absent on stores that keep nothing beyond this run.
   */
  companion?(suffix: string): SecretStore;
}
