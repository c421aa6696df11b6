/**
 * A forged callback: a local process sends the listener a callback with a state it guessed
 * (or none). It is ignored, and it must not mark the attempt as "browser reached", or the
 * window would stop hinting at a blocked browser while the real one never arrived.
 */
import net from 'node:net';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../main/app/core';
import { MemoryAccountIndex } from '../../main/auth/account-registry';
import { startLoopback } from '../../main/auth/loopback';
import { MemorySecretStoreForTests } from '../support/memory-store';

const STATE = 'the-genuine-state';
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

function get(port: number, target: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', () => resolve(0));
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
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
    cleanup.push(() => h.close());
    expect(await get(h.port, '/callback/demo?code=c&state=guessed')).toBe(400);
    expect(await get(h.port, '/callback/demo?code=c')).toBe(400);
    expect(await get(h.port, `/callback/demo?code=c&state=${STATE}&state=x`)).toBe(400);
    expect(reached).toBe(0);
    expect(h.browserReached).toBe(false);
    expect(await get(h.port, `/callback/demo?code=c&state=${STATE}`)).toBe(200);
    expect(reached).toBe(1);
    expect(h.browserReached).toBe(true);
  });

  it('leaves a pending sign-in "waiting for the browser", with nothing reached in its log', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-forged-'));
    const core = new GatehouseCore({
      configDir: dir,
      dataDir: dir,
      env: { GATEHOUSE_CONFIG: path.join(dir, 'none.json') },
      store: new MemorySecretStoreForTests(),
      index: new MemoryAccountIndex(),
      openBrowser: async () => undefined,
    });
    cleanup.push(() => core.dispose());
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
