/**
 * The session manager's public shapes: what it is built from (SessionManagerOptions), what a
 * sign-in may ask for (SignInOptions), and what starting one returns (StartedSignIn).
 */
import type { AccountSnapshot } from '../../../shared/session';
import type { AccountIndexPort, AccountLock } from '../../ports/account-index';
import type { SecretStore } from '../../ports/secret-store';
import type { ProviderModule } from '../providers/types';
import type { SignInLog } from '../sign-in-log';
import type { BrowserOpener } from './attempt-runner';

export interface SessionManagerOptions {
  providers: () => ReadonlyMap<string, ProviderModule>;
  store: SecretStore;
  index: AccountIndexPort;
  lock?: AccountLock;
  openBrowser: BrowserOpener;
  log: SignInLog;
  now?: () => number;
  random?: () => number;
  /** Refresh this long before expiry (default 5 minutes, at most a quarter of the lifetime). */
  refreshLeadMs?: number;
  refreshConcurrency?: number;
  /** Called after a successful callback: the app brings its window to the front. */
  onSignedIn?: (accountId: string) => void;
  /** Turns a remote avatar URL into a data: URL (or drops it); see main/auth/avatar.ts. */
  resolveAvatar?: (url: string) => Promise<string | undefined>;
}

export interface SignInOptions {
  method?: 'browser' | 'device';
  openBrowser?: boolean;
  /** Links the new identity to this account's profile (another provider's account). */
  linkTo?: string;
}

export interface StartedSignIn {
  attemptId: string;
  /** What the browser should open (or what "copy link" copies). */
  url: string | null;
  /** False when no browser was opened (none asked, or none could be): `url` is the way in. */
  browserOpened: boolean;
  done: Promise<AccountSnapshot>;
}
