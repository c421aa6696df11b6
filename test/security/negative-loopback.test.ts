/**
 * Negative matrix: the loopback listener's rules (providers.md), each against a real listener
 * on 127.0.0.1. Every hostile request is answered without consuming the pending flow, which
 * must still complete with the genuine callback afterwards.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopback, type LoopbackHandle } from '../../main/auth/loopback';
import { REPLY_HOLD_MS } from '../../main/auth/loopback-reply';

const STATE = 'the-genuine-state';
let open: LoopbackHandle[] = [];
afterEach(() => {
  for (const h of open) h.close();
  open = [];
});

async function listener(options: Partial<Parameters<typeof startLoopback>[0]> = {}) {
  const handle = await startLoopback({
    providerId: 'demo',
    timeoutMs: 30_000,
    check: (p) => (p.get('state') === STATE ? { kind: 'accept' } : { kind: 'ignore' }),
    ...options,
  });
  open.push(handle);
  // The engine's part: the accepted callback's tab waits for the outcome (issue 13 item 2).
  handle.callback.then(
    () => handle.complete({ signedInTo: 'Demo provider' }),
    () => undefined,
  );
  return handle;
}

/** Sends a raw request and returns the status line and the whole reply. */
function raw(port: number, request: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('close', () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }),
    );
    socket.on('error', () => resolve({ status: 0, text }));
    socket.write(
      request.includes('Connection:')
        ? request
        : request.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'),
    );
    // Longer than the accepted callback's longest wait for its answer (loopback-reply.ts), so a
    // held answer is never taken for none (issue 13 item 2: was 3 s, when it came at once).
    setTimeout(() => socket.destroy(), REPLY_HOLD_MS + 5_000);
  });
}

const get = (h: LoopbackHandle, target: string, host = `127.0.0.1:${h.port}`, method = 'GET') =>
  raw(h.port, `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);

/** The browser's first step: the one-time /signin link, whose cookie the callback must carry. */
async function signinCookie(h: LoopbackHandle): Promise<string> {
  const start = new URL(h.startUrl('http://127.0.0.1:9/authorize'));
  const reply = await get(h, `${start.pathname}${start.search}`);
  expect(reply.status).toBe(302);
  return /^Set-Cookie: (gh_[\w-]+=[\w-]+);/im.exec(reply.text)![1]!;
}

/** The genuine callback, from the browser that used the /signin link. */
async function genuine(h: LoopbackHandle, query: string) {
  const cookie = await signinCookie(h);
  return raw(
    h.port,
    `GET /callback/demo?${query} HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nCookie: ${cookie}\r\n\r\n`,
  );
}

async function stillWaitingThenGenuine(h: LoopbackHandle) {
  let settled = false;
  void h.callback.then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 20));
  expect(settled).toBe(false);
  const reply = await genuine(h, `code=c&state=${STATE}`);
  expect(reply.status).toBe(200);
  expect((await h.callback).searchParams.get('code')).toBe('c');
}

describe('negative matrix: loopback listener', () => {
  it.each<[string, (h: LoopbackHandle) => Promise<{ status: number }>, number]>([
    ['another path → 404', (h) => get(h, `/callback/github?state=${STATE}`), 404],
    ['the root path → 404', (h) => get(h, '/'), 404],
    [
      'a dot-segment path onto the callback → 404',
      (h) => get(h, `/x/../callback/demo?state=${STATE}`),
      404,
    ],
    [
      'POST on the callback → 405',
      (h) => get(h, `/callback/demo?state=${STATE}`, undefined, 'POST'),
      405,
    ],
    [
      'PUT on the callback → 405',
      (h) => get(h, `/callback/demo?state=${STATE}`, undefined, 'PUT'),
      405,
    ],
    [
      'a foreign Host (DNS rebinding) → 400',
      (h) => get(h, `/callback/demo?state=${STATE}`, `evil.example:${h.port}`),
      400,
    ],
    [
      'Host "localhost" → 400',
      (h) => get(h, `/callback/demo?state=${STATE}`, `localhost:${h.port}`),
      400,
    ],
    [
      'no Host header → 400',
      (h) => raw(h.port, `GET /callback/demo?state=${STATE} HTTP/1.1\r\n\r\n`),
      400,
    ],
    ['missing state → ignored (400)', (h) => get(h, '/callback/demo?code=c'), 400],
    ['wrong state → ignored (400)', (h) => get(h, '/callback/demo?code=c&state=guess'), 400],
    [
      'duplicate state → refused (400)',
      (h) => get(h, `/callback/demo?code=c&state=${STATE}&state=${STATE}`),
      400,
    ],
    [
      'wrong state with error=access_denied → ignored (400)',
      (h) => get(h, '/callback/demo?error=access_denied&state=guess'),
      400,
    ],
    [
      'an oversized query (over the 8 KiB header limit) → 400',
      (h) => get(h, `/callback/demo?state=x&pad=${'a'.repeat(9000)}`),
      400,
    ],
    [
      'oversized headers → 431/400',
      (h) =>
        raw(
          h.port,
          `GET /callback/demo HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
        ),
      431,
    ],
    ['garbage instead of HTTP → 400', (h) => raw(h.port, 'HELLO THERE\r\n\r\n'), 400],
    [
      'a guessed /signin nonce → 404',
      async (h) => {
        h.startUrl('http://127.0.0.1:1/authorize');
        return get(h, '/signin?n=guess');
      },
      404,
    ],
  ])('%s, and the flow keeps waiting', async (_name, attack, status) => {
    const h = await listener();
    const reply = await attack(h);
    if (status === 431) expect([400, 431]).toContain(reply.status);
    else expect(reply.status).toBe(status);
    await stillWaitingThenGenuine(h);
  });

  it('binds 127.0.0.1 only, on an ephemeral port', async () => {
    const h = await listener();
    expect(h.host).toBe('127.0.0.1');
    expect(h.redirectUri).toBe(`http://127.0.0.1:${h.port}/callback/demo`);
    expect(h.port).toBeGreaterThan(1023);
  });

  it('the reply page is static, uncached, script-free and echoes nothing', async () => {
    const h = await listener();
    const reply = await genuine(
      h,
      `code=c&state=${STATE}&error_description=%3Cscript%3Emarker-123%3C%2Fscript%3E`,
    );
    expect(reply.status).toBe(200);
    expect(reply.text).toMatch(/Cache-Control: no-store/i);
    expect(reply.text).toMatch(/Referrer-Policy: no-referrer/i);
    expect(reply.text).toMatch(/Content-Security-Policy: default-src 'none'/i);
    expect(reply.text).toMatch(/X-Content-Type-Options: nosniff/i);
    expect(reply.text).not.toContain('marker-123');
    expect(reply.text).not.toContain('<script');
  });

  it('single use: after the callback the port is closed and a replay gets nothing', async () => {
    const h = await listener();
    // A keep-alive socket held open by the browser is destroyed too.
    const keepAlive = net.connect({ host: '127.0.0.1', port: h.port });
    await new Promise((r) => keepAlive.once('connect', r));
    const closed = new Promise((r) => keepAlive.once('close', r));
    expect((await genuine(h, `code=c&state=${STATE}`)).status).toBe(200);
    await closed;
    expect((await get(h, `/callback/demo?code=c2&state=${STATE}`)).status).toBe(0);
  });

  it('the first free port of a fixed-port list is used', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const busy = (blocker.address() as net.AddressInfo).port;
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    try {
      const h = await listener({ ports: [busy, free] });
      expect(h.port).toBe(free);
    } finally {
      blocker.close();
    }
  });

  it('every fixed port busy → loopback_bind_failed', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(listener({ ports: [busy] })).rejects.toMatchObject({
        code: 'loopback_bind_failed',
      });
    } finally {
      blocker.close();
    }
  });

  it('the overall timeout → sign_in_timeout, port closed', async () => {
    const h = await listener({ timeoutMs: 150 });
    await expect(h.callback).rejects.toMatchObject({ code: 'sign_in_timeout' });
    expect((await get(h, `/callback/demo?code=c&state=${STATE}`)).status).toBe(0);
  });

  it('close() → cancelled', async () => {
    const h = await listener();
    h.close();
    await expect(h.callback).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('the /signin step redirects once to the authorization URL and marks the browser as arrived', async () => {
    let reached = 0;
    const h = await listener({ onBrowserReached: () => reached++ });
    const start = new URL(h.startUrl('http://127.0.0.1:9/authorize?x=1'));
    const first = await get(h, `${start.pathname}${start.search}`);
    expect(first.status).toBe(302);
    expect(first.text).toMatch(/Location: http:\/\/127\.0\.0\.1:9\/authorize\?x=1/);
    expect(first.text).toMatch(/Set-Cookie: gh_[\w-]+=[\w-]+; Path=\/; HttpOnly; SameSite=Lax/);
    expect(reached).toBe(1);
    expect(h.browserReached).toBe(true);
    // A second use, without the first browser's cookie, is someone else's: the attempt ends.
    expect((await get(h, `${start.pathname}${start.search}`)).status).toBe(403);
    await expect(h.callback).rejects.toMatchObject({ code: 'sign_in_link_reused' });
  });
});
