/**
 * Keychain calls run in a worker thread (main/secrets/keyring-thread.ts), so creating an entry,
 * a synchronous Secret Service session set-up, never blocks the main thread, which in Electron
 * is the window's. Against the real Secret Service: the native module is never loaded on the
 * main thread, a process ends by itself when its last call is answered (and not before), and a
 * worker that cannot start or dies mid-call leaves its calls answered on this thread.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  KeyringThread,
  keyringModulePath,
  outsideAsar,
} from '../../../main/secrets/keyring-thread';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('keyring-thread.test');
// Open connections are counted as this process's file descriptors, which Linux lists in /proc.
const procFds = existsSync('/proc/self/fd');
if (!procFds)
  console.warn('keyring-thread.test: no /proc/self/fd here; the open-connections case is skipped');
const OPTIONS = { linux: { store: 'secret-service' } };
const service = () => `Gatehouse-thread-${randomBytes(6).toString('hex')}`;
const opened: KeyringThread[] = [];
afterEach(async () => {
  for (const thread of opened.splice(0)) await thread.close();
});

function thread(workerSource?: string) {
  const made = new KeyringThread(OPTIONS, workerSource ? { workerSource } : {});
  opened.push(made);
  return made;
}

async function roundTrip(t: KeyringThread) {
  const svc = service();
  await t.call({ op: 'set', service: svc, account: 'a:1', value: 'secret-value' });
  const back = await t.call({ op: 'get', service: svc, account: 'a:1' });
  const deleted = await t.call({ op: 'delete', service: svc, account: 'a:1' });
  return { back, deleted };
}

describe.skipIf(!keyring)('keychain calls in a worker thread', () => {
  it('the main thread never loads the native keychain module, and the process ends by itself after its last call', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'test/support/keyring/thread-child.ts'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(JSON.parse(out)).toEqual({
      roundTrip: true,
      deleted: true,
      gone: null,
      where: 'worker',
      nativeOnMainThread: [],
    });
  });

  it('runs every call in the worker and keeps its errors: an entry that is not there reads as null', async () => {
    const t = thread();
    expect(await roundTrip(t)).toEqual({ back: 'secret-value', deleted: true });
    expect(await t.call({ op: 'get', service: service(), account: 'none' })).toBeNull();
    expect(t.where).toBe('worker');
  });

  it('a worker that cannot start (a packaging fault): its calls are answered on this thread', async () => {
    const t = thread('throw new Error("the worker cannot load here")');
    expect(await roundTrip(t)).toEqual({ back: 'secret-value', deleted: true });
    expect(t.where).toBe('this thread');
  });

  it('a worker that dies mid-call: the unanswered call is sent again on this thread', async () => {
    const t = thread(
      "require('node:worker_threads').parentPort.on('message', () => process.exit(3));",
    );
    expect(await roundTrip(t)).toEqual({ back: 'secret-value', deleted: true });
    expect(t.where).toBe('this thread');
  });

  it('a call pending when the thread is closed is answered by a new worker', async () => {
    const t = thread();
    const svc = service();
    await t.call({ op: 'set', service: svc, account: 'a:1', value: 'kept' });
    const pending = t.call({ op: 'get', service: svc, account: 'a:1' });
    await t.close();
    expect(await pending).toBe('kept');
    expect(t.where).toBe('worker');
    await t.call({ op: 'delete', service: svc, account: 'a:1' });
  });

  // Each entry holds a D-Bus connection until the worker's garbage collector frees it; dropping
  // the entry on delete opened a new connection per sign-in and sign-out cycle (P8's growth).
  it.skipIf(!procFds)(
    'signing one account in and out 60 times reuses its entry: no D-Bus connection left open per cycle',
    async () => {
      const t = thread();
      const svc = service();
      await t.call({ op: 'set', service: svc, account: 'a:1', value: 'v' });
      await t.call({ op: 'delete', service: svc, account: 'a:1' });
      const before = readdirSync('/proc/self/fd').length;
      for (let i = 0; i < 60; i++) {
        await t.call({ op: 'set', service: svc, account: 'a:1', value: `v${i}` });
        expect(await t.call({ op: 'get', service: svc, account: 'a:1' })).toBe(`v${i}`);
        expect(await t.call({ op: 'delete', service: svc, account: 'a:1' })).toBe(true);
      }
      expect(readdirSync('/proc/self/fd').length - before).toBeLessThan(10);
    },
  );

  it("a module that loads nowhere fails every call with the loader's own words", async () => {
    const t = new KeyringThread(OPTIONS, {
      modulePath: '/nonexistent/keyring/index.js',
      workerSource: 'throw new Error("no worker")',
    });
    opened.push(t);
    await expect(t.call({ op: 'find', service: service() })).rejects.toThrow(
      /Cannot find module '\/nonexistent\/keyring\/index.js'/,
    );
  });
});

describe('the keychain module path', () => {
  it('is the installed module, and inside a packaged app it is the unpacked copy', () => {
    expect(keyringModulePath()).toMatch(/node_modules\/@napi-rs\/keyring\/index\.js$/);
    expect(
      outsideAsar('/opt/Gatehouse/resources/app.asar/node_modules/@napi-rs/keyring/index.js'),
    ).toBe('/opt/Gatehouse/resources/app.asar.unpacked/node_modules/@napi-rs/keyring/index.js');
    expect(outsideAsar('C:\\Gatehouse\\resources\\app.asar\\node_modules\\x.js')).toBe(
      'C:\\Gatehouse\\resources\\app.asar.unpacked\\node_modules\\x.js',
    );
    expect(outsideAsar('/home/me/gatehouse/node_modules/x.js')).toBe(
      '/home/me/gatehouse/node_modules/x.js',
    );
  });
});
