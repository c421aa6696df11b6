/**
 * What every provider module provides. The engine (sign-in.ts, session-manager.ts) never
 * branches on the provider: anything provider-specific lives behind this interface, one module
 * per kind in this folder.
 */
import type { DisplayClaims, ProviderInfo } from '../../../shared/session';
import type { CallbackVerdict } from '../loopback';

/** The tokens of one account. Lives only in main and in the SecretStore. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms; null when the token does not expire (GitHub classic, XWMS session). */
  expiresAt: number | null;
  idToken?: string;
  tokenType?: string;
  scope?: string;
}

export interface Identity {
  /** The stable subject: the account key is (providerId, sub), never an email. */
  sub: string;
  claims: DisplayClaims;
}

export interface Grant {
  identity: Identity;
  tokens: TokenSet;
}

/** One browser attempt, created once the loopback listener knows its redirect URI. */
export interface BrowserAttempt {
  authorizationUrl: string;
  /** state (or XWMS token) check, run by the listener before anything else. */
  check(params: URLSearchParams): CallbackVerdict;
  /** Exchanges the accepted callback for tokens and a verified identity. */
  complete(callbackUrl: URL): Promise<Grant>;
}

/** Secrets for one attempt exist before the listener starts (providers.md: listener rules). */
export interface PreparedSignIn {
  begin(redirectUri: string): Promise<BrowserAttempt>;
}

export interface DeviceAuthorization {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresAt: number;
  /** Polls at the server's interval until a grant, an error, or the signal aborts. */
  poll(signal: AbortSignal): Promise<Grant>;
}

export interface RefreshResult {
  tokens: TokenSet;
  /** Fresh display claims, when the refresh brought a new (verified) ID token. */
  claims?: DisplayClaims;
}

export interface ProviderModule {
  readonly info: ProviderInfo;
  readonly fixedPorts: readonly number[];
  readonly signInTimeoutMs: number;
  prepareSignIn(): Promise<PreparedSignIn>;
  /** Absent when the provider cannot refresh (the session lasts until sign-out). */
  refresh?(tokens: TokenSet, identity: Identity): Promise<RefreshResult>;
  /** Revokes at the provider; false when it has no revocation (sign-out is then local only). */
  revoke?(tokens: TokenSet): Promise<boolean>;
  startDeviceAuthorization?(): Promise<DeviceAuthorization>;
  /** `gatehouse doctor`: provider-specific checks (discovery, keys, PKCE support). */
  diagnose?(): Promise<DiagnosticCheck[]>;
  /** Releases anything the module started (the demo provider's server). */
  dispose?(): Promise<void>;
}

/** What provider modules get from the engine: transport, clock, limits. */
export interface ProviderContext {
  fetch: typeof fetch;
  now: () => number;
  httpTimeoutMs: number;
}

export interface DiagnosticCheck {
  name: string;
  ok: boolean;
  detail: string;
}
