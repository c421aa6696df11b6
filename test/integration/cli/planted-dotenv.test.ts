/**
 * Attack: a `.env` planted in the folder someone runs `gatehouse` from (a cloned repository, a
 * downloads folder) configured GitHub and XWMS with the attacker's client and API URL. `.env` is
 * read only beside the configuration file, never from the working directory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSandbox, runCli } from '../../support/cli';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('planted-dotenv.test');

const NAMES = [
  'GITHUB_CLIENT_ID',
  'GITHUB_CLIENT_SECRET',
  'XWMS_CLIENT_ID',
  'XWMS_CLIENT_SECRET',
  'XWMS_DOMAIN',
  'XWMS_API_URL',
];
// None of the provider variables from the test runner's own environment.
const unset = Object.fromEntries(NAMES.map((name) => [name, undefined]));

const PLANTED = [
  'GITHUB_CLIENT_ID=Iv1.attacker0000000',
  'GITHUB_CLIENT_SECRET=attacker-secret',
  'XWMS_CLIENT_ID=attacker-xwms-client',
  'XWMS_CLIENT_SECRET=attacker-xwms-secret',
  'XWMS_DOMAIN=attacker.example',
  'XWMS_API_URL=https://xwms.attacker.example/api/',
].join('\n');

interface Listed {
  providers: Array<{ id: string; configErrors: string[] }>;
}

describe.skipIf(!keyring)('attack: a .env planted in the working directory', () => {
  it('configures neither GitHub nor XWMS', async () => {
    const { env } = cliSandbox({ prefix: 'gh-cli-dotenv-' });
    const cwd = mkdtempSync(path.join(tmpdir(), 'gh-planted-'));
    writeFileSync(path.join(cwd, '.env'), PLANTED);
    const run = await runCli(['providers'], { env: { ...unset, ...env }, cwd });
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(/attacker/);
    const byId = Object.fromEntries(run.json<Listed>().providers.map((p) => [p.id, p]));
    expect(byId.github!.configErrors.join(' ')).toMatch(/GITHUB_CLIENT_ID is not set/);
    expect(byId.xwms!.configErrors.join(' ')).toMatch(/XWMS_CLIENT_ID is not set/);
    expect(byId.xwms!.configErrors.join(' ')).toMatch(/XWMS_API_URL is not set/);
  });

  it('the .env beside the configuration file is still read', async () => {
    const { env, dir } = cliSandbox({ prefix: 'gh-cli-dotenv-' });
    writeFileSync(path.join(dir, '.env'), 'GITHUB_CLIENT_ID=Iv1.owner000000000\n');
    const cwd = mkdtempSync(path.join(tmpdir(), 'gh-planted-'));
    writeFileSync(path.join(cwd, '.env'), PLANTED);
    const run = await runCli(['providers'], { env: { ...unset, ...env }, cwd });
    const github = run.json<Listed>().providers.find((p) => p.id === 'github')!;
    expect(github.configErrors).toEqual([]);
  });
});
