/**
 * When refreshes run (main/auth/session/refresh-scheduler.ts): ahead of expiry with bounded
 * jitter, exponential backoff after failures, one at a time per account, a bound on how many run
 * together, and nothing after dispose. Timers are Vitest's fake clock; the jobs are real.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  RefreshScheduler,
  type RefreshSchedulerOptions,
} from '../../../main/auth/session/refresh-scheduler';

const MIN = 60_000;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function scheduler(options: Partial<RefreshSchedulerOptions> = {}) {
  const due: Array<[string, number]> = [];
  const s = new RefreshScheduler({
    now: () => Date.now(),
    random: () => 0,
    leadMs: 5 * MIN,
    concurrency: 4,
    lock: (_id, fn) => fn(),
    onDue: (id) => due.push([id, Date.now()]),
    ...options,
  });
  return { s, due };
}

describe('refresh scheduler: timing', () => {
  it('refreshes leadMs before expiry', () => {
    const { s, due } = scheduler();
    s.schedule('a', { expiresAt: 60 * MIN, savedAt: 0, refreshable: true });
    vi.advanceTimersByTime(55 * MIN - 1);
    expect(due).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(due).toEqual([['a', 55 * MIN]]);
  });

  it('adds at most 30 s of jitter, earlier rather than later', () => {
    const { s, due } = scheduler({ random: () => 1 });
    s.schedule('a', { expiresAt: 60 * MIN, savedAt: 0, refreshable: true });
    vi.advanceTimersByTime(60 * MIN);
    expect(due).toEqual([['a', 55 * MIN - 30_000]]);
  });

  it('a short-lived token refreshes after three quarters of its lifetime', () => {
    const { s, due } = scheduler();
    s.schedule('a', { expiresAt: 4 * MIN, savedAt: 0, refreshable: true });
    vi.advanceTimersByTime(4 * MIN);
    expect(due).toEqual([['a', 3 * MIN]]);
  });

  it('an already expired token refreshes at once', () => {
    vi.setSystemTime(10 * MIN);
    const { s, due } = scheduler();
    s.schedule('a', { expiresAt: MIN, savedAt: 0, refreshable: true });
    vi.advanceTimersByTime(0);
    expect(due).toEqual([['a', 10 * MIN]]);
  });

  it('never arms for a token without expiry or without a way to refresh, and drops an old timer', () => {
    const { s, due } = scheduler();
    s.schedule('a', { expiresAt: 60 * MIN, savedAt: 0, refreshable: true });
    s.schedule('a', { expiresAt: 60 * MIN, savedAt: 0, refreshable: false });
    s.schedule('b', { expiresAt: null, savedAt: 0, refreshable: true });
    vi.advanceTimersByTime(24 * 60 * MIN);
    expect(due).toEqual([]);
  });

  it('backs off exponentially after failures, up to five minutes, until a success resets it', () => {
    const { s, due } = scheduler();
    const gaps: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = Date.now();
      s.retryLater('a');
      vi.advanceTimersByTime(10 * MIN);
      gaps.push(due.at(-1)![1] - before);
    }
    expect(gaps).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    s.schedule('a', { expiresAt: Date.now() + 60 * MIN, savedAt: Date.now(), refreshable: true });
    const before = Date.now();
    s.retryLater('a');
    vi.advanceTimersByTime(10 * MIN);
    expect(due.at(-1)![1] - before).toBe(5_000);
  });

  it('cancel stops the account timer; dispose stops all and arms nothing more', async () => {
    const { s, due } = scheduler();
    s.schedule('a', { expiresAt: 60 * MIN, savedAt: 0, refreshable: true });
    s.schedule('b', { expiresAt: 60 * MIN, savedAt: 0, refreshable: true });
    s.cancel('a');
    await s.dispose();
    s.retryLater('b');
    vi.advanceTimersByTime(24 * 60 * MIN);
    expect(due).toEqual([]);
  });
});

describe('refresh scheduler: running', () => {
  it('joins a refresh already running for the account instead of starting another', async () => {
    const { s } = scheduler();
    let calls = 0;
    let finish!: () => void;
    const job = () => {
      calls++;
      return new Promise<void>((resolve) => (finish = resolve));
    };
    const first = s.run('a', job);
    const second = s.run('a', job);
    expect(second).toBe(first);
    await vi.advanceTimersByTimeAsync(0);
    finish();
    await first;
    expect(calls).toBe(1);
    await s.run('a', async () => void calls++);
    expect(calls).toBe(2);
  });

  it('runs each job under the account lock, and at most `concurrency` at once', async () => {
    const locked: string[] = [];
    const { s } = scheduler({
      concurrency: 2,
      lock: (id, fn) => {
        locked.push(id);
        return fn();
      },
    });
    let active = 0;
    let peak = 0;
    const job = async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 100));
      active--;
    };
    const all = Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => s.run(id, job)));
    await vi.advanceTimersByTimeAsync(1_000);
    await all;
    expect(peak).toBe(2);
    expect(locked.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a failed job rejects its callers and frees its place', async () => {
    const { s } = scheduler({ concurrency: 1 });
    const boom = new Error('refresh failed');
    await expect(s.run('a', () => Promise.reject(boom))).rejects.toBe(boom);
    await expect(s.run('a', async () => undefined)).resolves.toBeUndefined();
  });

  it('dispose waits for the refreshes in flight', async () => {
    const { s } = scheduler();
    let done = false;
    void s.run('a', async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      done = true;
    });
    const disposed = s.dispose();
    await vi.advanceTimersByTimeAsync(500);
    await disposed;
    expect(done).toBe(true);
  });
});
