/**
 * The one-shot loopback listener of RFC 8252 §7.3: bound to 127.0.0.1 (or [::1]), on an
 * ephemeral port or the first free registered port, answering only GET on its own provider path.
 * It starts only after state, verifier and nonce exist, and closes after the first valid callback.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { GatehouseError } from '../ports/errors';
import { REPLY_PAGES, type ReplyPage } from './reply-pages';

export type CallbackVerdict =
  /** Not this attempt's (wrong or missing state / token): answered and ignored, keep waiting. */
  | { kind: 'ignore' }
  /** This attempt's: the flow completes with these parameters. */
  | { kind: 'accept' };

export interface LoopbackOptions {
  /** Path segment after /callback/ — the per-provider path is the mix-up defence (RFC 9700). */
  providerId: string;
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
  /** Largest request header block accepted, in bytes. */
  maxHeaderSize?: number;
}

export interface LoopbackHandle {
  readonly host: '127.0.0.1' | '[::1]';
  readonly port: number;
  /** http://127.0.0.1:{port}/callback/{providerId} */
  readonly redirectUri: string;
  /** A one-time start URL that redirects to the authorization URL, so the app learns the
   * browser arrived and the long URL stays off the opener's command line. */
  startUrl(authorizationUrl: string): string;
  /** Resolves with the callback's full URL once a valid callback arrives. */
  readonly callback: Promise<URL>;
  readonly browserReached: boolean;
  /** Ends the attempt: rejects `callback` with the error given and closes every socket. */
  close(reason?: GatehouseError): void;
}

const HEADER_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
// Node checks both timeouts only this often (30 s by default), so a trickling slowloris socket
// would outlive HEADER_TIMEOUT_MS by up to the interval.
const TIMEOUT_CHECK_INTERVAL_MS = 500;
// A browser opens a handful of connections; past this, the oldest idle socket makes room.
const MAX_CONNECTIONS = 64;
const DEFAULT_MAX_HEADER_SIZE = 8 * 1024;
const MAX_URL_LENGTH = 8 * 1024;

export async function startLoopback(options: LoopbackOptions): Promise<LoopbackHandle> {
  const sockets = new Set<Socket>();
  let resolveCallback!: (url: URL) => void;
  let rejectCallback!: (error: GatehouseError) => void;
  const callback = new Promise<URL>((resolve, reject) => {
    resolveCallback = resolve;
    rejectCallback = reject;
  });
  // The engine may end the attempt before anyone awaits `callback`.
  callback.catch(() => undefined);

  const server = createListener(options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE, sockets);
  const { host, port } = await bind(server, options.ports ?? []);
  const state: Waiting = {
    options,
    authority: `${host}:${port}`,
    callbackPath: `/callback/${options.providerId}`,
    settled: false,
    reached: false,
    startNonce: null,
    startTarget: null,
    accept: (url) => resolveCallback(url),
    shutdown: () => shutdown(),
  };
  server.on('request', (req, res) => onRequest(state, req, res));

  const timer = setTimeout(() => {
    close(new GatehouseError('sign_in_timeout', 'The sign-in was not completed in time.'));
  }, options.timeoutMs);
  timer.unref?.();

  function shutdown() {
    clearTimeout(timer);
    server.close();
    // close() waits for keep-alive sockets; destroy them so the port is free at once.
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  }

  function close(reason?: GatehouseError) {
    if (!state.settled) {
      state.settled = true;
      rejectCallback(reason ?? new GatehouseError('cancelled', 'The sign-in was cancelled.'));
    }
    shutdown();
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
      state.startNonce = randomBytes(16).toString('base64url');
      state.startTarget = authorizationUrl;
      return `http://${state.authority}/signin?n=${state.startNonce}`;
    },
    close,
  };
}

/** What a listener knows while it waits; the request handlers read and update it. */
interface Waiting {
  readonly options: LoopbackOptions;
  /** host:port exactly as the redirect URI names it. */
  readonly authority: string;
  readonly callbackPath: string;
  settled: boolean;
  reached: boolean;
  startNonce: string | null;
  startTarget: string | null;
  /** Completes the attempt with the valid callback's URL. */
  accept(url: URL): void;
  /** Stops listening and drops every socket. */
  shutdown(): void;
}

function createListener(maxHeaderSize: number, sockets: Set<Socket>): http.Server {
  const server = http.createServer({
    maxHeaderSize,
    headersTimeout: HEADER_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    keepAliveTimeout: 1_000,
  });
  server.maxRequestsPerSocket = 20;
  // Sockets whose request is being answered; the others are still waiting for a full request.
  const answering = new WeakSet<Socket>();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    answering.add(req.socket);
    res.on('close', () => answering.delete(req.socket));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    // An idle socket is dropped after the header timeout, a trickling one by headersTimeout.
    socket.setTimeout(HEADER_TIMEOUT_MS, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    if (sockets.size > MAX_CONNECTIONS) evictOldest(sockets, answering, socket);
  });
  server.on('clientError', (_err, socket) => {
    // Malformed, oversized or too slow: answer if possible, then drop the socket for good.
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n', () => socket.destroy());
    else socket.destroy();
  });
  return server;
}

/** A flood must not lock out the browser: the newest socket always stays, the oldest goes,
 * preferring one that has not sent a full request. Set order is insertion order. */
function evictOldest(sockets: Set<Socket>, answering: WeakSet<Socket>, newest: Socket) {
  const older = [...sockets].filter((socket) => socket !== newest);
  const victim = older.find((socket) => !answering.has(socket)) ?? older[0];
  if (!victim) return;
  sockets.delete(victim);
  victim.destroy();
}

function onRequest(state: Waiting, req: http.IncomingMessage, res: http.ServerResponse) {
  if (state.settled) return reply(res, 410, REPLY_PAGES.gone);
  const url = ownUrl(state.authority, req);
  if (!(url instanceof URL)) return reply(res, ...url);
  if (url.pathname === '/signin' && state.startNonce !== null) return onStart(state, url, req, res);
  if (url.pathname !== state.callbackPath) return reply(res, 404, REPLY_PAGES.notFound);
  if (req.method !== 'GET') return reply(res, 405, REPLY_PAGES.methodNotAllowed, { Allow: 'GET' });
  onCallback(state, url, res);
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

/** The one-time start link: redirects the browser to the authorization URL. */
function onStart(state: Waiting, url: URL, req: http.IncomingMessage, res: http.ServerResponse) {
  if (req.method !== 'GET') return reply(res, 405, REPLY_PAGES.methodNotAllowed, { Allow: 'GET' });
  const params = url.searchParams;
  if (
    params.getAll('n').length !== 1 ||
    params.get('n') !== state.startNonce ||
    !state.startTarget
  ) {
    return reply(res, 404, REPLY_PAGES.notFound);
  }
  // One-time: answered once, then gone, so a copied start link cannot be replayed.
  const target = state.startTarget;
  state.startNonce = null;
  markReached(state);
  res.writeHead(302, { ...SECURITY_HEADERS, Location: target, 'Content-Length': '0' });
  res.end();
}

function onCallback(state: Waiting, url: URL, res: http.ServerResponse) {
  const params = url.searchParams;
  // Duplicate parameters are refused outright: which copy a library reads is ambiguous.
  const keys = [...params.keys()];
  if (new Set(keys).size !== keys.length) {
    state.options.onIgnored?.('duplicate parameters');
    return reply(res, 400, REPLY_PAGES.badRequest);
  }
  const verdict = state.options.check(params);
  if (verdict.kind === 'ignore') {
    state.options.onIgnored?.('not this attempt');
    return reply(res, 400, REPLY_PAGES.notThisAttempt);
  }
  // Only a callback that passed the state check proves the browser got here (RFC 6749 §10.12).
  markReached(state);
  state.settled = true;
  const page = params.has('error') ? REPLY_PAGES.failed : REPLY_PAGES.done;
  reply(res, 200, page, { Connection: 'close' }, () => state.shutdown());
  state.accept(url);
}

function markReached(state: Waiting) {
  if (state.reached) return;
  state.reached = true;
  state.options.onBrowserReached?.();
}

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

function reply(
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

async function bind(
  server: http.Server,
  ports: readonly number[],
): Promise<{ host: '127.0.0.1' | '[::1]'; port: number }> {
  const candidates = ports.length > 0 ? ports : [0];
  let lastError: unknown;
  for (const host of ['127.0.0.1', '::1'] as const) {
    let hostUnavailable = false;
    for (const port of candidates) {
      try {
        await listen(server, host, port);
        const address = server.address() as AddressInfo;
        return { host: host === '::1' ? '[::1]' : host, port: address.port };
      } catch (error) {
        lastError = error;
        // EADDRINUSE: try the next registered port. EADDRNOTAVAIL: no IPv4 loopback at all.
        if ((error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') {
          hostUnavailable = true;
          break;
        }
      }
    }
    // [::1] is a fallback for machines without 127.0.0.1, not for busy ports: a registered
    // redirect URI names 127.0.0.1, so the same port on [::1] would not match it.
    if (!hostUnavailable) break;
  }
  const detail = ports.length > 0 ? `ports ${ports.join(', ')} are all in use` : 'no free port';
  throw new GatehouseError(
    'loopback_bind_failed',
    `Could not listen for the sign-in reply: ${detail}.`,
    {
      cause: lastError,
    },
  );
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}
