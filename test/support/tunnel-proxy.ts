/**
 * A real forward proxy on 127.0.0.1 (the `proxy` package), as a corporate network has, that
 * logs every CONNECT and plain proxied request. Its own name resolution is `hosts`: a test host
 * name such as idp.gatehouse.test is rewritten to its address before the proxy connects, since
 * the test network guard lets the proxy reach nothing but the loopback.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createProxy } from 'proxy';

export interface TunnelProxy {
  /** http://127.0.0.1:PORT, for HTTPS_PROXY. */
  url: string;
  /** "host:port" of every CONNECT, as the client sent it, in order. */
  connects: string[];
  /** The URL of every plain (non-CONNECT) proxied request. */
  requests: string[];
  close(): Promise<void>;
}

export interface TunnelProxyOptions {
  /** Name → IPv4 address, the proxy's hosts file. */
  hosts?: Readonly<Record<string, string>>;
  /** Answer every request 407, as a proxy that wants credentials does. */
  refuse?: boolean;
}

export async function startTunnelProxy(options: TunnelProxyOptions = {}): Promise<TunnelProxy> {
  const connects: string[] = [];
  const requests: string[] = [];
  const server = http.createServer();
  // Tunnels leave the server's own bookkeeping once established: closed here by hand.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Registered before createProxy's own listeners, so they see the rewritten target.
  server.on('connect', (req: http.IncomingMessage) => {
    const target = req.url ?? '';
    connects.push(target);
    const colon = target.lastIndexOf(':');
    const address = options.hosts?.[target.slice(0, colon)];
    if (address) req.url = `${address}${target.slice(colon)}`;
  });
  server.on('request', (req: http.IncomingMessage) => void requests.push(req.url ?? ''));
  const proxy = createProxy(server);
  if (options.refuse) proxy.authenticate = () => false;
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
