/**
 * The window's snapshot feed (main/ipc/snapshot-throttle.ts): the first change at once, a burst
 * merged into one send of its latest snapshot, and never a last state left unsent; fed from
 * change signals, a snapshot is built only for a send.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { feedSessions, throttleSnapshots } from '../../../main/ipc/snapshot-throttle';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the window snapshot throttle', () => {
  it('sends the first snapshot at once, and a burst of 200 as one send of the latest', () => {
    const sent: number[] = [];
    const feed = throttleSnapshots<number>((s) => sent.push(s), 16);
    for (let i = 1; i <= 200; i++) feed.push(i);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(16);
    expect(sent).toEqual([1, 200]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([1, 200]);
  });

  it('a change spread over time is sent at most once per interval, ending on the last', () => {
    const sent: number[] = [];
    const feed = throttleSnapshots<number>((s) => sent.push(s), 16);
    for (let i = 1; i <= 100; i++) {
      feed.push(i);
      vi.advanceTimersByTime(4);
    }
    vi.advanceTimersByTime(32);
    expect(sent.at(-1)).toBe(100);
    expect(sent.length).toBeLessThanOrEqual(1 + Math.ceil(400 / 16));
    expect(sent.length).toBeGreaterThan(10);
  });

  it('after a quiet interval the next change goes at once again', () => {
    const sent: string[] = [];
    const feed = throttleSnapshots<string>((s) => sent.push(s), 16);
    feed.push('a');
    vi.advanceTimersByTime(40);
    feed.push('b');
    expect(sent).toEqual(['a', 'b']);
  });

  it('flush sends a held snapshot now, and nothing twice', () => {
    const sent: string[] = [];
    const feed = throttleSnapshots<string>((s) => sent.push(s), 16);
    feed.push('a');
    feed.push('b');
    feed.flush();
    expect(sent).toEqual(['a', 'b']);
    vi.advanceTimersByTime(50);
    feed.flush();
    expect(sent).toEqual(['a', 'b']);
  });

  it('fed from change signals, 200 changes build two snapshots, the last one the final state', () => {
    let state = 0;
    let built = 0;
    const listeners = new Set<() => void>();
    const source = {
      onChanged: (listener: () => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      snapshot: () => {
        built++;
        return state;
      },
    };
    const sent: number[] = [];
    const feed = feedSessions(source, (s) => sent.push(s), 16);
    for (let i = 1; i <= 200; i++) {
      state = i;
      for (const listener of listeners) listener();
    }
    vi.advanceTimersByTime(16);
    expect(sent).toEqual([1, 200]);
    expect(built).toBe(2);
    feed.stop();
    expect(listeners.size).toBe(0);
  });
});
