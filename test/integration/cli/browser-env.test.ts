/**
 * $BROWSER read as xdg-open reads it, through the built CLI and the embedded demo provider:
 * arguments kept, `%s` replaced, a list tried in order with a fresh one-time link per entry, a
 * browser that blocks counted as opened after 2 s, and with no browser at all a printed link
 * that still signs in. The stand-in browsers are real processes (test/support/fake-browser.ts).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliSandbox, startCli, waitFor, type CliProcess } from '../../support/cli';
import { browserRecords, fakeBrowser, isRunning } from '../../support/fake-browser';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('browser-env.test');
const SIGN_IN_LINK = /^http:\/\/127\.0\.0\.1:\d+\/signin\?n=[\w-]+$/;
// What a browser is given: a start page holding the link, never the link (main/auth/start-page.ts).
const START_PAGE = /^file:\/\/\S+\/gatehouse\/signin-[\w-]+\.html$/;

const leftRunning: number[] = [];
afterEach(() => {
  for (const pid of leftRunning.splice(0)) if (isRunning(pid)) process.kill(pid);
});

function setup() {
  const sandbox = cliSandbox({ prefix: 'gh-cli-browser-' });
  const records = path.join(sandbox.dir, 'records.jsonl');
  const missing = path.join(sandbox.dir, 'no-such-browser');
  return { ...sandbox, records, missing };
}

const recorded = (records: string, count: number) =>
  waitFor(() => {
    const list = browserRecords(records);
    return list.length >= count ? list : null;
  }, `${count} browser call(s)`);

/** Logs in at the demo provider through `link`, as a person would, and expects exit 0. */
async function finish(run: CliProcess, link: string, user: string) {
  await new HttpBrowser().open(link, { user });
  const result = await run.done;
  expect(result.code, result.stderr).toBe(0);
  expect(result.json()).toMatchObject({ accountId: `demo:${user}`, sub: user });
  return result;
}

describe.skipIf(!keyring)('$BROWSER in the command line', () => {
  it('a command with arguments: the arguments are kept, the link comes last', async () => {
    const { env, dir, records } = setup();
    const fake = fakeBrowser(dir, 'fake browser', records);
    const run = startCli(['sign-in', 'demo'], {
      env: { ...env, BROWSER: `'${fake}' --new-window` },
    });
    const [call] = await recorded(records, 1);
    expect(call!.argv).toHaveLength(2);
    expect(call!.argv[0]).toBe('--new-window');
    expect(call!.argv[1]).toMatch(START_PAGE);
    expect(call!.link).toMatch(SIGN_IN_LINK);
    const result = await finish(run, call!.argv[1]!, 'alice');
    expect(result.stderr).toContain('Continue in your browser');
    expect(result.stderr).not.toContain('Open this link in your browser');
  });

  it('%s is replaced by the link, which is then not appended', async () => {
    const { env, dir, records } = setup();
    const fake = fakeBrowser(dir, 'fake', records);
    const run = startCli(['sign-in', 'demo'], { env: { ...env, BROWSER: `"${fake}" --url=%s` } });
    const [call] = await recorded(records, 1);
    expect(call!.argv).toHaveLength(1);
    const [, link] = /^--url=(.*)$/.exec(call!.argv[0]!) ?? [];
    expect(link).toMatch(START_PAGE);
    expect(call!.link).toMatch(SIGN_IN_LINK);
    await finish(run, link!, 'bob');
  });

  it('a list is tried in order, each entry with a fresh one-time link', async () => {
    const { env, dir, records, missing } = setup();
    const failing = fakeBrowser(dir, 'failing', records, { exitCode: 1 });
    const fake = fakeBrowser(dir, 'fake', records);
    const list = [missing, `'${failing}' --first`, `'${fake}' --second`].join(path.delimiter);
    const run = startCli(['sign-in', 'demo'], { env: { ...env, BROWSER: list } });
    const calls = await recorded(records, 2);
    expect(calls.map((c) => [c.name, c.argv[0]])).toEqual([
      ['failing', '--first'],
      ['fake', '--second'],
    ]);
    const [first, second] = calls.map((c) => c.link!);
    expect(calls.map((c) => c.argv[1])).toEqual([
      expect.stringMatching(START_PAGE),
      expect.stringMatching(START_PAGE),
    ]);
    expect(first).toMatch(SIGN_IN_LINK);
    expect(second).toMatch(SIGN_IN_LINK);
    expect(second).not.toBe(first);
    // The link given to the failed browser no longer starts anything.
    const dead = await fetch(first!, { redirect: 'manual', signal: AbortSignal.timeout(5_000) });
    expect(dead.status).toBe(404);
    await dead.body?.cancel();
    const result = await finish(run, second!, 'carol');
    expect(result.stderr).toContain('Continue in your browser');
  });

  it('a browser that blocks until closed counts as opened after 2 s', async () => {
    const { env, dir, records } = setup();
    const blocking = fakeBrowser(dir, 'blocking', records, { sleepMs: 10_000 });
    const run = startCli(['sign-in', 'demo'], { env: { ...env, BROWSER: `'${blocking}'` } });
    const [call] = await recorded(records, 1);
    leftRunning.push(call!.pid);
    const seenAt = Date.now();
    await waitFor(
      () => (run.stderr().includes('Continue in your browser') ? true : null),
      'the CLI to count the browser as opened',
    );
    expect(Date.now() - seenAt).toBeGreaterThan(1_500);
    expect(isRunning(call!.pid)).toBe(true);
    await finish(run, call!.argv[0]!, 'dave');
    // The command line ended without waiting for the browser to close.
    expect(isRunning(call!.pid)).toBe(true);
  });

  it('no browser at all: the CLI prints the link, keeps waiting, and the link signs in', async () => {
    const { env, missing } = setup();
    const run = startCli(['sign-in', 'demo'], { env: { ...env, BROWSER: missing } });
    const link = await waitFor(
      () => /Open this link in your browser:\n\s+(\S+)/.exec(run.stderr())?.[1] ?? null,
      'the CLI to print the sign-in link',
    );
    expect(link).toMatch(SIGN_IN_LINK);
    const result = await finish(run, link, 'erin');
    expect(result.stderr).toContain('was not found');
    expect(result.stderr).not.toContain('Continue in your browser');
  });
});
