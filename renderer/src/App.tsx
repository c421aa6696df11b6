import { useState } from 'react';
import { getApi } from './api';
import { AccountCard } from './components/AccountCard';
import { ErrorNotice } from './components/ErrorNotice';
import { LogView } from './components/LogView';
import { PendingCard } from './components/PendingCard';
import { ProvidersPanel } from './components/ProvidersPanel';
import { SettingsView } from './components/SettingsView';
import { UnreadableNotice } from './components/UnreadableNotice';
import { SignOutNotice } from './components/SignOutNotice';
import type { SignOutOutcome } from '../../shared/sign-out';
import { useGatehouse } from './hooks/use-gatehouse';
import { useTheme } from './hooks/use-theme';

type Tab = 'accounts' | 'log' | 'settings';

export function App() {
  const { info, providers, sessions, failure, setFailure, reloadProviders } = useGatehouse();
  const [theme, setTheme] = useTheme();
  const [tab, setTab] = useState<Tab>('accounts');
  const [copied, setCopied] = useState<Record<string, string>>({});
  const [signedOut, setSignedOut] = useState<{ who: string; outcome: SignOutOutcome } | null>(null);
  const providerList = providers?.providers ?? [];

  const signIn = async (providerId: string, method?: 'browser' | 'device', linkTo?: string) => {
    setFailure(null);
    const result = await getApi().signIn({
      providerId,
      ...(method ? { method } : {}),
      ...(linkTo ? { linkTo } : {}),
    });
    if (!result.ok) setFailure(result.error);
  };

  return (
    <div className="app">
      <header className="top">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          <h1>Gatehouse</h1>
        </div>
        <nav aria-label="Sections" className="tabs">
          {(['accounts', 'log', 'settings'] as const).map((t) => (
            <button
              key={t}
              type="button"
              className={tab === t ? 'tab active' : 'tab'}
              aria-current={tab === t ? 'page' : undefined}
              onClick={() => setTab(t)}
            >
              {t === 'accounts' ? 'Accounts' : t === 'log' ? 'Sign-in log' : 'Settings'}
            </button>
          ))}
        </nav>
      </header>
      <main>
        {info?.storage.kind === 'memory' && (
          <div className="notice notice-warn" role="status" data-testid="storage-banner">
            <p className="notice-sentence">
              Sessions are not remembered: the system keychain is unavailable.
            </p>
            <p className="notice-next">{info.storage.reason}</p>
          </div>
        )}
        {failure && <ErrorNotice error={failure} onDismiss={() => setFailure(null)} />}
        {tab === 'accounts' && (
          <>
            {signedOut && <SignOutNotice {...signedOut} onDismiss={() => setSignedOut(null)} />}
            {sessions.pending.map((p) => (
              <PendingCard
                key={p.providerId}
                pending={p}
                provider={providerList.find((x) => x.id === p.providerId)}
                onSignIn={(id, m) => void signIn(id, m)}
                copied={copied[p.providerId] ?? null}
                onCopied={(id, note) => setCopied((c) => ({ ...c, [id]: note }))}
              />
            ))}
            {(sessions.accounts.length > 0 || !!sessions.unreadable?.length) && (
              <section aria-labelledby="accounts-title" className="panel">
                <h2 id="accounts-title">Accounts</h2>
                <UnreadableNotice items={sessions.unreadable} />
                <div className="cards">
                  {sessions.accounts.map((a) => (
                    <AccountCard
                      key={a.accountId}
                      account={a}
                      linked={
                        a.profileId
                          ? sessions.accounts.filter(
                              (o) => o.profileId === a.profileId && o.accountId !== a.accountId,
                            )
                          : []
                      }
                      providers={providerList}
                      storage={info?.storage ?? null}
                      onLink={(providerId, accountId) =>
                        void signIn(providerId, 'browser', accountId)
                      }
                      onSignedOut={(who, outcome) => setSignedOut({ who, outcome })}
                    />
                  ))}
                </div>
              </section>
            )}
            <ProvidersPanel
              providers={providers}
              pending={sessions.pending}
              signedOut={sessions.accounts.length === 0}
              packaged={info?.packaged ?? false}
              onSignIn={(id, m) => void signIn(id, m)}
              onReload={() => void reloadProviders()}
            />
          </>
        )}
        {tab === 'log' && <LogView providers={providerList} />}
        {tab === 'settings' && (
          <SettingsView
            info={info}
            providers={providers}
            theme={theme}
            onTheme={setTheme}
            onReload={() => void reloadProviders()}
          />
        )}
      </main>
      <footer className="muted small">
        {info && (
          <span data-testid="app-info">
            Version {info.version} · {info.platform}/{info.arch} · Node {info.versions.node}
            {info.versions.electron
              ? ` · Electron ${info.versions.electron} · Chrome ${info.versions.chrome}`
              : ''}
          </span>
        )}
      </footer>
    </div>
  );
}
