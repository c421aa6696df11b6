/**
 * Issue 13 item 6 through the built CLI: a providers.json with a slip in one entry, as a person
 * writes one. The other providers still work; the commands that need the broken one exit 78
 * and say what is wrong; a file that is not JSON names the line and column.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliSandbox, fileText, runCli, startCli, waitFor } from '../../support/cli';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('config-errors.test');

// "isuer" for "issuer": the slip the README's troubleshooting section describes.
const WITH_A_SLIP = `{
  "providers": [
    { "id": "demo", "kind": "demo", "displayName": "Demo provider (local)" },
    {
      "id": "corp",
      "kind": "oidc",
      "isuer": "https://sso.example.com",
      "clientId": "gatehouse"
    }
  ]
}
`;

function sandbox(text: string) {
  const box = cliSandbox({ prefix: 'gh-cfg-errors-' });
  writeFileSync(box.configFile, text);
  return box;
}

interface Listed {
  providers: Array<{ id: string; configErrors: string[] }>;
  configError: { message: string } | null;
}

describe('one provider entry with a slip', () => {
  it('`gatehouse providers` lists both, the bad one with the key it probably meant', async () => {
    const { env } = sandbox(WITH_A_SLIP);
    const run = await runCli(['providers'], { env });
    expect(run.code).toBe(0);
    const list = run.json<Listed>();
    expect(list.providers.map((p) => p.id)).toEqual(['demo', 'corp']);
    expect(list.providers[0]!.configErrors).toEqual([]);
    expect(list.providers[1]!.configErrors).toEqual([
      'issuer: is missing',
      'isuer: is not a known key; did you mean "issuer"?',
    ]);
    expect(list.configError?.message).toContain('providers[1].isuer (provider "corp")');
    expect(run.stderr).toContain('gatehouse: warning: the configuration has problems:');

    const human = await runCli(['providers'], { env, human: true });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/demo .*ready/);
    expect(human.stdout).toMatch(/corp .*not set up: .*did you mean "issuer"\?/);
  });

  it('commands that need the bad provider exit 78 naming the problem; the others exit 0', async () => {
    const { env } = sandbox(WITH_A_SLIP);
    for (const args of [
      ['sign-in', 'corp'],
      ['doctor', 'corp'],
      ['refresh', 'corp:alice'],
    ]) {
      const run = await runCli(args, { env });
      expect(run.code, args.join(' ')).toBe(78);
      expect(run.stderr).toContain('provider "corp"');
      expect(run.stderr).toContain('isuer: is not a known key; did you mean "issuer"?');
    }
    for (const args of [['accounts'], ['status']]) {
      const run = await runCli(args, { env });
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stderr).toContain('did you mean "issuer"?');
    }
  });

  it.skipIf(!keyring)('`gatehouse sign-in demo` still signs in', async () => {
    const { env, urlFile } = sandbox(WITH_A_SLIP);
    const signIn = startCli(['sign-in', 'demo'], { env });
    const url = await waitFor(fileText(urlFile), 'the CLI to open the browser');
    const page = await new HttpBrowser().open(url, { user: 'carol' });
    expect(page.body).toContain('Signed in to Demo provider (local).');
    const result = await signIn.done;
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ accountId: 'demo:carol' });
    expect((await runCli(['sign-out', 'demo:carol'], { env })).code).toBe(0);
  });
});

describe('a file that is not JSON', () => {
  const BROKEN =
    '{\n  "providers": [\n    { "id": "demo", "kind": "demo" }\n    { "id": "corp" }\n  ]\n}\n';

  it('names the line and column; only the commands that need a provider exit 78', async () => {
    const { env } = sandbox(BROKEN);
    const signIn = await runCli(['sign-in', 'demo'], { env });
    expect(signIn.code).toBe(78);
    expect(signIn.stderr).toMatch(/providers\.json:4:5: not valid JSON \(Expected ',' or '\]'/);
    const providers = await runCli(['providers'], { env });
    expect(providers.code).toBe(0);
    // No demo stands in for the providers the file meant to configure.
    expect(providers.json<Listed>().providers).toEqual([]);
    expect(providers.stderr).toContain('providers.json:4:5: not valid JSON');
    expect((await runCli(['accounts'], { env })).code).toBe(0);
  });
});
