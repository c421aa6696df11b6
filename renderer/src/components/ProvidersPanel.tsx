import type { ProvidersList } from '../../../shared/ipc';
import type { PendingSnapshot } from '../../../shared/session';
import { ProviderMark } from './ProviderMark';
import { SetupSection } from './SetupSection';

interface Props {
  providers: ProvidersList | null;
  pending: PendingSnapshot[];
  /** Nobody is signed in: the panel says so, since the accounts list is not shown. */
  signedOut: boolean;
  packaged: boolean;
  onSignIn: (providerId: string, method?: 'browser' | 'device') => void;
  onReload: () => void;
}

/**
 * The providers that are ready, as the window's primary actions; the rest in one set-up section,
 * collapsed, or leading the window when no provider is ready (a packaged build without a
 * configuration).
 */
export function ProvidersPanel({
  providers,
  pending,
  signedOut,
  packaged,
  onSignIn,
  onReload,
}: Props) {
  if (!providers) return <p className="muted">Loading providers…</p>;
  const ready = providers.providers.filter((p) => p.configErrors.length === 0);
  const notReady = providers.providers.filter((p) => p.configErrors.length > 0);
  const setup = (lead: boolean) => (
    <SetupSection
      providers={notReady}
      lead={lead}
      packaged={packaged}
      configPath={providers.configPath}
      onReload={onReload}
    />
  );
  if (ready.length === 0 && !providers.configError) return setup(true);
  return (
    <section aria-labelledby="providers-title" className="panel">
      <h2 id="providers-title">Sign in</h2>
      {providers.configError && (
        <div className="notice notice-error" role="alert">
          <p className="notice-sentence">
            {ready.length > 0
              ? 'Part of the provider configuration could not be used.'
              : 'The provider configuration could not be used.'}
          </p>
          {/* One problem a line (main/config/load.ts), each naming the file and the field. */}
          {providers.configError.message.split('\n').map((line) => (
            <p key={line} className="notice-next">
              {line}
            </p>
          ))}
        </div>
      )}
      {signedOut && ready.length > 0 && (
        <p className="muted">No one is signed in yet. Pick a provider to sign in.</p>
      )}
      <ul className="providers">
        {ready.map((p) => {
          const busy = pending.some((x) => x.providerId === p.id && x.status.kind !== 'error');
          return (
            <li key={p.id} className="provider">
              <ProviderMark kind={p.kind} />
              <div className="provider-body">
                <span className="provider-name">{p.displayName}</span>
                {p.kind === 'demo' && (
                  <p className="muted small">
                    Nothing to register: it signs in any name you type, on this computer only.
                  </p>
                )}
              </div>
              <div className="row">
                <button type="button" disabled={busy} onClick={() => onSignIn(p.id)}>
                  Sign in with {p.displayName}
                </button>
                {p.supportsDeviceFlow && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy}
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
      {setup(false)}
    </section>
  );
}
