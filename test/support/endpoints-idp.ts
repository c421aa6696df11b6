/**
 * An OpenID provider on 127.0.0.1 that publishes NO discovery document, as the Hawcx guide's
 * servers are configured (by endpoints): authorize with a login form, a token endpoint for a
 * public client with PKCE S256 enforced, single-use codes and rotating refresh tokens, a JWKS,
 * userinfo and RFC 7009 revocation. ID tokens are signed ES256 with jose, for an audience that
 * is not the client id (`api://gatehouse`); knobs sign HS256, change the aud or shift the clock.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';

/** The issuer identifier: never fetched (there is no discovery), so it need not be here. */
export const ENDPOINTS_TEST_ISSUER = 'https://login.endpoints.test/tenant-1';
export const ENDPOINTS_TEST_AUDIENCE = 'api://gatehouse';

export interface EndpointsKnobs {
  clientId: string;
  /** The ID tokens' aud from now on. */
  audience: string | string[];
  /** The ID tokens' azp (OIDC Core §2); the client id when null. */
  azp: string | null;
  /** 'HS256' signs with a secret (the client id), the classic confusion attempt. */
  alg: 'ES256' | 'HS256';
  /** Added to this server's clock for iat and exp: positive is a server clock running ahead. */
  clockOffsetSeconds: number;
  accessTokenSeconds: number;
}

interface Pending {
  redirectUri: string;
  state: string;
  nonce: string;
  challenge: string;
}

interface Ctx {
  k: EndpointsKnobs;
  key: CryptoKey;
  pending: Map<string, Pending>;
  codes: Map<string, Pending & { user: string; used: boolean }>;
  accessTokens: Map<string, string>;
  refreshTokens: Map<string, { user: string; used: boolean; revoked: boolean }>;
  /** The authorize requests' code_challenge_method, in order. */
  challengeMethods: string[];
}

export interface EndpointsIdp {
  url: string;
  issuer: string;
  knobs: EndpointsKnobs;
  /** The oidc provider fields that point Gatehouse here. */
  endpoints: {
    authorizationEndpoint: string;
    tokenEndpoint: string;
    jwksUri: string;
    userinfoEndpoint: string;
    revocationEndpoint: string;
  };
  /** The signing key's SPKI PEM on one line with literal "\n"s, as the guide writes it. */
  publicKeyPemOneLine: string;
  /** `METHOD /path` of every request, in order. */
  requests: string[];
  challengeMethods: string[];
  refreshTokens: Ctx['refreshTokens'];
  close(): Promise<void>;
}

const USERS: Record<string, { sub: string; name: string; email: string }> = {
  ada: { sub: 'user-4711', name: 'Ada Lovelace', email: 'ada@example.test' },
};

export async function startEndpointsIdp(
  knobs: Partial<EndpointsKnobs> = {},
): Promise<EndpointsIdp> {
  const k: EndpointsKnobs = {
    clientId: 'gatehouse-desktop',
    audience: ENDPOINTS_TEST_AUDIENCE,
    azp: null,
    alg: 'ES256',
    clockOffsetSeconds: 0,
    accessTokenSeconds: 3600,
    ...knobs,
  };
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' };
  const ctx: Ctx = {
    k,
    key: privateKey,
    pending: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    challengeMethods: [],
  };
  const requests: string[] = [];
  let base = '';
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
    issuer: ENDPOINTS_TEST_ISSUER,
    knobs: k,
    endpoints: {
      authorizationEndpoint: `${base}/oauth/authorize`,
      tokenEndpoint: `${base}/oauth/token`,
      jwksUri: `${base}/oauth/jwks`,
      userinfoEndpoint: `${base}/oauth/userinfo`,
      revocationEndpoint: `${base}/oauth/revoke`,
    },
    publicKeyPemOneLine: (await exportSPKI(publicKey)).trim().replace(/\n/g, '\\n'),
    requests,
    challengeMethods: ctx.challengeMethods,
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
  if (at === 'GET /oauth/authorize') return authorize(ctx, res, url.searchParams);
  const login = /^\/oauth\/login\/([0-9a-f]+)$/.exec(url.pathname);
  if (login && req.method === 'POST') return signIn(ctx, res, login[1]!, form);
  if (at === 'POST /oauth/token') return token(ctx, res, form);
  if (at === 'GET /oauth/jwks') return send(res, 200, { keys: [jwk] });
  if (at === 'GET /oauth/userinfo') return userinfo(ctx, req, res);
  if (at === 'POST /oauth/revoke') return revoke(ctx, res, form);
  // /.well-known/openid-configuration included: this server publishes no discovery.
  return send(res, 404, { error: 'not_found' });
}

function authorize(ctx: Ctx, res: ServerResponse, q: URLSearchParams) {
  const redirect = q.get('redirect_uri') ?? '';
  const target = URL.canParse(redirect) ? new URL(redirect) : null;
  if (q.get('client_id') !== ctx.k.clientId || target?.hostname !== '127.0.0.1')
    return page(res, '<h1>Unknown client or redirect URI</h1>', 400);
  ctx.challengeMethods.push(q.get('code_challenge_method') ?? '');
  if (q.get('response_type') !== 'code' || !(q.get('scope') ?? '').split(' ').includes('openid'))
    return page(res, '<h1>Unsupported request</h1>', 400);
  // PKCE S256 (RFC 7636 §4.3) is required; plain or none is refused.
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
    `<h1>Sign in</h1><form method="post" action="/oauth/login/${id}"><input name="login"><input name="password" type="password"><button>Sign in</button></form>`,
  );
}

function signIn(ctx: Ctx, res: ServerResponse, id: string, form: URLSearchParams) {
  const auth = ctx.pending.get(id);
  const user = form.get('login') ?? '';
  if (!auth || !USERS[user]) return page(res, '<h1>Incorrect user name or password.</h1>', 401);
  ctx.pending.delete(id);
  const code = randomBytes(16).toString('hex');
  ctx.codes.set(code, { ...auth, user, used: false });
  const back = new URL(auth.redirectUri);
  back.searchParams.set('code', code);
  back.searchParams.set('state', auth.state);
  res.writeHead(302, { location: back.href });
  res.end();
}

async function token(ctx: Ctx, res: ServerResponse, form: URLSearchParams) {
  // A public client: its id in the body, no secret (RFC 6749 §2.3, RFC 8252 §8.4).
  if (form.get('client_id') !== ctx.k.clientId) return send(res, 401, { error: 'invalid_client' });
  const grant = form.get('grant_type');
  if (grant === 'refresh_token') {
    const entry = ctx.refreshTokens.get(form.get('refresh_token') ?? '');
    if (!entry || entry.used || entry.revoked) return send(res, 400, { error: 'invalid_grant' });
    entry.used = true; // rotation: each refresh token works once
    return send(res, 200, await issue(ctx, entry.user, null));
  }
  if (grant !== 'authorization_code') return send(res, 400, { error: 'unsupported_grant_type' });
  const code = ctx.codes.get(form.get('code') ?? '');
  if (!code || code.used || form.get('redirect_uri') !== code.redirectUri)
    return send(res, 400, { error: 'invalid_grant' });
  code.used = true;
  const verifier = form.get('code_verifier') ?? '';
  if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge)
    return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE check failed' });
  send(res, 200, await issue(ctx, code.user, code.nonce));
}

/** `nonce`: the sign-in's, or null on a refresh (OIDC Core §12.2). */
async function issue(ctx: Ctx, login: string, nonce: string | null) {
  const user = USERS[login]!;
  const access = randomBytes(24).toString('base64url');
  const refresh = randomBytes(32).toString('base64url');
  ctx.accessTokens.set(access, login);
  ctx.refreshTokens.set(refresh, { user: login, used: false, revoked: false });
  const now = Math.floor(Date.now() / 1000) + ctx.k.clockOffsetSeconds;
  const azp = ctx.k.azp ?? ctx.k.clientId;
  const jwt = new SignJWT({ ...(nonce ? { nonce } : {}), azp, name: user.name })
    .setIssuer(ENDPOINTS_TEST_ISSUER)
    .setSubject(user.sub)
    .setAudience(ctx.k.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600);
  const idToken =
    ctx.k.alg === 'HS256'
      ? await jwt.setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from(ctx.k.clientId))
      : await jwt.setProtectedHeader({ alg: 'ES256', kid: 'es-1' }).sign(ctx.key);
  return {
    access_token: access,
    token_type: 'Bearer',
    expires_in: ctx.k.accessTokenSeconds,
    refresh_token: refresh,
    id_token: idToken,
  };
}

function userinfo(ctx: Ctx, req: IncomingMessage, res: ServerResponse) {
  const login = ctx.accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  if (!login) return send(res, 401, { error: 'invalid_token' });
  const user = USERS[login]!;
  send(res, 200, { sub: user.sub, name: user.name, email: user.email, email_verified: true });
}

/** RFC 7009 §2.2: 200 whether or not the token was known. */
function revoke(ctx: Ctx, res: ServerResponse, form: URLSearchParams) {
  if (form.get('client_id') !== ctx.k.clientId) return send(res, 401, { error: 'invalid_client' });
  const entry = ctx.refreshTokens.get(form.get('token') ?? '');
  if (entry) entry.revoked = true;
  res.writeHead(200);
  res.end();
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
    `<!doctype html><html><head><title>Endpoints IdP (test)</title></head><body>${body}</body></html>`,
  );
}
