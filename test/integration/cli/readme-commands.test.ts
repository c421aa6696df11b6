/**
 * The README's command-line block, read from the README under '## The command line' and run line
 * by line as a person types it: each `npx gatehouse …` its own process, with the human output a
 * person reads (no --json), in a fresh data folder and a private keychain service. The person at
 * the browser is "alice", as the README's account ids say. `npm run build:main` is what
 * ensureCliBuilt runs (test/unit/foundation/readme-commands.test.ts checks the script's body).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { itemsOfAccount, readAccountItem } from '../../support/account-items';
import { KeyringSecretStore } from '../../../main/secrets/keyring-store';
// @ts-expect-error: a plain .mjs script without type declarations
import { scanForSecrets } from '../../../scripts/secret-scan.mjs';
import {
  ROOT,
  cliSandbox,
  fileText,
  runCli,
  startCli,
  waitFor,
  type CliRun,
} from '../../support/cli';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('readme-commands.test');

type Scan = (input: { secrets: Iterable<string>; roots: string[] }) => {
  findings: Array<{ file: string; secret: string }>;
};
const scan = scanForSecrets as Scan;

/** The ```sh block under the README's '## The command line', as argv lists of `gatehouse`. */
function readmeCliLines(): string[][] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('## The command line')[1]!.split('\n## ')[0]!;
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean)
    .flatMap((line) => line.split('&&').map((part) => part.trim()))
    .filter((command) => command !== 'npm run build:main')
    .map((command) => {
      expect(command, 'every other line of the block runs gatehouse').toMatch(/^npx gatehouse /);
      return command.split(/\s+/).slice(2);
    });
}

const services: string[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) {
    const store = new KeyringSecretStore(service);
    for (const id of await store.listAccountIds()) await store.delete(id);
  }
});

const PRINTED_NO_JSON = /^\s*[[{]/;

describe.skipIf(!keyring)("the README's command-line block, as a person types it", () => {
  it("runs '## The command line' line by line, each a process, with human output", async () => {
    const lines = readmeCliLines();
    expect(lines.map((argv) => argv[0])).toEqual([
      'sign-in',
      'status',
      'token',
      'sign-out',
      'doctor',
    ]);
    const { urlFile, env, dataDir } = cliSandbox({ prefix: 'gh-cli-readme-block-' });
    services.push(env.GATEHOUSE_KEYCHAIN_SERVICE!, `${env.GATEHOUSE_KEYCHAIN_SERVICE!}-demo`);
    const keychain = new KeyringSecretStore(env.GATEHOUSE_KEYCHAIN_SERVICE!);
    const seen: string[] = [];
    const runs: Record<string, CliRun> = {};

    for (const argv of lines) {
      if (argv[0] === 'sign-in') {
        const signIn = startCli(argv, { env, human: true });
        const url = await waitFor(fileText(urlFile), 'the CLI to open the browser');
        await new HttpBrowser().open(url, { user: 'alice' });
        runs[argv[0]] = await signIn.done;
        const raw = await readAccountItem(keychain, dataDir, 'demo:alice');
        const stored = JSON.parse(raw ?? '{}') as {
          tokens: { accessToken: string; refreshToken?: string };
        };
        seen.push(stored.tokens.accessToken, stored.tokens.refreshToken ?? '');
      } else {
        runs[argv[0]!] = await runCli(argv, { env, human: true });
      }
      expect(runs[argv[0]!]!.code, `${argv.join(' ')}: ${runs[argv[0]!]!.stderr}`).toBe(0);
      expect(runs[argv[0]!]!.stdout).not.toMatch(PRINTED_NO_JSON);
    }

    expect(runs['sign-in']!.stdout.trim()).toBe(
      'Signed in as Alice Demo <alice@demo.gatehouse.invalid> with Demo provider (local) (demo:alice)',
    );
    expect(runs['sign-in']!.stderr).toContain('Continue in your browser');

    const status = runs.status!.stdout;
    expect(status).toMatch(/^Tokens are kept in /);
    expect(status).toMatch(
      /demo:alice\s+Alice Demo <alice@demo\.gatehouse\.invalid>\s+Demo provider \(local\)\s+signed in/,
    );
    expect(status).toMatch(/demo\s+demo\s+Demo provider \(local\)\s+ready/);
    expect(status).toContain('Nothing needs attention.');

    // The token is the stored access token, alone on stdout, so `$(gatehouse token …)` works.
    expect(seen[0]).toBeTruthy();
    expect(runs.token!.stdout).toBe(`${seen[0]}\n`);
    expect(runs.token!.stderr).toBe('');

    expect(runs['sign-out']!.stdout.trim()).toBe('Signed out. The provider revoked the session.');
    expect(runs['sign-out']!.stderr).toBe('');
    expect(await itemsOfAccount(keychain, 'demo:alice')).toEqual([]);

    const doctor = runs.doctor!.stdout.trim().split('\n');
    expect(doctor.length).toBeGreaterThanOrEqual(5);
    for (const line of doctor) expect(line).toMatch(/^✓ [^:]+: /);
    expect(runs.doctor!.stderr).toBe('');

    // No token, in any of these processes' output other than `token`'s, or in the data folder.
    for (const [name, run] of Object.entries(runs))
      if (name !== 'token')
        for (const secret of seen.filter(Boolean))
          expect(run.stdout + run.stderr).not.toContain(secret);
    expect(scan({ secrets: seen.filter(Boolean), roots: [dataDir] }).findings).toEqual([]);
  });
});
