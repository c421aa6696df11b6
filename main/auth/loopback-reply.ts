/**
 * How the loopback listener (loopback.ts) answers the browser: every reply with the same security
 * headers, and the accepted callback's answer held until the engine knows the outcome. Answering
 * "signed in" before the code exchange told the person a lie whenever the exchange or the
 * ID-token checks then failed (issue 13 item 2), so the tab now waits for them, for a bounded time.
 */
import type http from 'node:http';
import { outcomePage, REPLY_PAGES, type ReplyOutcome, type ReplyPage } from './reply-pages';

/** How long the accepted callback's answer waits for the outcome at most. */
export const REPLY_HOLD_MS = 15_000;

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

export function reply(
  res: http.ServerResponse,
  status: number,
  page: ReplyPage,
  extra: Record<string, string> = {},
  after?: () => void,
) {
  const body = Buffer.from(page.html, 'utf8');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(body.length),
    ...extra,
  });
  res.end(body, after);
}

export function redirect(
  res: http.ServerResponse,
  target: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(302, { ...SECURITY_HEADERS, ...extra, Location: target, 'Content-Length': '0' });
  res.end();
}

/**
 * The accepted callback's answer, waiting for `complete(outcome)`: the exchange and the ID-token
 * checks take one or more round trips to the provider. It waits `holdMs` at most, then says the
 * sign-in is still finishing (never that it worked); `after` runs once, when the answer went out
 * or the browser gave up. The listener hands this socket over: its shutdown and its flood
 * eviction leave it alone, so the answer is not cut off, and this timer bounds it instead.
 */
export class HeldReply {
  readonly #res: http.ServerResponse;
  readonly #timer: NodeJS.Timeout;
  readonly #after: () => void;
  #answered = false;

  constructor(res: http.ServerResponse, holdMs: number, after: () => void) {
    this.#res = res;
    let ran = false;
    this.#after = () => {
      if (ran) return;
      ran = true;
      clearTimeout(this.#timer);
      after();
    };
    // The socket's idle timeout (loopback.ts) is for requests still arriving; this one is whole.
    // Node's requestTimeout stops counting once a request is complete, so only this one is left.
    res.socket?.setTimeout(0);
    this.#timer = setTimeout(() => this.#answer(REPLY_PAGES.stillFinishing), holdMs);
    this.#timer.unref?.();
    // A browser that gave up (tab closed) has nothing left to answer.
    res.once('close', () => {
      this.#answered = true;
      this.#after();
    });
  }

  /** Answers with the outcome's page; only the first answer counts. */
  complete(outcome: ReplyOutcome): void {
    this.#answer(outcomePage(outcome));
  }

  #answer(page: ReplyPage) {
    if (this.#answered) return;
    this.#answered = true;
    clearTimeout(this.#timer);
    reply(this.#res, 200, page, { Connection: 'close' }, this.#after);
  }
}
