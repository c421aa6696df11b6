/**
 * The command line's browser opener: $BROWSER if set, read as xdg-open reads it
 * (main/cli/browser-command.ts), otherwise the OS default. The URL passed is a file:// start
 * page (main/auth/start-page.ts), so no sign-in link appears in a process list.
 */
import { spawn } from 'node:child_process';
import { GatehouseError } from '../ports/errors';
import type { BrowserOpener } from '../auth/session/attempt-runner';
import type { CliIo } from './io';
import { browserEntries, splitWords, withUrl } from './browser-command';

/** Python's webbrowser rule: some browsers block until closed, so one still running has opened. */
const STILL_RUNNING_MS = 2_000;

export interface OpenBrowserOptions {
  env?: Record<string, string | undefined>;
  /** Issues a fresh start page (the last one stops working): each $BROWSER entry gets one. */
  freshUrl?: () => string;
}

/** The CLI's opener: says why no browser opened (never with the link), then lets the caller go on. */
export function cliBrowserOpener(io: CliIo): BrowserOpener {
  return async (url, freshUrl) => {
    try {
      await openWithSystemBrowser(url, { env: io.env, ...(freshUrl ? { freshUrl } : {}) });
    } catch (error) {
      const why = error instanceof GatehouseError ? error.message : 'No browser could be opened.';
      io.err(`gatehouse: ${why}`);
      throw error;
    }
  };
}

/** Resolves once a browser opened; rejects with `browser_open_failed` when none did. */
export async function openWithSystemBrowser(
  url: string,
  options: OpenBrowserOptions = {},
): Promise<void> {
  const entries = browserEntries((options.env ?? process.env).BROWSER);
  if (entries.length === 0) return openWithPlatform(url);
  const failures: string[] = [];
  let link: string | null = null;
  for (const entry of entries) {
    let words: string[];
    try {
      words = splitWords(entry, { backslashEscapes: process.platform !== 'win32' });
      if (words.length === 0) throw new SyntaxError('the command is empty');
    } catch (error) {
      failures.push(`"${entry.trim()}": ${(error as Error).message}`);
      continue;
    }
    // The first command tried gets the link the attempt made; every later one a fresh link.
    link = link === null ? url : (options.freshUrl?.() ?? url);
    const [program, ...args] = withUrl(words, link);
    const outcome = await runBrowser(program!, args);
    if (outcome === 'opened') return;
    failures.push(`"${program}" ${outcome}`);
  }
  throw new GatehouseError(
    'browser_open_failed',
    `No browser in $BROWSER could be opened: ${failures.join('; ')}.`,
  );
}

/** "opened" when the command exits 0 or is still running after 2 s; otherwise why not. */
function runBrowser(program: string, args: string[]): Promise<'opened' | string> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const child = spawn(program, args, { stdio: 'ignore', detached: true, shell: false });
    const timer = setTimeout(() => {
      child.unref(); // a browser that blocks until closed must not keep the command line alive
      settle('opened');
    }, STILL_RUNNING_MS);
    child.once('error', (error: NodeJS.ErrnoException) =>
      settle(error.code === 'ENOENT' ? 'was not found' : `could not start (${error.code})`),
    );
    child.once('exit', (code, signal) =>
      settle(code === 0 ? 'opened' : signal ? `ended by ${signal}` : `exited with status ${code}`),
    );
  });
}

/** The OS default, as before: asked, and counted as opened once the opener has started. */
function openWithPlatform(url: string): Promise<void> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new GatehouseError(
          'browser_open_failed',
          `${command} could not be started (${error.code}).`,
          {
            cause: error,
          },
        ),
      ),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
