/**
 * Sessions: every account and every pending sign-in, their statuses, persistence and refresh.
 * The engine's single owner of tokens; what leaves it is a SessionsSnapshot of display claims and
 * statuses, and every change is emitted. A thin facade over the state machine, the account
 * repository, the refresh scheduler and the attempt runner in this folder.
 */
import type {
  ProfileSnapshot,
  SessionStatus,
  SessionsSnapshot,
  UnreadableItem,
} from '../../../shared/session';
import type { SignOutOutcome } from '../../../shared/sign-out';
import { GatehouseError } from '../../ports/errors';
import { noLock } from '../account-registry';
import type { Grant, ProviderModule, TokenSet } from '../providers/types';
import { accountIdOf } from '../stored-account';
import { bindingProblem } from './account-binding';
import { refreshAccount, type RefreshContext } from './account-refresh';
import { AccountRepository, recordId, type AccountRecord } from './account-repository';
import { failureStep, runAttempt } from './attempt-runner';
import { abortReason, newPending, pendingSnapshotOf, type PendingState } from './pending-attempt';
import { RefreshScheduler } from './refresh-scheduler';
import { SessionEvents } from './session-events';
import { signOutAccount } from './sign-out';
import type { SessionManagerOptions, SignInOptions, StartedSignIn } from './session-types';
import { initialStatus, transition, type SessionEvent } from './state-machine';

export type { SessionManagerOptions, SignInOptions, StartedSignIn } from './session-types';

const DEFAULT_LEAD_MS = 5 * 60 * 1000;

export class SessionManager {
  readonly #o: SessionManagerOptions & { now: () => number };
  readonly #accounts: AccountRepository;
  readonly #scheduler: RefreshScheduler;
  readonly #refreshContext: RefreshContext;
  readonly #pending = new Map<string, PendingState>();
  /** Signed-in attempts whose listener still watches for a second use of an exposed link. */
  readonly #watching = new Map<string, PendingState>();
  readonly #events = new SessionEvents<SessionsSnapshot>();
  /** Each change with its snapshot (session-events.ts). */
  readonly onChange = this.#events.onChange.bind(this.#events);
  /** Each change without one, for a consumer that reads snapshot() only when it sends one: the
   * window's throttled feed (main/ipc/snapshot-throttle.ts), which merges hundreds of them. */
  readonly onChanged = this.#events.onChanged.bind(this.#events);

  constructor(options: SessionManagerOptions) {
    const now = options.now ?? Date.now;
    this.#o = { ...options, now };
    const { store, index, providers, log, resolveAvatar } = options;
    // A placeholder read back from the keychain is scheduled as a restored account is.
    const onReread = (r: AccountRecord) => r.status.kind !== 'expired' && this.#schedule(r);
    const repository = { store, index, providers, log, now, resolveAvatar, onReread };
    this.#accounts = new AccountRepository(repository);
    this.#scheduler = new RefreshScheduler({
      now,
      random: options.random ?? Math.random,
      leadMs: options.refreshLeadMs ?? DEFAULT_LEAD_MS,
      concurrency: options.refreshConcurrency ?? 4,
      lock: options.lock ?? noLock,
      onDue: (accountId) => void this.refresh(accountId).catch(() => undefined), // in the status
    });
    this.#refreshContext = {
      accounts: this.#accounts,
      scheduler: this.#scheduler,
      log: options.log,
      now,
      apply: (record, event) => void this.#apply(record, event),
      schedule: (record) => this.#schedule(record),
      emit: () => this.#emit(),
    };
  }

  get storage() {
    return this.#o.store.backend;
  }

  snapshot(): SessionsSnapshot {
    const pending = [...this.#pending.values()].map(pendingSnapshotOf);
    const unreadable = this.#accounts.unreadable();
    return {
      accounts: this.#accounts.snapshots(),
      pending,
      ...(unreadable.length > 0 ? { unreadable } : {}),
    };
  }

  /** `gatehouse doctor`: keychain items this version cannot read, found without restoring. */
  findUnreadable(): Promise<UnreadableItem[]> {
    return this.#accounts.findUnreadable();
  }

  profiles(): ProfileSnapshot[] {
    return this.#accounts.profiles();
  }

  // ---- sign-in -------------------------------------------------------------------------------

  /**
   * Starts a sign-in. Resolves once the browser is opened (or the link is ready, or the device
   * code is shown); `done` settles when the attempt ends. A new sign-in for the same provider
   * cancels the pending one. What can be refused is refused here, before any listener or browser.
   */
  async signIn(providerId: string, options: SignInOptions = {}): Promise<StartedSignIn> {
    const module = this.#module(providerId);
    const method = options.method ?? 'browser';
    if (method === 'device' && !module.startDeviceAuthorization) {
      throw new GatehouseError(
        'device_flow_unsupported',
        `${module.info.displayName} does not offer sign-in with a code.`,
      );
    }
    if (options.linkTo) await this.#accounts.readLinkTarget(providerId, options.linkTo);
    this.cancel(providerId, 'superseded');
    this.#watching.get(providerId)?.abort.abort(new GatehouseError('superseded', 'Replaced.'));
    const pending = newPending(module, method, options.linkTo ?? null, this.#o);
    // The keychain item a new account would be saved in, its entry opening while the person
    // signs in; kept for the next sign-in if this one ends without it (item-keys.ts).
    pending.itemKey = this.#accounts.reserveItemKey();
    pending.done.then(
      () => this.#accounts.releaseItemKey(pending.itemKey),
      () => this.#accounts.releaseItemKey(pending.itemKey),
    );
    this.#pending.set(providerId, pending);
    this.#emit();
    try {
      const started = await runAttempt({
        module,
        method,
        log: this.#o.log,
        attemptId: pending.attemptId,
        now: this.#o.now,
        openBrowser: options.openBrowser === false ? null : this.#o.openBrowser,
        signal: pending.abort.signal,
        onEvent: (event) => this.#apply(pending, event) && this.#emit(),
        onPhase: (phase) => (pending.phase = phase),
        onAuthorizationUrl: (url) => (pending.authorizationUrl = url),
        onLinkReusedAfterSignIn: () => void this.#linkReused(pending),
        onSubject: (sub) => this.#accounts.warmEntry(providerId, sub),
      });
      pending.freshStart = started.freshStart;
      pending.answerTab = started.answerTab;
      this.#emit();
      void started.grant
        .then((grant) => this.#complete(module, pending, grant))
        // Cancelled or replaced mid-exchange: that reason wins over what the abort caused.
        .catch((error: unknown) => this.#fail(pending, abortReason(pending) ?? error));
      const { url, browserOpened } = started;
      return { attemptId: pending.attemptId, url, browserOpened, done: pending.done };
    } catch (error) {
      throw this.#fail(pending, error);
    }
  }

  /** The pending attempt's authorization URL, for tests in this process; no opener gets it. */
  authorizationUrlOf(providerId: string): string {
    const url = this.#pending.get(providerId)?.authorizationUrl;
    if (!url) throw new GatehouseError('cancelled', 'There is no sign-in waiting for the browser.');
    return url;
  }

  /** "Open browser again": a fresh one-time link in a fresh start page, each time. */
  async openBrowserAgain(providerId: string): Promise<void> {
    const freshStart = this.#pending.get(providerId)?.freshStart;
    if (!freshStart)
      throw new GatehouseError('cancelled', 'There is no sign-in waiting for the browser.');
    await this.#o.openBrowser(freshStart(), freshStart);
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
    pending.abort.abort(reason); // the attempt runner closes its listener or stops polling
    this.#emit();
    return true;
  }

  /** The verified grant becomes a signed-in account: keychain first, then the index. */
  async #complete(module: ProviderModule, pending: PendingState, grant: Grant) {
    // Cancelled or replaced during the exchange: that reason, as the tab was told.
    if (abortReason(pending)) throw abortReason(pending);
    if (this.#pending.get(pending.providerId) !== pending)
      throw new GatehouseError('superseded', 'A newer sign-in replaced this one.');
    pending.phase = 'save';
    const { attemptId, linkTo, itemKey } = pending;
    const status = transition(pending.status, {
      type: 'granted',
      expiresAt: grant.tokens.expiresAt,
    });
    if (status.kind !== 'signed-in')
      throw new GatehouseError('internal', 'The sign-in ended in an unexpected state.');
    // The account to link to may have signed out meanwhile; then the earlier session stays as is.
    if (linkTo) this.#accounts.linkTarget(module.info.id, linkTo);
    // An earlier session of this identity must not refresh while the new one is saved.
    this.#scheduler.cancel(accountIdOf(module.info.id, grant.identity.sub));
    const { signal } = pending.abort;
    const how = { attemptId, linkTo, status, signal, itemKey };
    const record = await this.#accounts.adopt(module, grant, how);
    this.#schedule(record);
    const snapshot = this.#accounts.snapshotOf(record);
    // Superseded during the keychain write: saved, so signed in; the newer attempt stays.
    if (this.#pending.get(pending.providerId) === pending) this.#pending.delete(pending.providerId);
    pending.accountId = snapshot.accountId;
    this.#watching.set(pending.providerId, pending);
    this.#o.log.record(attemptId, 'exchange-succeeded');
    this.#o.log.finish(attemptId, 'signed-in', snapshot.accountId);
    this.#emit();
    this.#o.onSignedIn?.(snapshot.accountId);
    pending.answerTab?.({ signedInTo: module.info.displayName });
    pending.settle.resolve(snapshot);
  }

  /** Someone else used the sign-in link after this attempt signed in: the account is theirs. It
   * is signed out, and the person is told why, in place of the attempt. */
  async #linkReused(pending: PendingState) {
    const { accountId } = pending; // the watch has ended: its listener is closed
    if (!accountId) return; // the grant was never saved: there is nothing to sign out
    const code = 'sign_in_link_reused';
    this.#o.log.record(pending.attemptId, 'signed-out', { code });
    if (!this.#pending.has(pending.providerId)) {
      const message = 'Someone else used your sign-in link: Gatehouse signed out the account.';
      const start = initialStatus({ type: 'sign-in-started', deadline: this.#o.now() });
      pending.status = transition(start, { type: 'sign-in-failed', code, message });
      this.#pending.set(pending.providerId, pending);
    }
    if (this.#accounts.get(accountId)) await this.signOut(accountId).catch(() => undefined);
    this.#emit();
  }

  /** Ends an attempt that failed or was cancelled; the log names the phase that failed. */
  #fail(pending: PendingState, error: unknown): GatehouseError {
    const e =
      error instanceof GatehouseError
        ? error
        : new GatehouseError('internal', 'The sign-in failed unexpectedly.', { cause: error });
    const cancelled = e.code === 'cancelled' || e.code === 'superseded';
    if (this.#pending.get(pending.providerId) === pending) {
      if (cancelled) this.#pending.delete(pending.providerId);
      else this.#apply(pending, { type: 'sign-in-failed', code: e.code, message: e.message });
      this.#emit();
    }
    const step = cancelled ? 'cancelled' : failureStep(pending.phase);
    this.#o.log.record(pending.attemptId, step, { code: e.code });
    this.#o.log.finish(pending.attemptId, cancelled ? 'cancelled' : 'failed', null, e.code);
    pending.answerTab?.({ failure: e.code });
    pending.settle.reject(e);
    return e;
  }

  // ---- refresh -------------------------------------------------------------------------------

  /** Refreshes one account now; single-flight per account. */
  refresh(accountId: string): Promise<void> {
    const record = this.#accounts.get(accountId);
    if (!record)
      return Promise.reject(
        new GatehouseError('account_unknown', 'That account is not signed in.'),
      );
    return this.#scheduler.run(accountId, async () => {
      // Signed out meanwhile: account_unknown; signed in again: the new session is refreshed.
      const current = this.#accounts.require(accountId);
      return refreshAccount(this.#refreshContext, this.#module(current.stored.providerId), current);
    });
  }

  #schedule(record: AccountRecord) {
    const { expiresAt } = record.stored.tokens;
    const refreshable = this.#accounts.canRefresh(record);
    this.#scheduler.schedule(recordId(record), {
      expiresAt,
      savedAt: record.stored.savedAt,
      refreshable,
    });
  }

  // ---- sign-out, linking, restore -----------------------------------------------------------

  /** Revokes where the provider can (RFC 7009), then forgets locally (sign-out.ts). */
  async signOut(accountId: string): Promise<SignOutOutcome> {
    this.#accounts.require(accountId);
    const { providers, log } = this.#o;
    const ctx = { accounts: this.#accounts, scheduler: this.#scheduler, log, providers };
    const outcome = await this.#scheduler.exclusive(accountId, () =>
      signOutAccount(ctx, accountId),
    );
    this.#emit();
    return outcome;
  }

  async unlink(accountId: string): Promise<void> {
    await this.#accounts.unlink(accountId);
    this.#emit();
  }

  /** Restores accounts without the network; those near expiry refresh in the background. */
  async restore(): Promise<{ restored: number; repaired: number }> {
    const { restored, repaired } = await this.#accounts.restore();
    for (const record of restored) if (record.status.kind !== 'expired') this.#schedule(record);
    this.#emit();
    return { restored: this.#accounts.size, repaired };
  }

  /** Cancels timers and pending attempts (app quit, tests). Stored sessions stay. */
  async dispose(): Promise<void> {
    for (const providerId of [...this.#pending.keys()]) this.cancel(providerId);
    for (const watched of this.#watching.values()) watched.abort.abort();
    this.#watching.clear();
    await this.#scheduler.dispose();
    this.#events.clear();
  }

  /** Main-process use only (for API calls on the user's behalf); never crosses IPC. */
  accessTokenOf(accountId: string): string | null {
    const record = this.#accounts.get(accountId);
    if (record?.status.kind !== 'signed-in') return null;
    const module = this.#o.providers().get(record.stored.providerId);
    return bindingProblem(record.stored, module) ? null : record.stored.tokens.accessToken;
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

  /** Every status change goes through the state machine; true when the status changed. */
  #apply(holder: { status: SessionStatus }, event: SessionEvent): boolean {
    const next = transition(holder.status, event);
    if (next === holder.status) return false;
    holder.status = next;
    return true;
  }

  #emit() {
    this.#events.emit(() => this.snapshot());
  }
}
