/**
 * The `gatehouse` command line end to end: $BROWSER points at a script that hands the URL to
 * the test, which logs in at the embedded demo provider like a person would. Accounts persist
 * across processes through the real keychain (npm test runs under a private Secret Service).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('cli.test');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-cli-'));
  const urlFile = path.join(dir, 'url.txt');
  const browser = path.join(dir, 'browser.sh');
  writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > "${urlFile}"\n`);
  chmodSync(browser, 0o755);
  const env = {
    ...process.env,
    BROWSER: browser,
    GATEHOUSE_DATA_DIR: path.join(dir, 'data'),
    GATEHOUSE_CONFIG: path.join(dir, 'providers.json'),
    GATEHOUSE_KEYCHAIN_SERVICE: `Gatehouse-test-${path.basename(dir)}`,
  };
  return { dir, urlFile, env };
}

function gatehouse(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): { done: Promise<Run> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/main.ts', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
  return { done };
}

async function waitForFile(file: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (text) return text;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the CLI never opened the browser');
}

describe.skipIf(!keyring)('gatehouse command line', () => {
  it('sign-in demo → accounts → refresh → sign-out, sharing the keychain across processes', async () => {
    const { urlFile, env } = setup();
    const signIn = gatehouse(['sign-in', 'demo'], env);
    const url = await waitForFile(urlFile);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/signin\?n=/);
    const page = await new HttpBrowser().open(url, { user: 'carol' });
    expect(page.body).toContain('You are signed in');
    const result = await signIn.done;
    expect(result.stderr).toContain('Continue in your browser');
    expect(result.code).toBe(0);
    const claims = JSON.parse(result.stdout);
    expect(claims).toMatchObject({
      accountId: 'demo:carol',
      provider: 'demo',
      sub: 'carol',
      name: 'Carol Demo',
    });
    expect(result.stdout + result.stderr).not.toMatch(/access_token|refresh_token|eyJ/);

    const accounts = await gatehouse(['accounts'], env).done;
    expect(accounts.code).toBe(0);
    const list = JSON.parse(accounts.stdout);
    expect(list.map((a: { accountId: string }) => a.accountId)).toEqual(['demo:carol']);
    expect(list[0].remembered).toBe(true);

    const out = await gatehouse(['sign-out', 'demo:carol'], env).done;
    expect(out.code).toBe(0);
    const after = await gatehouse(['accounts'], env).done;
    expect(JSON.parse(after.stdout)).toEqual([]);
  });

  it('documents its exit codes: unknown command, unknown provider, unknown account, bad config', async () => {
    const { env, dir } = setup();
    expect((await gatehouse(['frobnicate'], env).done).code).toBe(64);
    const unknown = await gatehouse(['sign-in', 'nope'], env).done;
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('[provider_unknown]');
    expect((await gatehouse(['sign-out', 'demo:nobody'], env).done).code).toBe(4);
    writeFileSync(path.join(dir, 'providers.json'), '{ nope');
    const bad = await gatehouse(['accounts'], env).done;
    expect(bad.code).toBe(78);
    expect(bad.stderr).toContain('providers.json: not valid JSON');
  });

  it('doctor checks configuration, discovery, keys, PKCE, the loopback and the keychain', async () => {
    const { env } = setup();
    const run = await gatehouse(['doctor', 'demo'], env).done;
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { checks: Array<{ name: string; ok: boolean }> };
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'configuration',
        'discovery',
        'signing keys (JWKS)',
        'PKCE S256',
        'loopback listener',
        'keychain',
      ]),
    );
    expect(report.checks.every((c) => c.ok)).toBe(true);
  });

  it('doctor fails on a provider with missing configuration', async () => {
    const { env } = setup();
    const run = await gatehouse(['doctor', 'webex'], {
      ...env,
      WEBEX_CLIENT_ID: '',
      WEBEX_CLIENT_SECRET: '',
    }).done;
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('WEBEX_CLIENT_ID is not set');
  });
});
