/**
 * The `gatehouse` command line end to end: $BROWSER points at a script that hands the URL to
 * the test, which logs in at the embedded demo provider like a person would. Accounts persist
 * across processes through the real keychain (npm test runs under a private Secret Service).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSandbox, fileText, runCli, startCli, waitFor } from '../../support/cli';
import { HttpBrowser, startPageLink } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('cli.test');

const setup = () => cliSandbox({ prefix: 'gh-cli-' });
const waitForFile = (file: string) => waitFor(fileText(file), 'the CLI to open the browser');

describe.skipIf(!keyring)('gatehouse command line', () => {
  it('sign-in demo → accounts → refresh → sign-out, sharing the keychain across processes', async () => {
    const { urlFile, env } = setup();
    const signIn = startCli(['sign-in', 'demo'], { env });
    const url = await waitForFile(urlFile);
    // $BROWSER gets a file:// start page, so no link is on its command line.
    expect(url).toMatch(/^file:\/\//);
    expect(startPageLink(url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/signin\?n=/);
    const page = await new HttpBrowser().open(url, { user: 'carol' });
    expect(page.body).toContain('Signed in to Demo provider (local). You can close this tab.');
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
    // A JWT is eyJ… with dots; a bare "eyJ" can occur inside the printed sign-in link's random
    // nonce (it did once in CI), which is not a token.
    expect(result.stdout + result.stderr).not.toMatch(
      /access_token|refresh_token|eyJ[\w-]*\.[\w-]+\./,
    );

    const accounts = await runCli(['accounts'], { env });
    expect(accounts.code).toBe(0);
    const list = JSON.parse(accounts.stdout);
    expect(list.map((a: { accountId: string }) => a.accountId)).toEqual(['demo:carol']);
    expect(list[0].remembered).toBe(true);

    const out = await runCli(['sign-out', 'demo:carol'], { env });
    expect(out.code).toBe(0);
    const after = await runCli(['accounts'], { env });
    expect(JSON.parse(after.stdout)).toEqual([]);
  });

  it('documents its exit codes: unknown command, unknown provider, unknown account, bad config', async () => {
    const { env, dir } = setup();
    expect((await runCli(['frobnicate'], { env })).code).toBe(64);
    const unknown = await runCli(['sign-in', 'nope'], { env });
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('[provider_unknown]');
    expect((await runCli(['sign-out', 'demo:nobody'], { env })).code).toBe(4);
    writeFileSync(path.join(dir, 'providers.json'), '{ nope');
    // Issue 13 item 6: only a command that needs a provider stops (78); `accounts` warns.
    const bad = await runCli(['sign-in', 'demo'], { env });
    expect(bad.code).toBe(78);
    expect(bad.stderr).toContain('providers.json:1:3: not valid JSON');
    const accounts = await runCli(['accounts'], { env });
    expect(accounts.code).toBe(0);
    expect(accounts.stderr).toContain('providers.json:1:3: not valid JSON');
  });

  it('doctor checks configuration, discovery, keys, PKCE, the loopback and the keychain', async () => {
    const { env } = setup();
    const run = await runCli(['doctor', 'demo'], { env });
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
    const run = await runCli(['doctor', 'webex'], {
      env: {
        ...env,
        WEBEX_CLIENT_ID: '',
        WEBEX_CLIENT_SECRET: '',
      },
    });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('WEBEX_CLIENT_ID is not set');
  });
});
