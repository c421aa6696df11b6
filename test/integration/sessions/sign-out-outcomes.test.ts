/**
 * Truthful sign-out through the `gatehouse` command line: each outcome has its own sentence on
 * stderr, its kind on stdout and a fixed detail in the sign-in log, against real local servers
 * that behave the way real providers do (oidc-provider, with a revocation endpoint that answers
 * a public client 401 with an empty body; one with no revocation; a closed port; GitHub's DELETE).
 * The tokens are forgotten locally in every case.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/log';
import {
  DEMO_CLIENT_ID,
  demoNativeClient,
  type DemoServer,
  type DemoServerOptions,
} from '../../../main/demo/demo-server';
import { decodeStoredAccount } from '../../../main/auth/stored-account';
import { KeyringSecretStore } from '../../../main/secrets/keyring-store';
import {
  cliSandbox,
  fileText,
  runCli,
  startCli,
  waitFor,
  type CliSandbox,
} from '../../support/cli';
import { itemsOfAccount, readAccountItem } from '../../support/account-items';
import { countingIdp, type IdpMiddleware } from '../../support/counting-idp';
import { startGithubServer } from '../../support/github-server';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';
import { oidcProvider } from '../../support/world';

const keyring = keyringReady('sign-out-outcomes.test');
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** oidc-provider as provider "idp", with `before` ahead of its routes. */
async function idpServer(options: DemoServerOptions = {}, before?: IdpMiddleware) {
  const idp = await countingIdp(options, before);
  servers.push(idp);
  return { idp, seen: idp.seen };
}

/** A revocation endpoint answering `status` with `body` (RFC 7009 §2.2.1 says 200 or an error). */
const revocationAnswers =
  (status: number, body: unknown): IdpMiddleware =>
  async (ctx, next) => {
    if (ctx.path !== '/token/revocation') return next();
    ctx.status = status;
    ctx.body = body;
  };

function sandboxFor(idp: DemoServer, extra: Record<string, unknown> = {}) {
  return cliSandbox({
    providers: [oidcProvider('idp', idp.issuer, DEMO_CLIENT_ID, extra)],
    prefix: 'gh-signout-',
  });
}

async function cliSignIn(box: CliSandbox, provider: string, user: string) {
  rmSync(box.urlFile, { force: true });
  const run = startCli(['sign-in', provider], { env: box.env });
  const url = await waitFor(fileText(box.urlFile), 'the CLI to open the browser');
  await new HttpBrowser().open(url, { user });
  const result = await run.done;
  expect(result.code, result.stderr).toBe(0);
}

/** The refresh token the CLI keeps in the (private, real) keychain. */
async function storedRefreshToken(box: CliSandbox, accountId: string): Promise<string> {
  const store = new KeyringSecretStore(box.env.GATEHOUSE_KEYCHAIN_SERVICE!);
  const raw = await readAccountItem(store, box.dataDir, accountId);
  return decodeStoredAccount(raw!)!.tokens.refreshToken!;
}

/** Whether the provider still honours a refresh token (RFC 6749 §6), asked directly. */
async function stillValid(idp: DemoServer, refreshToken: string): Promise<boolean> {
  const response = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: DEMO_CLIENT_ID,
    }),
  });
  await response.body?.cancel();
  return response.status === 200;
}

/** Signs out, and checks what every outcome shares: exit 0, the account gone, the log's detail. */
async function signOut(box: CliSandbox, accountId: string, detail: string) {
  const run = await runCli(['sign-out', accountId], { env: box.env });
  expect(run.code, run.stderr).toBe(0);
  const accounts = await runCli(['accounts'], { env: box.env });
  expect(accounts.json()).toEqual([]);
  const store = new KeyringSecretStore(box.env.GATEHOUSE_KEYCHAIN_SERVICE!);
  expect(await itemsOfAccount(store, accountId)).toEqual([]);
  const logText = readFileSync(path.join(box.dataDir, 'sign-in-log.json'), 'utf8');
  const entries = (JSON.parse(logText) as { entries: LogEntry[] }).entries;
  const last = entries.filter((e) => e.outcome === 'sign-out').at(-1)!;
  expect(last.events.find((e) => e.step === 'signed-out')?.detail).toBe(detail);
  return { stderr: run.stderr, outcome: run.json<Record<string, unknown>>(), logText };
}

describe.skipIf(!keyring)('sign-out says what the provider did', () => {
  it('revoked: the provider revoked the session, and its refresh token no longer works', async () => {
    const { idp } = await idpServer();
    const box = sandboxFor(idp);
    await cliSignIn(box, 'idp', 'alice');
    const refreshToken = await storedRefreshToken(box, 'idp:alice');
    const out = await signOut(box, 'idp:alice', 'revoked');
    expect(out.stderr).toContain('Signed out. The provider revoked the session.');
    expect(out.outcome).toEqual({ accountId: 'idp:alice', kind: 'revoked' });
    expect(await stillValid(idp, refreshToken)).toBe(false);
  });

  it('refused: a revocation endpoint that answers a public client 401 with an empty body', async () => {
    const { idp, seen } = await idpServer({}, revocationAnswers(401, ''));
    const box = sandboxFor(idp);
    await cliSignIn(box, 'idp', 'alice');
    const refreshToken = await storedRefreshToken(box, 'idp:alice');
    const out = await signOut(box, 'idp:alice', 'revocation refused');
    expect(out.stderr).toContain(
      'Signed out on this computer, but the provider refused to revoke the session (HTTP 401): ' +
        'the session may stay valid there until it expires.',
    );
    expect(out.stderr).not.toMatch(/has no revocation|offers no revocation|could not use/);
    expect(out.outcome).toEqual({ accountId: 'idp:alice', kind: 'refused', status: 401 });
    expect(seen).toContain('POST /token/revocation');
    // The sentence is true: the provider still honours the session.
    expect(await stillValid(idp, refreshToken)).toBe(true);
  });

  it('refused with an OAuth error: its code is named, its description never is', async () => {
    const planted = { error: 'invalid_client', error_description: 'planted description text' };
    const { idp } = await idpServer({}, revocationAnswers(400, planted));
    const box = sandboxFor(idp);
    await cliSignIn(box, 'idp', 'bob');
    const out = await signOut(box, 'idp:bob', 'revocation refused');
    expect(out.stderr).toContain('(HTTP 400, invalid_client)');
    expect(out.outcome).toMatchObject({ kind: 'refused', status: 400, error: 'invalid_client' });
    expect(out.stderr + out.logText).not.toContain('planted description text');
    expect(out.logText).not.toContain('invalid_client');
  });

  it('unreachable: the provider is gone (a closed port), named with the cause', async () => {
    const { idp } = await idpServer();
    const box = sandboxFor(idp);
    await cliSignIn(box, 'idp', 'carol');
    await idp.close();
    const out = await signOut(box, 'idp:carol', 'provider unreachable');
    const host = new URL(idp.issuer).host;
    expect(out.stderr).toContain(
      'Signed out on this computer, but the provider could not be reached to revoke the ' +
        'session, so the session may stay valid there until it expires.',
    );
    expect(out.stderr).toContain(`Could not reach ${host}: the connection was refused`);
    expect(out.outcome).toMatchObject({ kind: 'unreachable' });
  });

  it('no revocation: a discovery document without revocation_endpoint; nothing is sent', async () => {
    const { idp, seen } = await idpServer({ features: { revocation: { enabled: false } } });
    const box = sandboxFor(idp);
    await cliSignIn(box, 'idp', 'dora');
    const out = await signOut(box, 'idp:dora', 'no revocation');
    expect(out.stderr).toContain(
      'Signed out on this computer. The provider offers no revocation to Gatehouse, so the ' +
        'session may stay valid there until it expires.',
    );
    expect(out.outcome).toEqual({ accountId: 'idp:dora', kind: 'no-revocation' });
    expect(seen.filter((s) => s.includes('revocation'))).toEqual([]);
  });

  it('nothing to revoke: an expired account sends the provider nothing at all', async () => {
    // No refresh token and a 1 s access token: by sign-out time the account has expired.
    const client = { ...demoNativeClient('idp'), grant_types: ['authorization_code'] };
    const { idp, seen } = await idpServer({ clients: [client], accessTokenTtlSeconds: 1 });
    const box = sandboxFor(idp, { scopes: ['openid', 'email', 'profile'] });
    await cliSignIn(box, 'idp', 'erin');
    await new Promise((r) => setTimeout(r, 1500));
    const listed = await runCli(['accounts'], { env: box.env });
    expect(listed.json()).toMatchObject([{ accountId: 'idp:erin', status: { kind: 'expired' } }]);
    const before = seen.length;
    expect(before).toBeGreaterThan(0); // the counter does see the sign-in's requests
    const out = await signOut(box, 'idp:erin', 'nothing to revoke');
    expect(out.stderr).toContain(
      'Signed out. The session had already ended, so there was nothing to revoke at the provider.',
    );
    expect(out.outcome).toEqual({ accountId: 'idp:erin', kind: 'nothing-to-revoke' });
    expect(seen.slice(before)).toEqual([]);
  });

  it("GitHub's DELETE: 204 is revoked; a refused DELETE says so, and the token stays valid there", async () => {
    const gh = await startGithubServer();
    servers.push(gh);
    const box = cliSandbox({
      providers: [
        {
          id: 'github',
          kind: 'github',
          clientId: gh.knobs.clientId,
          clientSecret: gh.knobs.clientSecret,
          baseUrl: gh.url,
        },
      ],
      prefix: 'gh-signout-gh-',
    });
    await cliSignIn(box, 'github', 'octo');
    const revoked = await signOut(box, 'github:583231', 'revoked');
    expect(revoked.stderr).toContain('Signed out. The provider revoked the session.');
    expect(gh.tokens.size).toBe(0);

    await cliSignIn(box, 'github', 'octo');
    // The app's secret was rotated at GitHub: its DELETE now answers 404.
    gh.knobs.clientSecret = 'rotated-at-github';
    const refused = await signOut(box, 'github:583231', 'revocation refused');
    expect(refused.stderr).toContain('the provider refused to revoke the session (HTTP 404)');
    expect(refused.outcome).toEqual({ accountId: 'github:583231', kind: 'refused', status: 404 });
    expect(gh.tokens.size).toBe(1);
  });
});
