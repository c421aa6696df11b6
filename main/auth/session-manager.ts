/**
 * Sessions: every account and every pending sign-in, their states (a tagged union), their
 * persistence and their refresh. It is the engine's single owner of tokens; what leaves it is a
 * SessionsSnapshot of display claims and statuses. Every change is emitted.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../../shared/errors';
import type {
  AccountSnapshot,
  PendingSnapshot,
  ProfileSnapshot,
  SessionStatus,
  SessionsSnapshot,
} from '../../shared/session';
import type { SecretStore } from '../secrets/secret-store';
import { noLock, type AccountIndexPort, type AccountLock } from './account-registry';
import { beginBrowserAttempt, type RunningAttempt } from './browser-attempt';
import { GatehouseError } from '../ports/errors';
import type { Grant, ProviderModule, TokenSet } from './providers/types';
import { Semaphore } from './semaphore';
import type { SignInLog } from './sign-in-log';
import {
  accountIdOf,
  decodeStoredAccount,
  encodeStoredAccount,
  type StoredAccount,
} from './stored-account';

export interface SessionManagerOptions {
  providers: () => ReadonlyMap<string, ProviderModule>;
  store: SecretStore;
  index: AccountIndexPort;
  lock?: AccountLock;
  openBrowser: (url: string) => Promise<void>;
  log: SignInLog;
  now?: () => number;
  random?: () => number;
  /** Refresh this long before expiry (default 5 minutes, at most a quarter of the lifetime). */
  refreshLeadMs?: number;
  refreshConcurrency?: number;
  /** Called after a successful callback: the app brings its window to the front. */
  onSignedIn?: (accountId: string) => void;
  /** Turns a remote avatar URL into a data: URL (or drops it); see avatar.ts. */
  resolveAvatar?: (url: string) => Promise<string | undefined>;
}

interface AccountState {
  stored: StoredAccount;
  providerName: string;
  status: SessionStatus;
  remembered: boolean;
  timer: NodeJS.Timeout | null;
  failures: number;
}

interface PendingState {
  attemptId: string;
  providerId: string;
  method: 'browser' | 'device';
  status: SessionStatus;
  running: RunningAttempt | null;
  abort: AbortController;
  linkTo: string | null;
  done: Promise<AccountSnapshot>;
}

export interface StartedSignIn {
  attemptId: string;
  /** What the browser should open (or what "copy link" copies). */
  url: string | null;
  done: Promise<AccountSnapshot>;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
const DEFAULT_LEAD_MS = 5 * 60 * 1000;

export class SessionManager {
  readonly #o: Required<Omit<SessionManagerOptions, 'onSignedIn' | 'resolveAvatar'>> &
    Pick<SessionManagerOptions, 'onSignedIn' | 'resolveAvatar'>;
  readonly #accounts = new Map<string, AccountState>();
  readonly #pending = new Map<string, PendingState>();
  readonly #refreshing = new Map<string, Promise<void>>();
  readonly #listeners = new Set<(snapshot: SessionsSnapshot) => void>();
  readonly #semaphore: Semaphore;
  #disposed = false;

  constructor(options: SessionManagerOptions) {
    this.#o = {
      lock: noLock,
      now: Date.now,
      random: Math.random,
      refreshLeadMs: DEFAULT_LEAD_MS,
      refreshConcurrency: 4,
      ...options,
    };
    this.#semaphore = new Semaphore(this.#o.refreshConcurrency);
  }

  get storage() {
    return this.#o.store.backend;
  }

  onChange(listener: (snapshot: SessionsSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  snapshot(): SessionsSnapshot {
    const accounts = [...this.#accounts.values()].map((a) => this.#accountSnapshot(a));
    accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
    const pending: PendingSnapshot[] = [...this.#pending.values()].map((p) => ({
      providerId: p.providerId,
      attemptId: p.attemptId,
      method: p.method,
      status: p.status,
    }));
    return { accounts, pending };
  }

  profiles(): ProfileSnapshot[] {
    const byProfile = new Map<string, string[]>();
    for (const account of this.#accounts.values()) {
      const id = account.stored.profileId;
      if (id)
        byProfile.set(id, [
          ...(byProfile.get(id) ?? []),
          account.stored.providerId + ':' + account.stored.sub,
        ]);
    }
    return [...byProfile.entries()].map(([profileId, accountIds]) => ({
      profileId,
      accountIds: accountIds.sort((a, b) => a.localeCompare(b)),
    }));
  }

  // ---- sign-in -------------------------------------------------------------------------------

  /**
   * Starts a sign-in. Resolves once the browser is opened (or the link is ready, or the device
   * code is shown); `done` settles when the attempt ends. A new sign-in for the same provider
   * cancels the pending one.
   */
  async signIn(
    providerId: string,
    options: { method?: 'browser' | 'device'; openBrowser?: boolean; linkTo?: string } = {},
  ): Promise<StartedSignIn> {
    const module = this.#module(providerId);
    const method = options.method ?? 'browser';
    if (method === 'device' && !module.startDeviceAuthorization) {
      throw new GatehouseError(
        'device_flow_unsupported',
        `${module.info.displayName} does not offer sign-in with a code.`,
      );
    }
    this.cancel(providerId, 'superseded');
    const log = this.#o.log;
    const attemptId = log.start(providerId);
    const abort = new AbortController();
    let settle!: { resolve: (a: AccountSnapshot) => void; reject: (e: unknown) => void };
    const done = new Promise<AccountSnapshot>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined);
    const pending: PendingState = {
      attemptId,
      providerId,
      method,
      status: {
        kind: 'waiting-for-browser',
        deadline: this.#o.now() + module.signInTimeoutMs,
        browserReached: false,
      },
      running: null,
      abort,
      linkTo: options.linkTo ?? null,
      done,
    };
    this.#pending.set(providerId, pending);
    this.#emit();

    const fail = (error: unknown) => {
      const e =
        error instanceof GatehouseError
          ? error
          : new GatehouseError('internal', 'The sign-in failed unexpectedly.', { cause: error });
      if (this.#pending.get(providerId) === pending) {
        if (e.code === 'cancelled' || e.code === 'superseded') this.#pending.delete(providerId);
        else pending.status = { kind: 'error', code: e.code, message: e.message };
        this.#emit();
      }
      const outcome = e.code === 'cancelled' || e.code === 'superseded' ? 'cancelled' : 'failed';
      log.record(attemptId, outcome === 'cancelled' ? 'cancelled' : 'exchange-failed', {
        code: e.code,
      });
      log.finish(attemptId, outcome, null, e.code);
      settle.reject(e);
      return e;
    };

    try {
      let grant: Promise<Grant>;
      let url: string | null = null;
      if (method === 'device') {
        const device = await module.startDeviceAuthorization!();
        log.record(attemptId, 'browser-opened', { detail: 'device flow' });
        pending.status = {
          kind: 'device-code',
          deadline: device.expiresAt,
          userCode: device.userCode,
          verificationUri: device.verificationUri,
        };
        url = device.verificationUriComplete ?? device.verificationUri;
        grant = device.poll(abort.signal);
      } else {
        const running = await beginBrowserAttempt(
          module,
          {
            onPortBound: (port) => log.record(attemptId, 'port-bound', { port }),
            onBrowserReached: () => {
              log.record(attemptId, 'browser-reached-loopback');
              if (pending.status.kind === 'waiting-for-browser') {
                pending.status = { ...pending.status, browserReached: true };
                this.#emit();
              }
            },
            onCallbackIgnored: (reason) =>
              log.record(attemptId, 'callback-ignored', {
                detail:
                  reason === 'duplicate parameters' ? 'duplicate parameters' : 'not this attempt',
              }),
            onCallbackReceived: () => {
              log.record(attemptId, 'callback-received');
              pending.status = { kind: 'exchanging' };
              this.#emit();
            },
          },
          this.#o.now,
        );
        pending.running = running;
        abort.signal.addEventListener(
          'abort',
          () => running.cancel(abort.signal.reason as GatehouseError),
          { once: true },
        );
        pending.status = {
          kind: 'waiting-for-browser',
          deadline: running.deadline,
          browserReached: false,
        };
        url = running.startUrl;
        grant = running.grant;
        if (options.openBrowser !== false) {
          try {
            await this.#o.openBrowser(running.startUrl);
            log.record(attemptId, 'browser-opened');
          } catch (error) {
            running.cancel(
              new GatehouseError(
                'browser_open_failed',
                'The browser could not be opened. Use "Copy sign-in link" instead.',
                { cause: error },
              ),
            );
          }
        }
      }
      if (abort.signal.aborted) throw abort.signal.reason;
      this.#emit();
      void grant
        .then(async (g) => {
          if (this.#pending.get(providerId) !== pending)
            throw new GatehouseError('superseded', 'A newer sign-in replaced this one.');
          const snapshot = await this.#adopt(module, g, attemptId, pending.linkTo);
          this.#pending.delete(providerId);
          log.record(attemptId, 'exchange-succeeded');
          log.finish(attemptId, 'signed-in', snapshot.accountId);
          this.#emit();
          this.#o.onSignedIn?.(snapshot.accountId);
          settle.resolve(snapshot);
        })
        .catch(fail);
      return { attemptId, url, done };
    } catch (error) {
      throw fail(error);
    }
  }

  /** "Open browser again": the provider's authorization URL for the pending attempt. */
  authorizationUrlOf(providerId: string): string {
    const pending = this.#pending.get(providerId);
    if (!pending?.running)
      throw new GatehouseError('cancelled', 'There is no sign-in waiting for the browser.');
    return pending.running.authorizationUrl;
  }

  async openBrowserAgain(providerId: string): Promise<void> {
    await this.#o.openBrowser(this.authorizationUrlOf(providerId));
  }

  /** Cancels the pending sign-in of a provider, if any. */
  cancel(providerId: string, why: 'cancelled' | 'superseded' = 'cancelled'): boolean {
    const pending = this.#pending.get(providerId);
    if (!pending) return false;
    this.#pending.delete(providerId);
    const reason =
      why === 'superseded'
        ? new GatehouseError('superseded', 'A newer sign-in replaced this one.')
        : new GatehouseError('cancelled', 'The sign-in was cancelled.');
    pending.abort.abort(reason);
    pending.running?.cancel(reason);
    this.#emit();
    return true;
  }

  /** Turns a verified grant into a stored, signed-in account. Keychain first, then the index. */
  async #adopt(
    module: ProviderModule,
    grant: Grant,
    attemptId: string,
    linkTo: string | null,
  ): Promise<AccountSnapshot> {
    const providerId = module.info.id;
    const accountId = accountIdOf(providerId, grant.identity.sub);
    const existing = this.#accounts.get(accountId);
    let profileId = existing?.stored.profileId ?? null;
    if (linkTo) {
      const target = this.#accounts.get(linkTo);
      if (!target)
        throw new GatehouseError(
          'account_unknown',
          'The account to link to is no longer signed in.',
        );
      if (target.stored.providerId === providerId) {
        throw new GatehouseError(
          'provider_misconfigured',
          'An identity can only be linked to an account of another provider.',
        );
      }
      // Linking is by (provider, sub) only: the XWMS seed's rule that an email is not an identity.
      profileId = target.stored.profileId ?? randomUUID();
      if (!target.stored.profileId) {
        target.stored.profileId = profileId;
        await this.#persist(target, null);
      }
    }
    const claims = { ...grant.identity.claims };
    if (claims.picture && !claims.picture.startsWith('data:')) {
      const avatar = await this.#o.resolveAvatar?.(claims.picture);
      if (avatar) claims.picture = avatar;
      else delete claims.picture;
    }
    const stored: StoredAccount = {
      v: 1,
      providerId,
      providerKind: module.info.kind,
      sub: grant.identity.sub,
      claims,
      tokens: grant.tokens,
      profileId,
      savedAt: this.#o.now(),
    };
    if (existing?.timer) clearTimeout(existing.timer);
    const state: AccountState = {
      stored,
      providerName: module.info.displayName,
      status: { kind: 'signed-in', expiresAt: grant.tokens.expiresAt },
      remembered: false,
      timer: null,
      failures: 0,
    };
    await this.#persist(state, attemptId);
    this.#accounts.set(accountId, state);
    this.#schedule(state);
    return this.#accountSnapshot(state);
  }

  /**
   * Writes the account's keychain entry, then its index entry. A keychain failure keeps the
   * session for this run only ("not remembered"), never a plaintext fallback.
   */
  async #persist(state: AccountState, attemptId: string | null): Promise<void> {
    const accountId = accountIdOf(state.stored.providerId, state.stored.sub);
    try {
      await this.#o.store.set(accountId, encodeStoredAccount(state.stored));
      state.remembered = this.#o.store.backend.kind === 'keychain';
      if (attemptId)
        this.#o.log.record(
          attemptId,
          'keychain-written',
          state.remembered ? {} : { detail: 'not remembered' },
        );
    } catch (error) {
      state.remembered = false;
      const code = (error as { code?: ErrorCode }).code ?? 'keychain_write_failed';
      if (attemptId) this.#o.log.record(attemptId, 'keychain-write-failed', { code });
      return;
    }
    if (!state.remembered) return;
    await this.#o.index
      .upsert({
        accountId,
        providerId: state.stored.providerId,
        providerKind: state.stored.providerKind,
        sub: state.stored.sub,
        claims: state.stored.claims,
        expiresAt: state.stored.tokens.expiresAt,
        lastsUntilSignOut: this.#lastsUntilSignOut(state),
        profileId: state.stored.profileId,
        updatedAt: this.#o.now(),
      })
      .catch(() => undefined); // The keychain entry is the truth; the index is repaired at restore.
  }

  // ---- refresh -------------------------------------------------------------------------------

  /** Refreshes one account now; single-flight per account. */
  refresh(accountId: string): Promise<void> {
    const state = this.#accounts.get(accountId);
    if (!state)
      return Promise.reject(
        new GatehouseError('account_unknown', 'That account is not signed in.'),
      );
    const running = this.#refreshing.get(accountId);
    if (running) return running;
    const job = this.#semaphore
      .run(() => this.#o.lock(accountId, () => this.#refreshLocked(accountId, state)))
      .finally(() => this.#refreshing.delete(accountId));
    this.#refreshing.set(accountId, job);
    return job;
  }

  async #refreshLocked(accountId: string, state: AccountState): Promise<void> {
    const module = this.#module(state.stored.providerId);
    if (!module.refresh)
      throw new GatehouseError(
        'refresh_failed',
        `${module.info.displayName} sessions cannot be renewed; they last until sign-out.`,
      );
    const attemptId = this.#o.log.start(state.stored.providerId, 'refresh', accountId);
    const previousExpiry = state.stored.tokens.expiresAt;
    state.status = { kind: 'refreshing', expiresAt: previousExpiry };
    this.#emit();
    // Another process (the command line, a second copy) may have rotated the token already.
    await this.#adoptNewerFromStore(state);
    try {
      const result = await module.refresh(state.stored.tokens, {
        sub: state.stored.sub,
        claims: state.stored.claims,
      });
      const rotated = result.tokens.refreshToken !== state.stored.tokens.refreshToken;
      const next: StoredAccount = {
        ...state.stored,
        claims: result.claims ? { ...state.stored.claims, ...result.claims } : state.stored.claims,
        tokens: result.tokens,
        savedAt: this.#o.now(),
      };
      // RFC 9700 §4.14: the rotated refresh token reaches the keychain before anything uses or
      // announces the new access token.
      const candidate: AccountState = { ...state, stored: next };
      await this.#persist(candidate, attemptId);
      if (state.remembered && !candidate.remembered && rotated) {
        this.#o.log.record(attemptId, 'keychain-write-failed', { code: 'keychain_write_failed' });
      }
      state.stored = next;
      state.remembered = candidate.remembered;
      state.failures = 0;
      state.status = { kind: 'signed-in', expiresAt: next.tokens.expiresAt };
      this.#o.log.record(attemptId, 'refreshed', {
        detail: rotated ? 'rotated' : 'kept refresh token',
      });
      this.#o.log.finish(attemptId, 'refresh', accountId);
      this.#schedule(state);
      this.#emit();
    } catch (error) {
      const e =
        error instanceof GatehouseError
          ? error
          : new GatehouseError('refresh_failed', 'The session could not be renewed.', {
              cause: error,
            });
      this.#o.log.record(attemptId, 'refresh-failed', { code: e.code });
      this.#o.log.finish(attemptId, 'failed', accountId, e.code);
      if (e.code === 'session_expired' && (await this.#adoptNewerFromStore(state))) {
        // invalid_grant because another process rotated first: its token is good.
        this.#o.log.record(attemptId, 'refreshed', { detail: 'adopted from another process' });
        state.status = { kind: 'signed-in', expiresAt: state.stored.tokens.expiresAt };
        this.#schedule(state);
        this.#emit();
        return;
      }
      if (e.code === 'session_expired' || e.code === 'refresh_identity_changed') {
        await this.#expire(state, e);
        throw e;
      }
      // Network trouble: keep the session, retry with exponential backoff and jitter.
      state.failures++;
      const stillValid = previousExpiry === null || previousExpiry > this.#o.now();
      state.status = stillValid
        ? { kind: 'signed-in', expiresAt: previousExpiry }
        : { kind: 'error', code: e.code, message: e.message };
      const backoff = Math.min(5 * 60_000, 5_000 * 2 ** Math.min(state.failures - 1, 6));
      this.#arm(state, backoff + this.#o.random() * backoff * 0.2);
      this.#emit();
      throw e;
    }
  }

  /** Re-reads the keychain; adopts a different (newer) refresh token written by another process. */
  async #adoptNewerFromStore(state: AccountState): Promise<boolean> {
    if (!state.remembered) return false;
    const accountId = accountIdOf(state.stored.providerId, state.stored.sub);
    const raw = await this.#o.store.get(accountId).catch(() => null);
    const latest = raw ? decodeStoredAccount(raw) : null;
    if (!latest || latest.sub !== state.stored.sub) return false;
    if (
      latest.tokens.refreshToken === state.stored.tokens.refreshToken &&
      latest.tokens.accessToken === state.stored.tokens.accessToken
    )
      return false;
    if (latest.savedAt < state.stored.savedAt) return false;
    state.stored = latest;
    return true;
  }

  async #expire(state: AccountState, reason: GatehouseError) {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    state.status = { kind: 'expired', reason: reason.message };
    // The tokens are useless now; only the display claims stay, so the card can say "sign in again".
    const accountId = accountIdOf(state.stored.providerId, state.stored.sub);
    await this.#o.store.delete(accountId).catch(() => undefined);
    await this.#o.index
      .upsert({
        accountId,
        providerId: state.stored.providerId,
        providerKind: state.stored.providerKind,
        sub: state.stored.sub,
        claims: state.stored.claims,
        expiresAt: 0,
        lastsUntilSignOut: false,
        profileId: state.stored.profileId,
        updatedAt: this.#o.now(),
      })
      .catch(() => undefined);
    this.#emit();
  }

  #schedule(state: AccountState) {
    const { expiresAt, refreshToken } = state.stored.tokens;
    const module = this.#o.providers().get(state.stored.providerId);
    if (expiresAt === null || !refreshToken || !module?.refresh) return;
    const remaining = expiresAt - this.#o.now();
    const lifetime = Math.max(0, expiresAt - state.stored.savedAt);
    const lead = Math.min(this.#o.refreshLeadMs, lifetime / 4 || this.#o.refreshLeadMs);
    const jitter = this.#o.random() * Math.min(30_000, lead / 5);
    this.#arm(state, Math.max(0, remaining - lead - jitter));
  }

  #arm(state: AccountState, delay: number) {
    if (state.timer) clearTimeout(state.timer);
    if (this.#disposed) return;
    const accountId = accountIdOf(state.stored.providerId, state.stored.sub);
    state.timer = setTimeout(
      () => {
        state.timer = null;
        this.refresh(accountId).catch(() => undefined); // failures are reflected in the status
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    state.timer.unref?.();
  }

  // ---- sign-out, linking, restore -----------------------------------------------------------

  /** Revokes where the provider can (RFC 7009), then forgets locally either way. */
  async signOut(accountId: string): Promise<{ revoked: boolean; warning: string | null }> {
    const state = this.#accounts.get(accountId);
    if (!state) throw new GatehouseError('account_unknown', 'That account is not signed in.');
    const attemptId = this.#o.log.start(state.stored.providerId, 'sign-out', accountId);
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    let revoked = false;
    let warning: string | null = null;
    const module = this.#o.providers().get(state.stored.providerId);
    if (module?.revoke && state.status.kind !== 'expired') {
      try {
        revoked = await module.revoke(state.stored.tokens);
      } catch (error) {
        warning =
          error instanceof GatehouseError
            ? error.message
            : 'The provider could not be told about the sign-out.';
      }
    }
    this.#o.log.record(attemptId, 'signed-out', { detail: revoked ? 'revoked' : 'local only' });
    await this.#o.store.delete(accountId).catch(() => undefined);
    await this.#o.index.remove(accountId).catch(() => undefined);
    this.#accounts.delete(accountId);
    this.#o.log.finish(attemptId, 'sign-out', accountId);
    this.#emit();
    return { revoked, warning };
  }

  async unlink(accountId: string): Promise<void> {
    const state = this.#accounts.get(accountId);
    if (!state) throw new GatehouseError('account_unknown', 'That account is not signed in.');
    state.stored.profileId = null;
    await this.#persist(state, null);
    this.#emit();
  }

  /**
   * Restores accounts from the index and the keychain without touching the network; those near
   * expiry refresh in the background. Mismatches between index and keychain are repaired.
   */
  async restore(): Promise<{ restored: number; repaired: number }> {
    const entries = await this.#o.index.list().catch(() => []);
    // One bulk read where the store offers it; if that fails (a locked collection, say), each
    // account is read on its own below, so every account gets its own precise error state.
    const bulk = this.#o.store.readAll ? await this.#o.store.readAll().catch(() => null) : null;
    // Missing from the bulk read is confirmed with a direct read before anything is repaired.
    const read = async (accountId: string) =>
      bulk?.get(accountId) ?? (await this.#o.store.get(accountId));
    let repaired = 0;
    const seen = new Set<string>();
    await Promise.all(
      entries.map(async (entry) => {
        seen.add(entry.accountId);
        const module = this.#o.providers().get(entry.providerId);
        let raw: string | null;
        try {
          raw = await read(entry.accountId);
        } catch (error) {
          // Keychain unreadable (locked, denied): show the account, but it cannot be used.
          this.#accounts.set(entry.accountId, {
            stored: {
              v: 1,
              providerId: entry.providerId,
              providerKind: entry.providerKind,
              sub: entry.sub,
              claims: entry.claims,
              tokens: { accessToken: '', expiresAt: 0 },
              profileId: entry.profileId,
              savedAt: entry.updatedAt,
            },
            providerName: module?.info.displayName ?? entry.providerId,
            status: {
              kind: 'error',
              code: (error as { code?: ErrorCode }).code ?? 'keychain_unavailable',
              message: (error as Error).message,
            },
            remembered: false,
            timer: null,
            failures: 0,
          });
          return;
        }
        const stored = raw ? decodeStoredAccount(raw) : null;
        if (!stored || stored.sub !== entry.sub || stored.providerId !== entry.providerId) {
          repaired++;
          if (raw) await this.#o.store.delete(entry.accountId).catch(() => undefined);
          if (entry.expiresAt === 0) {
            // An expired account keeps its card ("sign in again") without a keychain entry.
            this.#addExpired(entry, module?.info.displayName ?? entry.providerId);
            return;
          }
          await this.#o.index.remove(entry.accountId).catch(() => undefined);
          return;
        }
        this.#restoreOne(stored, module);
      }),
    );
    // The reverse repair: a keychain entry whose index entry was lost (crash between the writes).
    const listIds = (this.#o.store as { listAccountIds?: () => Promise<string[]> }).listAccountIds;
    if (bulk || listIds) {
      const ids = bulk
        ? [...bulk.keys()]
        : await listIds!.call(this.#o.store).catch(() => [] as string[]);
      for (const id of ids.filter((i) => !seen.has(i))) {
        const raw = await read(id).catch(() => null);
        const stored = raw ? decodeStoredAccount(raw) : null;
        if (!stored) {
          await this.#o.store.delete(id).catch(() => undefined);
          repaired++;
          continue;
        }
        const state = this.#restoreOne(stored, this.#o.providers().get(stored.providerId));
        await this.#persist(state, null);
        repaired++;
      }
    }
    this.#emit();
    return { restored: this.#accounts.size, repaired };
  }

  #restoreOne(stored: StoredAccount, module: ProviderModule | undefined): AccountState {
    const accountId = accountIdOf(stored.providerId, stored.sub);
    const now = this.#o.now();
    const { expiresAt, refreshToken } = stored.tokens;
    const canRefresh = Boolean(module?.refresh && refreshToken);
    const status: SessionStatus =
      expiresAt === null || expiresAt > now
        ? { kind: 'signed-in', expiresAt }
        : canRefresh
          ? { kind: 'refreshing', expiresAt }
          : { kind: 'expired', reason: 'The session has ended. Sign in again.' };
    const state: AccountState = {
      stored,
      providerName: module?.info.displayName ?? stored.providerId,
      status,
      remembered: this.#o.store.backend.kind === 'keychain',
      timer: null,
      failures: 0,
    };
    this.#accounts.set(accountId, state);
    if (status.kind !== 'expired') this.#schedule(state);
    return state;
  }

  #addExpired(
    entry: {
      accountId: string;
      providerId: string;
      providerKind: StoredAccount['providerKind'];
      sub: string;
      claims: StoredAccount['claims'];
      profileId: string | null;
      updatedAt: number;
    },
    providerName: string,
  ) {
    this.#accounts.set(entry.accountId, {
      stored: {
        v: 1,
        providerId: entry.providerId,
        providerKind: entry.providerKind,
        sub: entry.sub,
        claims: entry.claims,
        tokens: { accessToken: '', expiresAt: 0 },
        profileId: entry.profileId,
        savedAt: entry.updatedAt,
      },
      providerName,
      status: { kind: 'expired', reason: 'The session has ended. Sign in again.' },
      remembered: true,
      timer: null,
      failures: 0,
    });
  }

  /** Cancels timers and pending attempts (app quit, tests). Stored sessions stay. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const providerId of [...this.#pending.keys()]) this.cancel(providerId);
    for (const state of this.#accounts.values()) if (state.timer) clearTimeout(state.timer);
    await Promise.allSettled([...this.#refreshing.values()]);
    this.#listeners.clear();
  }

  /** Main-process use only (for API calls on the user's behalf); never crosses IPC. */
  accessTokenOf(accountId: string): string | null {
    const state = this.#accounts.get(accountId);
    return state && state.status.kind === 'signed-in' ? state.stored.tokens.accessToken : null;
  }

  /** Tests and the crash harness: the tokens currently held, to scan for leaks. */
  tokensOf(accountId: string): TokenSet | null {
    return this.#accounts.get(accountId)?.stored.tokens ?? null;
  }

  // ---- helpers -------------------------------------------------------------------------------

  #module(providerId: string): ProviderModule {
    const module = this.#o.providers().get(providerId);
    if (!module)
      throw new GatehouseError(
        'provider_unknown',
        `No provider called "${providerId}" is configured.`,
      );
    return module;
  }

  #lastsUntilSignOut(state: AccountState) {
    const module = this.#o.providers().get(state.stored.providerId);
    return state.stored.tokens.expiresAt === null || !module?.refresh;
  }

  #accountSnapshot(state: AccountState): AccountSnapshot {
    return {
      accountId: accountIdOf(state.stored.providerId, state.stored.sub),
      providerId: state.stored.providerId,
      providerKind: state.stored.providerKind,
      providerName: state.providerName,
      sub: state.stored.sub,
      claims: { ...state.stored.claims },
      status: state.status,
      remembered: state.remembered,
      lastsUntilSignOut: this.#lastsUntilSignOut(state),
      profileId: state.stored.profileId,
    };
  }

  #emit() {
    if (this.#listeners.size === 0) return;
    const snapshot = this.snapshot();
    for (const listener of this.#listeners) {
      try {
        listener(snapshot);
      } catch {
        // A failing listener (a closed window) must not break the engine.
      }
    }
  }
}
