/**
 * The window's feed of session snapshots, at most one per interval. The engine emits one per
 * status change: 100 accounts refreshing together make about 200, each of 100 accounts, and each
 * one the main thread serializes for IPC (about 0.3 ms apiece). A window cannot show more than a
 * frame's worth anyway. The first change goes at once; changes within the interval after it are
 * merged into one send of the latest snapshot at its end, so the window is never more than one
 * interval behind and always ends on the last state.
 */
export interface SnapshotThrottle<T> {
  push(snapshot: T): void;
  /** Sends a held snapshot now (before the window closes, say). */
  flush(): void;
}

export function throttleSnapshots<T>(
  send: (snapshot: T) => void,
  intervalMs = 16,
): SnapshotThrottle<T> {
  let held: { snapshot: T } | null = null;
  let timer: NodeJS.Timeout | null = null;
  const open = () => {
    timer = setTimeout(() => {
      timer = null;
      if (!held) return;
      const { snapshot } = held;
      held = null;
      send(snapshot);
      open();
    }, intervalMs);
    // A pending send must not keep a quitting app alive.
    timer.unref();
  };
  return {
    push(snapshot) {
      if (timer) {
        held = { snapshot };
        return;
      }
      send(snapshot);
      open();
    },
    flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      const last = held;
      held = null;
      if (last) send(last.snapshot);
    },
  };
}

/** What feedSessions needs of the session manager. */
export interface SnapshotSource<T> {
  onChanged(listener: () => void): () => void;
  snapshot(): T;
}

/**
 * The window's feed as main/index.ts attaches it: each change is only a signal, and a snapshot
 * is built when one is sent (the latest state then), so a burst of changes merged into one send
 * builds one snapshot, not one per change.
 */
export function feedSessions<T>(
  source: SnapshotSource<T>,
  send: (snapshot: T) => void,
  intervalMs = 16,
): SnapshotThrottle<() => T> & { stop: () => void } {
  const feed = throttleSnapshots((read: () => T) => send(read()), intervalMs);
  const read = () => source.snapshot();
  const stop = source.onChanged(() => feed.push(read));
  return { ...feed, stop };
}
