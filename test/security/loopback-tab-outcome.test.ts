/**
 * The browser tab must not be told "signed in" before anything was checked (issue 13 item 2):
 * the loopback used to answer the accepted callback at once, so a code exchange that then failed
 * (invalid_client) left a tab claiming success. Now the answer waits for `complete(outcome)`, at
 * most the hold, and every way the attempt can end answers the tab. Real listeners on
 * 127.0.0.1, driven over raw sockets.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../shared/error-messages';
import { GatehouseError } from '../../main/ports/errors';
import { startLoopback, type LoopbackHandle } from '../../main/auth/loopback';
import { REPLY_HOLD_MS } from '../../main/auth/loopback-reply';

const STATE = 'the-genuine-state';
let open: LoopbackHandle[] = [];
const sockets: net.Socket[] = [];
afterEach(() => {
  for (const h of open) h.close();
  open = [];
  for (const s of sockets.splice(0)) s.destroy();
});

async function listener(options: Partial<Parameters<typeof startLoopback>[0]> = {}) {
  const handle = await startLoopback({
    providerId: 'demo',
    timeoutMs: 30_000,
    check: (p) => (p.get('state') === STATE ? { kind: 'accept' } : { kind: 'ignore' }),
    ...options,
  });
  open.push(handle);
  return handle;
}

interface Sent {
  /** Everything received so far. */
  readonly text: () => string;
  /** The whole reply, once the listener closed the socket. */
  readonly reply: Promise<{ status: number; text: string; body: string }>;
}

/** A raw request on its own socket; the socket is left to the listener to end. */
function send(port: number, request: string): Sent {
  const socket = net.connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  let text = '';
  socket.on('data', (d) => (text += d.toString('utf8')));
  const reply = new Promise<{ status: number; text: string; body: string }>((resolve) => {
    const done = () =>
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
        text,
        body: text.slice(text.indexOf('\r\n\r\n') + 4),
      });
    socket.on('close', done);
    socket.on('error', done);
  });
  socket.write(request);
  return { text: () => text, reply };
}

const get = (h: LoopbackHandle, target: string, cookie = '') =>
  send(
    h.port,
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}Connection: close\r\n\r\n`,
  );

/** The browser's /signin step; returns the cookie the callback must bring back. */
async function signinCookie(h: LoopbackHandle): Promise<{ cookie: string; link: string }> {
  const start = new URL(h.startUrl('http://127.0.0.1:9/authorize'));
  const link = `${start.pathname}${start.search}`;
  const reply = await get(h, link).reply;
  expect(reply.status).toBe(302);
  return { cookie: /^Set-Cookie: (gh_[\w-]+=[\w-]+);/im.exec(reply.text)![1]!, link };
}

/** The genuine callback from the browser that used the link, accepted by the listener. */
async function acceptedCallback(h: LoopbackHandle, query = `code=c&state=${STATE}`) {
  const { cookie } = await signinCookie(h);
  const sent = get(h, `/callback/demo?${query}`, cookie);
  await h.callback;
  return sent;
}

/** A few turns of the event loop, on both sides of the socket. */
const turns = () => new Promise((r) => setTimeout(r, 50));

function expectSecurityHeaders(text: string) {
  expect(text).toMatch(/Cache-Control: no-store/i);
  expect(text).toMatch(/Referrer-Policy: no-referrer/i);
  expect(text).toMatch(/Content-Security-Policy: default-src 'none'/i);
  expect(text).toMatch(/X-Content-Type-Options: nosniff/i);
  expect(text).toMatch(/X-Frame-Options: DENY/i);
}

describe('the browser tab is told the true outcome', () => {
  it('a tab told "signed in" before the exchange: the answer waits for the outcome, then tells the failure', async () => {
    const h = await listener();
    const tab = await acceptedCallback(h);
    await turns();
    // Before the engine knows the outcome, the tab has nothing: no claim of success.
    expect(tab.text()).toBe('');
    h.complete({ failure: 'invalid_client' });
    const reply = await tab.reply;
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('Sign-in did not complete');
    expect(reply.body).toContain(ERROR_MESSAGES.invalid_client.sentence);
    expect(reply.body).not.toMatch(/signed in/i);
    expectSecurityHeaders(reply.text);
  });

  it('success names the provider by its display name, HTML-escaped', async () => {
    const h = await listener();
    const tab = await acceptedCallback(h);
    h.complete({ signedInTo: 'Acme <b>"SSO"</b> & Co' });
    const reply = await tab.reply;
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(
      'Signed in to Acme &lt;b&gt;"SSO"&lt;/b&gt; &amp; Co. You can close this tab.',
    );
    expect(reply.body).not.toContain('<b>');
    expectSecurityHeaders(reply.text);
  });

  it('redirect_uri_rejected shows its catalogue sentence, never a value from the request', async () => {
    const h = await listener();
    const tab = await acceptedCallback(
      h,
      `error=access_denied&state=${STATE}&error_description=%3Cscript%3Emarker-123%3C%2Fscript%3E`,
    );
    h.complete({ failure: 'redirect_uri_rejected' });
    const reply = await tab.reply;
    expect(reply.body).toContain(ERROR_MESSAGES.redirect_uri_rejected.sentence);
    expect(reply.text).not.toContain('marker-123');
    expect(reply.text).not.toContain('<script');
  });

  it('only the first outcome counts', async () => {
    const h = await listener();
    const tab = await acceptedCallback(h);
    h.complete({ failure: 'id_token_invalid' });
    h.complete({ signedInTo: 'Demo provider' });
    const reply = await tab.reply;
    expect(reply.body).toContain(ERROR_MESSAGES.id_token_invalid.sentence);
    expect(reply.body).not.toContain('Signed in to');
  });

  it('an outcome slower than the hold gets an honest "still finishing" page, never success', async () => {
    const h = await listener({ replyHoldMs: 200 });
    const tab = await acceptedCallback(h);
    const reply = await tab.reply;
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('Gatehouse is still finishing the sign-in');
    expect(reply.body).toContain('Return to Gatehouse');
    expect(reply.body).not.toContain('Signed in to');
    h.complete({ signedInTo: 'Demo provider' }); // too late: nothing left to answer
    await turns();
    expect((await get(h, `/callback/demo?code=c2&state=${STATE}`).reply).status).toBe(0);
  });

  it('the default hold is 15 s', () => {
    expect(REPLY_HOLD_MS).toBe(15_000);
  });

  it.each([
    ['close() (the app quits)', undefined, 'cancelled'],
    ['cancel', new GatehouseError('cancelled', 'The sign-in was cancelled.'), 'cancelled'],
    ['a newer sign-in', new GatehouseError('superseded', 'Replaced.'), 'superseded'],
  ] as const)(
    '%s while the tab waits answers it with that sentence',
    async (_name, reason, code) => {
      const h = await listener();
      const tab = await acceptedCallback(h);
      h.close(reason);
      const reply = await tab.reply;
      expect(reply.status).toBe(200);
      expect(reply.body).toContain(ERROR_MESSAGES[code].sentence);
      expect(reply.body).not.toContain('Signed in to');
    },
  );

  it('the attempt deadline passing while the tab waits does not end the wait', async () => {
    const h = await listener({ timeoutMs: 2_000 });
    const tab = await acceptedCallback(h);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(tab.text()).toBe('');
    h.complete({ signedInTo: 'Demo provider' });
    expect((await tab.reply).body).toContain('Signed in to Demo provider. You can close this tab.');
  });

  it("the socket's idle timeout (5 s) no longer cuts the held answer", async () => {
    const h = await listener();
    const tab = await acceptedCallback(h);
    await new Promise((r) => setTimeout(r, 6_000));
    h.complete({ signedInTo: 'Demo provider' });
    const reply = await tab.reply;
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('Signed in to Demo provider. You can close this tab.');
  }, 20_000);

  it('a flood of connections while the tab waits does not evict it', async () => {
    const h = await listener();
    const tab = await acceptedCallback(h);
    // More than the listener's 64 connections: the oldest make room, but never the held one.
    const flood: net.Socket[] = [];
    for (let i = 0; i < 80; i++) {
      const s = net.connect({ host: '127.0.0.1', port: h.port });
      s.on('error', () => undefined);
      flood.push(s);
      sockets.push(s);
    }
    await Promise.all(
      flood.map((s) => new Promise((r) => (s.readyState === 'open' ? r(0) : s.once('connect', r)))),
    );
    await turns();
    h.complete({ signedInTo: 'Demo provider' });
    expect((await tab.reply).body).toContain('Signed in to Demo provider.');
  });

  it('with a link seen on a command line, a second use of it during the wait does not cut the tab off', async () => {
    const h = await listener();
    h.linkExposed();
    const { cookie, link } = await signinCookie(h);
    const tab = get(h, `/callback/demo?code=c&state=${STATE}`, cookie);
    await h.callback;
    // Someone else's browser (no cookie) uses the link: answered 403, the listener stops.
    expect((await get(h, link).reply).status).toBe(403);
    await turns();
    expect(tab.text()).toBe('');
    h.complete({ signedInTo: 'Demo provider' });
    expect((await tab.reply).body).toContain('Signed in to Demo provider.');
  });

  it('complete() before any callback does nothing, and the real callback still waits for its own', async () => {
    const h = await listener();
    h.complete({ signedInTo: 'Demo provider' });
    const tab = await acceptedCallback(h);
    await turns();
    expect(tab.text()).toBe('');
    h.complete({ failure: 'access_denied' });
    expect((await tab.reply).body).toContain(ERROR_MESSAGES.access_denied.sentence);
  });
});
