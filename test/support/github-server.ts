/**
 * A GitHub-compatible server on 127.0.0.1 that follows GitHub's documented wire formats and
 * quirks: the authorize page (login, then an "Authorize" button), the token endpoint answering
 * errors as HTTP 200 with `error` (JSON or form by Accept), PKCE S256, single-use codes, the
 * client secret check, GET /user and /user/emails under /api/v3 (Enterprise Server layout),
 * expiring tokens with rotating refresh tokens, revocation, the device flow, rate-limit headers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GithubUser {
  id: number;
  login: string;
  name: string | null;
  publicEmail: string | null;
  emails: Array<{ email: string; primary: boolean; verified: boolean; visibility: string | null }>;
}

export interface GithubKnobs {
  clientId: string;
  clientSecret: string;
  /** Expiring user tokens (8 h access, rotating refresh) instead of classic ones. */
  expiringTokens: boolean;
  deviceFlowEnabled: boolean;
  /** Answer the first N device polls with slow_down. */
  slowDownPolls: number;
  deviceExpiresIn: number;
  deviceInterval: number;
  rateLimitRemaining: number;
  users: Record<string, GithubUser>;
  /** The device page named in device-code answers (default: this server's), as github.com's. */
  verificationUri: string;
  /** The app's registered callback URL; loopback ones match on any port, as GitHub's do. */
  registeredCallback: string;
}

interface PendingAuth {
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string;
  user?: string;
}

export interface GithubServer {
  url: string;
  knobs: GithubKnobs;
  /** Approve (or deny) a device code as the person would on github.com/login/device. */
  approveDevice(userCode: string, login: string): void;
  denyDevice(userCode: string): void;
  tokens: Map<string, { login: string; clientId: string }>;
  refreshTokens: Map<string, { login: string; used: boolean }>;
  requests: string[];
  close(): Promise<void>;
}

const defaultUsers: Record<string, GithubUser> = {
  octo: {
    id: 583231,
    login: 'octo',
    name: 'Octo Cat',
    publicEmail: 'octo@example.test',
    emails: [{ email: 'octo@example.test', primary: true, verified: true, visibility: 'public' }],
  },
  private: {
    id: 9_000_001,
    login: 'private',
    name: null,
    publicEmail: null,
    emails: [
      { email: 'hidden@example.test', primary: true, verified: true, visibility: null },
      { email: 'old@example.test', primary: false, verified: true, visibility: null },
    ],
  },
};

export async function startGithubServer(knobs: Partial<GithubKnobs> = {}): Promise<GithubServer> {
  const k: GithubKnobs = {
    clientId: 'Iv1.gatehouse',
    clientSecret: 'github-test-secret',
    expiringTokens: false,
    deviceFlowEnabled: true,
    slowDownPolls: 0,
    deviceExpiresIn: 900,
    deviceInterval: 5,
    rateLimitRemaining: 5000,
    users: defaultUsers,
    verificationUri: '',
    registeredCallback: 'http://127.0.0.1/callback/github',
    ...knobs,
  };
  const pending = new Map<string, PendingAuth>();
  const codes = new Map<string, PendingAuth & { used: boolean }>();
  const tokens = new Map<string, { login: string; clientId: string }>();
  const refreshTokens = new Map<string, { login: string; used: boolean }>();
  const devices = new Map<
    string,
    { userCode: string; login: string | null; denied: boolean; expiresAt: number; polls: number }
  >();
  const requests: string[] = [];
  let base = '';

  const issueTokens = (login: string) => {
    const access = `gho_${randomBytes(18).toString('base64url')}`;
    tokens.set(access, { login, clientId: k.clientId });
    const body: Record<string, unknown> = {
      access_token: access,
      token_type: 'bearer',
      scope: 'read:user,user:email',
    };
    if (k.expiringTokens) {
      const refresh = `ghr_${randomBytes(30).toString('base64url')}`;
      refreshTokens.set(refresh, { login, used: false });
      Object.assign(body, {
        expires_in: 28800,
        refresh_token: refresh,
        refresh_token_expires_in: 15897600,
      });
    }
    return body;
  };

  /** GitHub's quirk: errors come back as 200, JSON if asked for, form-encoded otherwise. */
  const oauthReply = (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => {
    const wantsJson = (req.headers.accept ?? '').includes('application/json');
    res.writeHead(200, {
      'content-type': wantsJson ? 'application/json' : 'application/x-www-form-urlencoded',
    });
    res.end(
      wantsJson
        ? JSON.stringify(body)
        : new URLSearchParams(Object.entries(body).map(([a, b]) => [a, String(b)])).toString(),
    );
  };
  const html = (res: ServerResponse, body: string, status = 200) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html><head><title>GitHub (test)</title></head><body>${body}</body></html>`,
    );
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push(`${req.method} ${url.pathname}`);
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => resolve(data));
    });
    const form = new URLSearchParams(
      (req.headers['content-type'] ?? '').includes('json') ? '' : raw,
    );
    const json =
      (req.headers['content-type'] ?? '').includes('json') && raw
        ? (JSON.parse(raw) as Record<string, string>)
        : {};

    if (url.pathname === '/login/oauth/authorize' && req.method === 'GET') {
      const q = url.searchParams;
      const redirect = q.get('redirect_uri') ?? '';
      const registered = new URL(k.registeredCallback);
      // OAuth apps accept the registered loopback path on any port.
      const r = URL.canParse(redirect) ? new URL(redirect) : null;
      const ok = r?.hostname === registered.hostname && r.pathname === registered.pathname;
      if (q.get('client_id') !== k.clientId) return html(res, '<h1>Not found</h1>', 404);
      // GitHub's documented answer: back to the *registered* callback URL, with this error.
      if (!ok) {
        const back = new URL(registered);
        back.searchParams.set('error', 'redirect_uri_mismatch');
        back.searchParams.set(
          'error_description',
          'The redirect_uri MUST match the registered callback URL for this application.',
        );
        back.searchParams.set('state', q.get('state') ?? '');
        res.writeHead(302, { location: back.href });
        return res.end();
      }
      if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge'))
        return html(res, '<h1>PKCE S256 required</h1>', 400);
      const id = randomBytes(8).toString('hex');
      pending.set(id, {
        clientId: k.clientId,
        redirectUri: redirect,
        state: q.get('state') ?? '',
        challenge: q.get('code_challenge')!,
      });
      return html(
        res,
        `<h1>Sign in to GitHub</h1><form method="post" action="/session/${id}"><label>Username <input name="login"></label><label>Password <input name="password" type="password"></label><button type="submit">Sign in</button></form>`,
      );
    }
    const session = /^\/session\/([0-9a-f]+)$/.exec(url.pathname);
    if (session && req.method === 'POST') {
      const auth = pending.get(session[1]!);
      const login = form.get('login') ?? '';
      if (!auth || !k.users[login])
        return html(res, '<h1>Incorrect username or password.</h1>', 401);
      auth.user = login;
      return html(
        res,
        `<h1>Authorize Gatehouse</h1><form method="post" action="/authorize/${session[1]}"><input type="hidden" name="prompt" value="consent"><button type="submit">Continue</button></form><a href="/deny/${session[1]}">Cancel</a>`,
      );
    }
    const approve = /^\/(authorize|deny)\/([0-9a-f]+)$/.exec(url.pathname);
    if (approve) {
      const auth = pending.get(approve[2]!);
      if (!auth?.user) return html(res, '<h1>Expired</h1>', 400);
      pending.delete(approve[2]!);
      const target = new URL(auth.redirectUri);
      if (approve[1] === 'deny') {
        target.searchParams.set('error', 'access_denied');
        target.searchParams.set(
          'error_description',
          'The user has denied your application access.',
        );
      } else {
        const code = randomBytes(10).toString('hex');
        codes.set(code, { ...auth, used: false });
        target.searchParams.set('code', code);
      }
      target.searchParams.set('state', auth.state);
      res.writeHead(302, { location: target.href });
      return res.end();
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      const grant = form.get('grant_type') ?? 'authorization_code';
      if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
        const device = devices.get(form.get('device_code') ?? '');
        if (!k.deviceFlowEnabled) return oauthReply(req, res, { error: 'device_flow_disabled' });
        if (!device) return oauthReply(req, res, { error: 'incorrect_device_code' });
        device.polls++;
        if (Date.now() > device.expiresAt) return oauthReply(req, res, { error: 'expired_token' });
        if (device.polls <= k.slowDownPolls)
          return oauthReply(req, res, {
            error: 'slow_down',
            interval: k.deviceInterval + 5 * device.polls,
          });
        if (device.denied) return oauthReply(req, res, { error: 'access_denied' });
        if (!device.login) return oauthReply(req, res, { error: 'authorization_pending' });
        devices.delete(form.get('device_code')!);
        return oauthReply(req, res, issueTokens(device.login));
      }
      if (form.get('client_id') !== k.clientId || form.get('client_secret') !== k.clientSecret) {
        return oauthReply(req, res, {
          error: 'incorrect_client_credentials',
          error_description: 'The client_id and/or client_secret passed are incorrect.',
        });
      }
      if (grant === 'refresh_token') {
        const entry = refreshTokens.get(form.get('refresh_token') ?? '');
        if (!entry || entry.used)
          return oauthReply(req, res, {
            error: 'bad_refresh_token',
            error_description: 'The refresh token passed is incorrect or expired.',
          });
        entry.used = true; // rotation: a refresh token works once
        return oauthReply(req, res, issueTokens(entry.login));
      }
      const code = codes.get(form.get('code') ?? '');
      if (!code || code.used)
        return oauthReply(req, res, {
          error: 'bad_verification_code',
          error_description: 'The code passed is incorrect or expired.',
        });
      code.used = true;
      if (form.get('redirect_uri') && form.get('redirect_uri') !== code.redirectUri)
        return oauthReply(req, res, { error: 'redirect_uri_mismatch' });
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
        return oauthReply(req, res, {
          error: 'bad_verification_code',
          error_description: 'The code_verifier does not match the code_challenge.',
        });
      }
      return oauthReply(req, res, issueTokens(code.user!));
    }
    if (url.pathname === '/login/device/code' && req.method === 'POST') {
      if (form.get('client_id') !== k.clientId)
        return oauthReply(req, res, { error: 'incorrect_client_credentials' });
      if (!k.deviceFlowEnabled) return oauthReply(req, res, { error: 'device_flow_disabled' });
      const deviceCode = randomBytes(20).toString('hex');
      const userCode = `${randomBytes(2).toString('hex').toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`;
      devices.set(deviceCode, {
        userCode,
        login: null,
        denied: false,
        expiresAt: Date.now() + k.deviceExpiresIn * 1000,
        polls: 0,
      });
      return oauthReply(req, res, {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: k.verificationUri || `${base}/login/device`,
        expires_in: k.deviceExpiresIn,
        interval: k.deviceInterval,
      });
    }
    // github.com/login/device: the person types the user code, signs in and authorises.
    if (url.pathname === '/login/device' && req.method === 'GET') {
      return html(
        res,
        `<h1>Device activation</h1><form method="post" action="/login/device"><label>Code <input name="user_code" autocomplete="off"></label><label>Username <input name="device_login"></label><button type="submit">Continue</button></form>`,
      );
    }
    if (url.pathname === '/login/device' && req.method === 'POST') {
      const typed = (form.get('user_code') ?? '').trim().toUpperCase();
      const login = form.get('device_login') ?? '';
      const device = [...devices.values()].find((d) => d.userCode === typed);
      if (!device || Date.now() > device.expiresAt)
        return html(res, '<h1>That code is not valid or has expired.</h1>', 404);
      if (!k.users[login]) return html(res, '<h1>Incorrect username or password.</h1>', 401);
      device.login = login;
      return html(
        res,
        '<h1>Congratulations, you are all set!</h1><p>Your device is now connected.</p>',
      );
    }
    if (url.pathname.startsWith('/api/v3/')) {
      const path = url.pathname.slice('/api/v3'.length);
      res.setHeader('x-ratelimit-limit', '5000');
      res.setHeader('x-ratelimit-remaining', String(Math.max(0, k.rateLimitRemaining)));
      res.setHeader('x-ratelimit-reset', String(Math.floor(Date.now() / 1000) + 1800));
      if (k.rateLimitRemaining <= 0) {
        res.writeHead(403, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ message: 'API rate limit exceeded' }));
      }
      k.rateLimitRemaining--;
      const revoke = /^\/applications\/([^/]+)\/token$/.exec(path);
      if (revoke && req.method === 'DELETE') {
        const basic = Buffer.from(
          (req.headers.authorization ?? '').replace(/^Basic /, ''),
          'base64',
        ).toString();
        if (
          basic !== `${k.clientId}:${k.clientSecret}` ||
          decodeURIComponent(revoke[1]!) !== k.clientId
        ) {
          res.writeHead(404).end();
          return;
        }
        const existed = tokens.delete(json.access_token ?? '');
        res.writeHead(existed ? 204 : 404).end();
        return;
      }
      const token = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (!token) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ message: 'Bad credentials' }));
      }
      const user = k.users[token.login]!;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (path === '/user')
        return res.end(
          JSON.stringify({
            id: user.id,
            login: user.login,
            name: user.name,
            email: user.publicEmail,
            avatar_url: `${base}/avatars/${user.id}`,
          }),
        );
      if (path === '/user/emails') return res.end(JSON.stringify(user.emails));
      res.writeHead(404).end();
      return;
    }
    html(res, '<h1>Not found</h1>', 404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    knobs: k,
    tokens,
    refreshTokens,
    requests,
    approveDevice(userCode, login) {
      for (const d of devices.values()) if (d.userCode === userCode) d.login = login;
    },
    denyDevice(userCode) {
      for (const d of devices.values()) if (d.userCode === userCode) d.denied = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
