/**
 * Login CSRF through the process list: another local user reads the opener's command line
 * (/proc/<pid>/cmdline is world-readable), takes the sign-in link or the authorization URL on it,
 * signs in at the provider as themselves and delivers the callback, so the victim's app ends up
 * signed in to the attacker's account. PKCE does not help: the code was issued against the app's
 * own challenge. Everything here talks to 127.0.0.1 only, and every loop is bounded.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../main/app/core';
import { MemoryAccountIndex } from '../../main/auth/account-registry';
import type { BrowserOpener } from '../../main/auth/session/attempt-runner';
import { openWithSystemBrowser } from '../../main/cli/open-browser';
import { HttpBrowser, startPageLink } from '../support/http-browser';
import { MemorySecretStoreForTests } from '../support/memory-store';

const HTTP_BROWSER = fileURLToPath(new URL('../support/http-browser.ts', import.meta.url));
const LINK = /^http:\/\/127\.0\.0\.1:\d+\/signin\?n=[\w-]+$/;

let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => T | null | undefined, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function world(openBrowser: BrowserOpener) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-csrf-'));
  const core = new GatehouseCore({
    configDir: dir,
    dataDir: dir,
    env: { GATEHOUSE_CONFIG: path.join(dir, 'none.json') },
    store: new MemorySecretStoreForTests(),
    index: new MemoryAccountIndex(),
    openBrowser,
  });
  cleanup.push(() => core.dispose());
  return core;
}

/** Opens `url` as a person would; a closed listener is a page that never loaded. */
const visit = (url: string, user?: string, browser = new HttpBrowser()) =>
  browser
    .open(url, user ? { user } : undefined)
    .catch((error: Error) => ({ status: 0, url, body: `no page: ${error.message}`, hops: [] }));

const accountIds = (core: GatehouseCore) =>
  core.sessions.snapshot().accounts.map((a) => a.accountId);

/** Sets the folders the start page may use for this test only (a planted link, say). */
function withEnv(values: Record<string, string>) {
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  cleanup.push(() => {
    for (const [k, v] of Object.entries(before))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });
}

/** Both start-page folders are planted symlinks: no page can be used, the link itself is opened. */
function noStartPage() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-csrf-planted-'));
  const elsewhere = path.join(dir, 'elsewhere');
  mkdirSync(elsewhere);
  for (const base of ['runtime', 'cache']) {
    mkdirSync(path.join(dir, base), { mode: 0o700 });
    symlinkSync(elsewhere, path.join(dir, base, 'gatehouse'));
  }
  withEnv({ XDG_RUNTIME_DIR: path.join(dir, 'runtime'), XDG_CACHE_HOME: path.join(dir, 'cache') });
  return elsewhere;
}

/**
 * The attacker: a separate process that reads every /proc/<pid>/cmdline every 10 ms for `ms`
 * and, for any sign-in link or authorization URL it finds, signs in at the provider as
 * "mallory" and delivers the callback with its own browser (its own cookie jar). It keeps to
 * this test's own processes (descendants of ATTACK_ROOT), so tests running beside it are safe.
 */
const ATTACKER = String.raw`
const { readdirSync, readFileSync } = require('node:fs');
const root = Number(process.env.ATTACK_ROOT);
function ours(pid) {
  for (let i = 0; i < 64 && pid > 1; i++) {
    if (pid === root) return true;
    try {
      const stat = readFileSync('/proc/' + pid + '/stat', 'latin1');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch { return false; }
  }
  return false;
}
(async () => {
  const { HttpBrowser } = await import(process.env.ATTACK_BROWSER);
  const until = Date.now() + Number(process.env.ATTACK_MS);
  const seen = new Set();
  const found = [];
  const outcomes = [];
  let scans = 0;
  let cmdlines = 0;
  const wanted = (u) => u.includes('/signin?n=') || (u.includes('state=') && u.includes('code_challenge='));
  process.stdout.write('ready\n');
  while (Date.now() < until) {
    scans++;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
      let cmdline = '';
      try { cmdline = readFileSync('/proc/' + pid + '/cmdline', 'latin1'); } catch { continue; }
      cmdlines++;
      for (const url of cmdline.match(/https?:\/\/[^\s\x00'"]+/g) ?? []) {
        if (!wanted(url) || seen.has(url) || !ours(Number(pid))) continue;
        seen.add(url);
        found.push(url);
        new HttpBrowser().open(url, { user: 'mallory' }).then(
          (page) => outcomes.push(page.status + ' ' + page.hops.at(-1)),
          (error) => outcomes.push('failed: ' + error.message),
        );
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 1500));
  process.stdout.write(JSON.stringify({ scans, cmdlines, found, outcomes }) + '\n');
})();
`;

function startAttacker(ms: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', ATTACKER], {
    env: {
      ...process.env,
      ATTACK_MS: String(ms),
      ATTACK_BROWSER: HTTP_BROWSER,
      ATTACK_ROOT: String(process.pid),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), ms + 20_000);
  const done = new Promise<{
    scans: number;
    cmdlines: number;
    found: string[];
    outcomes: string[];
  }>((resolve, reject) =>
    child.once('close', () => {
      clearTimeout(killer);
      const last = out.trim().split('\n').at(-1) ?? '';
      if (last.startsWith('{')) resolve(JSON.parse(last));
      else reject(new Error(`the attacker process failed: ${err}`));
    }),
  );
  done.catch(() => undefined);
  cleanup.push(() => child.kill('SIGKILL'));
  return { ready: until(() => (out.startsWith('ready') ? true : null), 'the attacker'), done };
}

describe('login CSRF through the process list', () => {
  it.skipIf(process.platform !== 'linux')(
    'an attacker polling /proc/*/cmdline every 10 ms finds no link on any command line; the real browser, 2 s later, signs in',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'gh-csrf-browser-'));
      const record = path.join(dir, 'opened.txt');
      // The stand-in browser is a real process: its argv is what a process list shows, for 3 s.
      const script = path.join(dir, 'browser.sh');
      writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${record}'\nsleep 3\n`);
      chmodSync(script, 0o755);
      const attacker = startAttacker(5_000);
      await attacker.ready;
      const core = world((url, freshUrl) =>
        openWithSystemBrowser(url, { env: { BROWSER: script }, ...(freshUrl ? { freshUrl } : {}) }),
      );
      const started = await core.sessions.signIn('demo');
      const opened = await until(
        () => (existsSync(record) ? readFileSync(record, 'utf8').trim() : null),
        'the opener',
      );
      await sleep(2_000);
      const page = await visit(opened, 'alice');
      const seen = await attacker.done;
      expect(seen.scans).toBeGreaterThan(100);
      expect(seen.found).toEqual([]);
      expect(page.body).toContain('Signed in to Demo provider (local). You can close this tab.');
      await expect(started.done).resolves.toMatchObject({ accountId: 'demo:alice' });
      expect(accountIds(core)).toEqual(['demo:alice']);
      expect(opened).toMatch(/^file:\/\//);
    },
    30_000,
  );

  it('"open browser again" hands the opener a fresh start page each time, never the authorization URL', async () => {
    const opened: string[] = [];
    const core = world(async (url) => void opened.push(url));
    const started = await core.sessions.signIn('demo');
    await core.sessions.openBrowserAgain('demo');
    expect(opened).toHaveLength(2);
    for (const url of opened) {
      expect(url).toMatch(/^file:\/\//);
      expect(url).not.toMatch(/state=|code_challenge=|nonce=/);
    }
    const [first, second] = opened.map((u) => fileURLToPath(u));
    // The first page went with its link; the latest page is the only way in.
    expect(existsSync(first!)).toBe(false);
    expect(startPageLink(opened[1]!)).toMatch(LINK);
    const page = await new HttpBrowser().open(opened[1]!, { user: 'alice' });
    expect(page.body).toContain('Signed in to Demo provider (local). You can close this tab.');
    await expect(started.done).resolves.toMatchObject({ accountId: 'demo:alice' });
    expect(existsSync(second!)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')(
    'the start page is readable by this user alone: 0600 in a 0700 folder, gone when the attempt ends',
    async () => {
      const opened: string[] = [];
      const core = world(async (url) => void opened.push(url));
      await core.sessions.signIn('demo');
      const file = fileURLToPath(opened[0]!);
      const folder = path.dirname(file);
      expect(path.basename(folder)).toBe('gatehouse');
      expect(folder.split(path.sep).some((part) => part.startsWith('.') && part !== '.cache')).toBe(
        false,
      );
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      if (process.getuid?.() === 0) {
        // Run as root: show that another local user ("nobody") really cannot read it.
        const read = spawnSync(
          process.execPath,
          ['-e', `require('fs').readFileSync(${JSON.stringify(file)})`],
          { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 10_000 },
        );
        expect(read.stderr).toMatch(/EACCES/);
      }
      core.sessions.cancel('demo');
      await until(() => (existsSync(file) ? null : true), 'the page to go');
      expect(readdirSync(folder)).not.toContain(path.basename(file));
    },
  );
});

describe('an attacker who holds the sign-in link and uses it first', () => {
  /** No start page can be written (planted symlinks), so the link itself goes to the opener. */
  async function linkOnTheCommandLine() {
    const elsewhere = noStartPage();
    const opened: string[] = [];
    const core = world(async (url) => void opened.push(url));
    const started = await core.sessions.signIn('demo');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(LINK);
    // The planted links were never followed.
    expect(readdirSync(elsewhere)).toEqual([]);
    return { core, started, link: opened[0]! };
  }

  it('completes as the attacker first: once the real browser uses the link, that account is signed out and the person is told', async () => {
    const { core, started, link } = await linkOnTheCommandLine();
    const attacker = await new HttpBrowser().open(link, { user: 'mallory' });
    expect(attacker.body).toContain('Signed in to Demo provider (local). You can close this tab.');
    await expect(started.done).resolves.toMatchObject({ accountId: 'demo:mallory' });
    const person = await visit(link, 'alice');
    expect(person.body).toMatch(/someone else/i);
    await until(() => (accountIds(core).length === 0 ? true : null), 'the sign-out');
    const [pending] = core.sessions.snapshot().pending;
    expect(pending?.status).toMatchObject({ kind: 'error', code: 'sign_in_link_reused' });
    const log = core.log.list();
    expect(log.filter((e) => e.outcome === 'sign-out')).toHaveLength(1);
    const attempt = log.find((e) => e.attemptId === started.attemptId)!;
    expect(attempt.events).toContainEqual(
      expect.objectContaining({ step: 'signed-out', code: 'sign_in_link_reused' }),
    );
  });

  it('is still at the provider: the real browser arriving with the same link cancels the attempt, and the attacker signs no one in', async () => {
    const { core, started, link } = await linkOnTheCommandLine();
    const attackerBrowser = new HttpBrowser();
    const atLogin = await attackerBrowser.open(link); // the provider's login form, not yet filled
    expect(atLogin.body).toMatch(/name="login"/);
    const person = await visit(link, 'alice');
    expect(person.body).toMatch(/someone else/i);
    await expect(started.done).rejects.toMatchObject({ code: 'sign_in_link_reused' });
    const finish = await visit(atLogin.url, 'mallory', attackerBrowser);
    expect(finish.body).not.toContain('Signed in to');
    expect(accountIds(core)).toEqual([]);
    const [pending] = core.sessions.snapshot().pending;
    expect(pending?.status).toMatchObject({ kind: 'error', code: 'sign_in_link_reused' });
  });
});

describe('a callback without the sign-in cookie', () => {
  it('is ignored, though its state is right: the attacker signs in at the provider with the authorization URL, the app keeps waiting', async () => {
    const core = world(async () => undefined);
    const started = await core.sessions.signIn('demo', { openBrowser: false });
    // What the opener's command line once showed: the provider's full authorization URL.
    const authorizationUrl = core.sessions.authorizationUrlOf('demo');
    const attacker = await new HttpBrowser().open(authorizationUrl, { user: 'mallory' });
    expect(attacker.hops.at(-1)).toMatch(/^GET \/callback\/demo$/);
    expect(attacker.status).toBe(400);
    const [pending] = core.sessions.snapshot().pending;
    expect(pending?.status).toMatchObject({ kind: 'waiting-for-browser', browserReached: false });
    const entry = core.log.list().find((e) => e.attemptId === started.attemptId)!;
    expect(entry.events).toContainEqual(
      expect.objectContaining({ step: 'callback-ignored', detail: 'not this attempt' }),
    );
    const person = await new HttpBrowser().open(started.url!, { user: 'alice' });
    expect(person.body).toContain('Signed in to Demo provider (local). You can close this tab.');
    await expect(started.done).resolves.toMatchObject({ accountId: 'demo:alice' });
    expect(accountIds(core)).toEqual(['demo:alice']);
  });
});
