/**
 * A cross-process lock per account, so the app and the `gatehouse` command line never refresh
 * the same account at once (a rotating refresh token used twice ends the session). An exclusive
 * lock file holds the owner's pid; a lock whose owner died, or which is older than staleMs, is
 * broken. Waiting is bounded in time.
 */
import { createHash } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { GatehouseError } from '../ports/errors';

export interface LockOptions {
  timeoutMs: number;
  staleMs: number;
  pollMs?: number;
}

export async function withAccountLock<T>(
  dir: string,
  accountId: string,
  fn: () => Promise<T>,
  options: LockOptions,
): Promise<T> {
  const file = path.join(
    dir,
    `${createHash('sha256').update(accountId).digest('hex').slice(0, 32)}.lock`,
  );
  const deadline = Date.now() + options.timeoutMs;
  const poll = options.pollMs ?? 50;
  for (;;) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, at: Date.now() }));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isStale(file, options.staleMs)) {
        await unlink(file).catch(() => undefined);
        continue;
      }
      if (Date.now() >= deadline) {
        throw new GatehouseError(
          'account_busy',
          'Another Gatehouse process is busy with this account. Try again in a moment.',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, poll));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(file).catch(() => undefined);
  }
}

async function isStale(file: string, staleMs: number): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    if (Date.now() - info.mtimeMs > staleMs) return true;
    const { pid } = JSON.parse(text) as { pid?: number };
    if (typeof pid !== 'number') return Date.now() - info.mtimeMs > 1000; // being written, or torn
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    return false;
  }
}
