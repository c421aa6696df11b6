import { useState } from 'react';
import { assertNever } from '../../../shared/assert-never';
import type {
  AccountSnapshot,
  ProviderInfo,
  SessionStatus,
  StorageBackend,
} from '../../../shared/session';
import type { ErrorInfo } from '../../../shared/errors';
import type { SignOutOutcome } from '../../../shared/sign-out';
import { getApi } from '../api';
import { formatDuration, initials } from '../format';
import { useNow } from '../hooks/use-gatehouse';
import { ErrorNotice } from './ErrorNotice';
import { ProviderMark } from './ProviderMark';

interface Props {
  account: AccountSnapshot;
  linked: AccountSnapshot[];
  providers: ProviderInfo[];
  storage: StorageBackend | null;
  onLink: (providerId: string, accountId: string) => void;
  /** The card goes with the account, so the window shows what the provider did. */
  onSignedOut: (who: string, outcome: SignOutOutcome) => void;
}

function statusText(status: SessionStatus, now: number, account: AccountSnapshot): string {
  switch (status.kind) {
    case 'signed-in':
      if (account.lastsUntilSignOut || status.expiresAt === null)
        return 'Signed in · lasts until you sign out';
      return status.expiresAt - now < 10 * 60_000
        ? `Signed in · expires in ${formatDuration(status.expiresAt - now)}`
        : `Signed in · renews automatically`;
    case 'refreshing':
      return 'Renewing the session…';
    case 'expired':
      return 'Expired — sign in again';
    case 'error':
      return 'Needs attention';
    case 'waiting-for-browser':
    case 'device-code':
    case 'exchanging':
      return 'Signing in…';
    default:
      return assertNever(status, 'account status');
  }
}

/** One account: who, which provider, the stable id, the session's state, and what to do. */
export function AccountCard({ account, linked, providers, storage, onLink, onSignedOut }: Props) {
  const now = useNow();
  const api = getApi();
  const [failure, setFailure] = useState<ErrorInfo | null>(null);
  const [linking, setLinking] = useState(false);
  const name = account.claims.name ?? account.claims.login ?? account.sub;
  const picture = account.claims.picture?.startsWith('data:image/') ? account.claims.picture : null;
  const run = async (call: () => Promise<{ ok: boolean; error?: ErrorInfo }>) => {
    setFailure(null);
    const result = await call();
    if (!result.ok && result.error) setFailure(result.error);
  };
  const signOut = async () => {
    setFailure(null);
    const result = await api.signOut({ accountId: account.accountId });
    if (result.ok) onSignedOut(`${name} at ${account.providerName}`, result.value);
    else setFailure(result.error);
  };
  const others = providers.filter(
    (p) => p.id !== account.providerId && p.configErrors.length === 0,
  );
  const where = !account.remembered
    ? `Not remembered: kept in memory for this session only${storage?.kind === 'memory' ? ` (${storage.reason})` : ''}`
    : storage?.kind === 'keychain'
      ? `Tokens kept in ${storage.name}`
      : 'Tokens kept in the system keychain';

  return (
    <article
      className={`card account status-${account.status.kind}`}
      aria-label={`${name} at ${account.providerName}`}
    >
      <div className="account-head">
        {picture ? (
          <img className="avatar" src={picture} alt="" />
        ) : (
          <span className="avatar initials" aria-hidden="true">
            {initials(account.claims.name, account.sub)}
          </span>
        )}
        <div>
          <h3>{name}</h3>
          {account.claims.email && <p className="muted">{account.claims.email}</p>}
          <p className="muted provider-line">
            <ProviderMark kind={account.providerKind} /> {account.providerName}
          </p>
        </div>
      </div>
      <p className={`status-line`} data-testid="account-status">
        {statusText(account.status, now, account)}
      </p>
      <p className="muted small">{where}</p>
      {account.status.kind === 'error' && (
        <ErrorNotice error={{ code: account.status.code, message: account.status.message }} />
      )}
      {linked.length > 0 && (
        <div className="linked">
          <p className="small">Linked identities:</p>
          <ul>
            {linked.map((l) => (
              <li key={l.accountId}>
                {l.providerName}: {l.claims.name ?? l.sub}{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => void run(() => api.unlinkAccount({ accountId: l.accountId }))}
                >
                  Unlink
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {failure && <ErrorNotice error={failure} onDismiss={() => setFailure(null)} />}
      <div className="row">
        {account.status.kind === 'expired' && (
          <button
            type="button"
            onClick={() => void run(() => api.signIn({ providerId: account.providerId }))}
          >
            Sign in again
          </button>
        )}
        <button type="button" className="ghost" onClick={() => void signOut()}>
          Sign out
        </button>
        {others.length > 0 && (
          <button
            type="button"
            className="ghost"
            aria-expanded={linking}
            onClick={() => setLinking((v) => !v)}
          >
            Link another provider
          </button>
        )}
      </div>
      {linking && (
        <div className="row" role="group" aria-label="Link another provider">
          {others.map((p) => (
            <button
              key={p.id}
              type="button"
              className="secondary"
              onClick={() => (setLinking(false), onLink(p.id, account.accountId))}
            >
              Link {p.displayName}
            </button>
          ))}
        </div>
      )}
      {/* What a developer looks for, out of the way: the raw ids and a manual refresh. */}
      <details className="card-details">
        <summary>Details</summary>
        <dl className="facts small">
          <dt>Id at {account.providerName}</dt>
          <dd>
            <code>{account.sub}</code>
          </dd>
          <dt>Gatehouse account</dt>
          <dd>
            <code>{account.accountId}</code>
          </dd>
        </dl>
        {account.status.kind !== 'expired' && !account.lastsUntilSignOut && (
          <button
            type="button"
            className="secondary"
            disabled={account.status.kind === 'refreshing'}
            onClick={() => void run(() => api.refresh({ accountId: account.accountId }))}
          >
            Refresh now
          </button>
        )}
      </details>
    </article>
  );
}
