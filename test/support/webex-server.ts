/**
 * A Webex-style OpenID provider on 127.0.0.1, written by hand after Webex's documented wire
 * formats: a discovery document whose issuer is an idbroker host while every endpoint is here
 * (the engine reaches it through `wellKnownUrl`), client_secret_basic only (a secret in the body
 * is refused), PKCE S256, single-use codes, ID tokens signed RS256 with jose, userinfo with
 * `email_verified` as the string "true", rotating refresh tokens, and no revocation endpoint.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export const WEBEX_TEST_ISSUER = 'https://idbroker-b-us.webex.com/idb';

export interface WebexUser {
  /** Webex person ids are UUIDs. */
  sub: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
}

export interface WebexKnobs {
  clientId: string;
  clientSecret: string;
  /** The discovery document's issuer. */
  issuer: string;
  /** The `iss` of the ID tokens issued from now on; the issuer unless set. */
  idTokenIssuer: string | null;
  /** Whether a refresh answer carries a new ID token. */
  idTokenOnRefresh: boolean;
  /** Replaces discovery entries, e.g. to point one endpoint elsewhere. */
  discoveryOverrides: Record<string, unknown>;
  accessTokenSeconds: number;
  users: Record<string, WebexUser>;
}

interface Pending {
  redirectUri: string;
  state: string;
  nonce: string;
  challenge: string;
  user?: string;
}

interface Ctx {
  k: WebexKnobs;
  base: () => string;
  key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  pending: Map<string, Pending>;
  codes: Map<string, Pending & { used: boolean }>;
  accessTokens: Map<string, string>;
  refreshTokens: Map<string, { user: string; used: boolean }>;
}

export interface WebexServer {
  url: string;
  wellKnownUrl: string;
  knobs: WebexKnobs;
  /** `METHOD /path` of every request, in order. */
  requests: string[];
  refreshTokens: Map<string, { user: string; used: boolean }>;
  close(): Promise<void>;
}

const defaultUsers: Record<string, WebexUser> = {
  ada: {
    sub: '8f1c2a4e-5b6d-4e7f-9a0b-1c2d3e4f5a6b',
    name: 'Ada Lovelace',
    givenName: 'Ada',
    familyName: 'Lovelace',
    email: 'ada@example.test',
  },
};

export async function startWebexServer(knobs: Partial<WebexKnobs> = {}): Promise<WebexServer> {
  const k: WebexKnobs = {
    clientId: 'C0ffee-webex-client',
    clientSecret: 'webex-test-secret',
    issuer: WEBEX_TEST_ISSUER,
    idTokenIssuer: null,
    idTokenOnRefresh: true,
    discoveryOverrides: {},
    accessTokenSeconds: 1_209_600,
    users: defaultUsers,
    ...knobs,
  };
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'webex-test', alg: 'RS256', use: 'sig' };
  let base = '';
  const ctx: Ctx = {
    k,
    base: () => base,
    key: privateKey,
    pending: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
  };
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push(`${req.method} ${url.pathname}`);
    readBody(req)
      .then((raw) => route(ctx, jwk, req, res, url, new URLSearchParams(raw)))
      .catch(() => send(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    wellKnownUrl: `${base}/v1/.well-known/openid-configuration`,
    knobs: k,
    requests,
    refreshTokens: ctx.refreshTokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(
  ctx: Ctx,
  jwk: JWK,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  form: URLSearchParams,
): Promise<void> {
  const at = `${req.method} ${url.pathname}`;
  if (at === 'GET /v1/.well-known/openid-configuration') return send(res, 200, discovery(ctx));
  if (at === 'GET /v1/verification') return send(res, 200, { keys: [jwk] });
  if (at === 'GET /v1/authorize') return authorize(ctx, res, url.searchParams);
  const session = /^\/idb\/session\/([0-9a-f]+)$/.exec(url.pathname);
  if (session && req.method === 'POST') return login(ctx, res, session[1]!, form);
  if (at === 'POST /v1/access_token') return token(ctx, req, res, form);
  if (at === 'GET /v1/userinfo') return userinfo(ctx, req, res);
  return send(res, 404, { message: 'The requested resource could not be found.' });
}

/** Webex's document names an idbroker issuer while its endpoints live on another host. */
function discovery(ctx: Ctx) {
  const base = ctx.base();
  return {
    issuer: ctx.k.issuer,
    authorization_endpoint: `${base}/v1/authorize`,
    token_endpoint: `${base}/v1/access_token`,
    userinfo_endpoint: `${base}/v1/userinfo`,
    jwks_uri: `${base}/v1/verification`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    code_challenge_methods_supported: ['S256'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'name', 'email'],
    ...ctx.k.discoveryOverrides,
  };
}

function authorize(ctx: Ctx, res: ServerResponse, q: URLSearchParams) {
  const redirect = q.get('redirect_uri') ?? '';
  const target = URL.canParse(redirect) ? new URL(redirect) : null;
  const loopback = target?.protocol === 'http:' && target.hostname === '127.0.0.1';
  if (q.get('client_id') !== ctx.k.clientId || !loopback)
    return page(res, '<h1>Invalid client or redirect URI</h1>', 400);
  const scopes = (q.get('scope') ?? '').split(' ');
  if (q.get('response_type') !== 'code' || !scopes.includes('openid'))
    return page(res, '<h1>Unsupported request</h1>', 400);
  if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('nonce'))
    return page(res, '<h1>PKCE S256 and a nonce are required</h1>', 400);
  const id = randomBytes(8).toString('hex');
  ctx.pending.set(id, {
    redirectUri: redirect,
    state: q.get('state') ?? '',
    nonce: q.get('nonce')!,
    challenge: q.get('code_challenge')!,
  });
  page(
    res,
    `<h1>Sign in to Webex</h1><form method="post" action="/idb/session/${id}"><label>Email <input name="login"></label><label>Password <input name="password" type="password"></label><button type="submit">Sign in</button></form>`,
  );
}

function login(ctx: Ctx, res: ServerResponse, id: string, form: URLSearchParams) {
  const auth = ctx.pending.get(id);
  const user = form.get('login') ?? '';
  if (!auth || !ctx.k.users[user]) return page(res, '<h1>Incorrect email or password.</h1>', 401);
  ctx.pending.delete(id);
  const code = randomBytes(16).toString('hex');
  ctx.codes.set(code, { ...auth, user, used: false });
  const target = new URL(auth.redirectUri);
  target.searchParams.set('code', code);
  target.searchParams.set('state', auth.state);
  res.writeHead(302, { location: target.href });
  res.end();
}

/** RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and base64'd. */
function basicClient(req: IncomingMessage): { id: string; secret: string } | null {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
}

async function token(ctx: Ctx, req: IncomingMessage, res: ServerResponse, form: URLSearchParams) {
  const basic = basicClient(req);
  // client_secret_basic only: a secret in the body (client_secret_post) is refused.
  if (
    form.has('client_secret') ||
    basic?.id !== ctx.k.clientId ||
    basic.secret !== ctx.k.clientSecret
  )
    return send(res, 401, {
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    });
  const grant = form.get('grant_type');
  if (grant === 'refresh_token') {
    const entry = ctx.refreshTokens.get(form.get('refresh_token') ?? '');
    if (!entry || entry.used) return send(res, 400, { error: 'invalid_grant' });
    entry.used = true; // rotation: a refresh token works once
    return send(res, 200, await issue(ctx, entry.user, ctx.k.idTokenOnRefresh ? null : undefined));
  }
  if (grant !== 'authorization_code') return send(res, 400, { error: 'unsupported_grant_type' });
  const code = ctx.codes.get(form.get('code') ?? '');
  if (!code || code.used || form.get('redirect_uri') !== code.redirectUri)
    return send(res, 400, { error: 'invalid_grant' });
  code.used = true;
  const verifier = form.get('code_verifier') ?? '';
  if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge)
    return send(res, 400, {
      error: 'invalid_grant',
      error_description: 'PKCE verification failed.',
    });
  send(res, 200, await issue(ctx, code.user!, code.nonce));
}

/** `nonce`: a string on sign-in, null on a refresh with an ID token, undefined without one. */
async function issue(ctx: Ctx, login: string, nonce: string | null | undefined) {
  const user = ctx.k.users[login]!;
  const access = randomBytes(24).toString('base64url');
  const refresh = randomBytes(32).toString('base64url');
  ctx.accessTokens.set(access, login);
  ctx.refreshTokens.set(refresh, { user: login, used: false });
  const body: Record<string, unknown> = {
    access_token: access,
    token_type: 'Bearer',
    expires_in: ctx.k.accessTokenSeconds,
    refresh_token: refresh,
    refresh_token_expires_in: 7_776_000,
  };
  if (nonce !== undefined) {
    body.id_token = await new SignJWT({
      ...(nonce ? { nonce } : {}),
      name: user.name,
      email: user.email,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'webex-test' })
      .setIssuer(ctx.k.idTokenIssuer ?? ctx.k.issuer)
      .setSubject(user.sub)
      .setAudience(ctx.k.clientId)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(ctx.key);
  }
  return body;
}

function userinfo(ctx: Ctx, req: IncomingMessage, res: ServerResponse) {
  const login = ctx.accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  if (!login) return send(res, 401, { message: 'The request requires a valid access token.' });
  const user = ctx.k.users[login]!;
  send(res, 200, {
    sub: user.sub,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    email: user.email,
    // Webex sends this as a string.
    email_verified: 'true',
    preferred_username: user.email,
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function page(res: ServerResponse, body: string, status = 200) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html><head><title>Webex (test)</title></head><body>${body}</body></html>`,
  );
}
