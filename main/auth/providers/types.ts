/**
 * What every provider module provides. The engine (main/auth/session/: the attempt runner,
 * refresh and sign-out) never branches on the provider: anything provider-specific lives behind
 * this interface, one module per kind in this folder.
 */
import type { RedirectVerdict } from '../redirect-probe';
import type { DisplayClaims, ProviderInfo } from '../../../shared/session';
import type { RevocationResult } from '../../../shared/sign-out';
import type { SecretStore } from '../../ports/secret-store';
import type { CallbackVerdict } from '../loopback';
import type { AccountBinding } from './binding';

export type { AccountBinding } from './binding';

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
  complete(callbackUrl: URL, hooks?: CompleteHooks): Promise<Grant>;
}

/** What the caller learns during complete(), before the grant. */
export interface CompleteHooks {
  /** The verified ID token's sub, before userinfo: the caller readies the keychain entry. */
  onSubject?(sub: string): void;
}

/** The attempt's state, verifier and nonce exist before its listener starts (RFC 8252 §8.9). */
export interface PreparedSignIn {
  /** A random path segment the callback must carry after /callback/{id}/, for a provider whose
   * only other binding is visible to the browser (XWMS's token). */
  callbackSegment?: string;
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
  /** What this configuration's accounts are bound to; checked before any call with a token. */
  readonly binding: AccountBinding;
  prepareSignIn(): Promise<PreparedSignIn>;
  /** Absent when the provider cannot refresh (the session lasts until sign-out). */
  refresh?(tokens: TokenSet, identity: Identity): Promise<RefreshResult>;
  /**
   * Revokes at the provider and says what it answered. A failed request may throw instead: the
   * engine (main/auth/session/sign-out.ts) turns an HTTP status into `refused`, else `unreachable`.
   */
  revoke?(tokens: TokenSet): Promise<RevocationResult>;
  startDeviceAuthorization?(): Promise<DeviceAuthorization>;
  /** The redirect URI pre-flight (redirect-probe.ts) over the provider's transport. */
  probeRedirect?(authorizationUrl: string, redirectUri: string): Promise<RedirectVerdict>;
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
  /** Where the demo provider keeps its port, keys and grants (providers/demo.ts); absent when
   * the accounts stay in memory, and then so does the demo. */
  demoStorage?: { dataDir: string; secrets: SecretStore };
}

export interface DiagnosticCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about a failing check, when the check knows better than doctor's default. */
  next?: string;
}
