/**
 * Who hears about session changes: listeners that get each change's snapshot (tests, the
 * preview server), and signals that are only told something changed and read the snapshot when
 * they need it (the window's throttled feed, main/ipc/snapshot-throttle.ts). A snapshot of every
 * account is built once per change, and only when a snapshot listener is attached.
 */
export class SessionEvents<T> {
  readonly #listeners = new Set<(snapshot: T) => void>();
  readonly #signals = new Set<() => void>();

  onChange(listener: (snapshot: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onChanged(signal: () => void): () => void {
    this.#signals.add(signal);
    return () => this.#signals.delete(signal);
  }

  emit(snapshot: () => T): void {
    for (const signal of this.#signals) guarded(signal);
    if (this.#listeners.size === 0) return;
    const built = snapshot();
    for (const listener of this.#listeners) guarded(() => listener(built));
  }

  clear(): void {
    this.#listeners.clear();
    this.#signals.clear();
  }
}

/** A failing listener (a closed window) must not break the engine. */
function guarded(call: () => void) {
  try {
    call();
  } catch {
    // Dropped: the engine goes on; the listener's owner sees its own failure.
  }
}
