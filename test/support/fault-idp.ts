/**
 * A real identity provider (the demo oidc-provider) behind a fault-injecting transport. Each
 * rule matches an endpoint and rewrites what the engine receives: a status, a body, a hang, or
 * a forged ID token signed with the provider's own key (or with none, or another one).
 */
import {
  decodeJwt,
  importJWK,
  SignJWT,
  UnsecuredJWT,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { GatehouseCore } from '../../main/app/core';
import {
  DEMO_CLIENT_ID,
  demoNativeClient,
  startDemoServer,
  type DemoServer,
} from '../../main/demo/demo-server';
import type { MemorySecretStoreForTests } from './memory-store';
import { buildWorld, oidcProvider, requestBody } from './world';

export type Endpoint = 'discovery' | 'token' | 'userinfo' | 'jwks' | 'revocation';

export interface FaultContext {
  idp: DemoServer;
  /** The real response, already read as text. */
  real: { status: number; headers: Headers; body: string };
  request: { body: string };
}

export type FaultRule = (ctx: FaultContext) => Response | Promise<Response | null> | 'hang' | null;

export function endpointOf(url: string, idp: DemoServer): Endpoint | null {
  const p = new URL(url).pathname;
  if (p.endsWith('/.well-known/openid-configuration')) return 'discovery';
  if (p === '/token') return 'token';
  if (p === '/me') return 'userinfo';
  if (p === '/jwks') return 'jwks';
  if (p === '/token/revocation') return 'revocation';
  void idp;
  return null;
}

export function faultFetch(
  idp: DemoServer,
  rules: Partial<Record<Endpoint, FaultRule>>,
  counters: Record<string, number> = {},
): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const endpoint = endpointOf(url, idp);
    const body = requestBody(init);
    if (endpoint) counters[endpoint] = (counters[endpoint] ?? 0) + 1;
    if (endpoint && body.includes('grant_type=refresh_token'))
      counters.refresh = (counters.refresh ?? 0) + 1;
    const rule = endpoint ? rules[endpoint] : undefined;
    if (!rule) return fetch(input, init);
    const response = await fetch(input, init);
    const real = {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
    };
    const outcome = await rule({ idp, real, request: { body } });
    if (outcome === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true });
      });
    }
    return outcome ?? new Response(real.body, { status: real.status, headers: real.headers });
  };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

/** Rewrites the ID token in a token response; `sign` decides how it is (re)signed. */
export function forgeIdToken(
  change: (claims: JWTPayload) => JWTPayload,
  sign:
    'provider-key' | 'none' | 'hs256-public-key' | 'other-key' | 'bad-signature' = 'provider-key',
): FaultRule {
  return async ({ idp, real }) => {
    const body = JSON.parse(real.body) as { id_token?: string };
    if (!body.id_token) return null;
    const claims = change(decodeJwt(body.id_token));
    body.id_token = await signToken(claims, idp.signingKey, sign);
    return json(body, real.status);
  };
}

async function signToken(
  claims: JWTPayload,
  key: JWK,
  how: Parameters<typeof forgeIdToken>[1],
): Promise<string> {
  switch (how) {
    case 'none':
      return new UnsecuredJWT(claims).encode();
    case 'hs256-public-key': {
      // The classic confusion: HMAC keyed with the provider's public key material.
      const publicJwk = { kty: key.kty, n: key.n, e: key.e };
      const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: key.kid! }).sign(secret);
    }
    case 'other-key': {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      void exportJWK;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'unknown-kid' })
        .sign(privateKey);
    }
    case 'bad-signature': {
      const good = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: key.kid! })
        .sign(await importJWK(key, 'RS256'));
      const [h, p, s] = good.split('.');
      return `${h}.${p}.${s!.slice(0, -6)}${s!.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    }
    default:
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: key.kid! })
        .sign(await importJWK(key, 'RS256'));
  }
}

export interface FaultWorld {
  idp: DemoServer;
  core: GatehouseCore;
  store: MemorySecretStoreForTests;
  counters: Record<string, number>;
  rules: Partial<Record<Endpoint, FaultRule>>;
  /** Signs in as `user` through the HTTP browser; resolves with the account or rejects with the engine's error. */
  signIn(user?: string): Promise<{ accountId: string }>;
  close(): Promise<void>;
}

/** One provider ("idp", generic OIDC) on a fresh oidc-provider, with a 1 s HTTP timeout. */
export async function faultWorld(
  rules: Partial<Record<Endpoint, FaultRule>> = {},
  options: { idp?: DemoServer; openBrowser?: (url: string) => Promise<void> } = {},
): Promise<FaultWorld> {
  const idp = options.idp ?? (await startDemoServer({ clients: [demoNativeClient('idp')] }));
  const counters: Record<string, number> = {};
  const world = await buildWorld({
    prefix: 'gh-fault-',
    settings: { httpTimeoutSeconds: 1 },
    providers: [oidcProvider('idp', idp.issuer, DEMO_CLIENT_ID)],
    fetch: faultFetch(idp, rules, counters),
    browser: options.openBrowser ?? (async () => undefined),
  });
  return {
    idp,
    core: world.core,
    store: world.store,
    counters,
    rules,
    signIn: (user = 'alice') => world.signIn(user),
    async close() {
      await world.dispose();
      if (!options.idp) await idp.close();
    },
  };
}
