/**
 * The pre-flight of a redirect URI: the authorization request the browser is about to send, sent
 * once by Gatehouse with no cookie, following no redirect, so no person and no session take part.
 * Servers that compare redirect URIs exactly (RFC 9700 §4.1.3) refuse an unregistered one before
 * any login page, often with a bare 403 and no redirect back (RFC 6749 §4.1.2.1 forbids
 * redirecting to an unverified URI). A browser sent there shows a blank page and the sign-in waits
 * out its timeout; this check names the URI to register within a few seconds instead.
 *
 * Hand-written: no library classifies an authorization endpoint's first answer.
 */
import { GatehouseError } from '../ports/errors';

/** A slow provider is not judged: past this, the sign-in goes on as if the probe were not made. */
export const PROBE_TIMEOUT_MS = 3000;

export type RedirectVerdict =
  | { kind: 'accepted'; detail: string }
  | { kind: 'refused'; detail: string }
  /** No clear answer (timeout, network, 5xx): nothing is concluded and the sign-in goes on. */
  | { kind: 'unknown'; detail: string };

export async function probeRedirect(
  transport: typeof fetch,
  authorizationUrl: string,
  redirectUri: string,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<RedirectVerdict> {
  let response: Response;
  try {
    response = await transport(authorizationUrl, {
      method: 'GET',
      redirect: 'manual',
      headers: { accept: 'text/html' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return { kind: 'unknown', detail: 'no answer in time' };
  }
  // Only the status and the Location matter; the page itself is never read.
  await response.body?.cancel().catch(() => undefined);
  return classify(response.status, response.headers.get('location'), authorizationUrl, redirectUri);
}

function classify(
  status: number,
  location: string | null,
  authorizationUrl: string,
  redirectUri: string,
): RedirectVerdict {
  if (status >= 300 && status < 400 && location !== null) {
    const target = URL.canParse(location, authorizationUrl)
      ? new URL(location, authorizationUrl)
      : null;
    // GitHub sends this error to the app's *registered* callback, which may be another URI.
    if (target?.searchParams.get('error') === 'redirect_uri_mismatch')
      return { kind: 'refused', detail: 'answered error=redirect_uri_mismatch' };
    // Redirecting back proves the URI is registered (RFC 6749 §4.1.2.1), whatever the error.
    if (target && sameEndpoint(target, new URL(redirectUri)))
      return { kind: 'accepted', detail: 'redirected back to the redirect URI' };
    return { kind: 'accepted', detail: `HTTP ${status} to a login page` };
  }
  if (status >= 200 && status < 300)
    return { kind: 'accepted', detail: `HTTP ${status} (a login page)` };
  if (status >= 400 && status < 500)
    return { kind: 'refused', detail: `HTTP ${status} before any login page` };
  return { kind: 'unknown', detail: `HTTP ${status}` };
}

function sameEndpoint(a: URL, b: URL): boolean {
  return a.origin === b.origin && a.pathname === b.pathname;
}

/** The error a refused redirect URI ends the sign-in with: the exact URI, and what to do. */
export function redirectRejected(
  providerName: string,
  redirectUri: string,
  verdict: RedirectVerdict,
  fixedPorts: readonly number[],
): GatehouseError {
  const port = new URL(redirectUri).port;
  const advice =
    fixedPorts.length > 0
      ? `Register exactly ${redirectUri} for this client at ${providerName}.`
      : `Its port (${port}) changes on every sign-in: choose a fixed port in the configuration ` +
        `("ports": [53682]) and register ${redirectUri.replace(`:${port}/`, ':53682/')} at ${providerName}.`;
  return new GatehouseError(
    'redirect_uri_rejected',
    `${providerName} refused the redirect URI ${redirectUri} (${verdict.detail}). ${advice}`,
  );
}
