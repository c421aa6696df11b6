/**
 * The redacted sign-in log: one timeline per attempt (provider, port, browser reached, callback,
 * outcome with error code, keychain write, durations). It outlives the account (so a person can
 * still see why a sign-in failed), is bounded in entries and bytes, and holds no URL, token or
 * secret: `record` accepts only the typed fields below, never free text from a server.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../../shared/errors';
import type { LogEntry, LogEvent, LogStep } from '../../shared/log';
import type { SignOutLogDetail } from '../../shared/sign-out-messages';

export interface SignInLogOptions {
  now: () => number;
  maxEntries?: number;
  /** Called after each change with the whole (bounded) log, to persist it; must not block. */
  persist?: (entries: LogEntry[]) => void;
  /** Resolves once everything persisted so far is on disk (app quit, end of a CLI command). */
  flush?: () => Promise<void>;
  initial?: LogEntry[];
}

export class SignInLog {
  readonly #entries: LogEntry[];
  readonly #now: () => number;
  readonly #max: number;
  readonly #persist: ((entries: LogEntry[]) => void) | undefined;
  readonly #flush: (() => Promise<void>) | undefined;

  constructor(options: SignInLogOptions) {
    this.#now = options.now;
    this.#max = options.maxEntries ?? 200;
    this.#persist = options.persist;
    this.#flush = options.flush;
    this.#entries = (options.initial ?? []).slice(-this.#max);
  }

  start(
    providerId: string,
    outcome: LogEntry['outcome'] = 'pending',
    accountId: string | null = null,
  ): string {
    const attemptId = randomUUID();
    this.#entries.push({
      attemptId,
      providerId,
      startedAt: this.#now(),
      durationMs: null,
      outcome,
      browserReachedLoopback: false,
      accountId,
      events: [{ step: 'started', at: 0 }],
    });
    // Rotation: the oldest attempts go first.
    while (this.#entries.length > this.#max) this.#entries.shift();
    this.#save();
    return attemptId;
  }

  record(
    attemptId: string,
    step: LogStep,
    extra: { port?: number; code?: ErrorCode; detail?: SafeDetail } = {},
  ): void {
    const entry = this.#find(attemptId);
    if (!entry) return;
    if (step === 'callback-ignored' && this.#countRepeat(entry, extra.detail)) return this.#save();
    const event: LogEvent = { step, at: this.#now() - entry.startedAt };
    if (extra.port !== undefined) event.port = extra.port;
    if (extra.code !== undefined) event.code = extra.code;
    if (extra.detail !== undefined) event.detail = extra.detail;
    if (step === 'callback-ignored') event.count = 1;
    if (entry.events.length < 50) entry.events.push(event);
    if (step === 'browser-reached-loopback') entry.browserReachedLoopback = true;
    this.#save();
  }

  finish(
    attemptId: string,
    outcome: LogEntry['outcome'],
    accountId: string | null = null,
    code?: ErrorCode,
  ): void {
    const entry = this.#find(attemptId);
    if (!entry || entry.durationMs !== null) return;
    entry.outcome = outcome;
    entry.durationMs = this.#now() - entry.startedAt;
    if (accountId) entry.accountId = accountId;
    entry.events.push({ step: 'finished', at: entry.durationMs, ...(code ? { code } : {}) });
    this.#save();
  }

  /** Sign-out: the account's id (with its sub) leaves every entry; the timelines stay. */
  forgetAccount(accountId: string): void {
    const naming = this.#entries.filter((entry) => entry.accountId === accountId);
    for (const entry of naming) entry.accountId = null;
    if (naming.length > 0) this.#save();
  }

  /** Resolves once the log is on disk as it is now. */
  async flush(): Promise<void> {
    await this.#flush?.();
  }

  list(): LogEntry[] {
    return structuredClone(this.#entries);
  }

  exportJson(): string {
    return JSON.stringify(
      { format: 'gatehouse-sign-in-log', version: 1, entries: this.#entries },
      null,
      2,
    );
  }

  #find(attemptId: string) {
    return this.#entries.find((e) => e.attemptId === attemptId);
  }

  /** Ignored callbacks are one counter per attempt and reason, not one event each. */
  #countRepeat(entry: LogEntry, detail: SafeDetail | undefined): boolean {
    const seen = entry.events.find((e) => e.step === 'callback-ignored' && e.detail === detail);
    if (seen) seen.count = (seen.count ?? 1) + 1;
    return seen !== undefined;
  }

  #save() {
    this.#persist?.(this.#entries);
  }
}

/** Fixed vocabulary for event details: the log never takes free-form text. */
export type SafeDetail =
  | 'duplicate parameters'
  | 'not this attempt'
  | 'superseded'
  | 'not remembered'
  /** One per sign-out outcome (shared/sign-out-messages.ts). */
  | SignOutLogDetail
  | 'rotated'
  | 'kept refresh token'
  | 'adopted from another process'
  | 'read from the keychain'
  | 'device flow'
  /** The redirect URI pre-flight's verdict (redirect-probe.ts). */
  | 'accepted'
  | 'refused'
  | 'unknown';
