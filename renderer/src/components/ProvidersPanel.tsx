import type { ProvidersList } from '../../../shared/ipc';
import type { PendingSnapshot } from '../../../shared/session';
import { ProviderMark } from './ProviderMark';

interface Props {
  providers: ProvidersList | null;
  pending: PendingSnapshot[];
  onSignIn: (providerId: string, method?: 'browser' | 'device') => void;
}

/** Every configured provider: one click signs in; configuration problems are shown plainly. */
export function ProvidersPanel({ providers, pending, onSignIn }: Props) {
  if (!providers) return <p className="muted">Loading providers…</p>;
  return (
    <section aria-labelledby="providers-title" className="panel">
      <h2 id="providers-title">Sign in</h2>
      {providers.configError && (
        <div className="notice notice-error" role="alert">
          <p className="notice-sentence">The provider configuration could not be used.</p>
          <p className="notice-next">{providers.configError.message}</p>
        </div>
      )}
      <ul className="providers">
        {providers.providers.map((p) => {
          const busy = pending.some((x) => x.providerId === p.id && x.status.kind !== 'error');
          const broken = p.configErrors.length > 0;
          return (
            <li key={p.id} className="provider">
              <ProviderMark kind={p.kind} />
              <div className="provider-body">
                <span className="provider-name">{p.displayName}</span>
                {broken && (
                  <ul className="problems" aria-label={`Problems with ${p.displayName}`}>
                    {p.configErrors.map((e) => (
                      <li key={e}>{e}</li>
                    ))}
                  </ul>
                )}
              </div>
              <div className="row">
                <button type="button" disabled={broken || busy} onClick={() => onSignIn(p.id)}>
                  Sign in with {p.displayName}
                </button>
                {p.supportsDeviceFlow && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={broken || busy}
                    onClick={() => onSignIn(p.id, 'device')}
                  >
                    Sign in with a code
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
