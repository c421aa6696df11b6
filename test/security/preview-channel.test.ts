/**
 * The browser preview's channel (main/preview/, `npm run preview`): 127.0.0.1 only, a 32-byte
 * secret in an HttpOnly SameSite=Strict cookie that a one-time link sets, Host and Origin checked
 * on every request, and the IPC contract through the same dispatcher and schemas as Electron.
 * The real engine answers (demo provider, test keychain); requests are raw HTTP, so every header
 * a hostile page or a rebound DNS name could send is sent exactly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_CSP, RENDERER_CSP } from '../../shared/csp';
import { startPreviewServer, type PreviewServer } from '../../main/preview/server';
import { cleanupAfterEach } from '../support/cleanup';
import { buildWorld, type World } from '../support/world';

const ended = cleanupAfterEach();

beforeAll(() => {
  if (!existsSync('dist/renderer/index.html'))
    execFileSync('npm', ['run', '--silent', 'build:renderer'], { stdio: 'inherit' });
}, 120_000);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request to the preview, with exactly these headers (Host included). */
function send(
  origin: string,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: target,
        method: options.method ?? 'GET',
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

interface Opened {
  world: World;
  server: PreviewServer;
  /** The Cookie header a browser sends after the one-time link. */
  cookie: string;
  /** The Set-Cookie header the one-time link answered with. */
  setCookie: string;
  /** The page's path (the gate's random base). */
  base: string;
  link: string;
}

async function openPreview(): Promise<Opened> {
  const world = ended(await buildWorld({ prefix: 'gh-preview-' }));
  const server = ended(
    await startPreviewServer({ core: world.core, rendererDir: 'dist/renderer' }),
  );
  const link = server.issueLink();
  const first = await send(server.origin, new URL(link).pathname + new URL(link).search);
  expect(first.status).toBe(200);
  const setCookie = String(first.headers['set-cookie']);
  const base = /Path=(\/p-[\w-]+\/)/.exec(setCookie)![1]!;
  expect(first.body).toContain(`url=${base}`);
  return { world, server, cookie: setCookie.split(';')[0]!, setCookie, base, link };
}

const json = (o: Opened, body: unknown, headers: Record<string, string> = {}) =>
  send(o.server.origin, `${o.base}api`, {
    method: 'POST',
    headers: {
      Cookie: o.cookie,
      Origin: o.server.origin,
      'Content-Type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });

describe('the preview channel', () => {
  it('listens on 127.0.0.1 only', async () => {
    const o = await openPreview();
    expect(new URL(o.server.origin).hostname).toBe('127.0.0.1');
    await expect(
      new Promise((resolve, reject) =>
        request({ host: '::1', port: new URL(o.server.origin).port, timeout: 2_000 }, resolve)
          .on('error', reject)
          .end(),
      ),
    ).rejects.toThrow();
  });

  it('the one-time link sets a 32-byte secret in an HttpOnly SameSite=Strict cookie, once', async () => {
    const o = await openPreview();
    const [pair, ...attributes] = o.setCookie.split('; ');
    expect(Buffer.from(pair!.split('=')[1]!, 'base64url')).toHaveLength(32);
    expect(attributes).toHaveLength(3);
    // Path: the random page path (a cookie reaches every port of a host, RFC 6265 §8.5).
    expect(attributes).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', `Path=${o.base}`]),
    );
    expect(o.base).toMatch(/^\/p-[\w-]{16}\/$/);
    const again = await send(o.server.origin, new URL(o.link).pathname + new URL(o.link).search);
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    const fresh = o.server.issueLink();
    const forged = await send(o.server.origin, `/open?t=${'A'.repeat(43)}`);
    expect(forged.status).toBe(403);
    expect(fresh).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/open\?t=[\w-]{43}$/);
  });

  it('refuses a request without the cookie, or with a wrong one: 401', async () => {
    const o = await openPreview();
    const origin = o.server.origin;
    expect((await send(origin, o.base)).status).toBe(401);
    expect((await send(origin, `${o.base}events`)).status).toBe(401);
    const wrong = { Cookie: 'gatehouse_preview=' + 'A'.repeat(43) };
    expect((await send(origin, o.base, { headers: wrong })).status).toBe(401);
    expect((await json(o, { channel: 'session:list' }, { Cookie: '' })).status).toBe(401);
    expect((await json(o, { channel: 'session:list' }, wrong)).status).toBe(401);
    // With the cookie, the same requests are answered.
    expect((await send(origin, o.base, { headers: { Cookie: o.cookie } })).status).toBe(200);
  });

  it.each([
    'localhost:PORT',
    '127.0.0.1',
    '127.0.0.1:1',
    'attacker.example:PORT',
    '[::1]:PORT',
    '127.0.0.1:PORT.attacker.example',
  ])('refuses Host %s, even with the cookie: 403', async (host) => {
    const o = await openPreview();
    const port = new URL(o.server.origin).port;
    const headers = { Host: host.replace('PORT', port), Cookie: o.cookie };
    expect((await send(o.server.origin, o.base, { headers })).status).toBe(403);
    const call = await json(o, { channel: 'session:list' }, { Host: headers.Host });
    expect(call.status).toBe(403);
    // A rebound name cannot use the one-time link either.
    const link = new URL(o.server.issueLink());
    expect((await send(o.server.origin, link.pathname + link.search, { headers })).status).toBe(
      403,
    );
  });

  it.each(['http://localhost:PORT', 'http://127.0.0.1:1', 'null', 'https://attacker.example'])(
    'refuses Origin %s, even with the cookie: 403',
    async (origin) => {
      const o = await openPreview();
      const Origin = origin.replace('PORT', new URL(o.server.origin).port);
      const call = await json(o, { channel: 'session:list' }, { Origin });
      expect(call.status).toBe(403);
      const page = await send(o.server.origin, o.base, { headers: { Cookie: o.cookie, Origin } });
      expect(page.status).toBe(403);
    },
  );

  it('refuses a POST without Origin, a cross-site fetch, and a body that is not JSON', async () => {
    const o = await openPreview();
    const noOrigin = await send(o.server.origin, `${o.base}api`, {
      method: 'POST',
      headers: { Cookie: o.cookie, 'Content-Type': 'application/json' },
      body: '{"channel":"session:list"}',
    });
    expect(noOrigin.status).toBe(403);
    const crossSite = await send(o.server.origin, o.base, {
      headers: { Cookie: o.cookie, 'Sec-Fetch-Site': 'same-site' },
    });
    expect(crossSite.status).toBe(403);
    const form = await json(o, { channel: 'session:list' }, { 'Content-Type': 'text/plain' });
    expect(form.status).toBe(415);
    const big = await json(o, { channel: 'session:list', payload: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
  });

  it('carries the IPC contract through the same dispatcher and zod schemas', async () => {
    const o = await openPreview();
    const list = await json(o, { channel: 'providers:list' });
    expect(list.status).toBe(200);
    const value = JSON.parse(list.body) as { ok: true; value: { providers: { id: string }[] } };
    expect(value.ok).toBe(true);
    expect(value.value.providers.map((p) => p.id)).toContain('demo');
    const invalid = JSON.parse(
      (await json(o, { channel: 'auth:sign-out', payload: { accountId: 'x', extra: 1 } })).body,
    );
    expect(invalid).toEqual({
      ok: false,
      error: { code: 'ipc_invalid_payload', message: expect.stringMatching(/auth:sign-out/) },
    });
    const unknown = JSON.parse((await json(o, { channel: 'auth:get-tokens' })).body);
    expect(unknown.error.code).toBe('ipc_unknown_channel');
  });

  it('streams session:changed as server-sent events, starting with the snapshot', async () => {
    const o = await openPreview();
    const { port } = new URL(o.server.origin);
    const seen: string[] = [];
    const stream = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
      request(
        {
          host: '127.0.0.1',
          port,
          path: `${o.base}events`,
          headers: { Host: `127.0.0.1:${port}`, Cookie: o.cookie },
        },
        resolve,
      )
        .on('error', reject)
        .end(),
    );
    ended(() => stream.destroy());
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    stream.on('data', (c: Buffer) => seen.push(c.toString('utf8')));
    await o.world.signIn('alice');
    await expect
      .poll(() => seen.join(''), { timeout: 10_000 })
      .toMatch(/event: session:changed\ndata: \{.*"accountId":"demo:alice"/);
    expect(seen[0]).toMatch(/^event: session:changed\ndata: \{"accounts":\[\]/);
    // The contract has no token field: none travels in an event.
    expect(seen.join('')).not.toMatch(/accessToken|refreshToken|idToken/);
  });
});

describe('the two policies', () => {
  const connectSrc = (csp: string) => csp.split('; ').find((d) => d.startsWith('connect-src '));

  it("the packaged window keeps connect-src 'none', in shared/csp.ts and the built page", () => {
    expect(connectSrc(RENDERER_CSP)).toBe("connect-src 'none'");
    const built = readFileSync('dist/renderer/index.html', 'utf8');
    expect(built).toContain(`content="${RENDERER_CSP}"`);
    expect(built).not.toContain("connect-src 'self'");
  });

  it("the preview serves its page with connect-src 'self', in the header and the tag", async () => {
    const o = await openPreview();
    expect(connectSrc(PREVIEW_CSP)).toBe("connect-src 'self'");
    // Nothing else differs from the window's policy.
    expect(PREVIEW_CSP.replace("connect-src 'self'", "connect-src 'none'")).toBe(RENDERER_CSP);
    const page = await send(o.server.origin, o.base, { headers: { Cookie: o.cookie } });
    expect(page.headers['content-security-policy']).toBe(PREVIEW_CSP);
    expect(page.body).toContain(`content="${PREVIEW_CSP}"`);
    expect(page.body).not.toContain("connect-src 'none'");
  });
});
