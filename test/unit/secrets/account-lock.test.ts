/**
 * The cross-process account lock (main/secrets/account-lock.ts) on a real temp folder: two
 * holders never overlap, a lock left by a dead or long-gone owner is taken over, waiting ends in
 * account_busy, and the lock is released when the work throws.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withAccountLock, type LockOptions } from '../../../main/secrets/account-lock';
import { GatehouseError } from '../../../main/ports/errors';

const OPTIONS: LockOptions = { timeoutMs: 5_000, staleMs: 60_000, pollMs: 10 };
const fresh = () => mkdtempSync(path.join(tmpdir(), 'gh-lock-'));

/** A promise with its resolver outside, to hold a lock until the test lets go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** The lock file's name for an account, as the lock itself writes it (seen while held). */
async function lockFileOf(dir: string, accountId: string): Promise<string> {
  let name = '';
  await withAccountLock(
    dir,
    accountId,
    async () => {
      name = readdirSync(dir)[0] ?? '';
    },
    OPTIONS,
  );
  expect(name).toMatch(/\.lock$/);
  return path.join(dir, name);
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('account lock', () => {
  it('excludes a second holder until the first releases', async () => {
    const dir = fresh();
    const events: string[] = [];
    const first = gate();
    const entered = gate();
    const a = withAccountLock(
      dir,
      'demo:alice',
      async () => {
        events.push('a in');
        entered.open();
        await first.opened;
        events.push('a out');
      },
      OPTIONS,
    );
    await entered.opened;
    const b = withAccountLock(dir, 'demo:alice', async () => void events.push('b in'), OPTIONS);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toEqual(['a in']);
    first.open();
    await Promise.all([a, b]);
    expect(events).toEqual(['a in', 'a out', 'b in']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not hold other accounts back', async () => {
    const dir = fresh();
    const first = gate();
    const entered = gate();
    const a = withAccountLock(
      dir,
      'demo:alice',
      async () => {
        entered.open();
        await first.opened;
      },
      OPTIONS,
    );
    await entered.opened;
    await expect(withAccountLock(dir, 'demo:bob', async () => 'bob', OPTIONS)).resolves.toBe('bob');
    first.open();
    await a;
  });

  it('takes over a lock whose owner died', async () => {
    const dir = fresh();
    const file = await lockFileOf(dir, 'demo:alice');
    writeFileSync(file, JSON.stringify({ pid: deadPid(), at: Date.now() }));
    const started = Date.now();
    await expect(withAccountLock(dir, 'demo:alice', async () => 'ran', OPTIONS)).resolves.toBe(
      'ran',
    );
    expect(Date.now() - started).toBeLessThan(OPTIONS.timeoutMs);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock older than staleMs, even when its owner is alive', async () => {
    const dir = fresh();
    const file = await lockFileOf(dir, 'demo:alice');
    writeFileSync(file, JSON.stringify({ pid: process.pid, at: Date.now() }));
    const long = new Date(Date.now() - 10 * 60_000);
    utimesSync(file, long, long);
    await expect(withAccountLock(dir, 'demo:alice', async () => 'ran', OPTIONS)).resolves.toBe(
      'ran',
    );
  });

  it('gives up after timeoutMs with account_busy, without running the work', async () => {
    const dir = fresh();
    const first = gate();
    const entered = gate();
    const a = withAccountLock(
      dir,
      'demo:alice',
      async () => {
        entered.open();
        await first.opened;
      },
      OPTIONS,
    );
    await entered.opened;
    let ran = false;
    const started = Date.now();
    const waiting = withAccountLock(
      dir,
      'demo:alice',
      async () => {
        ran = true;
      },
      { ...OPTIONS, timeoutMs: 150 },
    );
    await expect(waiting).rejects.toBeInstanceOf(GatehouseError);
    await expect(waiting).rejects.toMatchObject({ code: 'account_busy' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(ran).toBe(false);
    first.open();
    await a;
  });

  it('releases the lock when the work throws, and passes the error on unchanged', async () => {
    const dir = fresh();
    const boom = new Error('refresh failed');
    await expect(
      withAccountLock(
        dir,
        'demo:alice',
        async () => {
          throw boom;
        },
        OPTIONS,
      ),
    ).rejects.toBe(boom);
    expect(readdirSync(dir)).toEqual([]);
    await expect(
      withAccountLock(dir, 'demo:alice', async () => 'next', { ...OPTIONS, timeoutMs: 100 }),
    ).resolves.toBe('next');
  });
});
