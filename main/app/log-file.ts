/**
 * The sign-in log's file, capped in bytes by dropping the oldest attempts, holding only the
 * redacted LogEntry fields. Writes are batched and off the event loop (a flood of callbacks must
 * not stall the app): one write at a time, at most every WRITE_DELAY_MS, the latest state wins.
 */
import { readFileSync } from 'node:fs';
import type { LogEntry } from '../../shared/log';
import {
  markSaved,
  markUnsaved,
  writeFileAtomic,
  writeFileAtomicSync,
  type ExitWriter,
} from '../secrets/atomic-file';
import { validLogEntries } from './log-entry-schema';

const MAX_BYTES = 256 * 1024;
const WRITE_DELAY_MS = 250;

/** The file's well-formed entries only: log:list shows the window nothing else (a tampered file). */
export function readLogFile(file: string): LogEntry[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { entries?: unknown };
    return Array.isArray(parsed.entries) ? validLogEntries(parsed.entries) : [];
  } catch {
    return []; // Absent or torn: the log starts again; it is a diagnostic, not a record of truth.
  }
}

/** The file's text: the newest attempts that fit in MAX_BYTES. */
function renderLogFile(entries: readonly LogEntry[]): string {
  let kept = entries;
  let text = JSON.stringify({ version: 1, entries: kept });
  while (text.length > MAX_BYTES && kept.length > 1) {
    kept = kept.slice(Math.ceil(kept.length / 4));
    text = JSON.stringify({ version: 1, entries: kept });
  }
  return text;
}

export class LogFileWriter implements ExitWriter {
  readonly #file: string;
  /** The log to write next; the array is read when the write starts, so the latest wins. */
  #dirty: readonly LogEntry[] | null = null;
  /** What the write in flight holds, in case the process exits before it lands. */
  #inFlight: readonly LogEntry[] | null = null;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> | null = null;

  constructor(file: string) {
    this.#file = file;
  }

  /** Schedules a write of `entries`; returns at once. */
  save(entries: readonly LogEntry[]): void {
    this.#dirty = entries;
    markUnsaved(this);
    this.#arm();
  }

  /** Resolves once every change saved so far is on disk. */
  async flush(): Promise<void> {
    while (this.#writing || this.#dirty) {
      this.#disarm();
      await (this.#writing ?? this.#write());
    }
  }

  /** Process exit: no event loop is left, so what is unsaved is written synchronously. */
  writeUnsavedSync(): void {
    const entries = this.#dirty ?? this.#inFlight;
    this.#disarm();
    this.#dirty = null;
    if (entries) writeFileAtomicSync(this.#file, renderLogFile(entries));
  }

  #arm() {
    if (this.#timer || this.#writing) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#write();
    }, WRITE_DELAY_MS);
  }

  #disarm() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #write(): Promise<void> {
    const entries = this.#dirty;
    if (!entries) return Promise.resolve();
    this.#dirty = null;
    this.#inFlight = entries;
    const done = writeFileAtomic(this.#file, renderLogFile(entries))
      .catch(() => undefined) // Logging must never break a sign-in.
      .finally(() => {
        this.#writing = null;
        this.#inFlight = null;
        if (this.#dirty) this.#arm();
        else markSaved(this);
      });
    this.#writing = done;
    return done;
  }
}
