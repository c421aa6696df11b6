/**
 * The session state machine: `(status, event) → status` over the SessionStatus union of
 * shared/session.ts. Pure: no I/O, no timers, no clock (times arrive in the events). `null` is
 * "no session yet". An event a status does not accept leaves it unchanged: the same object comes
 * back, so the caller can tell that nothing happened. test/unit/auth/state-machine.test.ts is
 * its specification.
 */
import { assertNever } from '../../../shared/assert-never';
import type { ErrorCode } from '../../../shared/errors';
import type { SessionStatus } from '../../../shared/session';
import { GatehouseError } from '../../ports/errors';

export type SessionEvent =
  /** A sign-in attempt begins; its deadline is the provider's sign-in timeout. */
  | { type: 'sign-in-started'; deadline: number }
  /** The loopback listener is up and the authorization URL is built. */
  | { type: 'listener-ready'; deadline: number }
  /** RFC 8628 §3.2: the provider issued a user code. */
  | { type: 'device-code-issued'; deadline: number; userCode: string; verificationUri: string }
  /** No browser could be opened: the attempt waits for its link to be opened by hand. */
  | { type: 'browser-not-opened' }
  | { type: 'browser-reached' }
  | { type: 'callback-received' }
  /** A verified grant: the attempt becomes a signed-in account. */
  | { type: 'granted'; expiresAt: number | null }
  | { type: 'sign-in-failed'; code: ErrorCode; message: string }
  /** Read back from the keychain at startup. */
  | { type: 'restored'; expiresAt: number | null; canRefresh: boolean; now: number }
  /** Listed in the index, but the keychain could not be read (locked, denied). */
  | { type: 'unreadable'; code: ErrorCode; message: string }
  | { type: 'refresh-started'; expiresAt: number | null }
  | { type: 'refreshed'; expiresAt: number | null }
  /** A refresh failed without ending the session (network trouble): retried later. */
  | { type: 'refresh-failed'; code: ErrorCode; message: string; now: number }
  /** The session ended (invalid_grant, another identity); only the display claims stay. */
  | { type: 'expired'; reason: string };

export type SessionEventType = SessionEvent['type'];
type From = SessionStatus['kind'] | 'none';

export const SESSION_ENDED = 'The session has ended. Sign in again.';

/** Which events each status accepts; a new status kind fails the type check until listed. */
const ACCEPTS: { readonly [K in From]: readonly SessionEventType[] } = {
  none: ['sign-in-started', 'restored', 'unreadable', 'expired'],
  'waiting-for-browser': [
    'listener-ready',
    'device-code-issued',
    'browser-not-opened',
    'browser-reached',
    'callback-received',
    'sign-in-failed',
  ],
  'device-code': ['granted', 'sign-in-failed'],
  exchanging: ['granted', 'sign-in-failed'],
  'signed-in': ['refresh-started'],
  refreshing: ['refresh-started', 'refreshed', 'refresh-failed', 'expired'],
  // A retry by hand (or by the backoff timer) from an ended or failed session is still allowed.
  expired: ['refresh-started'],
  error: ['refresh-started'],
};

export function transition(state: SessionStatus, event: SessionEvent): SessionStatus;
export function transition(state: SessionStatus | null, event: SessionEvent): SessionStatus | null;
export function transition(state: SessionStatus | null, event: SessionEvent): SessionStatus | null {
  if (!ACCEPTS[state?.kind ?? 'none'].includes(event.type)) return state;
  return target(state, event);
}

/** The first status of a new session (a sign-in attempt, a restored account). */
export function initialStatus(event: SessionEvent): SessionStatus {
  const status = transition(null, event);
  if (!status) throw new GatehouseError('internal', `"${event.type}" cannot start a session.`);
  return status;
}

function target(state: SessionStatus | null, event: SessionEvent): SessionStatus | null {
  switch (event.type) {
    case 'sign-in-started':
      return { kind: 'waiting-for-browser', deadline: event.deadline, browserReached: false };
    case 'listener-ready':
      return state?.kind === 'waiting-for-browser' ? { ...state, deadline: event.deadline } : state;
    case 'device-code-issued': {
      const { deadline, userCode, verificationUri } = event;
      return { kind: 'device-code', deadline, userCode, verificationUri };
    }
    case 'browser-not-opened':
      return state?.kind === 'waiting-for-browser' ? { ...state, browserOpened: false } : state;
    case 'browser-reached':
      return state?.kind === 'waiting-for-browser' && !state.browserReached
        ? { ...state, browserReached: true }
        : state;
    case 'callback-received':
      return { kind: 'exchanging' };
    case 'granted':
    case 'refreshed':
      return { kind: 'signed-in', expiresAt: event.expiresAt };
    case 'sign-in-failed':
    case 'unreadable':
      return { kind: 'error', code: event.code, message: event.message };
    case 'restored':
      return restored(event);
    case 'refresh-started':
      return { kind: 'refreshing', expiresAt: event.expiresAt };
    case 'refresh-failed':
      return state?.kind === 'refreshing' ? refreshFailed(state.expiresAt, event) : state;
    case 'expired':
      return { kind: 'expired', reason: event.reason };
    default:
      return assertNever(event, 'session event');
  }
}

/** Valid tokens restore signed in; expired ones refresh if they can, else "sign in again". */
function restored(event: Extract<SessionEvent, { type: 'restored' }>): SessionStatus {
  const { expiresAt, canRefresh, now } = event;
  if (expiresAt === null || expiresAt > now) return { kind: 'signed-in', expiresAt };
  if (canRefresh) return { kind: 'refreshing', expiresAt };
  return { kind: 'expired', reason: SESSION_ENDED };
}

/** The old access token stays usable until it expires; after that the account needs attention. */
function refreshFailed(
  previousExpiry: number | null,
  event: Extract<SessionEvent, { type: 'refresh-failed' }>,
): SessionStatus {
  if (previousExpiry === null || previousExpiry > event.now)
    return { kind: 'signed-in', expiresAt: previousExpiry };
  return { kind: 'error', code: event.code, message: event.message };
}
