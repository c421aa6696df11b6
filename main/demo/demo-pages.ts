/**
 * The demo provider's own pages: sign in, allow, and a plain message for anything that went
 * wrong. One stylesheet, allowed by its hash; no script, no form field beyond what is asked, no
 * debug output. The login form's field names (login, password) are what the tests fill in.
 */
import { createHash } from 'node:crypto';

const STYLE = `
:root { color-scheme: light dark; --accent: #2f5bd3; --muted: #5b6270; --line: #c9ced8; }
@media (prefers-color-scheme: dark) { :root { --accent: #8aa8ff; --muted: #a9b0bd; --line: #4a5160; } }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; }
main { max-width: 26rem; margin: 3rem auto; padding: 0 1.25rem; }
.brand { color: var(--muted); font-size: .9rem; margin: 0 0 .25rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
p, ul { margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
input { box-sizing: border-box; width: 100%; font: inherit; padding: .5rem .6rem;
  border: 1px solid var(--line); border-radius: 6px; }
button { font: inherit; font-weight: 600; margin: 1.25rem 0 .75rem; padding: .55rem 1.2rem;
  border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
@media (prefers-color-scheme: dark) { button { color: #10131a; } }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
a { color: var(--accent); }
.note { color: var(--muted); font-size: .9rem; }
.error { border-left: 4px solid #c62828; padding-left: .75rem; }
`;

/** Headers for every page: only the stylesheet above may apply, and nothing may frame it. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': `default-src 'none'; style-src 'sha256-${createHash('sha256')
    .update(STYLE)
    .digest('base64')}'; base-uri 'none'; frame-ancestors 'none'`,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Gatehouse demo provider</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">Gatehouse · demo provider</p>
${body}
</main>
</body>
</html>`;
}

export interface LoginPage {
  uid: string;
  clientName: string;
  loginHint?: string;
  /** Shown above the form after a submission without a user name. */
  problem?: string;
}

export function loginPage(page: LoginPage): string {
  const base = `/interaction/${encodeURIComponent(page.uid)}`;
  const value = page.loginHint ? ` value="${escapeHtml(page.loginHint)}"` : '';
  const problem = page.problem
    ? `<p class="error" role="alert">${escapeHtml(page.problem)}</p>`
    : '';
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>${escapeHtml(page.clientName)} asked to sign you in. This demo provider runs inside Gatehouse on this computer: any user name and password sign in, and the user name becomes the account.</p>
${problem}
<form method="post" action="${base}/login">
<label for="login">User name</label>
<input id="login" name="login" type="text" required autofocus autocomplete="username" autocapitalize="none" spellcheck="false"${value}>
<label for="password">Password</label>
<input id="password" name="password" type="password" required autocomplete="current-password">
<button type="submit">Sign in</button>
</form>
<p><a href="${base}/abort">Cancel</a></p>`,
  );
}

/** What each scope lets the client see, in words. */
const SCOPE_WORDS: Readonly<Record<string, string>> = {
  openid: 'Know which account you signed in with',
  profile: 'See your name and user name',
  email: 'See your email address (the demo never marks it verified)',
  offline_access: 'Stay signed in until you sign out',
};

export interface ConsentPage {
  uid: string;
  clientName: string;
  accountId: string;
  scopes: readonly string[];
}

export function consentPage(page: ConsentPage): string {
  const base = `/interaction/${encodeURIComponent(page.uid)}`;
  const items = page.scopes
    .map((scope) => `<li>${escapeHtml(SCOPE_WORDS[scope] ?? `Use the scope "${scope}"`)}</li>`)
    .join('\n');
  return layout(
    'Allow access',
    `<h1>Allow ${escapeHtml(page.clientName)}?</h1>
<p>You are signed in as <strong>${escapeHtml(page.accountId)}</strong>. ${escapeHtml(page.clientName)} asks to:</p>
<ul>
${items}
</ul>
<form method="post" action="${base}/consent">
<input type="hidden" name="prompt" value="consent">
<button type="submit">Allow</button>
</form>
<p><a href="${base}/abort">Cancel</a></p>
<p class="note">You are asked once per account; later sign-ins go straight through.</p>`,
  );
}

export function messagePage(title: string, text: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>
<p class="note">You can close this tab and start again from Gatehouse.</p>`,
  );
}
