/**
 * The accounts, in memory and at rest. The keychain entry (main/auth/stored-account.ts) is the
 * truth and is written first; the index (display claims only) follows (account-persistence.ts)
 * and is repaired from the keychain at restore (account-restore.ts). A keychain failure keeps
 * the session for this run only ("not remembered"), never a plaintext fallback. Statuses are
 * set through the state machine; an account whose provider no longer matches its binding
 * restores as "sign in again".
 */
import { randomUUID } from 'node:crypto';
import type {
  AccountSnapshot,
  ProfileSnapshot,
  SessionStatus,
  UnreadableItem,
} from '../../../shared/session';
import { isAcceptableSub, MAX_SUB_BYTES } from '../../ports/account-id';
import type { AccountIndexPort } from '../../ports/account-index';
import { GatehouseError } from '../../ports/errors';
import type { SecretStore } from '../../ports/secret-store';
import { withAvatar } from '../avatar';
import { isSlotKey, SlotKeys } from '../item-keys';
import type { Grant, ProviderModule, RefreshResult } from '../providers/types';
import type { SignInLog } from '../sign-in-log';
import { accountIdOf, readStoredAccount, type StoredAccount } from '../stored-account';
import {
  adoptNewer,
  deleteTokens,
  persist,
  persistRefreshed,
  reindexSoon,
  type Persistence,
} from './account-persistence';
import {
  placeholderOf,
  profilesOf,
  recordId,
  refreshable,
  restoredRecordOf,
  snapshotOfRecord,
  storedAccountOf,
  type AccountRecord,
} from './account-record';
import {
  findUnreadable,
  itemsOfAccount,
  restoreAccounts,
  type RestoreResult,
} from './account-restore';

export { recordId, type AccountRecord } from './account-record';

export interface AccountRepositoryOptions {
  store: SecretStore;
  index: AccountIndexPort;
  providers: () => ReadonlyMap<string, ProviderModule>;
  log: SignInLog;
  now: () => number;
  /** Turns a remote avatar URL into a data: URL (or drops it); see main/auth/avatar.ts. */
  resolveAvatar?: ((url: string) => Promise<string | undefined>) | undefined;
  /** A placeholder's keychain entry was read after all: the account is usable again. */
  onReread?: (record: AccountRecord) => void;
}

export class AccountRepository {
  readonly #o: AccountRepositoryOptions;
  readonly #records = new Map<string, AccountRecord>();
  /** Keychain items the last restore could not read, left in place. */
  #unreadable: UnreadableItem[] = [];
  readonly #slots: SlotKeys;

  readonly #persistence: Persistence;

  constructor(options: AccountRepositoryOptions) {
    this.#o = options;
    this.#slots = new SlotKeys(options.store);
    this.#persistence = {
      ...options,
      lastsUntilSignOut: (record) => this.#lastsUntilSignOut(record),
    };
  }

  get size(): number {
    return this.#records.size;
  }

  get(accountId: string): AccountRecord | undefined {
    return this.#records.get(accountId);
  }

  /** The account, or account_unknown. */
  require(accountId: string): AccountRecord {
    const record = this.#records.get(accountId);
    if (!record) throw new GatehouseError('account_unknown', 'That account is not signed in.');
    return record;
  }

  /** False once the account was signed out, or replaced (a new sign-in, a re-read placeholder). */
  isCurrent(record: AccountRecord): boolean {
    return this.#records.get(recordId(record)) === record;
  }

  /**
   * A placeholder's keychain entry read again (the keychain may be unlocked by now): the account
   * it holds, or the placeholder itself when the entry is gone. While the keychain still fails,
   * its own error (keychain_locked, …); nothing is written either way.
   */
  async reread(record: AccountRecord): Promise<AccountRecord> {
    if (!record.placeholder) return record;
    const id = recordId(record);
    const raw = await this.#o.store.get(record.itemKey);
    if (!this.isCurrent(record)) return this.require(id);
    const read = raw === null ? null : readStoredAccount(raw, record.itemKey, id);
    if (read?.kind === 'unreadable')
      throw new GatehouseError(
        'keychain_corrupt',
        'The keychain item of this account cannot be read by this version of Gatehouse.',
      );
    if (!read) return record;
    const restored = this.#restoreOne(read.account, record.itemKey);
    this.#o.onReread?.(restored);
    return restored;
  }

  snapshots(): AccountSnapshot[] {
    const accounts = [...this.#records.values()].map((r) => this.snapshotOf(r));
    return accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
  }

  snapshotOf(record: AccountRecord): AccountSnapshot {
    return snapshotOfRecord(record, this.#lastsUntilSignOut(record));
  }

  /** The keychain items the last restore left unread, for the window's snapshot. */
  unreadable(): UnreadableItem[] {
    return this.#unreadable.map((item) => ({ ...item }));
  }

  /** `gatehouse doctor`: the keychain items this version cannot read, changing nothing. */
  findUnreadable(): Promise<UnreadableItem[]> {
    return findUnreadable(this.#o.store);
  }

  profiles(): ProfileSnapshot[] {
    return profilesOf(this.#records.values());
  }

  /** True when the account has a refresh token and its provider can use it. */
  canRefresh(record: AccountRecord): boolean {
    return refreshable(record.stored, this.#o.providers().get(record.stored.providerId));
  }

  /** The account a new identity may link to: known, and of another provider. */
  linkTarget(providerId: string, linkTo: string): AccountRecord {
    const target = this.#records.get(linkTo);
    if (!target)
      throw new GatehouseError('account_unknown', 'The account to link to is no longer signed in.');
    if (target.stored.providerId === providerId)
      throw new GatehouseError(
        'link_same_provider',
        'An identity can only be linked to an account of another provider.',
      );
    return target;
  }

  /** linkTarget, with a placeholder's keychain entry read first (see reread). */
  async readLinkTarget(providerId: string, linkTo: string): Promise<AccountRecord> {
    return this.reread(this.linkTarget(providerId, linkTo));
  }

  /**
   * A keychain item name for a sign-in that is starting, its entry opening now (item-keys.ts),
   * or null where names are account ids. Give it back with releaseItemKey when the sign-in ends.
   */
  reserveItemKey(): string | null {
    return this.#slots.reserve();
  }

  /** The sign-in `key` was reserved for has ended; unless an account's item took it, it is kept. */
  releaseItemKey(key: string | null): void {
    if (key && ![...this.#records.values()].some((r) => r.itemKey === key))
      this.#slots.giveBack(key);
  }

  /**
   * Readies the keychain entry of a known account a sign-in is about to save (SecretStore.warm):
   * its session set-up then overlaps the provider's last requests instead of preceding the
   * write. A new account's item was reserved, and its entry opened, when the sign-in started.
   */
  warmEntry(providerId: string, sub: string): void {
    const known = isAcceptableSub(sub) ? this.#records.get(accountIdOf(providerId, sub)) : null;
    if (known) this.#o.store.warm?.(known.itemKey);
  }

  /** Turns a verified grant into a stored account (replacing an earlier one of that identity). */
  async adopt(
    module: ProviderModule,
    grant: Grant,
    how: {
      attemptId: string;
      linkTo: string | null;
      status: SessionStatus;
      signal?: AbortSignal;
      /** The item name reserved for this sign-in (reserveItemKey), for an account not yet known. */
      itemKey?: string | null;
    },
  ): Promise<AccountRecord> {
    const providerId = module.info.id;
    if (!isAcceptableSub(grant.identity.sub))
      throw new GatehouseError(
        'account_id_too_long',
        `${module.info.displayName} identifies this account with an id (sub) that is not text of ` +
          `at most ${MAX_SUB_BYTES} bytes; Gatehouse cannot keep it.`,
      );
    const accountId = accountIdOf(providerId, grant.identity.sub);
    // For a provider that named no sub earlier, the entry opens while the avatar is fetched.
    this.warmEntry(providerId, grant.identity.sub);
    const claims = await withAvatar(grant.identity.claims, this.#o.resolveAvatar);
    const profileId = how.linkTo
      ? await this.#linkProfile(providerId, how.linkTo)
      : (this.#records.get(accountId)?.stored.profileId ?? null);
    // Cancelled or superseded before its keychain write begins: the attempt saves nothing.
    how.signal?.throwIfAborted();
    const stored = storedAccountOf(module, grant, { claims, profileId, savedAt: this.#o.now() });
    const providerName = module.info.displayName;
    // A known account's item keeps its name: its entry is the one readied, and nothing is left over.
    const itemKey = this.#records.get(accountId)?.itemKey ?? how.itemKey ?? accountId;
    const record: AccountRecord = {
      stored,
      itemKey,
      providerName,
      status: how.status,
      remembered: false,
    };
    // "Signed in" waits for the keychain, the truth; its index entry follows with any others
    // (restore adopts an item whose entry a crash lost), off the sign-in's critical path.
    await this.persist(record, how.attemptId, 'soon');
    this.#records.set(accountId, record);
    this.#unreadable = this.#unreadable.filter((item) => item.accountId !== accountId);
    return record;
  }

  /** Keychain first, then the index, now or soon (account-persistence.ts). */
  persist(record: AccountRecord, attemptId: string | null, index?: 'now' | 'soon'): Promise<void> {
    return persist(this.#persistence, record, attemptId, index);
  }

  /**
   * Saves a refresh's tokens; true when the refresh token rotated, null (nothing saved) when the
   * account was signed out or replaced meanwhile. The rotated refresh token is in the keychain
   * when this resolves (RFC 9700 §4.14).
   */
  async saveRefreshed(
    record: AccountRecord,
    result: RefreshResult,
    attemptId: string,
  ): Promise<boolean | null> {
    if (!this.isCurrent(record)) return null;
    return persistRefreshed(this.#persistence, record, result, attemptId);
  }

  /** Re-reads the keychain; adopts newer tokens another process (the command line) wrote. */
  adoptNewerFromStore(record: AccountRecord): Promise<boolean> {
    return adoptNewer(this.#persistence, record);
  }

  /** The session ended: the tokens go; the index keeps the card ("sign in again"). */
  async forgetTokens(record: AccountRecord): Promise<void> {
    // Signed out or replaced meanwhile: those tokens are no longer this record's to delete.
    if (this.isCurrent(record)) await deleteTokens(this.#persistence, record);
  }

  /**
   * Sign-out: keychain entry, index entry and the account itself, and any other item of the
   * account (another process signed it in at the same time under a name of its own), so that
   * no restore brings the account back.
   */
  async remove(accountId: string): Promise<void> {
    const itemKey = this.#records.get(accountId)?.itemKey ?? accountId;
    const deleted = await this.#o.store.delete(itemKey).then(
      () => true,
      () => false,
    );
    for (const other of await itemsOfAccount(this.#o.store, accountId))
      if (other !== itemKey) await this.#o.store.delete(other).catch(() => undefined);
    await this.#o.index.remove(accountId).catch(() => undefined);
    this.#records.delete(accountId);
    // Its entry is open and its item gone: the next new account's sign-in takes the name, instead
    // of opening another entry, each of which holds a D-Bus connection until it is collected.
    if (deleted && isSlotKey(itemKey)) this.#slots.giveBack(itemKey);
  }

  /** A placeholder is read again first: its stored entry keeps its tokens. */
  async unlink(accountId: string): Promise<void> {
    const record = await this.reread(this.require(accountId));
    record.stored.profileId = null;
    await this.persist(record, null);
  }

  /** Restores accounts without the network, and repairs the index (account-restore.ts). */
  async restore(): Promise<RestoreResult<AccountRecord>> {
    const result = await restoreAccounts<AccountRecord>({
      store: this.#o.store,
      index: this.#o.index,
      isConfigured: (providerId) => this.#o.providers().has(providerId),
      keep: (stored, itemKey) => this.#restoreOne(stored, itemKey),
      discard: (itemKey) => this.#o.store.delete(itemKey).then(() => undefined),
      keepPlaceholder: (entry, status, remembered) => {
        const name = this.#providerName(entry.providerId);
        this.#records.set(entry.accountId, placeholderOf(entry, name, status, remembered));
      },
      reindex: (record) => this.persist(record, null),
      reindexSoon: (record) => reindexSoon(this.#persistence, record),
    });
    this.#unreadable = result.unreadable;
    return result;
  }

  #restoreOne(stored: StoredAccount, itemKey: string): AccountRecord {
    const module = this.#o.providers().get(stored.providerId);
    const record = restoredRecordOf(stored, itemKey, {
      module,
      providerName: this.#providerName(stored.providerId),
      now: this.#o.now(),
      remembered: this.#o.store.backend.kind === 'keychain',
    });
    this.#records.set(recordId(record), record);
    return record;
  }

  async #linkProfile(providerId: string, linkTo: string): Promise<string> {
    const target = await this.readLinkTarget(providerId, linkTo);
    if (target.stored.profileId) return target.stored.profileId;
    // Linking is by (provider, sub) only: an email address is never an identity.
    target.stored.profileId = randomUUID();
    await this.persist(target, null);
    return target.stored.profileId;
  }

  #providerName(providerId: string): string {
    return this.#o.providers().get(providerId)?.info.displayName ?? providerId;
  }

  #lastsUntilSignOut(record: AccountRecord): boolean {
    const module = this.#o.providers().get(record.stored.providerId);
    return record.stored.tokens.expiresAt === null || !module?.refresh;
  }
}
