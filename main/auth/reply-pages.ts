/**
 * The loopback's reply pages: static text, never echoing a query value (error_description is
 * attacker-controlled). Inline style only; the CSP forbids every script.
 */
export interface ReplyPage {
  html: string;
}

function page(title: string, body: string): ReplyPage {
  return {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1d2330}
@media (prefers-color-scheme: dark){body{background:#14171f;color:#e8ebf2}}h1{font-size:1.4rem}</style>
</head><body><h1>${title}</h1><p>${body}</p></body></html>`,
  };
}

export const REPLY_PAGES = {
  done: page('You are signed in', 'You can close this tab and return to Gatehouse.'),
  failed: page(
    'Sign-in did not complete',
    'Return to Gatehouse to see what happened and try again.',
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
