/**
 * A sign-in attempt while it is pending: what the session manager keeps of it between the start
 * and the save (or the failure), and the watch that follows a signed-in attempt's link.
 */
import type { AccountSnapshot, PendingSnapshot, SessionStatus } from '../../../shared/session';
import type { GatehouseError } from '../../ports/errors';
import type { ProviderModule } from '../providers/types';
import type { ReplyOutcome } from '../reply-pages';
import type { SignInLog } from '../sign-in-log';
import type { SignInPhase } from './attempt-runner';
import { initialStatus } from './state-machine';

export interface PendingState {
  attemptId: string;
  providerId: string;
  method: 'browser' | 'device';
  status: SessionStatus;
  phase: SignInPhase;
  authorizationUrl: string | null;
  freshStart: (() => string) | null;
  /** Answers the browser tab that brought the callback (attempt-runner.ts); null before it. */
  answerTab: ((outcome: ReplyOutcome) => void) | null;
  /** Set once signed in: the account a later reuse of the sign-in link signs out. */
  accountId: string | null;
  abort: AbortController;
  linkTo: string | null;
  /** The keychain item name reserved for a new account (AccountRepository.reserveItemKey). */
  itemKey: string | null;
  done: Promise<AccountSnapshot>;
  settle: { resolve: (a: AccountSnapshot) => void; reject: (e: unknown) => void };
}

/** A new attempt, its log entry started, its `done` settled later by the session manager. */
export function newPending(
  module: ProviderModule,
  method: PendingState['method'],
  linkTo: string | null,
  context: { log: SignInLog; now: () => number },
): PendingState {
  const providerId = module.info.id;
  let settle!: PendingState['settle'];
  const done = new Promise<AccountSnapshot>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined);
  const deadline = context.now() + module.signInTimeoutMs;
  return {
    attemptId: context.log.start(providerId),
    providerId,
    method,
    status: initialStatus({ type: 'sign-in-started', deadline }),
    phase: 'start',
    authorizationUrl: null,
    freshStart: null,
    answerTab: null,
    accountId: null,
    abort: new AbortController(),
    linkTo,
    itemKey: null,
    done,
    settle,
  };
}

/** Why the attempt was aborted (cancelled, superseded, shut down), if it was. */
export function abortReason(pending: PendingState): GatehouseError | undefined {
  const { signal } = pending.abort;
  return signal.aborted ? (signal.reason as GatehouseError) : undefined;
}

/** The window's view of a pending attempt: which provider, which way, and its status. */
export function pendingSnapshotOf(p: PendingState): PendingSnapshot {
  return { providerId: p.providerId, attemptId: p.attemptId, method: p.method, status: p.status };
}
