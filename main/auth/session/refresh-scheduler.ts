/**
 * When refreshes run: one timer per account (ahead of expiry, with jitter), exponential backoff
 * after a failed attempt, single-flight per account, a cross-process lock, and a bound on how
 * many run at once when many accounts expire together. What a refresh does is the caller's.
 */
import type { AccountLock } from '../../ports/account-index';

export interface RefreshSchedulerOptions {
  now: () => number;
  random: () => number;
  /** Refresh this long before expiry (at most a quarter of the token's lifetime). */
  leadMs: number;
  concurrency: number;
  lock: AccountLock;
  /** Called when an account's timer fires. */
  onDue: (accountId: string) => void;
}

/** What the timer needs to know about an account's tokens. */
export interface RefreshTiming {
  expiresAt: number | null;
  /** When the tokens were saved: their lifetime is expiresAt - savedAt. */
  savedAt: number;
  /** A refresh token and a provider that can use it. */
  refreshable: boolean;
}

/** setTimeout's largest delay; longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_JITTER_MS = 30_000;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 5 * 60_000;

export class RefreshScheduler {
  readonly #o: RefreshSchedulerOptions;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #failures = new Map<string, number>();
  readonly #running = new Map<string, Promise<void>>();
  /** Sign-outs under way: a refresh asked for meanwhile starts only after them. */
  readonly #exclusive = new Map<string, Promise<void>>();
  readonly #limit: Semaphore;
  #disposed = false;

  constructor(options: RefreshSchedulerOptions) {
    this.#o = options;
    this.#limit = new Semaphore(options.concurrency);
  }

  /** Runs `job` under the account's lock and the concurrency limit; joins one already running. */
  run(accountId: string, job: () => Promise<void>): Promise<void> {
    const running = this.#running.get(accountId);
    if (running) return running;
    const start = () => this.#limit.run(() => this.#o.lock(accountId, job));
    const signingOut = this.#exclusive.get(accountId);
    const next = (signingOut ? signingOut.then(start) : start()).finally(() =>
      this.#running.delete(accountId),
    );
    this.#running.set(accountId, next);
    return next;
  }

  /**
   * Sign-out: `job` runs once the account's refresh in flight has finished (its rotated token is
   * the one to revoke), under the account's lock; a refresh asked for meanwhile waits for it.
   */
  exclusive<T>(accountId: string, job: () => Promise<T>): Promise<T> {
    const before = [this.#running.get(accountId), this.#exclusive.get(accountId)];
    const next = Promise.allSettled(before).then(() => this.#o.lock(accountId, job));
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#exclusive.set(accountId, settled);
    void settled.then(() => {
      if (this.#exclusive.get(accountId) === settled) this.#exclusive.delete(accountId);
    });
    return next;
  }

  /** After a good sign-in or refresh: the next refresh, `leadMs` (with jitter) before expiry. */
  schedule(accountId: string, timing: RefreshTiming): void {
    this.cancel(accountId);
    const { expiresAt, savedAt, refreshable } = timing;
    if (expiresAt === null || !refreshable) return;
    const remaining = expiresAt - this.#o.now();
    const lifetime = Math.max(0, expiresAt - savedAt);
    const lead = Math.min(this.#o.leadMs, lifetime / 4 || this.#o.leadMs);
    const jitter = this.#o.random() * Math.min(MAX_JITTER_MS, lead / 5);
    this.#arm(accountId, Math.max(0, remaining - lead - jitter));
  }

  /** After a failed refresh that kept the session: retry with exponential backoff and jitter. */
  retryLater(accountId: string): void {
    const failures = (this.#failures.get(accountId) ?? 0) + 1;
    this.#failures.set(accountId, failures);
    const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 6));
    this.#arm(accountId, backoff + this.#o.random() * backoff * 0.2);
  }

  /** No more refreshes for this account (signed out, expired). */
  cancel(accountId: string): void {
    const timer = this.#timers.get(accountId);
    if (timer) clearTimeout(timer);
    this.#timers.delete(accountId);
    this.#failures.delete(accountId);
  }

  /** Stops every timer and waits for the refreshes in flight; nothing is armed afterwards. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#running.values()]);
  }

  #arm(accountId: string, delay: number) {
    const old = this.#timers.get(accountId);
    if (old) clearTimeout(old);
    this.#timers.delete(accountId);
    if (this.#disposed) return;
    const timer = setTimeout(
      () => {
        this.#timers.delete(accountId);
        this.#o.onDue(accountId);
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref?.();
    this.#timers.set(accountId, timer);
  }
}

/** Bounds how many jobs run at once; the rest wait in order. */
class Semaphore {
  #active = 0;
  readonly #waiting: Array<() => void> = [];
  constructor(readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit)
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active++;
    try {
      return await fn();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}
