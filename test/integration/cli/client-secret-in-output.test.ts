/**
 * Attack: a providers.json that copies the environment's client secret into a field the command
 * line prints (a display name), so `gatehouse providers` or `doctor` shows it on screen, in a
 * terminal log or a support ticket. No output ever holds an expanded clientSecret.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliSandbox, runCli } from '../../support/cli';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('client-secret-in-output.test');
const SECRET = 'gh-secret-4d1c9e0b7a';

const github = (extra: Record<string, unknown> = {}) => ({
  id: 'github',
  kind: 'github',
  clientId: 'Iv1.0123456789abcdef',
  clientSecret: '${GITHUB_CLIENT_SECRET}',
  ...extra,
});

describe.skipIf(!keyring)('attack: the client secret printed by providers or doctor', () => {
  it.each([
    ['a plain configuration', github()],
    ['the secret copied into displayName', github({ displayName: '${GITHUB_CLIENT_SECRET}' })],
    ['the secret copied into baseUrl', github({ baseUrl: '${GITHUB_CLIENT_SECRET}' })],
    [
      'the secret in an authorize parameter',
      {
        id: 'corp',
        kind: 'oidc',
        issuer: 'https://login.example.test',
        clientId: 'c',
        clientSecret: '${GITHUB_CLIENT_SECRET}',
        extraAuthorizeParams: { sdk_config_id: '${GITHUB_CLIENT_SECRET}' },
      },
    ],
  ])('%s: no output holds the secret', async (_name, provider) => {
    const { env, configFile } = cliSandbox({ prefix: 'gh-cli-secret-' });
    writeFileSync(configFile, JSON.stringify({ providers: [provider] }));
    const runEnv = { ...env, GITHUB_CLIENT_SECRET: SECRET };
    const listed = await runCli(['providers'], { env: runEnv });
    const doctor = await runCli(['doctor', provider.id], { env: runEnv });
    for (const run of [listed, doctor]) expect(run.stdout + run.stderr).not.toContain(SECRET);
  });
});
