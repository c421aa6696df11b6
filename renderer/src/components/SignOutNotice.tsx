import type { SignOutOutcome } from '../../../shared/sign-out';
import { signOutLeavesSession, signOutSentence } from '../../../shared/sign-out-messages';

/** What a sign-out did at the provider, in the command line's own sentence. */
export function SignOutNotice({
  who,
  outcome,
  onDismiss,
}: {
  who: string;
  outcome: SignOutOutcome;
  onDismiss: () => void;
}) {
  const warn = signOutLeavesSession(outcome);
  return (
    <div className={warn ? 'notice notice-warn' : 'notice'} role="status" data-testid="sign-out">
      <p className="notice-sentence">{signOutSentence(outcome)}</p>
      <p className="notice-next">{who}</p>
      <div className="row">
        <button type="button" className="ghost" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
