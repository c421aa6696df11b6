/**
 * `gatehouse sign-in <provider> --device` against an OIDC provider that offers RFC 8628: a real
 * oidc-provider with its deviceFlow feature on, configured only by its issuer. The CLI prints the
 * page and the code and opens nothing (an SSH session has no browser that reaches the loopback);
 * the person enters the code on another device (approveInBrowser), and the account is saved.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliSandbox, runCli, startCli, waitFor } from '../../support/cli';
import { cleanupAfterEach } from '../../support/cleanup';
import { approveInBrowser, DEVICE_CLIENT_ID, startDeviceIdp } from '../../support/device-idp';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('device-oidc.test');
const track = cleanupAfterEach();

const CODE_LINE = /Open (\S+) and enter the code: (\S+)/;

describe.skipIf(!keyring)('sign-in --device for an OIDC provider', () => {
  it('prints the page and the code, then signs in once the code is entered elsewhere', async () => {
    const idp = track(await startDeviceIdp());
    const { env, configFile, urlFile } = cliSandbox({ prefix: 'gh-cli-device-oidc-' });
    writeFileSync(
      configFile,
      JSON.stringify({
        providers: [{ id: 'corp', kind: 'oidc', issuer: idp.issuer, clientId: DEVICE_CLIENT_ID }],
      }),
    );
    const signIn = startCli(['sign-in', 'corp', '--device'], {
      env,
      human: true,
      timeoutMs: 60_000,
    });
    const [, page, code] = await waitFor(
      () => CODE_LINE.exec(signIn.stderr()),
      'the CLI to print the code',
    );
    expect(page).toBe(`${idp.issuer}/device`);
    expect(code).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    const approved = await approveInBrowser(`${page}?user_code=${encodeURIComponent(code!)}`);
    expect(approved).toContain('Sign-in Success');
    const done = await signIn.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout.trim()).toBe(
      'Signed in as Ada Device <ada@device.test> with corp (corp:ada)',
    );
    // Nothing was handed to $BROWSER: the device flow opens no loopback page.
    expect(existsSync(urlFile)).toBe(false);
    const listed = await runCli(['accounts'], { env });
    expect(listed.json()).toEqual([
      expect.objectContaining({ accountId: 'corp:ada', remembered: true }),
    ]);
    expect((await runCli(['sign-out', 'corp:ada'], { env })).code).toBe(0);
  });
});
