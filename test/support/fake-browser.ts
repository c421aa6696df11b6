/**
 * Stand-in browsers for $BROWSER tests: small executable node scripts that append their argv
 * and pid to a shared records file, then exit with a given status or sleep first (a browser
 * that blocks until closed). The test drives the link it finds in the records.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface BrowserRecord {
  name: string;
  argv: string[];
  pid: number;
  /** The sign-in link inside the file:// start page it was given, read at once as a browser
   * reads it (main/auth/start-page.ts); null without a page. */
  link: string | null;
}

export interface FakeBrowserOptions {
  /** Exit status (0: opened). */
  exitCode?: number;
  /** Sleep this long before exiting, like a browser that blocks until its window closes. */
  sleepMs?: number;
}

/** Writes `<dir>/<name>`, an executable that records every call to `records`. */
export function fakeBrowser(
  dir: string,
  name: string,
  records: string,
  options: FakeBrowserOptions = {},
): string {
  const file = path.join(dir, name);
  const script = [
    `#!${process.execPath}`,
    `const fs = require('node:fs');`,
    `const arg = process.argv.slice(2).find((a) => a.includes('file://'));`,
    `const page = arg ? fs.readFileSync(new URL(arg.slice(arg.indexOf('file://'))), 'utf8') : '';`,
    `const link = (/content="0;url=([^"]+)"/.exec(page) || [])[1] || null;`,
    `const record = { name: ${JSON.stringify(name)}, argv: process.argv.slice(2), pid: process.pid, link };`,
    `fs.appendFileSync(${JSON.stringify(records)}, JSON.stringify(record) + '\\n');`,
    `setTimeout(() => process.exit(${options.exitCode ?? 0}), ${options.sleepMs ?? 0});`,
    '',
  ].join('\n');
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return file;
}

/** Every call recorded so far, in order. */
export function browserRecords(records: string): BrowserRecord[] {
  if (!existsSync(records)) return [];
  return readFileSync(records, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BrowserRecord);
}

/** True while a recorded browser process is still running. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
