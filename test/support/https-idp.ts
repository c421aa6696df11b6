/**
 * A real OpenID provider (oidc-provider) over https on 127.0.0.1, under a host name of the
 * test's choosing (its issuer is https://NAME:PORT), with a certificate from a test CA. Any user
 * name signs in through its development login form, as with the demo provider.
 */
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { Agent, buildConnector } from 'undici';

export interface HttpsIdp {
  issuer: string;
  port: number;
  /** How many requests reached it, to tell a request that never arrived from one refused. */
  requests(): number;
  close(): Promise<void>;
}

export interface HttpsIdpOptions {
  hostname: string;
  cert: string;
  key: string;
  clientId: string;
  /** The Gatehouse provider id: the redirect URI is http://127.0.0.1/callback/<id>. */
  providerId: string;
}

export async function startHttpsIdp(options: HttpsIdpOptions): Promise<HttpsIdp> {
  const server = https.createServer({ cert: options.cert, key: options.key });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `https://${options.hostname}:${port}`;
  const provider = new Provider(issuer, await configuration(options));
  provider.on('server_error', () => undefined);
  let count = 0;
  const handle = provider.callback();
  server.on('request', (req, res) => {
    count++;
    void handle(req, res);
  });
  return {
    issuer,
    port,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function configuration(options: HttpsIdpOptions): Promise<Configuration> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'corp', alg: 'ES256', use: 'sig' };
  return {
    clients: [
      {
        client_id: options.clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // Native clients: oidc-provider ignores the loopback port (RFC 8252 §7.3).
        redirect_uris: [`http://127.0.0.1/callback/${options.providerId}`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile'],
    claims: { openid: ['sub'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    ttl: { AccessToken: 600, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: `${sub} at corp` }),
    }),
  };
}

/**
 * The test browser's transport: `hostname` is reached directly on 127.0.0.1 (a hosts-file entry,
 * so the proxy under test sees only the CLI), trusting `ca`, with the name kept for TLS.
 */
export function browserFetch(hostname: string, ca: string): typeof fetch {
  const connector = buildConnector({ ca });
  const dispatcher = new Agent({
    connect: (opts, callback) =>
      connector(
        opts.hostname === hostname
          ? { ...opts, hostname: '127.0.0.1', servername: hostname }
          : opts,
        callback,
      ),
  });
  // Node's fetch takes any undici dispatcher; its typings name their own copy of the type.
  return (input, init) => fetch(input, { ...init, dispatcher } as unknown as RequestInit);
}
