/**
 * A fresh install has no providers.json and usually none of the provider variables set. The app
 * must still start: the demo works, and each named provider is listed with what is missing and
 * refuses to sign in with provider_misconfigured (regression: an empty GITHUB_CLIENT_ID used to
 * throw at start-up inside openid-client's Configuration).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../../main/app/core';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { MemorySecretStoreForTests } from '../../support/memory-store';

const cores: GatehouseCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
});

function bareCore(env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-defaults-'));
  const core = new GatehouseCore({
    configDir: dir,
    dataDir: dir,
    env,
    store: new MemorySecretStoreForTests(),
    index: new MemoryAccountIndex(),
    openBrowser: async () => undefined,
  });
  cores.push(core);
  return core;
}

describe('default providers with no environment', () => {
  it('starts, lists every provider, and names what each one is missing', () => {
    const list = bareCore().providersList();
    expect(list.configError).toBeNull();
    const byId = Object.fromEntries(list.providers.map((p) => [p.id, p]));
    expect(Object.keys(byId)).toEqual(['demo', 'webex', 'github', 'xwms', 'hawcx']);
    expect(byId.demo!.configErrors).toEqual([]);
    expect(byId.github!.configErrors.join(' ')).toMatch(/GITHUB_CLIENT_ID/);
    expect(byId.webex!.configErrors.join(' ')).toMatch(/WEBEX_CLIENT_ID/);
    expect(byId.xwms!.configErrors.join(' ')).toMatch(/XWMS_CLIENT_ID/);
    // Hawcx by the guide's names: OAUTH_AUDIENCE, JWKS_URL and OAUTH_PUBLIC_KEY are optional.
    expect(byId.hawcx!.configErrors).toEqual([
      'OAUTH_ISSUER is not set in .env',
      'OAUTH_CLIENT_ID is not set in .env',
      'OAUTH_AUTHORIZATION_ENDPOINT is not set in .env',
      'OAUTH_TOKEN_ENDPOINT is not set in .env',
    ]);
  });

  it.each(['webex', 'github', 'xwms', 'hawcx'])(
    '%s refuses to sign in, with a sentence',
    async (id) => {
      const core = bareCore();
      await expect(core.sessions.signIn(id, { openBrowser: false })).rejects.toMatchObject({
        code: 'provider_misconfigured',
        message: expect.stringMatching(/is not set up: .*_CLIENT_ID/),
      });
      // The window keeps the failed attempt on screen with its code, so the person sees why.
      expect(core.sessions.snapshot().pending).toMatchObject([
        { providerId: id, status: { kind: 'error', code: 'provider_misconfigured' } },
      ]);
      expect(core.sessions.snapshot().accounts).toEqual([]);
    },
  );

  it('a GitHub client id from the environment clears its problem', () => {
    const github = bareCore({ GITHUB_CLIENT_ID: 'Iv1.0123456789abcdef' })
      .providersList()
      .providers.find((p) => p.id === 'github')!;
    expect(github.configErrors).toEqual([]);
  });

  it('Hawcx needs a JWKS_URL or an OAUTH_PUBLIC_KEY once its endpoints are set', () => {
    const env = {
      OAUTH_CLIENT_ID: 'hawcx-client',
      OAUTH_ISSUER: 'https://tenant.hawcx.test',
      OAUTH_AUTHORIZATION_ENDPOINT: 'https://tenant.hawcx.test/oauth/authorize',
      OAUTH_TOKEN_ENDPOINT: 'https://tenant.hawcx.test/oauth/token',
    };
    const hawcx = (more: Record<string, string>) =>
      bareCore({ ...env, ...more })
        .providersList()
        .providers.find((p) => p.id === 'hawcx')!;
    expect(hawcx({}).configErrors).toEqual([
      'neither jwksUri nor publicKeyPem is set: one of them is needed without discovery',
    ]);
    expect(
      hawcx({ JWKS_URL: 'https://tenant.hawcx.test/.well-known/jwks.json' }).configErrors,
    ).toEqual([]);
  });
});
