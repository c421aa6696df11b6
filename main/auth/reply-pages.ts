/**
 * The loopback's reply pages: static text, never echoing a query value (error_description is
 * attacker-controlled). Inline style only; the CSP forbids every script. The accepted callback's
 * page says what really happened (issue 13 item 2): signed in to the provider (its configured
 * display name, escaped), or the failure's one sentence from the catalogue the CLI and the
 * window read too (shared/error-messages.ts), so the three never disagree.
 */
import { ERROR_MESSAGES } from '../../shared/error-messages';
import type { ErrorCode } from '../../shared/errors';

export interface ReplyPage {
  html: string;
}

/** What the engine learnt once the exchange and the ID-token checks ended. */
export type ReplyOutcome =
  /** Signed in: the provider's display name, from the configuration (never from the request). */
  { signedInTo: string } | { failure: ErrorCode };

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Text into element content (never an attribute), for a display name typed into providers.json
 * and the catalogue's sentences; quotes need no escaping there (HTML §13.1.2.6). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!);
}

/** `title` and `paragraphs` are HTML already: static text, or escaped by the caller. */
function page(title: string, ...paragraphs: string[]): ReplyPage {
  return {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1d2330}
@media (prefers-color-scheme: dark){body{background:#14171f;color:#e8ebf2}}h1{font-size:1.4rem}</style>
</head><body><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`,
  };
}

/** The sentence the CLI and the window show for this code; an unknown one is an internal error. */
function sentenceOf(code: ErrorCode): string {
  const known = Object.hasOwn(ERROR_MESSAGES, code) ? ERROR_MESSAGES[code] : null;
  return (known ?? ERROR_MESSAGES.internal).sentence;
}

/** The accepted callback's page, once the outcome is known. */
export function outcomePage(outcome: ReplyOutcome): ReplyPage {
  if ('signedInTo' in outcome) {
    const name = escapeHtml(outcome.signedInTo);
    return page('Signed in', `Signed in to ${name}. You can close this tab.`);
  }
  return page(
    'Sign-in did not complete',
    escapeHtml(sentenceOf(outcome.failure)),
    'You can close this tab and return to Gatehouse.',
  );
}

export const REPLY_PAGES = {
  /** The outcome did not come in time (LoopbackOptions.replyHoldMs): say so, never success. */
  stillFinishing: page(
    'Gatehouse is still finishing the sign-in',
    'Return to Gatehouse to see whether it worked. You can close this tab.',
  ),
  notThisAttempt: page(
    'This link is not for the current sign-in',
    'Start the sign-in again from Gatehouse.',
  ),
  gone: page('This sign-in has ended', 'Return to Gatehouse.'),
  linkReused: page(
    'Someone else used this sign-in link',
    'Gatehouse stopped the sign-in and signed out any account it created. Return to Gatehouse and sign in again.',
  ),
  notFound: page('Not found', 'Nothing here.'),
  methodNotAllowed: page('Not allowed', 'Nothing here.'),
  badRequest: page('Bad request', 'Start the sign-in again from Gatehouse.'),
} as const;
