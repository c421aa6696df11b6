/**
 * The loopback's one-time /signin links, and the cookie that binds the callback to the browser
 * that used one. Whoever holds a link could otherwise sign in at the provider as themselves and
 * deliver the callback (login CSRF, RFC 6749 §10.12). Cookies are not port-scoped (RFC 6265
 * §8.5): every loopback port shares one jar in a real browser, so each link's cookie has its own
 * random name.
 */
import { cookieValues, randomToken as random } from './cookie-header';
import { sameSecret } from './providers/state-check';

interface Link {
  nonce: string;
  cookieName: string;
  cookieValue: string;
  used: boolean;
}

export type LinkUse =
  /** First use: redirect there, setting this cookie. */
  | { kind: 'first'; target: string; setCookie: string }
  /** The same browser again (its cookie came back): a reload, not an attack. */
  | { kind: 'again'; target: string }
  /** A second use by a browser without the link's cookie: someone else has the link. */
  | { kind: 'reused' }
  /** Never issued, or replaced by a newer link before anyone used it. */
  | { kind: 'unknown' };

export class StartLinks {
  readonly #links: Link[] = [];
  readonly #maxAgeSeconds: number;
  #target: string | null = null;

  constructor(lifetimeMs: number) {
    this.#maxAgeSeconds = Math.max(1, Math.ceil(lifetimeMs / 1000));
  }

  /** A fresh link's nonce; a link issued before and never used stops working. */
  issue(target: string): string {
    this.#target = target;
    this.retireUnused();
    const link: Link = {
      nonce: random(16),
      cookieName: `gh_${random(9)}`,
      cookieValue: random(32),
      used: false,
    };
    this.#links.push(link);
    return link.nonce;
  }

  /** After the callback, a link nobody used no longer starts anything. */
  retireUnused(): void {
    const unused = this.#links.findIndex((link) => !link.used);
    if (unused >= 0) this.#links.splice(unused, 1);
  }

  /** What a GET /signin?n={nonce} gets; `nonce` is null when the query is malformed. */
  use(nonce: string | null, cookieHeader: string | undefined): LinkUse {
    const link = nonce === null ? undefined : this.#links.find((l) => sameSecret(l.nonce, nonce));
    if (!link || !this.#target) return { kind: 'unknown' };
    if (link.used) {
      const back = cookieValues(cookieHeader, link.cookieName);
      return back.some((v) => sameSecret(v, link.cookieValue))
        ? { kind: 'again', target: this.#target }
        : { kind: 'reused' };
    }
    link.used = true;
    const setCookie =
      `${link.cookieName}=${link.cookieValue}; Path=/; HttpOnly; SameSite=Lax; ` +
      `Max-Age=${this.#maxAgeSeconds}`;
    return { kind: 'first', target: this.#target, setCookie };
  }

  /** True when the request carries the cookie of a link that was used. */
  bound(cookieHeader: string | undefined): boolean {
    return this.#links.some(
      (link) =>
        link.used &&
        cookieValues(cookieHeader, link.cookieName).some((v) => sameSecret(v, link.cookieValue)),
    );
  }
}
