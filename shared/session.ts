import type { ErrorCode } from './errors';
import type { ProviderKind } from './provider-kinds';

/** What the window may know about a configured provider. Never carries a secret. */
export interface ProviderInfo {
  id: string;
  displayName: string;
  kind: ProviderKind;
  /** Plain-language configuration problems; sign-in is disabled while any exist. */
  configErrors: string[];
  supportsDeviceFlow: boolean;
  supportsRefresh: boolean;
  /** The loopback redirect URIs to register at the provider (filled in by the registry). */
  redirectUris?: string[];
  /** The .env names the default configuration reads for this provider, in its order. */
  envNames?: string[];
  /** Those of envNames that may stay unset. */
  optionalEnvNames?: string[];
}

/** Display claims only: what a person recognises themselves by. No tokens, ever. */
export interface DisplayClaims {
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  emailVerified?: boolean;
  picture?: string;
  login?: string;
}

/**
 * The state of one session, as a tagged union handled exhaustively (see assertNever).
 * Times are epoch milliseconds.
 */
export type SessionStatus =
  | {
      kind: 'waiting-for-browser';
      deadline: number;
      browserReached: boolean;
      /** False when no browser could be opened: the sign-in link is the way in. */
      browserOpened?: boolean;
    }
  | { kind: 'device-code'; deadline: number; userCode: string; verificationUri: string }
  | { kind: 'exchanging' }
  | { kind: 'signed-in'; expiresAt: number | null }
  | { kind: 'refreshing'; expiresAt: number | null }
  | { kind: 'expired'; reason: string }
  | { kind: 'error'; code: ErrorCode; message: string };

/** Where tokens are kept, reported so the window can say so. */
export type StorageBackend =
  { kind: 'keychain'; name: string } | { kind: 'memory'; reason: string; code: ErrorCode | null };

/** One signed-in (or once signed-in) account, keyed by (providerId, sub). */
export interface AccountSnapshot {
  accountId: string;
  providerId: string;
  providerKind: ProviderKind;
  providerName: string;
  sub: string;
  claims: DisplayClaims;
  status: SessionStatus;
  /** False when the keychain was unavailable: the session lasts for this run only. */
  remembered: boolean;
  /** Set when the provider cannot refresh (XWMS, classic GitHub tokens): lasts until sign-out. */
  lastsUntilSignOut: boolean;
  profileId: string | null;
}

/** A sign-in in progress (or just failed) for a provider. */
export interface PendingSnapshot {
  providerId: string;
  attemptId: string;
  method: 'browser' | 'device';
  status: SessionStatus;
}

/**
 * A keychain item this version cannot read (another version of Gatehouse may have written it):
 * left where it is, never deleted. `version` is its format number, if it has one.
 */
export interface UnreadableItem {
  accountId: string;
  version: number | null;
}

export interface SessionsSnapshot {
  accounts: AccountSnapshot[];
  pending: PendingSnapshot[];
  /** Present when the last restore left keychain items it could not read. */
  unreadable?: UnreadableItem[];
}

/** A local profile that links several provider identities (never by email). */
export interface ProfileSnapshot {
  profileId: string;
  accountIds: string[];
}
