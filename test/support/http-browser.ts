/**
 * A minimal "system browser" for HTTP-driven tests: follows redirects with a cookie jar and fills
 * oidc-provider's login form, the way a person would. It only ever talks to loopback addresses
 * and stops after a bounded number of hops.
 */
const MAX_HOPS = 25;

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

  #cookieHeader(url: URL) {
    const jar = this.#cookies.get(url.host);
    return jar ? [...jar.entries()].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  #store(url: URL, setCookies: string[]) {
    const jar = this.#cookies.get(url.host) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    this.#cookies.set(url.host, jar);
  }
}
