/**
 * `gatehouse token` and `gatehouse status` as a script and a person use them, against the demo
 * provider and the real keychain (a private Secret Service under npm test): the token printed is
 * the stored one while it has time left, a renewed one when it is due (its expiry is moved to a
 * few seconds from now in the keychain item, as time would), and `status` says who is signed in
 * and what needs attention.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { itemKeyIn } from '../../support/account-items';
import { KeyringSecretStore } from '../../../main/secrets/keyring-store';
import { cliSandbox, fileText, runCli, startCli, waitFor } from '../../support/cli';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('cli-token-status.test');

const services: string[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) {
    const store = new KeyringSecretStore(service);
    for (const id of await store.listAccountIds()) await store.delete(id);
  }
});

interface Item {
  tokens: { accessToken: string; expiresAt: number | null };
  binding?: unknown;
}

async function signedIn(user: string) {
  const sandbox = cliSandbox({ prefix: 'gh-cli-token-' });
  const service = sandbox.env.GATEHOUSE_KEYCHAIN_SERVICE!;
  services.push(service, `${service}-demo`);
  const signIn = startCli(['sign-in', 'demo'], { env: sandbox.env });
  await new HttpBrowser().open(await waitFor(fileText(sandbox.urlFile), 'the browser'), { user });
  expect((await signIn.done).code).toBe(0);
  const keychain = new KeyringSecretStore(service);
  const key = itemKeyIn(sandbox.dataDir, `demo:${user}`);
  const read = async () => JSON.parse((await keychain.get(key))!) as Item;
  const write = (item: Item) => keychain.set(key, JSON.stringify(item));
  return { env: sandbox.env, read, write };
}

describe.skipIf(!keyring)('gatehouse token', () => {
  it('prints the stored access token while it has more than a minute left', async () => {
    const { env, read } = await signedIn('tess');
    const before = await read();
    const run = await runCli(['token', 'demo:tess'], { env, human: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${before.tokens.accessToken}\n`);
    expect((await read()).tokens.accessToken).toBe(before.tokens.accessToken);
    // `accounts` (the index and the configuration only) lists the same account for a person.
    const listed = await runCli(['accounts'], { env, human: true });
    expect(listed.stdout).toMatch(
      /^ACCOUNT\s+NAME\s+PROVIDER\s+STATUS\ndemo:tess\s+Tess Demo <tess@demo\.gatehouse\.invalid>\s+Demo provider \(local\)\s+signed in, token valid until \d\d:\d\d\n$/,
    );
  });

  it('renews first when the token is due, and prints the new one', async () => {
    const { env, read, write } = await signedIn('toby');
    const item = await read();
    const old = item.tokens.accessToken;
    await write({ ...item, tokens: { ...item.tokens, expiresAt: Date.now() + 5_000 } });
    const run = await runCli(['token', 'demo:toby', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const printed = run.json<{ accessToken: string; expiresAt: number }>();
    expect(printed.accessToken).not.toBe(old);
    const after = await read();
    expect(after.tokens.accessToken).toBe(printed.accessToken);
    expect(printed.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    expect(run.stderr).not.toContain(printed.accessToken);
  });

  it('an account that is not signed in: exit 4, naming where the ids are', async () => {
    const { env } = cliSandbox({ prefix: 'gh-cli-token-none-' });
    const run = await runCli(['token', 'demo:nobody'], { env, human: true });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'No account "demo:nobody" is signed in (see "gatehouse accounts").',
    );
  });
});

describe.skipIf(!keyring)('gatehouse status', () => {
  it('with nobody signed in, says so and how to sign in', async () => {
    const { env } = cliSandbox({ prefix: 'gh-cli-status-' });
    const run = await runCli(['status'], { env, human: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'No accounts are signed in. Sign in with: gatehouse sign-in <provider>',
    );
    expect(run.stdout).toMatch(/demo\s+demo\s+Demo provider \(local\)\s+ready/);
  });

  it('an ended session is listed under "Needs attention" with the command that fixes it', async () => {
    const { env, read, write } = await signedIn('una');
    // An item with no binding (the first release's format) must sign in again once.
    await write({ ...(await read()), binding: null } as Item);
    const run = await runCli(['status'], { env, human: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /demo:una\s+Una Demo <una@demo\.gatehouse\.invalid>\s+Demo provider \(local\)\s+expired: sign in again/,
    );
    expect(run.stdout).toMatch(
      /Needs attention:\n {2}✗ demo:una: the session has ended \(.+\)\. Run: gatehouse sign-in demo/,
    );
    const json = await runCli(['status'], { env });
    const report = json.json<Record<string, unknown>>();
    expect(Object.keys(report).sort()).toEqual(['accounts', 'attention', 'providers', 'storage']);
    expect(report.attention).toEqual([expect.stringContaining('Run: gatehouse sign-in demo')]);
    // And `token` says the same, with exit 1 and nothing on stdout.
    const token = await runCli(['token', 'demo:una'], { env, human: true });
    expect(token.code).toBe(1);
    expect(token.stdout).toBe('');
    expect(token.stderr).toMatch(
      /demo:una has no valid access token \(the session has ended: .+\)\. Sign in again: gatehouse sign-in demo \[session_expired\]/,
    );
  });
});
