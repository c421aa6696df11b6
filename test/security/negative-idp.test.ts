/**
 * Negative matrix, through the whole engine against a real oidc-provider with faults injected
 * in the transport: IdP faults, ID-token forgeries, authorization-response attacks. Each case
 * asserts its exact error code, that nothing was stored and no account exists, and that the
 * loopback listener is closed afterwards.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JWTPayload } from 'jose';
import { startDemoServer, demoNativeClient, type DemoServer } from '../../main/demo/demo-server';
import {
  faultWorld,
  forgeIdToken,
  json,
  type Endpoint,
  type FaultRule,
} from '../support/fault-idp';
import { callbackFromBrowser } from '../support/http-browser';

let idp: DemoServer;
beforeAll(async () => {
  idp = await startDemoServer({ clients: [demoNativeClient('idp')] });
});
afterAll(async () => idp.close());

function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function expectRefused(rules: Partial<Record<Endpoint, FaultRule>>, code: string) {
  const world = await faultWorld(rules, { idp });
  const ports: number[] = [];
  world.core.log.list(); // the log is the source of the bound port
  try {
    await expect(world.signIn()).rejects.toMatchObject({ code });
    expect(world.core.sessions.snapshot().accounts).toEqual([]);
    expect(world.store.values.size).toBe(0);
    for (const entry of world.core.log.list())
      for (const e of entry.events) if (e.port) ports.push(e.port);
    for (const port of ports) expect(await portClosed(port)).toBe(true);
    const failed = world.core.log.list().find((e) => e.outcome === 'failed');
    if (ports.length > 0) expect(failed?.events.at(-1)?.code).toBe(code);
  } finally {
    await world.close();
  }
}

const html =
  (status = 200) =>
  () =>
    new Response('<html><body>Please log in to the hotel Wi-Fi</body></html>', {
      status,
      headers: { 'content-type': 'text/html' },
    });
const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new Response('', { status: code, headers });
const body = (text: string) => () =>
  new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
const redirect = () => () =>
  new Response('', { status: 302, headers: { location: 'http://127.0.0.1:9/portal' } });
const hang = (): FaultRule => () => 'hang';
const editJson =
  (edit: (b: Record<string, unknown>) => void, st?: number): FaultRule =>
  ({ real }) => {
    const b = JSON.parse(real.body) as Record<string, unknown>;
    edit(b);
    return json(b, st ?? real.status);
  };
const claims = (edit: (c: JWTPayload) => void) =>
  forgeIdToken((c) => {
    const copy = { ...c };
    edit(copy);
    return copy;
  });

describe('negative matrix: IdP faults (discovery)', () => {
  it.each<[string, FaultRule, string]>([
    ['discovery 500 → server_error', status(500), 'server_error'],
    ['discovery 503 → server_error', status(503), 'server_error'],
    [
      'discovery 429 with Retry-After → rate_limited',
      status(429, { 'retry-after': '30' }),
      'rate_limited',
    ],
    ['discovery timeout → timeout', hang(), 'timeout'],
    ['discovery HTML captive-portal page → discovery_failed', html(), 'discovery_failed'],
    ['discovery invalid JSON → discovery_failed', body('{"issuer": '), 'discovery_failed'],
    ['discovery redirect → invalid_response', redirect(), 'invalid_response'],
    [
      'discovery issuer mismatch → issuer_mismatch',
      editJson((b) => (b.issuer = 'https://evil.example')),
      'issuer_mismatch',
    ],
    [
      'discovery without PKCE S256 → provider_misconfigured',
      editJson((b) => (b.code_challenge_methods_supported = ['plain'])),
      'provider_misconfigured',
    ],
    [
      'discovery without jwks_uri → discovery_failed',
      editJson((b) => delete b.jwks_uri),
      'discovery_failed',
    ],
  ])('%s', async (_name, rule, code) => {
    await expectRefused({ discovery: rule }, code);
  });
});

describe('negative matrix: IdP faults (token and userinfo endpoints)', () => {
  it.each<[string, Endpoint, FaultRule, string]>([
    ['token 500 → server_error', 'token', status(500), 'server_error'],
    [
      'token 429 with Retry-After → rate_limited',
      'token',
      status(429, { 'retry-after': '5' }),
      'rate_limited',
    ],
    ['token timeout → timeout', 'token', hang(), 'timeout'],
    ['token HTML captive-portal page → invalid_response', 'token', html(), 'invalid_response'],
    [
      'token invalid JSON → invalid_response',
      'token',
      body('{"access_token":'),
      'invalid_response',
    ],
    ['token redirect → invalid_response', 'token', redirect(), 'invalid_response'],
    [
      'token response without access_token → invalid_response',
      'token',
      editJson((b) => delete b.access_token),
      'invalid_response',
    ],
    [
      'token response without token_type → invalid_response',
      'token',
      editJson((b) => delete b.token_type),
      'invalid_response',
    ],
    [
      'token response without id_token → id_token_invalid',
      'token',
      editJson((b) => delete b.id_token),
      'id_token_invalid',
    ],
    [
      'token error invalid_grant → invalid_grant',
      'token',
      () => json({ error: 'invalid_grant' }, 400),
      'invalid_grant',
    ],
    [
      'token error invalid_client → invalid_client',
      'token',
      () => json({ error: 'invalid_client' }, 401),
      'invalid_client',
    ],
    ['userinfo 500 → server_error', 'userinfo', status(500), 'server_error'],
    [
      'userinfo with another sub → userinfo_sub_mismatch',
      'userinfo',
      editJson((b) => (b.sub = 'mallory')),
      'userinfo_sub_mismatch',
    ],
    ['userinfo HTML page → invalid_response', 'userinfo', html(), 'invalid_response'],
    ['JWKS down (500) → id_token_invalid', 'jwks', status(500), 'id_token_invalid'],
  ])('%s', async (_name, endpoint, rule, code) => {
    await expectRefused({ [endpoint]: rule }, code);
  });
});

describe('negative matrix: ID-token forgeries', () => {
  it.each<[string, FaultRule]>([
    ['bad signature', forgeIdToken((c) => c, 'bad-signature')],
    ['alg none', forgeIdToken((c) => c, 'none')],
    ['HS256 signed with the public key', forgeIdToken((c) => c, 'hs256-public-key')],
    ['unknown kid (another key)', forgeIdToken((c) => c, 'other-key')],
    ['wrong iss', claims((c) => (c.iss = 'https://evil.example'))],
    ['missing iss', claims((c) => delete c.iss)],
    ['wrong aud', claims((c) => (c.aud = 'another-client'))],
    ['missing aud', claims((c) => delete c.aud)],
    ['several aud without azp', claims((c) => (c.aud = [c.aud as string, 'another-client']))],
    ['azp of another client', claims((c) => (c.azp = 'another-client'))],
    ['wrong nonce', claims((c) => (c.nonce = 'replayed-nonce'))],
    ['missing nonce', claims((c) => delete c.nonce)],
    ['missing sub', claims((c) => delete c.sub)],
    [
      'expired',
      claims((c) => ((c.exp = Math.floor(Date.now() / 1000) - 3600), (c.iat = c.exp - 60))),
    ],
    ['iat in the future', claims((c) => (c.iat = Math.floor(Date.now() / 1000) + 3600))],
  ])('%s → id_token_invalid', async (_name, rule) => {
    await expectRefused({ token: rule }, 'id_token_invalid');
  });
});

describe('negative matrix: authorization response', () => {
  async function callbackAttack(query: (state: string) => string, code: string) {
    const world = await faultWorld({}, { idp });
    try {
      const started = await world.core.sessions.signIn('idp', { openBrowser: false });
      const auth = new URL(world.core.sessions.authorizationUrlOf('idp'));
      const state = auth.searchParams.get('state')!;
      const redirectUri = auth.searchParams.get('redirect_uri')!;
      const reply = await callbackFromBrowser(started.url!, `${redirectUri}?${query(state)}`);
      expect(await reply.text()).not.toContain('<script>');
      await expect(started.done).rejects.toMatchObject({ code });
      expect(world.core.sessions.snapshot().accounts).toEqual([]);
      expect(world.store.values.size).toBe(0);
      expect(await portClosed(Number(new URL(redirectUri).port))).toBe(true);
    } finally {
      await world.close();
    }
  }

  it('error=access_denied with the right state → access_denied, description never echoed', async () => {
    await callbackAttack(
      (s) =>
        `error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=${s}&iss=${encodeURIComponent(idp.issuer)}`,
      'access_denied',
    );
  });
  it('another error with the right state → authorization_error', async () => {
    await callbackAttack(
      (s) => `error=server_error&state=${s}&iss=${encodeURIComponent(idp.issuer)}`,
      'authorization_error',
    );
  });
  it('a forged code with the right state → invalid_grant', async () => {
    await callbackAttack(
      (s) => `code=forged-code&state=${s}&iss=${encodeURIComponent(idp.issuer)}`,
      'invalid_grant',
    );
  });
  it('RFC 9207: a reply without iss from a server that sends it → issuer_response_mismatch', async () => {
    await callbackAttack((s) => `code=x&state=${s}`, 'issuer_response_mismatch');
  });
  it('RFC 9207: an iss of another server → issuer_response_mismatch (mix-up defence)', async () => {
    await callbackAttack(
      (s) => `code=x&state=${s}&iss=${encodeURIComponent('https://evil.example')}`,
      'issuer_response_mismatch',
    );
  });
});
