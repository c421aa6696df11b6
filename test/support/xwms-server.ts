/**
 * An XWMS-compatible server on 127.0.0.1 following the XWMS guide: sign-token issues a
 * single-use token with an expiry (credentials as X-Client-* headers or in the JSON body), a
 * hosted login page redirects to redirect_url?token=…, and sign-token-verify returns the
 * person's claims in the documented shapes and error statuses.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface XwmsKnobs {
  clientId: string;
  clientSecret: string;
  domain: string;
  /** Which credential style the server accepts. */
  credentialStyle: 'headers' | 'body';
  /** Response shape variants seen across XWMS versions. */
  nestUser: boolean;
  numericSub: boolean;
  urlField: 'url' | 'redirect_url' | 'top-level';
  omitSub: boolean;
  tokenTtlSeconds: number;
  verifyAnswersHtml: boolean;
}

export interface XwmsServer {
  url: string;
  apiUrl: string;
  knobs: XwmsKnobs;
  issued: Map<
    string,
    { redirect: string; expiresAt: number; used: boolean; approved: string | null }
  >;
  close(): Promise<void>;
}

const people: Record<
  string,
  { sub: number; name: string; given_name: string; family_name: string; email: string }
> = {
  ada: {
    sub: 4242,
    name: 'Ada Lovelace',
    given_name: 'Ada',
    family_name: 'Lovelace',
    email: 'ada@xwms.test',
  },
  alan: {
    sub: 1912,
    name: 'Alan Turing',
    given_name: 'Alan',
    family_name: 'Turing',
    email: 'ada@xwms.test',
  },
};

export async function startXwmsServer(knobs: Partial<XwmsKnobs> = {}): Promise<XwmsServer> {
  const k: XwmsKnobs = {
    clientId: 'xwms-client',
    clientSecret: 'xwms-secret',
    domain: 'gatehouse.test',
    credentialStyle: 'headers',
    nestUser: false,
    numericSub: true,
    urlField: 'url',
    omitSub: false,
    tokenTtlSeconds: 300,
    verifyAnswersHtml: false,
    ...knobs,
  };
  const issued = new Map<
    string,
    { redirect: string; expiresAt: number; used: boolean; approved: string | null }
  >();
  let base = '';
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const raw = await new Promise<string>((resolve) => {
      let d = '';
      req.on('data', (c) => (d += c));
      req.on('end', () => resolve(d));
    });
    // The API speaks JSON; the hosted login page posts an ordinary HTML form.
    let body: Record<string, unknown>;
    try {
      body =
        raw && url.pathname.startsWith('/api/') ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return send(res, 400, { status: 'error', message: 'Invalid JSON' });
    }
    const creds =
      k.credentialStyle === 'headers'
        ? {
            id: req.headers['x-client-id'],
            secret: req.headers['x-client-secret'],
            domain: req.headers['x-client-domain'],
          }
        : { id: body.client_id, secret: body.client_secret, domain: body.domain };
    const authorized =
      creds.id === k.clientId && creds.secret === k.clientSecret && creds.domain === k.domain;

    if (url.pathname === '/api/sign-token' && req.method === 'POST') {
      if (!authorized)
        return send(res, 401, { status: 'error', message: 'Invalid client credentials' });
      const redirect = typeof body.redirect_url === 'string' ? body.redirect_url : '';
      if (!redirect)
        return send(res, 422, { status: 'error', message: 'redirect_url is required' });
      const token = randomBytes(24).toString('base64url');
      const expiresAt = Date.now() + k.tokenTtlSeconds * 1000;
      issued.set(token, { redirect, expiresAt, used: false, approved: null });
      const page = `${base}/login?token=${token}`;
      const data: Record<string, unknown> = {
        token,
        expires_at: new Date(expiresAt).toISOString(),
      };
      if (k.urlField === 'url') data.url = page;
      if (k.urlField === 'redirect_url') data.redirect_url = page;
      return send(res, 200, {
        status: 'success',
        message: 'Token created',
        data,
        ...(k.urlField === 'top-level' ? { redirect_url: page } : {}),
      });
    }
    if (url.pathname === '/login' && req.method === 'GET') {
      const token = url.searchParams.get('token') ?? '';
      if (!issued.has(token)) return send(res, 404, { status: 'error', message: 'Unknown token' });
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(
        `<!doctype html><title>XWMS</title><h1>Sign in with XWMS</h1><form method="post" action="/login/${token}"><input name="login"><input name="password" type="password"><button type="submit">Sign in</button></form>`,
      );
    }
    const login = /^\/login\/([\w-]+)$/.exec(url.pathname);
    if (login && req.method === 'POST') {
      const entry = issued.get(login[1]!);
      const user = new URLSearchParams(raw).get('login') ?? '';
      if (!entry || !people[user]) {
        res.writeHead(401, { 'content-type': 'text/html' });
        return res.end('<h1>Wrong user</h1>');
      }
      entry.approved = user;
      // As the XWMS guide does: plain concatenation, whatever redirect_url already holds.
      res.writeHead(302, { location: `${entry.redirect}?token=${login[1]!}` });
      return res.end();
    }
    if (url.pathname === '/api/sign-token-verify' && req.method === 'POST') {
      if (k.verifyAnswersHtml) {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>Maintenance</html>');
      }
      if (!authorized)
        return send(res, 401, { status: 'error', message: 'Invalid client credentials' });
      const entry = issued.get(String(body.token ?? ''));
      if (!entry || !entry.approved)
        return send(res, 404, { status: 'error', message: 'Invalid token' });
      if (entry.used) return send(res, 410, { status: 'error', message: 'Token already used' });
      if (Date.now() > entry.expiresAt)
        return send(res, 410, { status: 'error', message: 'Token expired' });
      entry.used = true;
      const p = people[entry.approved]!;
      const claims: Record<string, unknown> = {
        ...p,
        sub: k.numericSub ? p.sub : String(p.sub),
        email_verified: true,
        picture: `https://xwms.example/avatars/${p.sub}.png`,
      };
      if (k.omitSub) delete claims.sub;
      return send(res, 200, {
        status: 'success',
        message: 'Token verified',
        data: k.nestUser ? { user: claims } : claims,
      });
    }
    send(res, 404, { status: 'error', message: 'Not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    apiUrl: `${base}/api/`,
    knobs: k,
    issued,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
