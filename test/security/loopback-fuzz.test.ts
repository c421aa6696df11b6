/**
 * Loopback fuzz: 10,000 hostile requests against a pending sign-in — random paths, methods and
 * headers, oversized queries, wrong and duplicate state, a foreign Host, slow partial requests —
 * all to 127.0.0.1, bounded in count and time. Then the genuine callback must still succeed.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLoopback, type LoopbackHandle } from '../../main/auth/loopback';

const TOTAL = 10_000;
const CONCURRENCY = 48;
const SLOW = 24;
const STATE = 'genuine-state-value-0123456789';
const HELD = 72;
const HELD_CAP = 64;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostileRequest(rand: () => number, authority: string): { raw: string; kind: string } {
  const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)]!;
  const junk = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(33 + Math.floor(rand() * 90)))
      .join('')
      .replace(/[\s#?&%]/g, 'x');
  const kind = pick([
    'path',
    'method',
    'state',
    'dup-state',
    'no-state',
    'host',
    'oversized',
    'headers',
    'error-wrong-state',
    'garbage',
  ]);
  let method = 'GET';
  let target = `/callback/demo?code=${junk(8)}&state=${junk(12)}`;
  let host = authority;
  let extra = '';
  switch (kind) {
    case 'path':
      target =
        pick([
          '/',
          '/callback',
          '/callback/github',
          '/callback/demo/',
          '/CALLBACK/demo',
          `/${junk(20)}`,
          '/signin?n=guess',
          '/callback/demo/../demo',
          '//callback/demo',
        ]) + `?state=${STATE}&code=x`;
      break;
    case 'method':
      method = pick([
        'POST',
        'PUT',
        'DELETE',
        'PATCH',
        'OPTIONS',
        'TRACE',
        'HEAD',
        'CONNECT',
        'PROPFIND',
      ]);
      target = `/callback/demo?state=${STATE}&code=x`;
      break;
    case 'state':
      target = `/callback/demo?code=x&state=${pick([STATE.slice(0, -1), STATE + 'x', STATE.toUpperCase(), encodeURIComponent(' ' + STATE), junk(30)])}`;
      break;
    case 'dup-state':
      target = `/callback/demo?code=x&state=${STATE}&state=${pick([STATE, junk(5)])}`;
      break;
    case 'no-state':
      target = `/callback/demo?code=${junk(10)}`;
      break;
    case 'host':
      host = pick([
        'evil.example',
        `localhost:${authority.split(':')[1]}`,
        `127.0.0.1:1`,
        '',
        `[::1]:${authority.split(':')[1]}`,
        `${authority}.evil.example`,
      ]);
      target = `/callback/demo?state=${STATE}&code=x`;
      break;
    case 'oversized':
      target = `/callback/demo?state=${junk(8)}&pad=${'A'.repeat(9000 + Math.floor(rand() * 20000))}`;
      break;
    case 'headers':
      extra = Array.from(
        { length: 1 + Math.floor(rand() * 40) },
        () => `X-${junk(6)}: ${'v'.repeat(Math.floor(rand() * 900))}\r\n`,
      ).join('');
      break;
    case 'error-wrong-state':
      target = `/callback/demo?error=access_denied&error_description=${encodeURIComponent('<script>alert(1)</script>')}&state=${junk(10)}`;
      break;
    case 'garbage':
      return { raw: `${junk(40)}\r\n\r\n`, kind };
  }
  const hostLine = host === '' ? '' : `Host: ${host}\r\n`;
  return {
    raw: `${method} ${target} HTTP/1.1\r\n${hostLine}${extra}Connection: ${rand() < 0.5 ? 'close' : 'keep-alive'}\r\n\r\n`,
    kind,
  };
}

function send(port: number, raw: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (d) => {
      data += d.toString('latin1');
      if (/\r\n\r\n/.test(data)) {
        const length = /content-length: (\d+)/i.exec(data);
        const headerEnd = data.indexOf('\r\n\r\n') + 4;
        if (!length || data.length - headerEnd >= Number(length[1])) done();
      }
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(raw);
  });
}

/** Opens a connection and sends only part of a request, then waits for the server to drop it. */
function slowPartial(port: number, maxMs: number): Promise<number> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Number.POSITIVE_INFINITY);
    }, maxMs);
    socket.on('connect', () =>
      socket.write(`GET /callback/demo?state=${STATE} HTTP/1.1\r\nHost: 127.0.0.1`),
    );
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
    socket.on('error', () => undefined);
  });
}

/** The real browser's first step: the one-time /signin link, and the cookie it sets. */
async function signinCookie(handle: LoopbackHandle): Promise<string> {
  const start = new URL(handle.startUrl('http://127.0.0.1:9/authorize'));
  const signin = await send(
    handle.port,
    `GET ${start.pathname}${start.search} HTTP/1.1\r\nHost: 127.0.0.1:${handle.port}\r\nConnection: close\r\n\r\n`,
  );
  return /^Set-Cookie: (gh_[\w-]+=[\w-]+);/im.exec(signin)?.[1] ?? '';
}

/** The real browser: the one-time /signin link first, then the callback with its cookie. */
async function genuineCallback(handle: LoopbackHandle): Promise<string> {
  const authority = `127.0.0.1:${handle.port}`;
  const cookie = await signinCookie(handle);
  return send(
    handle.port,
    `GET /callback/demo?code=real-code&state=${STATE} HTTP/1.1\r\nHost: ${authority}\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`,
  );
}

/** Opens a socket that sends the start of a request line and holds it open. */
function holdOpen(port: number): Promise<{ dropped: () => boolean; destroy: () => void }> {
  return new Promise((resolve) => {
    let dropped = false;
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    socket.on('close', () => (dropped = true));
    socket.on('connect', () => {
      socket.write('GET /callback/demo?state=');
      resolve({ dropped: () => dropped, destroy: () => socket.destroy() });
    });
  });
}

describe('loopback fuzz', () => {
  it(`${TOTAL} hostile requests: 0 wrong completions, bounded memory, the genuine callback still works`, async () => {
    let completions = 0;
    let ignored = 0;
    const handle = await startLoopback({
      providerId: 'demo',
      timeoutMs: 120_000,
      check: (params) => (params.get('state') === STATE ? { kind: 'accept' } : { kind: 'ignore' }),
      onIgnored: () => ignored++,
    });
    // The engine's part: the accepted callback's tab waits for the outcome (issue 13 item 2).
    void handle.callback.then(() => {
      completions++;
      handle.complete({ signedInTo: 'Demo provider' });
    });
    const authority = `127.0.0.1:${handle.port}`;
    const rand = prng(20261123);
    const kinds = new Map<string, number>();
    const statuses = new Map<string, number>();
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();

    // Half the hostile requests carry the real browser's cookie, so the state check is fuzzed too.
    const cookie = await signinCookie(handle);
    const slow = Array.from({ length: SLOW }, () => slowPartial(handle.port, 15_000));
    let next = 0;
    const worker = async () => {
      while (next < TOTAL - SLOW && Date.now() - started < 90_000) {
        next++;
        const { raw, kind } = hostileRequest(rand, authority);
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        const request = rand() < 0.5 ? raw.replace('\r\n', `\r\nCookie: ${cookie}\r\n`) : raw;
        const reply = await send(handle.port, request);
        const status = /^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 'closed';
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(reply).not.toContain('<script>alert(1)</script>');
        expect(status).not.toBe('200');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const slowClosedAfter = await Promise.all(slow);
    const heapAfter = process.memoryUsage().heapUsed;
    const sent = next + SLOW;

    expect(sent).toBe(TOTAL);
    expect(completions).toBe(0);
    // Slow partial requests are cut off by the header timeout, not left hanging.
    expect(Math.max(...slowClosedAfter)).toBeLessThan(8_000);
    expect(heapAfter - heapBefore).toBeLessThan(64 * 1024 * 1024);

    const genuine = await genuineCallback(handle);
    expect(genuine).toMatch(/^HTTP\/1\.1 200/);
    const url = await handle.callback;
    expect(url.searchParams.get('code')).toBe('real-code');
    expect(completions).toBe(1);
    console.warn(
      `loopback fuzz: ${sent} hostile requests in ${Date.now() - started} ms; 0 wrong completions; ` +
        `${ignored} wrong-state callbacks ignored; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `kinds ${JSON.stringify(Object.fromEntries(kinds))}; heap growth ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB; ` +
        `slow requests dropped after ≤ ${Math.max(...slowClosedAfter)} ms`,
    );
  }, 150_000);

  it(`${HELD} sockets held open at once: the oldest are dropped, never the newest, and the genuine callback wins`, async () => {
    const handle = await startLoopback({
      providerId: 'demo',
      timeoutMs: 30_000,
      check: (params) => (params.get('state') === STATE ? { kind: 'accept' } : { kind: 'ignore' }),
    });
    // The engine's part: the accepted callback's tab waits for the outcome (issue 13 item 2).
    handle.callback.then(
      () => handle.complete({ signedInTo: 'Demo provider' }),
      () => undefined,
    );
    const pause = () => new Promise((r) => setTimeout(r, 300));
    const older = await Promise.all(Array.from({ length: 48 }, () => holdOpen(handle.port)));
    await pause();
    const newer = await Promise.all(Array.from({ length: HELD - 48 }, () => holdOpen(handle.port)));
    await pause();
    try {
      // The listener holds at most HELD_CAP sockets (main/auth/loopback.ts); the excess goes
      // from the oldest, so a flood can never keep the real browser's new connection out.
      expect(older.filter((s) => s.dropped()).length).toBeGreaterThanOrEqual(HELD - HELD_CAP);
      expect(newer.filter((s) => s.dropped())).toHaveLength(0);
      const genuine = await genuineCallback(handle);
      expect(genuine).toMatch(/^HTTP\/1\.1 200/);
      expect((await handle.callback).searchParams.get('code')).toBe('real-code');
    } finally {
      for (const s of [...older, ...newer]) s.destroy();
      handle.close();
    }
  });
});
