import { useState } from 'react';
import { assertNever } from '../../../shared/assert-never';
import type { PendingSnapshot, ProviderInfo } from '../../../shared/session';
import { getApi } from '../api';
import { formatDuration } from '../format';
import { useNow } from '../hooks/use-gatehouse';
import { ErrorNotice } from './ErrorNotice';

const FIREWALL_HINT_AFTER_MS = 8_000;

interface Props {
  pending: PendingSnapshot;
  provider: ProviderInfo | undefined;
  onSignIn: (providerId: string, method?: 'browser' | 'device') => void;
  /** Kept by the parent: copying restarts the attempt, which remounts this card. */
  copied: string | null;
  onCopied: (providerId: string, note: string) => void;
}

/** What happens while the browser is open: countdown, cancel, copy link, open again, hints. */
export function PendingCard({ pending, provider, onSignIn, copied, onCopied }: Props) {
  const now = useNow();
  const [startedAt] = useState(() => Date.now());
  const name = provider?.displayName ?? pending.providerId;
  const api = getApi();
  const cancel = () => void api.cancelSignIn({ providerId: pending.providerId });
  const status = pending.status;

  const copyLink = async () => {
    // Each copy starts a fresh attempt (new state and PKCE): a link is never reused.
    const result = await api.copySignInLink({ providerId: pending.providerId });
    if (!result.ok) return;
    try {
      await navigator.clipboard.writeText(result.value.url);
      onCopied(
        pending.providerId,
        'Sign-in link copied. Paste it into any browser on this computer.',
      );
    } catch {
      onCopied(pending.providerId, result.value.url);
    }
  };

  let body: React.ReactNode;
  switch (status.kind) {
    case 'waiting-for-browser': {
      // No browser could be opened: the attempt still waits, and its link is the way in.
      const noBrowser = status.browserOpened === false && !status.browserReached;
      const slow = !status.browserReached && now - startedAt > FIREWALL_HINT_AFTER_MS;
      body = (
        <>
          <h2 className="h3">
            {noBrowser ? 'Your browser could not be opened' : 'Continue in your browser'}
          </h2>
          <p>
            {noBrowser ? (
              <>
                Copy the sign-in link into a browser on this computer to sign in to{' '}
                <strong>{name}</strong>.
              </>
            ) : (
              <>
                Sign in to <strong>{name}</strong> in the browser window that opened.
              </>
            )}{' '}
            <span className="muted" aria-live="off">
              Time left:{' '}
              <span data-testid="countdown">{formatDuration(status.deadline - now)}</span>
            </span>
          </p>
          {slow && !noBrowser && (
            <div className="notice" role="status">
              <p>
                The browser has not come back yet. If nothing opened, copy the link into a browser.
                A firewall or proxy can also block the reply to this computer.
              </p>
              {provider?.supportsDeviceFlow && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => onSignIn(pending.providerId, 'device')}
                >
                  Sign in with a code instead
                </button>
              )}
            </div>
          )}
          <div className="row">
            <button
              type="button"
              onClick={() => void api.openBrowserAgain({ providerId: pending.providerId })}
            >
              Open browser again
            </button>
            <button
              type="button"
              className={noBrowser ? undefined : 'secondary'}
              onClick={() => void copyLink()}
            >
              Copy sign-in link
            </button>
            <button type="button" className="ghost" onClick={cancel}>
              Cancel
            </button>
          </div>
          {copied && (
            <p className="muted" role="status" data-testid="copied">
              {copied}
            </p>
          )}
        </>
      );
      break;
    }
    case 'device-code':
      body = (
        <>
          <h2 className="h3">Enter this code at {name}</h2>
          <p
            className="user-code"
            data-testid="user-code"
            aria-label={`Code ${status.userCode.split('').join(' ')}`}
          >
            {status.userCode}
          </p>
          <p>
            Open{' '}
            <a href={status.verificationUri} target="_blank" rel="noreferrer">
              {status.verificationUri}
            </a>{' '}
            and type the code.{' '}
            <span className="muted">Time left: {formatDuration(status.deadline - now)}</span>
          </p>
          <div className="row">
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void navigator.clipboard.writeText(status.userCode).catch(() => undefined)
              }
            >
              Copy code
            </button>
            <button type="button" className="ghost" onClick={cancel}>
              Cancel
            </button>
          </div>
        </>
      );
      break;
    case 'exchanging':
      body = (
        <p role="status">
          Finishing sign-in with <strong>{name}</strong>…
        </p>
      );
      break;
    case 'error':
      body = (
        <>
          <h2 className="h3">Sign-in with {name} did not complete</h2>
          <ErrorNotice
            error={{ code: status.code, message: status.message }}
            onDismiss={cancel}
            action={
              <button type="button" onClick={() => onSignIn(pending.providerId)}>
                Try again
              </button>
            }
          />
        </>
      );
      break;
    case 'signed-in':
    case 'refreshing':
    case 'expired':
      body = null;
      break;
    default:
      assertNever(status, 'pending status');
  }
  return (
    <article className="card pending" aria-label={`Sign-in with ${name}`}>
      {body}
    </article>
  );
}
