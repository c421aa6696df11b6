/**
 * The loopback listener's socket side (loopback.ts is the protocol side): an HTTP server with
 * tight limits, so a slow, oversized or flooding client cannot hold it, and its bind to
 * 127.0.0.1, or [::1] on a machine without IPv4 loopback (RFC 8252 §7.3, §8.3).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { GatehouseError } from '../ports/errors';

const HEADER_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
// Node checks both timeouts only this often (30 s by default), so a trickling slowloris socket
// would outlive HEADER_TIMEOUT_MS by up to the interval.
const TIMEOUT_CHECK_INTERVAL_MS = 500;
// A browser opens a handful of connections; past this, the oldest idle socket makes room.
const MAX_CONNECTIONS = 64;

/** The server, its limits set; `sockets` tracks every open socket, for shutdown. */
export function createListener(maxHeaderSize: number, sockets: Set<Socket>): http.Server {
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

/** Listens on the first registered port free on 127.0.0.1 (any port if none is registered). */
export async function bind(
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
