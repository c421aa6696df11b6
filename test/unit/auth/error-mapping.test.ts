/**
 * The error mapping (main/auth/oauth-errors.ts, table in main/auth/errors-map/), one case per
 * row at least. Every error is real: openid-client and fetch provoked against a tiny node:http
 * server on 127.0.0.1, jose's and the socket layer's errors built with their own classes and
 * codes. Each case runs twice, as thrown and with every message in its cause chain set to '',
 * which proves that nothing is read from message text.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { errors as jose, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { ErrorCode } from '../../../shared/errors';
import { withNetErrorCodes } from '../../../main/app/provider-session';
import { GatehouseError } from '../../../main/ports/errors';
import {
  isUserinfoSubMismatch,
  mapOAuthErrorResponse,
  mapProviderError,
  refusedClaim,
  type Phase,
} from '../../../main/auth/oauth-errors';
import { collectFacts } from '../../../main/auth/errors-map/facts';
import { ROWS } from '../../../main/auth/errors-map/rows';
import { createFetch } from '../../../main/auth/http';

type Reply = (res: http.ServerResponse) => void;
const routes = new Map<string, Reply>();
let server: http.Server;
let base = '';
let signingKey: CryptoKey;
let closedPort = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const reply = routes.get(new URL(req.url ?? '/', base).pathname);
      if (reply) return reply(res);
      res.writeHead(404).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ({ privateKey: signingKey } = await generateKeyPair('ES256'));
  const closed = http.createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  closedPort = (closed.address() as AddressInfo).port;
  closed.close();
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

// ---- replies ------------------------------------------------------------------------------
const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}): Reply =>
  (res) =>
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));
const plain =
  (status: number, body = '', headers: Record<string, string> = {}): Reply =>
  (res) =>
    res.writeHead(status, headers).end(body);
const html = plain(200, '<html>Please log in to the hotel Wi-Fi</html>', {
  'content-type': 'text/html',
});
const hang: Reply = () => undefined;
routes.set('/hang', hang);
routes.set('/drop', (res) => res.socket?.destroy());
routes.set('/reset', (res) => res.socket?.resetAndDestroy());

// ---- openid-client against the server ------------------------------------------------------
function config(options: { insecure?: boolean; timeout?: number } = {}): client.Configuration {
  const c = new client.Configuration(
    {
      issuer: base,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/me`,
      id_token_signing_alg_values_supported: ['ES256'],
      authorization_response_iss_parameter_supported: true,
    },
    'app',
    undefined,
    client.None(),
  );
  if (options.insecure !== false) client.allowInsecureRequests(c);
  if (options.timeout !== undefined) c.timeout = options.timeout;
  return c;
}
const goodReply = () => `code=c&state=s&iss=${encodeURIComponent(base)}`;
function exchange(query = goodReply(), c = config()) {
  return client.authorizationCodeGrant(c, new URL(`${base}/cb?${query}`), {
    pkceCodeVerifier: 'v'.repeat(43),
    expectedState: 's',
    expectedNonce: 'n',
    idTokenExpected: true,
  });
}
const refresh = (c = config()) => client.refreshTokenGrant(c, 'rt');
const userinfo = () => client.fetchUserInfo(config(), 'at', 'alice');
const discover = () =>
  client.discovery(new URL(base), 'app', undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });

async function idToken(edit: (claims: JWTPayload) => void = () => undefined, alg = 'ES256') {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = { iss: base, sub: 'alice', aud: 'app', iat: now, exp: now + 300 };
  claims.nonce = 'n';
  edit(claims);
  const key = alg === 'HS256' ? new Uint8Array(32) : signingKey;
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(key);
}
const tokens = (extra: Record<string, unknown> = {}) => ({
  access_token: 'at',
  token_type: 'Bearer',
  expires_in: 300,
  ...extra,
});
async function tokenReply(edit?: (claims: JWTPayload) => void, alg?: string) {
  routes.set('/token', json(tokens({ id_token: await idToken(edit, alg) })));
}

// ---- errors not worth a server: the socket layer's own shape under fetch's TypeError --------
const socketError = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });

async function thrown(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** Sets `message` to '' on every error in the chain (and in an AggregateError's list). */
function blank<T>(error: T): T {
  let node: unknown = error;
  for (let depth = 0; depth < 6 && node !== null && typeof node === 'object'; depth++) {
    if ('message' in node) Object.defineProperty(node, 'message', { value: '' });
    for (const each of (node as { errors?: unknown[] }).errors ?? []) blank(each);
    node = (node as { cause?: unknown }).cause;
  }
  return error;
}

function messagesOf(error: unknown): unknown[] {
  const found: unknown[] = [];
  for (let node = error, d = 0; d < 6 && node !== null && typeof node === 'object'; d++) {
    if ('message' in node) found.push(node.message);
    node = (node as { cause?: unknown }).cause;
  }
  return found;
}

interface Case {
  row: string;
  what: string;
  phase: Phase;
  code: ErrorCode;
  says?: RegExp;
  provoke: () => Promise<unknown>;
}
const at = (path: string, reply: Reply, action: () => unknown) => () => {
  routes.set(path, reply);
  return thrown(action);
};
const built = (error: unknown) => () => Promise.resolve(error);
/** What withNetErrorCodes makes of net.fetch's rejection (Chromium's name as the message only). */
const netFetchError = (name: string) =>
  thrown(() => withNetErrorCodes(() => Promise.reject(new Error(name)))('https://idp.test/'));
const fetchFails = (url: () => string, init?: () => RequestInit) => () =>
  thrown(() => fetch(url(), init?.()));

const CASES: Case[] = [
  // openid-client: ID token checks (ClientError → OperationProcessingError → { claim, claims })
  {
    row: 'ID token claim or time check',
    what: 'a nonce of another sign-in',
    phase: 'exchange',
    code: 'id_token_invalid',
    says: /"nonce"/,
    provoke: async () => (
      await tokenReply((c) => (c.nonce = 'replayed')),
      thrown(() => exchange())
    ),
  },
  {
    row: 'ID token claim or time check',
    what: 'an expired ID token',
    phase: 'exchange',
    code: 'id_token_invalid',
    says: /"exp"/,
    provoke: async () => (
      await tokenReply((c) => (c.exp = Math.floor(Date.now() / 1000) - 3600)),
      thrown(() => exchange())
    ),
  },
  {
    row: 'ID token malformed',
    what: 'an ID token without sub',
    phase: 'exchange',
    code: 'id_token_invalid',
    provoke: async () => (await tokenReply((c) => delete c.sub), thrown(() => exchange())),
  },
  {
    row: 'ID token malformed',
    what: 'an ID token signed HS256',
    phase: 'exchange',
    code: 'id_token_invalid',
    provoke: async () => (await tokenReply(undefined, 'HS256'), thrown(() => exchange())),
  },
  {
    row: 'ID token missing from the token response',
    what: 'a token response without id_token',
    phase: 'exchange',
    code: 'id_token_invalid',
    provoke: at('/token', json(tokens()), () => exchange()),
  },
  {
    row: 'authorization response iss',
    what: 'RFC 9207: a reply without iss',
    phase: 'exchange',
    code: 'issuer_response_mismatch',
    provoke: () => thrown(() => exchange('code=c&state=s')),
  },
  {
    row: 'authorization response iss',
    what: "RFC 9207: another server's iss",
    phase: 'exchange',
    code: 'issuer_response_mismatch',
    provoke: () => thrown(() => exchange('code=c&state=s&iss=https%3A%2F%2Fevil.example')),
  },
  {
    row: 'discovery issuer',
    what: 'a discovery document naming another issuer',
    phase: 'discovery',
    code: 'issuer_mismatch',
    provoke: at(
      '/.well-known/openid-configuration',
      json({ issuer: 'https://evil.example' }),
      discover,
    ),
  },
  {
    row: 'userinfo sub',
    what: 'a userinfo sub of someone else',
    phase: 'userinfo',
    code: 'userinfo_sub_mismatch',
    provoke: at('/me', json({ sub: 'mallory' }), userinfo),
  },
  // openid-client: the server's own OAuth errors
  {
    row: 'OAuth error response',
    what: 'invalid_grant with a hostile description',
    phase: 'exchange',
    code: 'invalid_grant',
    provoke: at(
      '/token',
      json({ error: 'invalid_grant', error_description: '<script>alert(1)</script>' }, 400),
      () => exchange(),
    ),
  },
  {
    row: 'OAuth error response',
    what: 'invalid_grant on refresh',
    phase: 'refresh',
    code: 'session_expired',
    provoke: at('/token', json({ error: 'invalid_grant' }, 400), () => refresh()),
  },
  {
    row: 'OAuth error response',
    what: 'invalid_client',
    phase: 'exchange',
    code: 'invalid_client',
    provoke: at('/token', json({ error: 'invalid_client' }, 401), () => exchange()),
  },
  {
    row: 'OAuth error response',
    what: 'an unknown error on refresh',
    phase: 'refresh',
    code: 'refresh_failed',
    says: /refused the request/,
    provoke: at('/token', json({ error: 'made_up' }, 400), () => refresh()),
  },
  {
    row: 'OAuth error response',
    what: "the hand-read shape GitHub's device flow passes",
    phase: 'device',
    code: 'device_code_expired',
    provoke: built({ code: 'OAUTH_RESPONSE_BODY_ERROR', error: 'expired_token', status: 400 }),
  },
  {
    row: 'authorization response access_denied',
    what: 'error=access_denied in the reply',
    phase: 'exchange',
    code: 'access_denied',
    provoke: () =>
      thrown(() => exchange(`error=access_denied&error_description=hostile-words&${goodReply()}`)),
  },
  {
    row: 'authorization response error',
    what: 'error=server_error in the reply',
    phase: 'exchange',
    code: 'authorization_error',
    provoke: () => thrown(() => exchange(`error=server_error&${goodReply()}`)),
  },
  {
    row: 'WWW-Authenticate challenge',
    what: 'userinfo 401 Bearer error="invalid_token"',
    phase: 'userinfo',
    code: 'userinfo_failed',
    provoke: at(
      '/me',
      plain(401, '', { 'www-authenticate': 'Bearer error="invalid_token"' }),
      userinfo,
    ),
  },
  {
    row: 'WWW-Authenticate challenge',
    what: 'token 401 Basic error="invalid_client"',
    phase: 'exchange',
    code: 'invalid_client',
    provoke: at(
      '/token',
      plain(401, '', { 'www-authenticate': 'Basic realm="x", error="invalid_client"' }),
      () => exchange(),
    ),
  },
  // jose, by code
  ...(
    [
      ['jose: expired', new jose.JWTExpired('', {}, 'exp', 'check_failed'), /expired/],
      ['jose: bad signature', new jose.JWSSignatureVerificationFailed(), /signature/],
      ['jose: unknown key', new jose.JWKSNoMatchingKey(), /unknown key/],
      ['jose: algorithm not allowed', new jose.JOSEAlgNotAllowed(''), /algorithm/],
      [
        'jose: claim check',
        new jose.JWTClaimValidationFailed('', {}, 'nonce', 'check_failed'),
        /nonce/,
      ],
      ['jose: key set timeout', new jose.JWKSTimeout(), /in time/],
      ['jose: malformed', new jose.JWTInvalid(''), /malformed/],
      ['jose: other', new jose.JOSENotSupported(''), /could not be verified/],
    ] as const
  ).map(([row, error, says]): Case => ({
    row,
    what: error.code,
    phase: 'refresh',
    code: 'id_token_invalid',
    says,
    provoke: built(error),
  })),
  // the network
  {
    row: 'timeout',
    what: "openid-client's own timeout (OAUTH_TIMEOUT)",
    phase: 'exchange',
    code: 'timeout',
    provoke: at('/token', hang, () => exchange(goodReply(), config({ timeout: 0.05 }))),
  },
  {
    row: 'timeout',
    what: 'a fetch TimeoutError',
    phase: 'refresh',
    code: 'timeout',
    provoke: fetchFails(
      () => `${base}/hang`,
      () => ({ signal: AbortSignal.timeout(50) }),
    ),
  },
  {
    row: 'aborted',
    what: 'a fetch AbortError',
    phase: 'refresh',
    code: 'cancelled',
    provoke: () => {
      const abort = new AbortController();
      const pending = thrown(() => fetch(`${base}/hang`, { signal: abort.signal }));
      abort.abort();
      return pending;
    },
  },
  {
    row: 'connection refused',
    what: 'ECONNREFUSED',
    phase: 'discovery',
    code: 'network_error',
    says: /refused/,
    provoke: fetchFails(() => `http://127.0.0.1:${closedPort}/`),
  },
  {
    row: 'host not found',
    what: 'ENOTFOUND',
    phase: 'discovery',
    code: 'network_error',
    says: /name was not found/,
    provoke: built(socketError('ENOTFOUND')),
  },
  // Electron's net.fetch, whose Chromium net error main/app/provider-session.ts made a code.
  {
    row: 'secure connection failed',
    what: 'net.fetch net::ERR_CERT_AUTHORITY_INVALID',
    phase: 'discovery',
    code: 'network_error',
    says: /certificate is not trusted \(net::ERR_CERT_AUTHORITY_INVALID\)/,
    provoke: () => netFetchError('net::ERR_CERT_AUTHORITY_INVALID'),
  },
  {
    row: 'secure connection failed',
    what: 'net.fetch net::ERR_CERT_DATE_INVALID',
    phase: 'discovery',
    code: 'network_error',
    says: /outside its validity dates \(net::ERR_CERT_DATE_INVALID\)/,
    provoke: () => netFetchError('net::ERR_CERT_DATE_INVALID'),
  },
  {
    row: 'host not found',
    what: 'net.fetch net::ERR_NAME_NOT_RESOLVED',
    phase: 'discovery',
    code: 'network_error',
    says: /name was not found in DNS \(net::ERR_NAME_NOT_RESOLVED\)/,
    provoke: () => netFetchError('net::ERR_NAME_NOT_RESOLVED'),
  },
  {
    row: 'connection refused',
    what: 'net.fetch net::ERR_CONNECTION_REFUSED',
    phase: 'exchange',
    code: 'network_error',
    says: /refused \(net::ERR_CONNECTION_REFUSED\)/,
    provoke: () => netFetchError('net::ERR_CONNECTION_REFUSED'),
  },
  {
    row: 'timeout',
    what: 'net.fetch net::ERR_CONNECTION_TIMED_OUT',
    phase: 'exchange',
    code: 'timeout',
    provoke: () => netFetchError('net::ERR_CONNECTION_TIMED_OUT'),
  },
  {
    row: 'connection dropped',
    what: 'the server closing the socket (UND_ERR_SOCKET)',
    phase: 'exchange',
    code: 'network_error',
    says: /dropped/,
    provoke: fetchFails(() => `${base}/drop`),
  },
  {
    row: 'connection dropped',
    what: 'ECONNRESET',
    phase: 'exchange',
    code: 'network_error',
    says: /dropped/,
    provoke: fetchFails(() => `${base}/reset`),
  },
  {
    row: 'no route',
    what: 'EHOSTUNREACH',
    phase: 'exchange',
    code: 'network_error',
    says: /no route/,
    provoke: built(socketError('EHOSTUNREACH')),
  },
  {
    row: 'secure connection failed',
    what: 'https to a plain http server (ERR_SSL_*)',
    phase: 'exchange',
    code: 'network_error',
    says: /secure connection/,
    provoke: fetchFails(() => base.replace('http:', 'https:')),
  },
  {
    row: 'secure connection failed',
    what: 'a self-signed certificate',
    phase: 'exchange',
    code: 'network_error',
    says: /secure connection/,
    provoke: built(socketError('DEPTH_ZERO_SELF_SIGNED_CERT')),
  },
  {
    row: 'other network failure',
    what: 'EACCES',
    phase: 'exchange',
    code: 'network_error',
    provoke: built(socketError('EACCES')),
  },
  // HTTP statuses and unusable answers
  {
    row: 'HTTP 429',
    what: 'token 429',
    phase: 'exchange',
    code: 'rate_limited',
    provoke: at('/token', plain(429, '', { 'retry-after': '5' }), () => exchange()),
  },
  {
    row: 'HTTP 5xx',
    what: 'discovery 503',
    phase: 'discovery',
    code: 'server_error',
    says: /HTTP 503/,
    provoke: at('/.well-known/openid-configuration', plain(503), discover),
  },
  {
    row: 'HTTP redirect',
    what: 'discovery 302',
    phase: 'discovery',
    code: 'invalid_response',
    says: /redirect/,
    provoke: at('/.well-known/openid-configuration', plain(302, '', { location: '/x' }), discover),
  },
  {
    row: 'refresh HTTP 400',
    what: 'an empty 400 on refresh',
    phase: 'refresh',
    code: 'session_expired',
    provoke: at('/token', plain(400), () => refresh()),
  },
  {
    row: 'plain http refused',
    what: 'http without allowInsecureRequests',
    phase: 'refresh',
    code: 'insecure_issuer',
    provoke: () => thrown(() => refresh(config({ insecure: false }))),
  },
  {
    row: 'unusable discovery document',
    what: 'an HTML discovery page',
    phase: 'discovery',
    code: 'discovery_failed',
    provoke: at('/.well-known/openid-configuration', html, discover),
  },
  {
    row: 'unusable answer',
    what: 'an HTML token page',
    phase: 'exchange',
    code: 'invalid_response',
    provoke: at('/token', html, () => exchange()),
  },
  {
    row: 'unusable answer',
    what: 'a token response without access_token',
    phase: 'exchange',
    code: 'invalid_response',
    provoke: at('/token', json({ token_type: 'Bearer' }), () => exchange()),
  },
  {
    row: 'unusable answer',
    what: 'truncated token JSON',
    phase: 'refresh',
    code: 'invalid_response',
    provoke: at(
      '/token',
      plain(200, '{"access_token":', { 'content-type': 'application/json' }),
      () => refresh(),
    ),
  },
  {
    row: 'anything else',
    what: 'an unknown error on refresh',
    phase: 'refresh',
    code: 'refresh_failed',
    provoke: built(new RangeError('?')),
  },
  {
    row: 'anything else',
    what: 'an unknown error reading the profile keeps the userinfo sentence',
    phase: 'userinfo',
    code: 'userinfo_failed',
    says: /^Your profile could not be read from the provider\.$/,
    provoke: built(new RangeError('?')),
  },
  {
    row: 'anything else',
    what: 'an unknown error in discovery',
    phase: 'discovery',
    code: 'discovery_failed',
    provoke: built(new RangeError('?')),
  },
];

const rowOf = (error: unknown, phase: Phase) => {
  const facts = collectFacts(error, phase);
  return facts instanceof GatehouseError ? null : ROWS.find((row) => row.when(facts))?.name;
};

describe('error mapping: one row, one real error, message text never read', () => {
  const variants = [
    ['as thrown', (e: unknown) => e],
    ['messages blanked', blank],
  ] as const;
  const table = CASES.flatMap((c) => variants.map(([how, prepare]) => ({ ...c, how, prepare })));

  it.each(table)('$row: $what ($how) → $code', async (c) => {
    const error = c.prepare(await c.provoke());
    const messages = messagesOf(error);
    if (c.how === 'messages blanked') expect(messages.every((m) => m === '')).toBe(true);
    expect(rowOf(error, c.phase)).toBe(c.row);
    const mapped = mapProviderError(error, c.phase);
    expect(mapped).toBeInstanceOf(GatehouseError);
    expect(mapped.code).toBe(c.code);
    expect(mapped.cause).toBe(error);
    expect(mapped.message).not.toBe('');
    expect(mapped.message).not.toMatch(/script|alert|evil|mallory|hostile/);
    if (c.says) expect(mapped.message).toMatch(c.says);
  });

  it('every row of the table has a case', () => {
    const covered = new Set(CASES.map((c) => c.row));
    expect(ROWS.map((row) => row.name).filter((name) => !covered.has(name))).toEqual([]);
  });
});

describe('helpers for the provider modules', () => {
  it.each([false, true])(
    'isUserinfoSubMismatch, by code and attribute (blanked: %s)',
    async (b) => {
      routes.set('/me', json({ sub: 'mallory' }));
      const mismatch = await thrown(userinfo);
      routes.set('/me', json({ name: 'no sub at all' }));
      const missing = await thrown(userinfo);
      expect(isUserinfoSubMismatch(b ? blank(mismatch) : mismatch)).toBe(true);
      expect(isUserinfoSubMismatch(b ? blank(missing) : missing)).toBe(false);
      expect(mapProviderError(missing, 'userinfo').code).toBe('invalid_response');
      expect(isUserinfoSubMismatch(new GatehouseError('userinfo_sub_mismatch', 'x'))).toBe(true);
    },
  );

  it.each([false, true])('refusedClaim reads err.cause.cause.claim (blanked: %s)', async (b) => {
    await tokenReply((c) => (c.iss = 'https://idbroker-eu.example/idb'));
    const error = await thrown(() => exchange());
    expect((error as { cause: { cause: { claim: string } } }).cause.cause.claim).toBe('iss');
    expect(refusedClaim(b ? blank(error) : error)).toBe('iss');
    expect(refusedClaim(new RangeError('iss'))).toBeUndefined();
  });

  it('mapOAuthErrorResponse: a hand-read OAuth error answer', () => {
    expect(mapOAuthErrorResponse('slow_down', 400, 'device').code).toBe('rate_limited');
    expect(mapOAuthErrorResponse('access_denied', 400, 'device').code).toBe('access_denied');
    expect(mapOAuthErrorResponse('bad_refresh_token', 400, 'refresh').code).toBe('session_expired');
    expect(mapOAuthErrorResponse('odd', 502, 'device').code).toBe('server_error');
    expect(mapOAuthErrorResponse('odd', 400, 'device').code).toBe('token_exchange_failed');
  });

  it('a GatehouseError anywhere in the chain is already mapped: it comes back as is', async () => {
    const c = config();
    c[client.customFetch] = createFetch(fetch, 50) as client.CustomFetch;
    routes.set('/token', hang);
    const error = await thrown(() => refresh(c));
    expect(error).toBeInstanceOf(client.ClientError);
    const inner = (error as Error).cause;
    expect(inner).toMatchObject({ code: 'timeout' });
    expect(mapProviderError(error, 'refresh')).toBe(inner);
  });
});

describe('http.ts: the transport classifies by signal state and socket code', () => {
  // The base fetch blanks every message before http.ts sees the failure.
  const blanking: typeof fetch = async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      throw blank(error);
    }
  };
  it.each<[string, ErrorCode, () => string, RegExp]>([
    ['no answer in time', 'timeout', () => `${base}/hang`, /in time/],
    ['connection refused', 'network_error', () => `http://127.0.0.1:${closedPort}/`, /refused/],
    ['connection dropped', 'network_error', () => `${base}/drop`, /dropped/],
    ['https to plain http', 'network_error', () => base.replace('http:', 'https:'), /secure/],
  ])('%s → %s', async (_name, code, url, says) => {
    for (const inner of [fetch, blanking]) {
      const error = await thrown(() => createFetch(inner, 100)(url()));
      expect(error).toBeInstanceOf(GatehouseError);
      expect(error).toMatchObject({ code, message: expect.stringMatching(says) });
    }
  });

  it("the caller's abort → cancelled; the caller's own timeout → timeout", async () => {
    const abort = new AbortController();
    const pending = thrown(() =>
      createFetch(blanking, 5000)(`${base}/hang`, { signal: abort.signal }),
    );
    abort.abort();
    expect(await pending).toMatchObject({ code: 'cancelled' });
    const late = await thrown(() =>
      createFetch(blanking, 5000)(`${base}/hang`, { signal: AbortSignal.timeout(30) }),
    );
    expect(late).toMatchObject({ code: 'timeout' });
  });

  it('answers pass through unchanged, redirects are not followed', async () => {
    routes.set('/moved', plain(302, '', { location: '/hang' }));
    const response = await createFetch(fetch, 1000)(`${base}/moved`);
    expect(response.status).toBe(302);
  });
});
