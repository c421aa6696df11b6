/**
 * The embedded demo identity provider: a certified OpenID provider (oidc-provider) on 127.0.0.1,
 * started only when someone signs in with "demo", so `npm start` works with nothing registered.
 * Any user name and password sign in; the user name becomes the stable `sub`, and its email is
 * never marked verified. The tests start the same server with other clients and lifetimes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';

export const DEMO_CLIENT_ID = 'gatehouse-demo';

export interface DemoServerOptions {
  /** 0 (default) for an ephemeral port. */
  port?: number;
  clients?: ClientMetadata[];
  accessTokenTtlSeconds?: number;
  /** Extra features for tests (device flow, ...). */
  features?: Configuration['features'];
  /**
   * Delay before answering each request, in ms: the benchmark's stand-in for a provider across
   * the network (a real one is tens of ms away, which changes what concurrency can hide).
   */
  latencyMs?: number;
  /**
   * false: every answer closes its connection, so no idle client socket outlives suspend() and
   * fails the next request after resume() (the app's demo provider suspends between uses).
   */
  keepAlive?: boolean;
}

export interface DemoServer {
  issuer: string;
  port: number;
  provider: Provider;
  /** The provider's signing key (private JWK): the negative tests forge tokens with it. */
  signingKey: JWK;
  close(): Promise<void>;
  /** Stops listening but keeps keys and grants, so resume() serves the same issuer again. */
  suspend(): Promise<void>;
  /** Listens again on the same port (the issuer includes it); rejects if the port was taken. */
  resume(): Promise<void>;
}

export function demoNativeClient(providerId = 'demo'): ClientMetadata {
  return {
    client_id: DEMO_CLIENT_ID,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    // Native clients: oidc-provider ignores the loopback port (RFC 8252 §7.3).
    redirect_uris: [
      `http://127.0.0.1/callback/${providerId}`,
      `http://[::1]/callback/${providerId}`,
    ],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}

let quieted = false;
/** oidc-provider rightly warns that dev interactions and the in-memory store are for demos only;
 * this is the demo, so those expected notices are dropped (everything else still prints). */
function quietExpectedNotices() {
  if (quieted) return;
  quieted = true;
  for (const level of ['warn', 'info'] as const) {
    // eslint-disable-next-line no-console -- filtering the library's own console notices
    const original = console[level].bind(console);
    // eslint-disable-next-line no-console -- see above
    console[level] = (...args: unknown[]) => {
      if (
        typeof args[0] === 'string' &&
        /^oidc-provider (WARNING|NOTICE): (a quick start|default |Unsupported runtime)/.test(
          args[0],
        )
      )
        return;
      original(...args);
    };
  }
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  quietExpectedNotices();
  const server = await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const jwk = await newSigningKey();
  const provider = new Provider(issuer, demoConfiguration(options, jwk));
  // Keep the provider quiet: its dev-interaction warnings are expected here.
  provider.on('server_error', () => undefined);
  const handle = provider.callback();
  const latency = options.latencyMs ?? 0;
  const keepAlive = options.keepAlive ?? true;
  server.on('request', (req, res) => {
    if (!keepAlive) res.shouldKeepAlive = false;
    if (latency > 0) setTimeout(() => void handle(req, res), latency);
    else void handle(req, res);
  });

  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    issuer,
    port,
    provider,
    signingKey: jwk,
    close: stop,
    suspend: stop,
    resume: () => (server.listening ? Promise.resolve() : bind(server, port)),
  };
}

async function listen(port: number): Promise<http.Server> {
  const server = http.createServer();
  await bind(server, port);
  return server;
}

function bind(server: http.Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.once('error', fail);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    ...(await exportJWK(privateKey)),
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    use: 'sig',
  };
}

function demoConfiguration(options: DemoServerOptions, jwk: JWK): Configuration {
  return {
    clients: options.clients ?? [demoNativeClient()],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      ...options.features,
    },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 14 * 24 * 3600,
      AuthorizationCode: 60,
      DeviceCode: 600,
    },
    // Refresh tokens without the offline_access consent dance: this is a demo.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => demoClaims(id) }),
    loadExistingGrant: autoApprovedGrant,
  };
}

/** Any user name signs in; it becomes the stable `sub`. */
function demoClaims(id: string) {
  const name = id.slice(0, 1).toUpperCase() + id.slice(1);
  return {
    sub: id,
    name: `${name} Demo`,
    given_name: name,
    family_name: 'Demo',
    preferred_username: id,
    email: `${id}@demo.gatehouse.invalid`,
    // Nobody proved this address: the demo accepts any user name and password.
    email_verified: false,
  };
}

// Auto-approve consent for the demo: one login form, no second screen.
const autoApprovedGrant: NonNullable<Configuration['loadExistingGrant']> = async (ctx) => {
  const grantId =
    ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
  if (grantId) return ctx.oidc.provider.Grant.find(grantId);
  if (!ctx.oidc.session?.accountId) return undefined;
  const grant = new ctx.oidc.provider.Grant({
    clientId: ctx.oidc.client!.clientId,
    accountId: ctx.oidc.session.accountId,
  });
  grant.addOIDCScope('openid email profile offline_access');
  await grant.save();
  return grant;
};
