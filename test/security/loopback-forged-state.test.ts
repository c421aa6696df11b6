/**
 * A forged callback: a local process sends the listener a callback with a state it guessed
 * (or none). It is ignored, and it must not mark the attempt as "browser reached", or the
 * window would stop hinting at a blocked browser while the real one never arrived.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLoopback } from '../../main/auth/loopback';
import { cleanupAfterEach } from '../support/cleanup';
import { buildWorld } from '../support/world';

const STATE = 'the-genuine-state';
const track = cleanupAfterEach();

function get(port: number, target: string, cookie?: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', () => resolve(0));
    const cookieLine = cookie ? `Cookie: ${cookie}\r\n` : '';
    socket.write(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${cookieLine}Connection: close\r\n\r\n`,
    );
    setTimeout(() => socket.destroy(), 3000);
  });
}

describe('forged callback with a wrong state', () => {
  it('does not mark the browser as arrived at the listener; the genuine callback then does', async () => {
    let reached = 0;
    const h = await startLoopback({
      providerId: 'demo',
      timeoutMs: 30_000,
      check: (p) => (p.get('state') === STATE ? { kind: 'accept' } : { kind: 'ignore' }),
      onBrowserReached: () => reached++,
    });
    track(() => h.close());
    // The engine's part: the accepted callback's tab waits for the outcome (issue 13 item 2).
    h.callback.then(
      () => h.complete({ signedInTo: 'Demo provider' }),
      () => undefined,
    );
    expect(await get(h.port, '/callback/demo?code=c&state=guessed')).toBe(400);
    expect(await get(h.port, '/callback/demo?code=c')).toBe(400);
    expect(await get(h.port, `/callback/demo?code=c&state=${STATE}&state=x`)).toBe(400);
    expect(reached).toBe(0);
    expect(h.browserReached).toBe(false);
    // The real browser: the one-time /signin link first, whose cookie the callback carries.
    const signin = await fetch(h.startUrl('http://127.0.0.1:9/authorize'), { redirect: 'manual' });
    const cookie = signin.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(await get(h.port, `/callback/demo?code=c&state=${STATE}`, cookie)).toBe(200);
    expect(reached).toBe(1);
    expect(h.browserReached).toBe(true);
  });

  it('leaves a pending sign-in "waiting for the browser", with nothing reached in its log', async () => {
    const { core } = track(await buildWorld({ prefix: 'gh-forged-' }));
    const started = await core.sessions.signIn('demo');
    const port = Number(new URL(started.url!).port);
    expect(await get(port, '/callback/demo?code=c&state=guessed')).toBe(400);
    const [pending] = core.sessions.snapshot().pending;
    expect(pending!.status).toMatchObject({ kind: 'waiting-for-browser', browserReached: false });
    const entry = core.log.list().find((e) => e.outcome === 'pending')!;
    expect(entry.browserReachedLoopback).toBe(false);
    expect(entry.events.map((e) => e.step)).not.toContain('browser-reached-loopback');
  });
});
