/**
 * A minimal "system browser" for HTTP-driven tests: follows redirects with a cookie jar and fills
 * oidc-provider's login form, the way a person would. It only ever talks to loopback addresses
 * and stops after a bounded number of hops. Like a real browser, it opens the app's file://
 * start page by following its refresh, and keys cookies by host alone (RFC 6265 §8.5).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAX_HOPS = 25;

/** The link a file:// start page redirects to (main/auth/start-page.ts); other URLs as given. */
export function startPageLink(url: string): string {
  if (!url.startsWith('file:')) return url;
  const html = readFileSync(fileURLToPath(url), 'utf8');
  const refresh = /<meta http-equiv="refresh" content="0;\s*url=([^"]+)"/i.exec(html);
  if (!refresh) throw new Error('test browser: the file is not a start page');
  return refresh[1]!.replace(/&amp;/g, '&');
}

/**
 * A callback from the browser that used the sign-in link: `/signin` first (the link, or the
 * start page holding it), then `callbackUrl` with the cookie it set (main/auth/start-link.ts).
 */
export async function callbackFromBrowser(startUrl: string, callbackUrl: string) {
  const signin = await fetch(startPageLink(startUrl), {
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await signin.body?.cancel();
  const cookie = signin.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return fetch(callbackUrl, { headers: { cookie }, signal: AbortSignal.timeout(10_000) });
}

export interface BrowseResult {
  status: number;
  url: string;
  body: string;
  hops: string[];
}

export interface HttpBrowserOptions {
  /** The transport (the global fetch by default), e.g. one that knows a test host name. */
  fetch?: typeof fetch;
  /** Host names besides the loopback ones that this `fetch` reaches on 127.0.0.1. */
  hosts?: readonly string[];
}

export class HttpBrowser {
  readonly #cookies = new Map<string, Map<string, string>>();

  readonly #options: HttpBrowserOptions;

  constructor(options: HttpBrowserOptions = {}) {
    this.#options = options;
  }

  async open(url: string, login?: { user: string; password?: string }): Promise<BrowseResult> {
    let current = url;
    let method = 'GET';
    let body: string | undefined;
    const hops: string[] = [];
    for (let i = 0; i < MAX_HOPS; i++) {
      if (current.startsWith('file:')) {
        hops.push(`FILE ${new URL(current).pathname}`);
        current = startPageLink(current);
        continue;
      }
      const target = new URL(current);
      const hosts = ['127.0.0.1', '[::1]', 'localhost', ...(this.#options.hosts ?? [])];
      if (!hosts.includes(target.hostname))
        throw new Error(`test browser refuses non-loopback ${target.host}`);
      hops.push(`${method} ${target.pathname}`);
      const response = await (this.#options.fetch ?? fetch)(target, {
        method,
        redirect: 'manual',
        headers: {
          cookie: this.#cookieHeader(target),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      this.#store(target, response.headers.getSetCookie());
      const text = await response.text();
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, target).href;
        method = 'GET';
        body = undefined;
        continue;
      }
      const form = /<form[^>]*action="([^"]+)"[^>]*>/i.exec(text);
      if (login && form && /name="login"/.test(text)) {
        current = new URL(form[1]!.replace(/&amp;/g, '&'), target).href;
        method = 'POST';
        body = new URLSearchParams({
          prompt: 'login',
          login: login.user,
          password: login.password ?? 'any',
        }).toString();
        continue;
      }
      if (form && /name="prompt" value="consent"/.test(text)) {
        current = new URL(form[1]!.replace(/&amp;/g, '&'), target).href;
        method = 'POST';
        body = new URLSearchParams({ prompt: 'consent' }).toString();
        continue;
      }
      return { status: response.status, url: target.href, body: text, hops };
    }
    throw new Error('too many redirects in test browser');
  }

  /** The cookies this browser holds for a host (any port), as `name → value`. */
  cookiesFor(hostname: string): ReadonlyMap<string, string> {
    return new Map(this.#cookies.get(hostname) ?? []);
  }

  // Cookies do not provide isolation by port (RFC 6265 §8.5): one jar per host name.
  #cookieHeader(url: URL) {
    const jar = this.#cookies.get(url.hostname);
    return jar ? [...jar.entries()].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  #store(url: URL, setCookies: string[]) {
    const jar = this.#cookies.get(url.hostname) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    this.#cookies.set(url.hostname, jar);
  }
}
