/**
 * The keychain layer against a real Secret Service (GNOME Keyring on a private D-Bus, started by
 * test/support/keyring/with-keyring.sh), and its failure states: no D-Bus at all, and a locked
 * collection. Each failure yields its own clear state, never a plaintext fallback.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyringSecretStore, probeKeychain } from '../../../main/secrets/keyring-store';
import { cliSandbox, fileText, startCli, waitFor } from '../../support/cli';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';
import { buildWorld } from '../../support/world';

const keyring = keyringReady('keychain.test (real-keychain cases)');
const service = `Gatehouse-test-${process.pid}`;
const store = new KeyringSecretStore(service);
afterAll(async () => {
  if (!keyring) return;
  for (const id of await store.listAccountIds()) await store.delete(id);
});

function probeInChild(
  env: NodeJS.ProcessEnv,
  mode = '',
): { ok: boolean; code?: string; message?: string } {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'test/support/keyring/probe-child.ts', mode],
    { env, encoding: 'utf8', timeout: 30_000 },
  );
  return JSON.parse(out) as { ok: boolean; code?: string; message?: string };
}

/** probe-child.ts `mode` on a private Secret Service of its own (with-keyring.sh again). */
function inPrivateKeyring(mode: string) {
  const probe = [process.execPath, '--import', 'tsx', 'test/support/keyring/probe-child.ts', mode];
  return spawnSync('bash', ['test/support/keyring/with-keyring.sh', ...probe], {
    env: { ...process.env, GATEHOUSE_KEYRING_READY: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe.skipIf(!keyring)('OS keychain (real Secret Service)', () => {
  it('round-trips, overwrites, lists and deletes entries', async () => {
    await store.set('demo:alice', 'first');
    await store.set('demo:alice', 'second ✓ ünïcode');
    await store.set('github:42', 'x');
    expect(await store.get('demo:alice')).toBe('second ✓ ünïcode');
    expect((await store.listAccountIds()).sort()).toEqual(['demo:alice', 'github:42']);
    expect(await store.delete('demo:alice')).toBe(true);
    expect(await store.delete('demo:alice')).toBe(false);
    expect(await store.get('demo:alice')).toBeNull();
  });

  it('refuses a value too large for a keychain item', async () => {
    await expect(store.set('demo:big', 'x'.repeat(17 * 1024))).rejects.toMatchObject({
      code: 'keychain_write_failed',
    });
  });

  it('probes as usable and reports the backend', async () => {
    const result = await probeKeychain(service);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.store.backend).toEqual({
        kind: 'keychain',
        name: 'Secret Service (GNOME Keyring / KWallet)',
      });
  });

  it('signed-in accounts survive a restart through the keychain, and no token reaches the data folder', async () => {
    const svc = `${service}-restart`;
    const world = await buildWorld({ prefix: 'gh-kc-', store: 'keychain', service: svc });
    const dir = world.dataDir;
    const first = world.core;
    const started = await first.sessions.signIn('demo');
    await new HttpBrowser().open(started.url!, { user: 'dora' });
    const account = await started.done;
    expect(account.remembered).toBe(true);
    const tokens = first.sessions.tokensOf('demo:dora')!;
    await first.dispose();
    const second = await world.reopen();
    await second.sessions.restore();
    expect(second.sessions.snapshot().accounts).toMatchObject([
      { accountId: 'demo:dora', remembered: true, status: { kind: 'signed-in' } },
    ]);
    expect(second.appInfo().storage).toEqual({
      kind: 'keychain',
      name: 'Secret Service (GNOME Keyring / KWallet)',
    });
    await second.dispose();
    // Token scan: the data folder (index, log, locks) holds no token value.
    const secrets = [tokens.accessToken, tokens.refreshToken!, tokens.idToken!];
    let found = 0;
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = path.join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else found += secrets.filter((s) => readFileSync(p, 'latin1').includes(s)).length;
      }
    };
    walk(dir);
    expect(found).toBe(0);
    await world.dispose(); // and its keychain items
  });

  it('a locked collection is its own clear state: keychain_locked', () => {
    // Locking affects the whole keyring, so it runs in a private bus of its own.
    const result = inPrivateKeyring('lock');
    const json = JSON.parse(result.stdout.trim().split('\n').pop()!) as {
      ok: boolean;
      code: string;
      message: string;
    };
    expect(json).toMatchObject({ ok: false, code: 'keychain_locked' });
    expect(json.message).toMatch(/locked/i);
  });

  it('the Secret Service daemon restarting mid-session: the same store carries on', () => {
    // Stopping the daemon would disturb the other suites, so this runs on a private bus too.
    const result = inPrivateKeyring('restart');
    const json = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(json).toEqual({
      before: 'session-before-restart',
      after: 'session-before-restart / session-after-restart',
      starts: 2,
    });
    expect(result.stderr).toContain('was started again (2 starts in all)');
  });
});

describe('keychain unavailable', () => {
  it('no D-Bus at all: keychain_unavailable with the backend reason', () => {
    const result = probeInChild({
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
    });
    expect(result).toMatchObject({ ok: false, code: 'keychain_unavailable' });
    expect(result.message).toMatch(/not reachable.*(DBus|socket)/i);
  });

  it('the person can still sign in for this run only ("not remembered"), with nothing written in plaintext', async () => {
    // The real command line, in a process whose D-Bus does not exist.
    const { dir, urlFile, env } = cliSandbox({ prefix: 'gh-kc-none-' });
    const run = startCli(['sign-in', 'demo', '--no-remember'], {
      env: { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
    });
    const url = await waitFor(fileText(urlFile), 'the CLI to open the browser', 20_000);
    const page = await new HttpBrowser().open(url, { user: 'eve' });
    expect(page.body).toContain('Signed in to Demo provider (local). You can close this tab.');
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(3);
    expect(stderr).toContain('the keychain is unavailable; this session was not remembered');
    expect(JSON.parse(stdout)).toMatchObject({ accountId: 'demo:eve' });
    // Nothing about the session reached the data folder: no index entry, no token.
    const index = path.join(dir, 'data', 'accounts.json');
    expect(existsSync(index) ? readFileSync(index, 'utf8') : '').not.toContain('demo:eve');
    const log = readFileSync(path.join(dir, 'data', 'sign-in-log.json'), 'utf8');
    expect(log).toContain('"not remembered"');
    expect(log).not.toMatch(/eyJ|access_token|refresh_token/);
  });
});
