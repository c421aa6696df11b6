import type { ErrorCode } from './errors';

/**
 * One step of a sign-in attempt's redacted timeline. No URL, token, code, verifier or secret.
 * A failed sign-in records the step of the phase that failed (main/auth/session/attempt-runner.ts).
 */
export type LogStep =
  | 'started'
  | 'port-bound'
  /** The redirect URI pre-flight's verdict (accepted, refused, unknown), before the browser. */
  | 'redirect-probed'
  | 'browser-opened'
  | 'browser-reached-loopback'
  | 'callback-received'
  | 'callback-ignored'
  | 'exchange-succeeded'
  /** Before a link or code was ready: discovery, the loopback listener, the request itself. */
  | 'start-failed'
  | 'browser-open-failed'
  /** While waiting for the browser to come back (the sign-in timeout, a closed listener). */
  | 'browser-wait-failed'
  | 'device-poll-failed'
  /** After the callback: the code exchange and the token and identity checks. */
  | 'exchange-failed'
  /** The verified grant could not become an account (the account to link to is gone). */
  | 'save-failed'
  | 'keychain-written'
  | 'keychain-write-failed'
  | 'refreshed'
  | 'refresh-failed'
  | 'signed-out'
  | 'cancelled'
  | 'finished';

export interface LogEvent {
  step: LogStep;
  /** Milliseconds since the attempt started. */
  at: number;
  port?: number;
  code?: ErrorCode;
  detail?: string;
  /** Repeats counted in this one event (ignored callbacks), so a flood cannot grow the log. */
  count?: number;
}

export interface LogEntry {
  attemptId: string;
  providerId: string;
  startedAt: number;
  durationMs: number | null;
  outcome: 'pending' | 'signed-in' | 'failed' | 'cancelled' | 'refresh' | 'sign-out';
  browserReachedLoopback: boolean;
  accountId: string | null;
  events: LogEvent[];
}
