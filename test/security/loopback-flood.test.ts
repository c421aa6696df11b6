/**
 * Loopback flood: a local process floods a pending sign-in's listener, to stall the main thread
 * (every ignored callback once rewrote and fsynced the whole sign-in log) or to hold sockets open
 * past the header timeout (slowloris). All traffic goes to 127.0.0.1, bounded in count and time.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatehouseCore } from '../../main/app/core';
import { openStores } from '../../main/app/open-stores';
import { startLoopback, type LoopbackHandle } from '../../main/auth/loopback';
import type { LogEntry } from '../../shared/log';
import { MemorySecretStoreForTests } from '../support/memory-store';

/** Every synchronous write and every rename the app's modules make, through the real fs. */
const fsCalls = vi.hoisted(() => ({ sync: [] as string[], renamedTo: [] as string[] }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const spied: Record<string, unknown> = {};
  for (const name of ['writeSync', 'fsyncSync', 'writeFileSync', 'renameSync'] as const) {
    const fn = real[name] as (...args: unknown[]) => unknown;
    spied[name] = (...args: unknown[]) => {
      fsCalls.sync.push(name);
      if (name === 'renameSync') fsCalls.renamedTo.push(String(args[1]));
      return fn(...args);
    };
  }
  return { ...real, ...spied, default: { ...real, ...spied } };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const rename: typeof real.rename = (from, to) => {
    fsCalls.renamedTo.push(String(to));
    return real.rename(from, to);
  };
  return { ...real, rename, default: { ...real, rename } };
});

const FLOOD = 1_500;
const WORKERS = 8;

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** Sends one request on its own connection; resolves with the status (0: dropped). */
function send(port: number, raw: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0));
    };
    const timer = setTimeout(done, 5_000);
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.write(raw);
  });
}

describe('loopback flood', () => {
  it(`${FLOOD} wrong-state callbacks during a sign-in: the log counts them in one event, written in a few batched writes, never synchronously`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-flood-'));
    const stores = await openStores(dir, { service: 'gatehouse-test-flood' });
    const core = new GatehouseCore({
      configDir: dir,
      dataDir: dir,
      env: { GATEHOUSE_CONFIG: path.join(dir, 'none.json') },
      ...stores,
      store: new MemorySecretStoreForTests(),
      openBrowser: async () => undefined,
    });
    cleanup.push(() => core.dispose());
    const started = await core.sessions.signIn('demo');
    const port = Number(new URL(started.url!).port);
    const logFile = path.join(dir, 'sign-in-log.json');

    const delay = monitorEventLoopDelay({ resolution: 1 });
    const syncBefore = fsCalls.sync.length;
    const logWritesBefore = fsCalls.renamedTo.filter((to) => to === logFile).length;
    delay.enable();
    const t0 = Date.now();
    let next = 0;
    const statuses: number[] = [];
    const worker = async () => {
      while (next < FLOOD) {
        next++;
        statuses.push(
          await send(
            port,
            `GET /callback/demo?code=x&state=forged-${next} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
          ),
        );
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    const floodMs = Date.now() - t0;
    delay.disable();
    const syncWrites = fsCalls.sync.slice(syncBefore);
    const logWrites = fsCalls.renamedTo.filter((to) => to === logFile).length - logWritesBefore;

    expect(statuses.filter((s) => s === 400)).toHaveLength(FLOOD);
    // Nothing in the request path writes the disk synchronously, and the writes are batched.
    expect(syncWrites.length, 'synchronous fs writes during the flood').toBe(0);
    expect(logWrites).toBeLessThan(FLOOD / 10);

    // A clean exit loses nothing: the file holds the counter once the app is disposed.
    await core.dispose();
    const entries = (JSON.parse(readFileSync(logFile, 'utf8')) as { entries: LogEntry[] }).entries;
    const entry = entries.find((e) => e.outcome !== 'refresh' && e.providerId === 'demo')!;
    const ignored = entry.events.filter((e) => e.step === 'callback-ignored');
    expect(ignored).toEqual([
      expect.objectContaining({ detail: 'not this attempt', count: FLOOD }),
    ]);
    expect(entry.browserReachedLoopback).toBe(false);
    console.warn(
      `loopback flood: ${FLOOD} ignored callbacks in ${floodMs} ms; ${logWrites} log writes; ` +
        `event-loop delay max ${(delay.max / 1e6).toFixed(1)} ms, mean ${(delay.mean / 1e6).toFixed(2)} ms`,
    );
  }, 120_000);

  it('batching loses nothing on a clean exit: a change saved just before process.exit is on disk', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'gh-flood-exit-')), 'sign-in-log.json');
    const script = `
      import { LogFileWriter } from './main/app/log-file.ts';
      const writer = new LogFileWriter(process.argv[1]);
      writer.save([{ attemptId: 'a1', providerId: 'demo', startedAt: 1, durationMs: null,
        outcome: 'pending', browserReachedLoopback: false, accountId: null, events: [] }]);
      process.exit(0);`;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, file],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    const entries = (JSON.parse(readFileSync(file, 'utf8')) as { entries: LogEntry[] }).entries;
    expect(entries.map((e) => e.attemptId)).toEqual(['a1']);
  });

  it('a slowloris socket trickling a request line is closed within the header timeout (< 8 s)', async () => {
    const handle: LoopbackHandle = await startLoopback({
      providerId: 'demo',
      timeoutMs: 60_000,
      check: () => ({ kind: 'ignore' }),
    });
    cleanup.push(() => handle.close());
    const closedAfter = await new Promise<number>((resolve) => {
      const t0 = Date.now();
      const socket = net.connect({ host: '127.0.0.1', port: handle.port });
      // One byte a second: never idle long enough for the socket timeout, never a full request.
      const trickle = setInterval(() => socket.write('a'), 1_000);
      const giveUp = setTimeout(() => socket.destroy(), 15_000);
      socket.on('connect', () => socket.write('GET /callback/demo?state='));
      socket.on('error', () => undefined);
      socket.resume(); // read the 400 and the FIN, so 'close' marks the server's drop
      socket.on('close', () => {
        clearInterval(trickle);
        clearTimeout(giveUp);
        resolve(Date.now() - t0);
      });
    });
    expect(closedAfter).toBeLessThan(8_000);
  }, 30_000);
});
