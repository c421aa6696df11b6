/**
 * Who issued the certificate a server presents, for a TLS failure's message ("… issued by
 * "Contoso Inspection CA""), so a person can tell a corporate TLS-inspecting proxy from a broken
 * server. A second handshake that verifies nothing and sends nothing: it reads the peer
 * certificate and closes. Through the same proxy as the request (an HTTP CONNECT tunnel), since a
 * TLS-inspecting proxy is the usual cause. Hand-written: undici exposes no peer certificate.
 */
import http from 'node:http';
import { isIP } from 'node:net';
import tls, { type PeerCertificate } from 'node:tls';

const DIAGNOSTIC_TIMEOUT_MS = 2000;

/** The issuer's common name (and organisation), printable and short; null when none was seen. */
export async function certificateIssuer(url: URL, proxy?: string): Promise<string | null> {
  const port = Number(url.port) || 443;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const socket = proxy ? await tunnel(new URL(proxy), `${host}:${port}`) : null;
  if (proxy && !socket) return null;
  return new Promise((resolve) => {
    const tlsSocket = tls.connect({
      ...(socket ? { socket } : { host, port }),
      ...(isIP(host) ? {} : { servername: host }),
      // Read-only diagnosis of a connection the real request already refused: nothing is sent.
      rejectUnauthorized: false,
    });
    const done = (issuer: string | null) => {
      tlsSocket.destroy();
      socket?.destroy();
      resolve(issuer);
    };
    tlsSocket.setTimeout(DIAGNOSTIC_TIMEOUT_MS, () => done(null));
    tlsSocket.once('secureConnect', () => done(describe(tlsSocket.getPeerCertificate())));
    tlsSocket.once('error', () => done(null));
  });
}

/** A CONNECT tunnel through the proxy, or null when it is refused or does not answer. */
function tunnel(proxy: URL, target: string): Promise<import('node:net').Socket | null> {
  return new Promise((resolve) => {
    const auth = proxy.username
      ? {
          'proxy-authorization': `Basic ${Buffer.from(
            `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`,
          ).toString('base64')}`,
        }
      : {};
    const request = http.request({
      host: proxy.hostname,
      port: Number(proxy.port) || 80,
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...auth },
      timeout: DIAGNOSTIC_TIMEOUT_MS,
    });
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        resolve(null);
      }
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(null));
    request.end();
  });
}

// The certificate is the server's (or an attacker's) to write: control and bidi characters go.
const UNPRINTABLE = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2066-\u2069"]/gu;

function describe(cert: PeerCertificate): string | null {
  const issuer = cert?.issuer as Partial<Record<string, string | string[]>> | undefined;
  const first = (value: string | string[] | undefined) =>
    (Array.isArray(value) ? value[0] : value)?.replace(UNPRINTABLE, '').slice(0, 80) || undefined;
  const cn = first(issuer?.CN);
  const org = first(issuer?.O);
  if (!cn && !org) return null;
  return cn && org && org !== cn ? `"${cn}" (${org})` : `"${cn ?? org}"`;
}
