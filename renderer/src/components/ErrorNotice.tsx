import type { ErrorInfo } from '../../../shared/errors';
import { ERROR_MESSAGES, NEXT_STEP_TEXT } from '../../../shared/error-messages';

/** An error as a sentence and a next step; the raw code and message sit in a disclosure. */
export function ErrorNotice({
  error,
  onDismiss,
  action,
}: {
  error: ErrorInfo;
  onDismiss?: () => void;
  action?: React.ReactNode;
}) {
  const friendly = ERROR_MESSAGES[error.code] ?? ERROR_MESSAGES.internal;
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-sentence">{friendly.sentence}</p>
      {NEXT_STEP_TEXT[friendly.next] && (
        <p className="notice-next">{NEXT_STEP_TEXT[friendly.next]}</p>
      )}
      <details>
        <summary>Details</summary>
        <p>
          <code>{error.code}</code> — {error.message}
        </p>
      </details>
      <div className="row">
        {action}
        {onDismiss && (
          <button type="button" className="ghost" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
    </div>
  );
}
