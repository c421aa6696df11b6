/**
 * GitHub (web flow and device flow) and XWMS through the `gatehouse` command line, against the
 * protocol-faithful local servers, sharing the real keychain across processes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cliSandbox, fileText, runCli, startCli, waitFor } from '../../support/cli';
import { HttpBrowser } from '../../support/http-browser';
import { startGithubServer } from '../../support/github-server';
import { startXwmsServer } from '../../support/xwms-server';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('cli-providers.test');

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const setup = (providers: unknown[]) => cliSandbox({ providers, prefix: 'gh-cli-p-' });

describe.skipIf(!keyring)('gatehouse command line with GitHub and XWMS', () => {
  it('GitHub web flow → accounts → sign-out (revoked at GitHub)', async () => {
    const gh = await startGithubServer();
    servers.push(gh);
    const { urlFile, env } = setup([
      {
        id: 'github',
        kind: 'github',
        clientId: gh.knobs.clientId,
        clientSecret: gh.knobs.clientSecret,
        baseUrl: gh.url,
      },
    ]);
    const run = startCli(['sign-in', 'github'], { env });
    const url = await waitFor(fileText(urlFile), 'the browser to open');
    const page = await new HttpBrowser().open(url, { user: 'octo' });
    expect(page.body).toContain('Signed in to GitHub. You can close this tab.');
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      accountId: 'github:583231',
      sub: '583231',
      login: 'octo',
      email: 'octo@example.test',
    });
    expect(result.stdout + result.stderr).not.toMatch(/gho_|ghr_|github-test-secret/);

    const list = JSON.parse((await runCli(['accounts'], { env })).stdout);
    expect(list.map((a: { accountId: string }) => a.accountId)).toEqual(['github:583231']);
    expect(gh.tokens.size).toBe(1);
    const out = await runCli(['sign-out', 'github:583231'], { env });
    expect(out.code).toBe(0);
    expect(gh.tokens.size).toBe(0);
  });

  it('GitHub device flow: prints the code, the person enters it, the command completes', async () => {
    const gh = await startGithubServer({ deviceInterval: 1 });
    servers.push(gh);
    // No secret: the device flow does not need one.
    const { env } = setup([
      { id: 'github', kind: 'github', clientId: gh.knobs.clientId, baseUrl: gh.url },
    ]);
    const run = startCli(['sign-in', 'github', '--device', '--no-open'], { env });
    const [, verification, code] = await waitFor(
      () => /Open (\S+) and enter the code: ([0-9A-F]{4}-[0-9A-F]{4})/.exec(run.stderr()),
      'the user code',
    );
    expect(verification).toBe(`${gh.url}/login/device`);
    const approve = await fetch(verification!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_code: code!, device_login: 'private' }),
    });
    expect(approve.status).toBe(200);
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      accountId: 'github:9000001',
      email: 'hidden@example.test',
    });
  });

  it('XWMS sign-in → accounts → sign-out (local only: XWMS has no revocation)', async () => {
    const xw = await startXwmsServer();
    servers.push(xw);
    const { urlFile, env } = setup([
      {
        id: 'xwms',
        kind: 'xwms',
        clientId: xw.knobs.clientId,
        clientSecret: xw.knobs.clientSecret,
        domain: xw.knobs.domain,
        apiUrl: xw.apiUrl,
      },
    ]);
    const run = startCli(['sign-in', 'xwms'], { env });
    const url = await waitFor(fileText(urlFile), 'the browser to open');
    await new HttpBrowser().open(url, { user: 'ada' });
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      accountId: 'xwms:4242',
      name: 'Ada Lovelace',
      email: 'ada@xwms.test',
    });
    const out = await runCli(['sign-out', 'xwms:4242'], { env });
    expect(out.code).toBe(0);
    expect(JSON.parse((await runCli(['accounts'], { env })).stdout)).toEqual([]);
  });

  it('a wrong XWMS secret exits 1 with the error code and stores nothing', async () => {
    const xw = await startXwmsServer();
    servers.push(xw);
    const { env } = setup([
      {
        id: 'xwms',
        kind: 'xwms',
        clientId: xw.knobs.clientId,
        clientSecret: 'wrong',
        domain: xw.knobs.domain,
        apiUrl: xw.apiUrl,
      },
    ]);
    const result = await runCli(['sign-in', 'xwms', '--no-open'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[invalid_client]');
    expect(JSON.parse((await runCli(['accounts'], { env })).stdout)).toEqual([]);
  });
});
