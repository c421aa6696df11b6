/**
 * The one sentence per sign-out outcome, shared by the command line and the window so both say
 * the same thing, and the fixed detail the sign-in log records for it (never the server's text).
 */
import { assertNever } from './assert-never';
import type { SignOutKind, SignOutOutcome } from './sign-out';

const MAY_STAY = 'the session may stay valid there until it expires';

export function signOutSentence(outcome: SignOutOutcome): string {
  switch (outcome.kind) {
    case 'revoked':
      return 'Signed out. The provider revoked the session.';
    case 'no-revocation':
      return `Signed out on this computer. The provider offers no revocation to Gatehouse, so ${MAY_STAY}.`;
    case 'refused': {
      const why = outcome.error
        ? `HTTP ${outcome.status}, ${outcome.error}`
        : `HTTP ${outcome.status}`;
      return `Signed out on this computer, but the provider refused to revoke the session (${why}): ${MAY_STAY}.`;
    }
    case 'unreachable':
      return `Signed out on this computer, but the provider could not be reached to revoke the session, so ${MAY_STAY}. ${outcome.cause}`;
    case 'nothing-to-revoke':
      return 'Signed out. The session had already ended, so there was nothing to revoke at the provider.';
    case 'not-configured':
      return `Signed out on this computer. The provider is no longer configured as it was when this account signed in, so it was not told: ${MAY_STAY}.`;
    default:
      return assertNever(outcome, 'sign-out outcome');
  }
}

/** True when the provider may still honour the session: the window shows it as a warning. */
export function signOutLeavesSession(outcome: SignOutOutcome): boolean {
  return outcome.kind !== 'revoked' && outcome.kind !== 'nothing-to-revoke';
}

/** The sign-in log's detail for each outcome: a fixed string, whatever the server said. */
export const SIGN_OUT_LOG_DETAIL = {
  revoked: 'revoked',
  'no-revocation': 'no revocation',
  refused: 'revocation refused',
  unreachable: 'provider unreachable',
  'nothing-to-revoke': 'nothing to revoke',
  'not-configured': 'provider not configured',
} as const satisfies Record<SignOutKind, string>;

export type SignOutLogDetail = (typeof SIGN_OUT_LOG_DETAIL)[SignOutKind];
