/**
 * `gatehouse sign-in` checks the keychain before anything else: without one it stops with exit 3,
 * the reason and this system's fix, before any listener starts or any browser opens, and the
 * provider hears nothing. `--no-remember` is the way to sign in for this run only.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID } from '../../../main/demo/demo-server';
import { keychainFix } from '../../../main/cli/commands/sign-in-keychain';
import { KeyringSecretStore } from '../../../main/secrets/keyring-store';
import { cliSandbox, runCli, startCli, waitFor } from '../../support/cli';
import { countingIdp } from '../../support/counting-idp';
import { browserRecords, fakeBrowser } from '../../support/fake-browser';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';
import { oidcProvider } from '../../support/world';

const keyring = keyringReady('keychain-early-stop.test (the --no-remember case)');
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const NO_BUS = 'unix:path=/nonexistent/bus';

/** A sandbox whose $BROWSER is a stand-in that records every call it gets. */
function sandbox(providers?: unknown[]) {
  const box = cliSandbox({ prefix: 'gh-kc-stop-', ...(providers ? { providers } : {}) });
  const records = path.join(box.dir, 'browser-calls.jsonl');
  const env: NodeJS.ProcessEnv = { ...box.env, BROWSER: fakeBrowser(box.dir, 'browser', records) };
  return { ...box, env, records };
}

describe('sign-in without a keychain stops before the browser', () => {
  it('D-Bus pointing at nothing: exit 3, the reason and the fix; no browser, no request', async () => {
    // A provider called "demo", served here, so the test sees every request it would get.
    const idp = await countingIdp({ providerId: 'demo' });
    servers.push(idp);
    const box = sandbox([oidcProvider('demo', idp.issuer, DEMO_CLIENT_ID)]);
    const started = Date.now();
    const run = await runCli(['sign-in', 'demo'], {
      env: { ...box.env, DBUS_SESSION_BUS_ADDRESS: NO_BUS },
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      'the keychain is unavailable, so this sign-in could not be remembered',
    );
    expect(run.stderr).toMatch(/Why: .*not reachable.*\/nonexistent\/bus/);
    expect(run.stderr).toContain(
      'Fix: DBUS_SESSION_BUS_ADDRESS points at a D-Bus socket that does not exist (/nonexistent/bus)',
    );
    expect(run.stderr).toContain('gatehouse sign-in demo --no-remember');
    expect(run.stderr).not.toMatch(/Continue in your browser|Open this link|http:\/\/127/);
    expect(run.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(browserRecords(box.records)).toEqual([]);
    expect(idp.seen).toEqual([]);
  });

  it('no D-Bus session at all (the built-in demo provider): the fix says the address is not set', async () => {
    const box = sandbox();
    const run = await runCli(['sign-in', 'demo'], {
      env: { ...box.env, DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined },
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('there is no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)');
    expect(browserRecords(box.records)).toEqual([]);
    // Nothing was started, so nothing was logged as an attempt either.
    const log = path.join(box.dataDir, 'sign-in-log.json');
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').not.toContain('"pending"');
  });

  it('an unknown provider is still "no such provider" (exit 4), not a keychain stop', async () => {
    const box = sandbox();
    const run = await runCli(['sign-in', 'nope'], {
      env: { ...box.env, DBUS_SESSION_BUS_ADDRESS: NO_BUS },
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('[provider_unknown]');
  });

  it('the fix follows what was seen: a locked keyring, no Secret Service, macOS, Windows', () => {
    const bus = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${process.execPath}` }; // a path that exists
    expect(keychainFix('keychain_locked', bus, 'linux')).toMatch(/^the keyring is locked/);
    expect(keychainFix('keychain_unavailable', bus, 'linux')).toMatch(
      /^no Secret Service answers .*GNOME Keyring.*KWallet/,
    );
    expect(keychainFix('keychain_unavailable', {}, 'darwin')).toContain('Keychain Access');
    expect(keychainFix('keychain_unavailable', {}, 'win32')).toContain('Credential Manager');
  });
});

describe.skipIf(!keyring)('--no-remember with a working keychain', () => {
  it('signs in for this run only: exit 0, nothing in the keychain or the account index', async () => {
    const box = sandbox();
    const run = startCli(['sign-in', 'demo', '--no-remember'], { env: box.env });
    const call = await waitFor(
      () => browserRecords(box.records)[0] ?? null,
      'the stand-in browser to be called',
    );
    await new HttpBrowser().open(call.argv.at(-1)!, { user: 'fay' });
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('this session is kept for this run only (--no-remember)');
    expect(result.json()).toMatchObject({ accountId: 'demo:fay' });
    const store = new KeyringSecretStore(box.env.GATEHOUSE_KEYCHAIN_SERVICE!);
    expect(await store.listAccountIds()).toEqual([]);
    expect((await runCli(['accounts'], { env: box.env })).json()).toEqual([]);
  });
});
