import type { ErrorCode } from './errors';

/** One step of a sign-in attempt's redacted timeline. No URL, token, code, verifier or secret. */
export type LogStep =
  | 'started'
  | 'port-bound'
  | 'browser-opened'
  | 'browser-reached-loopback'
  | 'callback-received'
  | 'callback-ignored'
  | 'exchange-succeeded'
  | 'exchange-failed'
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
