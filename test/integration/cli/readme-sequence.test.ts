/**
 * The README's command-line sequence, each command its own process, as a person types them:
 * `sign-in demo`, `accounts`, `refresh demo:alice`, `sign-out demo:alice`. The refresh and the
 * revocation work because the demo provider is one issuer per data folder (its port in the data
 * folder, its keys and grants in the keychain under its own service), and what it writes to the
 * data folder names no token: the scan of secret-scan.mjs finds none there.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAccountItem } from '../../support/account-items';
import { KeyringSecretStore } from '../../../main/secrets/keyring-store';
// @ts-expect-error: a plain .mjs script without type declarations
import { scanForSecrets } from '../../../scripts/secret-scan.mjs';
import { cliSandbox, fileText, runCli, startCli, waitFor } from '../../support/cli';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('readme-sequence.test');

type Scan = (input: { secrets: Iterable<string>; roots: string[] }) => {
  files: number;
  findings: Array<{ file: string; secret: string }>;
};
const scan = scanForSecrets as Scan;

const services: string[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) {
    const store = new KeyringSecretStore(service);
    for (const id of await store.listAccountIds()) await store.delete(id);
  }
});

/** Every token of the account as the keychain holds it now. */
async function tokensOf(
  store: KeyringSecretStore,
  dataDir: string,
  accountId: string,
): Promise<string[]> {
  const raw = await readAccountItem(store, dataDir, accountId);
  const tokens = (JSON.parse(raw ?? '{}') as { tokens?: Record<string, unknown> }).tokens ?? {};
  return [tokens.accessToken, tokens.refreshToken, tokens.idToken].filter(
    (t): t is string => typeof t === 'string',
  );
}

/** The account's expiry as the account index on disk holds it. */
function indexedExpiry(dataDir: string, accountId: string): number | null | undefined {
  const index = JSON.parse(readFileSync(path.join(dataDir, 'accounts.json'), 'utf8')) as {
    accounts: Array<{ accountId: string; expiresAt: number | null }>;
  };
  return index.accounts.find((entry) => entry.accountId === accountId)?.expiresAt;
}

/** The account's expiry as its keychain item holds it. */
async function keychainExpiry(store: KeyringSecretStore, dataDir: string, accountId: string) {
  const raw = await readAccountItem(store, dataDir, accountId);
  return (JSON.parse(raw ?? '{}') as { tokens?: { expiresAt?: number | null } }).tokens?.expiresAt;
}

const quiet = (stderr: string) => expect(stderr).not.toMatch(/oidc-provider|WARNING|NOTICE/);

describe.skipIf(!keyring)("the README's command-line sequence, one process per command", () => {
  it('sign-in demo → accounts → refresh demo:alice → sign-out demo:alice', async () => {
    const { urlFile, env, dataDir } = cliSandbox({ prefix: 'gh-cli-readme-' });
    const service = env.GATEHOUSE_KEYCHAIN_SERVICE!;
    services.push(service, `${service}-demo`);
    const accounts = new KeyringSecretStore(service);
    const seen: string[] = [];

    const signIn = startCli(['sign-in', 'demo'], { env });
    const url = await waitFor(fileText(urlFile), 'the CLI to open the browser');
    const page = await new HttpBrowser().open(url, { user: 'alice' });
    expect(page.body).toContain('Signed in to Demo provider (local). You can close this tab.');
    const signedIn = await signIn.done;
    expect(signedIn.code).toBe(0);
    quiet(signedIn.stderr);
    expect(signedIn.json()).toMatchObject({ accountId: 'demo:alice' });
    seen.push(...(await tokensOf(accounts, dataDir, 'demo:alice')));

    const listed = await runCli(['accounts'], { env });
    expect(listed.code).toBe(0);
    expect(listed.json()).toEqual([
      expect.objectContaining({ accountId: 'demo:alice', remembered: true }),
    ]);

    const refreshed = await runCli(['refresh', 'demo:alice'], { env });
    expect(refreshed.stderr).toBe('');
    expect(refreshed.code).toBe(0);
    expect(refreshed.json()).toMatchObject({
      accountId: 'demo:alice',
      status: { kind: 'signed-in' },
    });
    const renewed = await tokensOf(accounts, dataDir, 'demo:alice');
    expect(renewed[0]).not.toBe(seen[0]);
    seen.push(...renewed);
    // The refresh's index entry is written after it (with any others), yet before the process
    // exits: `accounts` reads the new expiry from the index alone.
    expect(indexedExpiry(dataDir, 'demo:alice')).toBe(
      await keychainExpiry(accounts, dataDir, 'demo:alice'),
    );

    // The demo's keys and grants are in the keychain, under its own service.
    const demoItems = await new KeyringSecretStore(`${service}-demo`).listAccountIds();
    expect(demoItems).toContain('demo/server');
    expect(demoItems.some((id) => id.startsWith('demo/record/'))).toBe(true);

    const out = await runCli(['sign-out', 'demo:alice'], { env });
    expect(out.code).toBe(0);
    quiet(out.stderr);
    // Revoked at the same issuer, by a fourth process.
    expect(out.json()).toMatchObject({ accountId: 'demo:alice', kind: 'revoked' });
    expect((await runCli(['accounts'], { env })).json()).toEqual([]);

    const demoDir = path.join(dataDir, 'demo', 'demo');
    expect(readdirSync(demoDir).sort()).toEqual(['records.json', 'state.json']);
    const records = JSON.parse(readFileSync(path.join(demoDir, 'records.json'), 'utf8')) as {
      records: Record<string, unknown>;
    };
    for (const key of Object.keys(records.records)) expect(key).toMatch(/^[0-9a-f]{64}$/);
    const { files, findings } = scan({ secrets: seen, roots: [dataDir] });
    expect(files).toBeGreaterThan(2);
    expect(findings).toEqual([]);
  });
});
