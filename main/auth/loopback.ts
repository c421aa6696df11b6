/**
 * The one-shot loopback listener of RFC 8252 §7.3: bound to 127.0.0.1 (or [::1]), on an
 * ephemeral port or the first free registered port, answering only GET on its own provider path.
 * It starts only after state, verifier and nonce exist, and closes after the first valid callback
 * (or, when its link went through a command line, keeps watching for a second use of that link).
 * The accepted callback is answered once the engine calls `complete` with the outcome
 * (loopback-reply.ts), so the browser tab says what really happened.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import { GatehouseError } from '../ports/errors';
import { bind, createListener } from './loopback-server';
import { HeldReply, redirect, reply, REPLY_HOLD_MS } from './loopback-reply';
import { sameSecret } from './providers/state-check';
import { REPLY_PAGES, type ReplyOutcome, type ReplyPage } from './reply-pages';
import { StartLinks } from './start-link';

export type CallbackVerdict =
  /** Not this attempt's (wrong or missing state / token): answered and ignored, keep waiting. */
  | { kind: 'ignore' }
  /** This attempt's: the flow completes with these parameters. */
  | { kind: 'accept' };

export interface LoopbackOptions {
  /** Path segment after /callback/ — the per-provider path is the mix-up defence (RFC 9700). */
  providerId: string;
  /** A random segment after the provider path (/callback/{providerId}/{segment}) for this
   * attempt alone; a callback on the bare or another segment is ignored, like a wrong state. */
  attemptSegment?: string;
  /** Registered fixed ports to try in order; empty means an ephemeral port. */
  ports?: readonly number[];
  /** Decides whether a callback belongs to this attempt; called only for well-formed GETs. */
  check: (params: URLSearchParams) => CallbackVerdict;
  /** Overall deadline for the whole attempt. */
  timeoutMs: number;
  /** Called once when the browser first reaches the listener: the one-time /signin link, or a
   * callback that passed `check` (a forged callback proves nothing). */
  onBrowserReached?: () => void;
  /** Called for every callback that was ignored (for the sign-in log; never with its values). */
  onIgnored?: (reason: string) => void;
  /** Called each time a /signin link is used for the first time (its start page can go). */
  onLinkUsed?: () => void;
  /** Called when another browser uses a link after the callback was accepted: someone else
   * completed the sign-in with it. */
  onReusedAfterEnd?: () => void;
  /** Largest request header block accepted, in bytes. */
  maxHeaderSize?: number;
  /** How long the accepted callback's answer waits for `complete` (REPLY_HOLD_MS by default). */
  replyHoldMs?: number;
}

export interface LoopbackHandle {
  readonly host: '127.0.0.1' | '[::1]';
  readonly port: number;
  /** http://127.0.0.1:{port}/callback/{providerId}[/{attemptSegment}] */
  readonly redirectUri: string;
  /** A fresh one-time start URL that redirects to the authorization URL and sets the cookie the
   * callback must bring back (main/auth/start-link.ts); a link issued before and unused dies. */
  startUrl(authorizationUrl: string): string;
  /** The link went where other local users can read it (a command line): after the callback,
   * listen on until the deadline (at most 2 minutes), so a second use of it is still noticed. */
  linkExposed(): void;
  /** Resolves with the callback's full URL once a valid callback arrives. */
  readonly callback: Promise<URL>;
  readonly browserReached: boolean;
  /** Answers the accepted callback's browser tab with the outcome (once the exchange and the
   * ID-token checks ended); before a callback, or after the answer went out, it does nothing. */
  complete(outcome: ReplyOutcome): void;
  /** Ends the attempt: rejects `callback` with the error given and closes every socket; a tab
   * still waiting for its answer is told why (the error's sentence). */
  close(reason?: GatehouseError): void;
}

const DEFAULT_MAX_HEADER_SIZE = 8 * 1024;
const MAX_URL_LENGTH = 8 * 1024;
const WATCH_MS = 120_000;

export async function startLoopback(options: LoopbackOptions): Promise<LoopbackHandle> {
  const sockets = new Set<Socket>();
  const { callback, resolveCallback, rejectCallback } = callbackPromise();

  const server = createListener(options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE, sockets);
  const { host, port } = await bind(server, options.ports ?? []);
  const life = lifetime(server, sockets, options.timeoutMs, () =>
    close(new GatehouseError('sign_in_timeout', 'The sign-in was not completed in time.')),
  );
  let held: HeldReply | null = null;
  const state: Waiting = {
    options,
    authority: `${host}:${port}`,
    callbackPath: `/callback/${options.providerId}${options.attemptSegment ? `/${options.attemptSegment}` : ''}`,
    settled: false,
    reached: false,
    links: new StartLinks(options.timeoutMs),
    exposed: false,
    watching: false,
    accept: (url) => resolveCallback(url),
    hold: (res, after) => (held = life.hold(res, options.replyHoldMs ?? REPLY_HOLD_MS, after)),
    fail,
    watch: () => {
      state.watching = true;
      life.watch();
    },
    shutdown: life.shutdown,
  };
  server.on('request', (req, res) => onRequest(state, req, res));

  function fail(reason: GatehouseError) {
    if (state.settled) return;
    state.settled = true;
    rejectCallback(reason);
  }

  function close(reason?: GatehouseError) {
    const why = reason ?? new GatehouseError('cancelled', 'The sign-in was cancelled.');
    fail(why);
    held?.complete({ failure: why.code });
    life.shutdown();
  }

  return {
    host,
    port,
    redirectUri: `http://${state.authority}${state.callbackPath}`,
    callback,
    get browserReached() {
      return state.reached;
    },
    startUrl(authorizationUrl: string) {
      return `http://${state.authority}/signin?n=${state.links.issue(authorizationUrl)}`;
    },
    linkExposed() {
      state.exposed = true;
    },
    complete: (outcome) => held?.complete(outcome),
    close,
  };
}

/** The callback's promise; the engine may end the attempt before anyone awaits it. */
function callbackPromise() {
  let resolveCallback!: (url: URL) => void;
  let rejectCallback!: (error: GatehouseError) => void;
  const callback = new Promise<URL>((resolve, reject) => {
    resolveCallback = resolve;
    rejectCallback = reject;
  });
  callback.catch(() => undefined);
  return { callback, resolveCallback, rejectCallback };
}

/** The attempt's deadline, then, when watching, the end of the watch (at most WATCH_MS). */
function lifetime(
  server: http.Server,
  sockets: Set<Socket>,
  timeoutMs: number,
  onTimeout: () => void,
) {
  const deadline = Date.now() + timeoutMs;
  let timer = setTimeout(onTimeout, timeoutMs);
  timer.unref?.();
  const shutdown = () => {
    clearTimeout(timer);
    server.close();
    // close() waits for keep-alive sockets; destroy them so the port is free at once.
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  const watch = () => {
    clearTimeout(timer);
    timer = setTimeout(shutdown, Math.max(0, Math.min(WATCH_MS, deadline - Date.now())));
    timer.unref?.();
    server.unref(); // a watch never keeps the process alive
  };
  /** The accepted callback's answer: the deadline was for the browser, which came, so from now
   * on the hold bounds the wait. Its socket leaves `sockets`: shutdown must not cut it off. */
  const hold = (res: http.ServerResponse, holdMs: number, after: () => void) => {
    clearTimeout(timer);
    sockets.delete(res.socket!);
    return new HeldReply(res, holdMs, after);
  };
  return { hold, shutdown, watch };
}

/** What a listener knows while it waits; the request handlers read and update it. */
interface Waiting {
  readonly options: LoopbackOptions;
  /** host:port exactly as the redirect URI names it. */
  readonly authority: string;
  readonly callbackPath: string;
  settled: boolean;
  reached: boolean;
  readonly links: StartLinks;
  /** A link went through a command line (see LoopbackHandle.linkExposed). */
  exposed: boolean;
  /** Settled, but still answering /signin to notice a second use of a link. */
  watching: boolean;
  /** Completes the attempt with the valid callback's URL. */
  accept(url: URL): void;
  /** Holds the accepted callback's answer until `complete` (or its bound); then `after`. */
  hold(res: http.ServerResponse, after: () => void): void;
  /** Ends the attempt with this error (once); the caller shuts down after its reply. */
  fail(reason: GatehouseError): void;
  /** After the callback: listen on for /signin only, until the deadline or WATCH_MS. */
  watch(): void;
  /** Stops listening and drops every socket. */
  shutdown(): void;
}

function onRequest(state: Waiting, req: http.IncomingMessage, res: http.ServerResponse) {
  if (state.settled && !state.watching) return reply(res, 410, REPLY_PAGES.gone);
  const url = ownUrl(state.authority, req);
  if (!(url instanceof URL)) return reply(res, ...url);
  if (url.pathname === '/signin') return onStart(state, url, req, res);
  if (state.settled) return reply(res, 410, REPLY_PAGES.gone);
  const route = callbackRoute(state.options, url.pathname);
  if (route === 'other') return reply(res, 404, REPLY_PAGES.notFound);
  if (req.method !== 'GET') return reply(res, 405, REPLY_PAGES.methodNotAllowed, { Allow: 'GET' });
  onCallback(state, url, req, res, route === 'own');
}

/** 'own' for this attempt's callback path; with an attempt segment, the provider path with none
 * or another one is 'stranger': a callback, but not this attempt's (compared in constant time). */
function callbackRoute(options: LoopbackOptions, path: string): 'own' | 'stranger' | 'other' {
  const base = `/callback/${options.providerId}`;
  const segment = options.attemptSegment;
  if (!segment) return path === base ? 'own' : 'other';
  if (path !== base && !path.startsWith(`${base}/`)) return 'other';
  return sameSecret(segment, path.slice(base.length + 1)) ? 'own' : 'stranger';
}

/** The request's URL if it is addressed to this listener, or how to refuse it. */
function ownUrl(authority: string, req: http.IncomingMessage): URL | [number, ReplyPage] {
  // DNS-rebinding defence: only our own literal authority is accepted (RFC 8252 §8.3).
  if (req.headers.host !== authority) return [400, REPLY_PAGES.badRequest];
  const rawUrl = req.url ?? '';
  if (rawUrl.length > MAX_URL_LENGTH) return [414, REPLY_PAGES.badRequest];
  // Paths are compared raw: no dot-segment or '//' normalisation may turn another path into ours.
  if (!rawUrl.startsWith('/') || rawUrl.startsWith('//')) return [400, REPLY_PAGES.badRequest];
  const rawPath = rawUrl.split('?', 1)[0];
  let url: URL;
  try {
    url = new URL(rawUrl, `http://${authority}`);
  } catch {
    return [400, REPLY_PAGES.badRequest];
  }
  if (url.pathname !== rawPath) return [404, REPLY_PAGES.notFound];
  return url;
}

/** The one-time start link: redirects the browser to the authorization URL, once. */
function onStart(state: Waiting, url: URL, req: http.IncomingMessage, res: http.ServerResponse) {
  if (req.method !== 'GET') return reply(res, 405, REPLY_PAGES.methodNotAllowed, { Allow: 'GET' });
  const nonces = url.searchParams.getAll('n');
  const use = state.links.use(nonces.length === 1 ? nonces[0]! : null, req.headers.cookie);
  switch (use.kind) {
    case 'unknown':
      return reply(res, 404, REPLY_PAGES.notFound);
    case 'reused':
      return onReused(state, res);
    case 'again':
      if (state.settled) return reply(res, 410, REPLY_PAGES.gone);
      return redirect(res, use.target);
    case 'first':
      markReached(state);
      state.options.onLinkUsed?.();
      return redirect(res, use.target, { 'Set-Cookie': use.setCookie });
  }
}

/** Another browser used a used link: someone else has it, so this attempt is over. After an
 * accepted callback the engine is told, to sign out the account that sign-in made. */
function onReused(state: Waiting, res: http.ServerResponse) {
  const completed = state.settled;
  state.fail(
    new GatehouseError(
      'sign_in_link_reused',
      'Someone else used this sign-in link, so the sign-in was stopped.',
    ),
  );
  reply(res, 403, REPLY_PAGES.linkReused, { Connection: 'close' }, () => state.shutdown());
  if (completed) state.options.onReusedAfterEnd?.();
}

function onCallback(
  state: Waiting,
  url: URL,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  ownPath: boolean,
) {
  const params = url.searchParams;
  // Duplicate parameters are refused outright: which copy a library reads is ambiguous.
  const keys = [...params.keys()];
  if (new Set(keys).size !== keys.length) {
    state.options.onIgnored?.('duplicate parameters');
    return reply(res, 400, REPLY_PAGES.badRequest);
  }
  // Bound to the browser that used the link: without its cookie, the callback is someone else's.
  if (!state.links.bound(req.headers.cookie)) {
    state.options.onIgnored?.('no sign-in cookie');
    return reply(res, 400, REPLY_PAGES.notThisAttempt);
  }
  const verdict: CallbackVerdict = ownPath ? state.options.check(params) : { kind: 'ignore' };
  if (verdict.kind === 'ignore') {
    state.options.onIgnored?.('not this attempt');
    return reply(res, 400, REPLY_PAGES.notThisAttempt);
  }
  // Only a callback that passed the state check proves the browser got here (RFC 6749 §10.12).
  markReached(state);
  state.settled = true;
  state.links.retireUnused();
  // A link seen on a command line may have been used first by someone else: the real browser
  // may still come with it, so listen on for that (LoopbackHandle.linkExposed).
  const watch = state.exposed;
  // Even a callback with error= waits: the provider module decides what it means.
  state.hold(res, watch ? () => undefined : () => state.shutdown());
  state.accept(url);
  if (watch) state.watch();
}

function markReached(state: Waiting) {
  if (state.reached) return;
  state.reached = true;
  state.options.onBrowserReached?.();
}
