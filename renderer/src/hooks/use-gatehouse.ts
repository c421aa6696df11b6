import { useCallback, useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/app-info';
import type { ErrorInfo } from '../../../shared/errors';
import type { ProvidersList } from '../../../shared/ipc';
import type { SessionsSnapshot } from '../../../shared/session';
import { getApi } from '../api';

/** The window's state from main: app info, providers, sessions (live through session:changed). */
export function useGatehouse() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [providers, setProviders] = useState<ProvidersList | null>(null);
  const [sessions, setSessions] = useState<SessionsSnapshot>({ accounts: [], pending: [] });
  const [failure, setFailure] = useState<ErrorInfo | null>(null);

  const reloadProviders = useCallback(async () => {
    const result = await getApi().reloadProviders();
    if (result.ok) setProviders(result.value);
    else setFailure(result.error);
  }, []);

  useEffect(() => {
    const api = getApi();
    void api.getAppInfo().then((r) => (r.ok ? setInfo(r.value) : setFailure(r.error)));
    void api.listProviders().then((r) => (r.ok ? setProviders(r.value) : setFailure(r.error)));
    void api.listSessions().then((r) => r.ok && setSessions(r.value));
    return api.onSessionChanged((next) => {
      setSessions(next);
      // A sign-in's discovery may learn that the provider offers sign-in with a code (an OIDC
      // provider's device_authorization_endpoint), which the waiting card then offers.
      if (next.pending.length > 0)
        void api.listProviders().then((r) => {
          if (r.ok) setProviders(r.value);
        });
    });
  }, []);

  return { info, providers, sessions, failure, setFailure, reloadProviders };
}

/** A clock that ticks every second, for countdowns and "expires in". */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
