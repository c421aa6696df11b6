/**
 * One demo OpenID provider (oidc-provider) listening on 127.0.0.1. By default it is new and
 * ephemeral: a free port, fresh keys, records in memory; demo-service.ts gives it the stored
 * port, keys and records instead. The tests start it with other clients and lifetimes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import type {
  AdapterFactory,
  ClientMetadata,
  Configuration,
  default as Provider,
} from 'oidc-provider';
import { demoNativeClient } from './demo-client';
import { demoConfiguration, GRANT_TTL_SECONDS, type DemoKeys } from './demo-config';
import { consentBook } from './demo-consents';
import { demoInteractions } from './demo-interactions';
import { proofEndpoint, type DemoIdentity } from './demo-proof';
import { newDemoKeys } from './demo-state';
import { loadOidcProvider, memoryAdapter } from './load-oidc-provider';

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
  /** The signing and cookie keys (default: new ones, for this server alone). */
  keys?: DemoKeys;
  /** Where records go (default: this server's memory). */
  adapter?: AdapterFactory;
  /** Publishes the instance id and answers the proof of demo-proof.ts. */
  identity?: DemoIdentity;
}

export interface DemoServer {
  issuer: string;
  port: number;
  provider: Provider;
  /** The provider's signing key (private JWK): the negative tests forge tokens with it. */
  signingKey: JWK;
  readonly listening: boolean;
  close(): Promise<void>;
  /** Stops listening but keeps keys and grants, so resume() serves the same issuer again. */
  suspend(): Promise<void>;
  /** Listens again on the same port (the issuer includes it); rejects if the port was taken. */
  resume(): Promise<void>;
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const oidc = await loadOidcProvider();
  const server = http.createServer();
  await bind(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  let provider: Provider;
  let keys: DemoKeys;
  try {
    keys = options.keys ?? (await newDemoKeys());
    const adapter = options.adapter ?? (await memoryAdapter());
    const consents = consentBook(adapter, GRANT_TTL_SECONDS);
    const config = demoConfiguration(
      {
        clients: options.clients ?? [demoNativeClient()],
        ...(options.accessTokenTtlSeconds
          ? { accessTokenTtlSeconds: options.accessTokenTtlSeconds }
          : {}),
        ...(options.features ? { features: options.features } : {}),
        ...(options.identity ? { instance: options.identity.instance } : {}),
        keys,
        adapter,
        consents,
      },
      oidc,
    );
    provider = new oidc.default(issuer, config);
    // Errors reach the client as server_error; the console stays the person's.
    provider.on('server_error', () => undefined);
    if (options.identity) provider.use(proofEndpoint(issuer, options.identity));
    provider.use(demoInteractions(provider, consents));
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  serve(server, provider, options);
  return handle(server, { issuer, port, provider, signingKey: keys.signingKey });
}

function serve(server: http.Server, provider: Provider, options: DemoServerOptions) {
  const callback = provider.callback();
  const latency = options.latencyMs ?? 0;
  const keepAlive = options.keepAlive ?? true;
  server.on('request', (req, res) => {
    if (!keepAlive) res.shouldKeepAlive = false;
    if (latency > 0) setTimeout(() => void callback(req, res), latency);
    else void callback(req, res);
  });
}

function handle(
  server: http.Server,
  parts: Pick<DemoServer, 'issuer' | 'port' | 'provider' | 'signingKey'>,
): DemoServer {
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    ...parts,
    get listening() {
      return server.listening;
    },
    close: stop,
    suspend: stop,
    resume: () => (server.listening ? Promise.resolve() : bind(server, parts.port)),
  };
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
