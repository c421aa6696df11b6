/**
 * Which Electron session carries provider traffic (discovery, token, userinfo, GitHub /user and
 * /user/emails). The default session keeps cookies and an HTTP cache in the data folder; this
 * one lives in memory only and caches nothing. Electron-free, so a Node test checks the decision
 * that main/window.ts applies (`session.fromPartition(partition, { cache })`).
 */

export interface ProviderSessionOptions {
  /** Without the `persist:` prefix Electron keeps the session in memory (session.fromPartition). */
  partition: string;
  cache: boolean;
}

export function providerSessionOptions(): ProviderSessionOptions {
  return { partition: 'gatehouse-providers', cache: false };
}

/** Chromium's net error names, as net.fetch reports them: the whole message, nothing else. */
const CHROMIUM_NET_ERROR = /^net::ERR_[A-Z0-9_]+$/;

/**
 * Electron's session.fetch rejects with an Error whose message is Chromium's net error name
 * (`net::ERR_CERT_AUTHORITY_INVALID`) and which has no `code`. The error mapping never reads
 * message text (main/auth/errors-map/), so here, at the one boundary that knows the format, the
 * name becomes the failure's `code`, in the shape Node's fetch uses (a TypeError whose cause
 * carries it): the window then names the cause class, as the command line does.
 */
export function withNetErrorCodes(fetchFn: typeof fetch): typeof fetch {
  return (input, init) =>
    fetchFn(input, init).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : '';
      if (!CHROMIUM_NET_ERROR.test(message) || 'code' in (error as object)) throw error;
      throw new TypeError('fetch failed', {
        cause: Object.assign(error as Error, { code: message }),
      });
    });
}
