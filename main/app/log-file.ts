/**
 * The sign-in log's file: rewritten whole (temp + fsync + rename) after each change, capped in
 * bytes by dropping the oldest attempts. It holds only the redacted LogEntry fields.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { LogEntry } from '../../shared/log';

const MAX_BYTES = 256 * 1024;

export function readLogFile(file: string): LogEntry[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { entries?: unknown };
    return Array.isArray(parsed.entries) ? (parsed.entries as LogEntry[]) : [];
  } catch {
    return []; // Absent or torn: the log starts again; it is a diagnostic, not a record of truth.
  }
}

export function writeLogFile(file: string, entries: LogEntry[]): void {
  let kept = entries;
  let text = JSON.stringify({ version: 1, entries: kept });
  while (text.length > MAX_BYTES && kept.length > 1) {
    kept = kept.slice(Math.ceil(kept.length / 4));
    text = JSON.stringify({ version: 1, entries: kept });
  }
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch {
    // Logging must never break a sign-in.
  }
}
