/**
 * The session state machine (main/auth/session/state-machine.ts), as a specification: each row
 * is a status (or no session yet), an event, and the status that follows. "unchanged" rows are
 * events that status does not accept: the very same object comes back, so nothing is emitted.
 */
import { describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../../shared/session';
import {
  initialStatus,
  SESSION_ENDED,
  transition,
  type SessionEvent,
  type SessionEventType,
} from '../../../main/auth/session/state-machine';
import { GatehouseError } from '../../../main/ports/errors';

const UNCHANGED = 'unchanged';
type Expected = SessionStatus | typeof UNCHANGED;

/** Frozen, so a transition that mutated its input would throw instead of passing. */
const s = <T extends SessionStatus>(status: T): T => Object.freeze(status);

const waiting = s({ kind: 'waiting-for-browser', deadline: 1_000, browserReached: false });
const reached = s({ kind: 'waiting-for-browser', deadline: 1_000, browserReached: true });
const device = s({
  kind: 'device-code',
  deadline: 9_000,
  userCode: 'WDJB-MJHT',
  verificationUri: 'https://idp.test/device',
});
const exchanging = s({ kind: 'exchanging' });
const signedIn = s({ kind: 'signed-in', expiresAt: 2_000 });
const refreshing = s({ kind: 'refreshing', expiresAt: 2_000 });
const refreshingForever = s({ kind: 'refreshing', expiresAt: null });
const expired = s({ kind: 'expired', reason: SESSION_ENDED });
const failed = s({
  kind: 'error',
  code: 'network_error',
  message: 'The provider could not be reached.',
});

const ev = {
  started: { type: 'sign-in-started', deadline: 1_000 },
  listenerReady: { type: 'listener-ready', deadline: 5_000 },
  deviceCode: {
    type: 'device-code-issued',
    deadline: 9_000,
    userCode: 'WDJB-MJHT',
    verificationUri: 'https://idp.test/device',
  },
  reached: { type: 'browser-reached' },
  notOpened: { type: 'browser-not-opened' },
  callback: { type: 'callback-received' },
  granted: { type: 'granted', expiresAt: 8_000 },
  grantedForever: { type: 'granted', expiresAt: null },
  timedOut: {
    type: 'sign-in-failed',
    code: 'sign_in_timeout',
    message: 'The sign-in took too long.',
  },
  restoredValid: { type: 'restored', expiresAt: 2_000, canRefresh: false, now: 1_000 },
  restoredForever: { type: 'restored', expiresAt: null, canRefresh: false, now: 1_000 },
  restoredStale: { type: 'restored', expiresAt: 500, canRefresh: true, now: 1_000 },
  restoredDead: { type: 'restored', expiresAt: 500, canRefresh: false, now: 1_000 },
  unreadable: { type: 'unreadable', code: 'keychain_locked', message: 'The keychain is locked.' },
  refreshStarted: { type: 'refresh-started', expiresAt: 2_000 },
  refreshed: { type: 'refreshed', expiresAt: 8_000 },
  offlineEarly: {
    type: 'refresh-failed',
    code: 'network_error',
    message: 'The provider could not be reached.',
    now: 1_000,
  },
  offlineLate: {
    type: 'refresh-failed',
    code: 'network_error',
    message: 'The provider could not be reached.',
    now: 3_000,
  },
  ended: { type: 'expired', reason: 'The session has ended. Sign in again.' },
} satisfies Record<string, SessionEvent>;

const TABLE: Array<[from: SessionStatus | null, event: SessionEvent, expected: Expected | null]> = [
  // No session yet: a sign-in attempt or a restored account begins.
  [null, ev.started, waiting],
  [null, ev.restoredValid, signedIn],
  [null, ev.restoredForever, { kind: 'signed-in', expiresAt: null }],
  [null, ev.restoredStale, { kind: 'refreshing', expiresAt: 500 }],
  [null, ev.restoredDead, expired],
  [
    null,
    ev.unreadable,
    { kind: 'error', code: 'keychain_locked', message: 'The keychain is locked.' },
  ],
  [null, ev.ended, expired],
  [null, ev.callback, UNCHANGED],
  [null, ev.refreshStarted, UNCHANGED],
  [null, ev.granted, UNCHANGED],
  // Waiting for the browser.
  [waiting, ev.listenerReady, { ...waiting, deadline: 5_000 }],
  [reached, ev.listenerReady, { ...reached, deadline: 5_000 }],
  [waiting, ev.deviceCode, device],
  [waiting, ev.reached, reached],
  [reached, ev.reached, UNCHANGED],
  [waiting, ev.notOpened, { ...waiting, browserOpened: false }],
  [s({ ...waiting, browserOpened: false }), ev.reached, { ...reached, browserOpened: false }],
  [waiting, ev.callback, exchanging],
  [
    waiting,
    ev.timedOut,
    { kind: 'error', code: 'sign_in_timeout', message: 'The sign-in took too long.' },
  ],
  [waiting, ev.granted, UNCHANGED],
  [waiting, ev.refreshStarted, UNCHANGED],
  [waiting, ev.started, UNCHANGED],
  // Showing a device code (RFC 8628).
  [device, ev.granted, { kind: 'signed-in', expiresAt: 8_000 }],
  [
    device,
    ev.timedOut,
    { kind: 'error', code: 'sign_in_timeout', message: 'The sign-in took too long.' },
  ],
  [device, ev.callback, UNCHANGED],
  [device, ev.reached, UNCHANGED],
  [device, ev.notOpened, UNCHANGED],
  // Exchanging the code for tokens.
  [exchanging, ev.grantedForever, { kind: 'signed-in', expiresAt: null }],
  [
    exchanging,
    ev.timedOut,
    { kind: 'error', code: 'sign_in_timeout', message: 'The sign-in took too long.' },
  ],
  [exchanging, ev.reached, UNCHANGED],
  [exchanging, ev.callback, UNCHANGED],
  // Signed in: only a refresh moves it.
  [signedIn, ev.refreshStarted, refreshing],
  [signedIn, ev.refreshed, UNCHANGED],
  [signedIn, ev.offlineEarly, UNCHANGED],
  [signedIn, ev.ended, UNCHANGED],
  [signedIn, ev.granted, UNCHANGED],
  [signedIn, ev.timedOut, UNCHANGED],
  // Refreshing.
  [refreshing, ev.refreshed, { kind: 'signed-in', expiresAt: 8_000 }],
  [refreshing, ev.offlineEarly, signedIn],
  [refreshing, ev.offlineLate, failed],
  [refreshingForever, ev.offlineLate, { kind: 'signed-in', expiresAt: null }],
  [refreshing, ev.ended, expired],
  [refreshing, ev.refreshStarted, refreshing],
  [refreshing, ev.callback, UNCHANGED],
  // Expired: a retry may still be tried; nothing else moves it.
  [expired, ev.refreshStarted, refreshing],
  [expired, ev.refreshed, UNCHANGED],
  [expired, ev.restoredValid, UNCHANGED],
  // Error.
  [failed, ev.refreshStarted, refreshing],
  [failed, ev.timedOut, UNCHANGED],
  [failed, ev.refreshed, UNCHANGED],
];

const name = (status: SessionStatus | null) => status?.kind ?? '(none)';
const ROWS = TABLE.map(([from, event, expected]) => ({
  title: `${name(from)} + ${event.type} → ${expected === UNCHANGED ? UNCHANGED : name(expected)}`,
  from,
  event,
  expected,
}));

describe('session state machine', () => {
  it.each(ROWS)('$title', ({ from, event, expected }) => {
    const next = transition(from, event);
    if (expected === UNCHANGED) expect(next).toBe(from);
    else expect(next).toEqual(expected);
  });

  it('the table covers every status kind and every event', () => {
    const kinds = {
      'waiting-for-browser': 0,
      'device-code': 0,
      exchanging: 0,
      'signed-in': 0,
      refreshing: 0,
      expired: 0,
      error: 0,
    } satisfies Record<SessionStatus['kind'], 0>;
    const events = {
      'sign-in-started': 0,
      'listener-ready': 0,
      'device-code-issued': 0,
      'browser-reached': 0,
      'browser-not-opened': 0,
      'callback-received': 0,
      granted: 0,
      'sign-in-failed': 0,
      restored: 0,
      unreadable: 0,
      'refresh-started': 0,
      refreshed: 0,
      'refresh-failed': 0,
      expired: 0,
    } satisfies Record<SessionEventType, 0>;
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    for (const kind of Object.keys(kinds)) {
      expect(
        TABLE.some(([from]) => from?.kind === kind),
        `from ${kind}`,
      ).toBe(true);
      expect(
        TABLE.some(([from, , to]) => to === UNCHANGED && from?.kind === kind),
        `refused by ${kind}`,
      ).toBe(true);
    }
    for (const type of Object.keys(events))
      expect(
        TABLE.some(([, event]) => event.type === type),
        type,
      ).toBe(true);
  });

  it('a new session starts only from a starting event', () => {
    expect(initialStatus(ev.started)).toEqual(waiting);
    expect(initialStatus(ev.restoredStale)).toEqual({ kind: 'refreshing', expiresAt: 500 });
    expect(() => initialStatus(ev.refreshed)).toThrow(GatehouseError);
    expect(() => initialStatus(ev.callback)).toThrow(expect.objectContaining({ code: 'internal' }));
  });
});
