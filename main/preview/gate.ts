/**
 * Who may use the preview channel: a request to exactly 127.0.0.1:<port> (a rebound DNS name
 * carries another Host), from the preview's own origin (RFC 6454), carrying the HttpOnly cookie
 * that the one-time link set. The cookie holds a 32-byte secret that never reaches a command line.
 */
import type { IncomingMessage } from 'node:http';
import { cookieValues, randomToken as random } from '../auth/cookie-header';
import { sameSecret as same } from '../auth/providers/state-check';

export const COOKIE_NAME = 'gatehouse_preview';
/** Where the one-time link points; everything else lives under the gate's random base path. */
export const LINK_PATH = '/open';

/** What a browser's Sec-Fetch-Site may say of a request to the page, its files or the API. */
const SAME_ORIGIN = new Set(['same-origin', 'none']);

export type LinkUse = { kind: 'first'; setCookie: string } | { kind: 'refused' };

export class PreviewGate {
  readonly origin: string;
  readonly host: string;
  /**
   * Cookies are shared by every port of a host (RFC 6265 §8.5); a random Path keeps the browser
   * from sending this one to another local server, which cannot guess the path.
   */
  readonly base = `/p-${random(12)}/`;
  readonly #secret = random(32);
  #link: { token: string; used: boolean } | null = null;

  constructor(port: number) {
    this.host = `127.0.0.1:${port}`;
    this.origin = `http://${this.host}`;
  }

  /** Why the request is refused before anything else is read, or null when it may go on. */
  refuseSender(req: IncomingMessage, isLink: boolean): string | null {
    if (req.headers.host !== this.host) return 'This server answers only at its own address.';
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== this.origin) return 'Cross-origin request refused.';
    // Browsers send Origin with every POST, same-origin ones too (Fetch: append a request Origin).
    if (req.method !== 'GET' && req.method !== 'HEAD' && origin === undefined)
      return 'A request without Origin was refused.';
    const site = req.headers['sec-fetch-site'];
    // The one-time link may come from the file:// start page (cross-site); it is its own proof.
    if (!isLink && typeof site === 'string' && !SAME_ORIGIN.has(site))
      return 'Cross-site request refused.';
    return null;
  }

  /** A fresh one-time link; one issued before and never used stops working. */
  issueLink(): string {
    if (this.#link && !this.#link.used) this.#link = null;
    const token = random(32);
    this.#link = { token, used: false };
    return `${this.origin}${LINK_PATH}?t=${token}`;
  }

  /** The first use of the current link sets the cookie; any later use, or another token, fails. */
  useLink(token: string | null): LinkUse {
    const link = this.#link;
    if (!link || link.used || token === null || !same(link.token, token))
      return { kind: 'refused' };
    link.used = true;
    return {
      kind: 'first',
      setCookie: `${COOKIE_NAME}=${this.#secret}; Path=${this.base}; HttpOnly; SameSite=Strict`,
    };
  }

  /** True when the request carries the secret in the preview's cookie. */
  authorised(req: IncomingMessage): boolean {
    return cookieValues(req.headers.cookie, COOKIE_NAME).some((v) => same(v, this.#secret));
  }
}
