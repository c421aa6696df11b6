/**
 * The one place that decides which URLs Gatehouse may talk to or hand to a browser: https
 * anywhere, plain http only to a loopback host (the embedded demo provider and local test
 * servers). Used by the provider modules for every endpoint and by the Electron layer for
 * `shell.openExternal`; Electron-free so it is unit-tested.
 */
import { GatehouseError } from '../ports/errors';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** An IP literal in 127.0.0.0/8, [::1], or `localhost`; never a name that merely resolves there. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** True for a URL that may be opened in the system browser. */
export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return isSecureUrl(url);
}

/** https, or http to a loopback host. */
export function isSecureUrl(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/** Throws `insecure_issuer` unless the URL is https or http to a loopback host. */
export function assertSecureUrl(url: URL): void {
  if (isSecureUrl(url)) return;
  throw new GatehouseError(
    'insecure_issuer',
    `${url.origin} must use https (plain http is only allowed on this computer).`,
  );
}
