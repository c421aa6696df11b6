/**
 * Bad input: a URL field without a scheme ("github.example.com"). It used to reach
 * `new URL(...)` at start-up and crash the app with a bare "Invalid URL"; now the schema refuses
 * it, naming the provider and the field, and the app starts with the error shown.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../../main/app/core';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { loadConfig } from '../../../main/config/load';
import { MemorySecretStoreForTests } from '../../support/memory-store';

function configDir(file: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-url-'));
  writeFileSync(path.join(dir, 'providers.json'), JSON.stringify(file));
  return dir;
}

const cores: GatehouseCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
});

function startCore(dir: string, env: Record<string, string> = {}) {
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

const github = { id: 'ghe', kind: 'github', clientId: 'Iv1.abc', clientSecret: 's' };
const xwms = { id: 'xw', kind: 'xwms', clientId: 'c', clientSecret: 's', domain: 'example.com' };

describe('bad input: a GitHub baseUrl without a scheme', () => {
  it('start-up does not crash; the error names the provider and the field', () => {
    const dir = configDir({ providers: [{ ...github, baseUrl: 'github.example.com' }] });
    const core = startCore(dir);
    const error = core.providersList().configError;
    expect(error?.message).toMatch(/providers\[0\]\.baseUrl \(provider "ghe"\): .*URL/);
    // Listed with its problem and refusing to sign in (issue 13 item 6), not left out.
    expect(core.providersList().providers).toEqual([
      expect.objectContaining({
        id: 'ghe',
        configErrors: [expect.stringMatching(/^baseUrl: must be an absolute URL/)],
      }),
    ]);
  });

  it.each([
    ['oidc issuer', { id: 'kc', kind: 'oidc', clientId: 'c', issuer: 'sso.example.com' }, 'issuer'],
    [
      'webex wellKnownUrl',
      { id: 'wx', kind: 'webex', clientId: 'c', clientSecret: 's', wellKnownUrl: 'webexapis.com' },
      'wellKnownUrl',
    ],
    ['github apiUrl', { ...github, apiUrl: 'localhost:8080' }, 'apiUrl'],
    ['github baseUrl empty', { ...github, baseUrl: '' }, 'baseUrl'],
    ['xwms apiUrl', { ...xwms, apiUrl: 'ftp://xwms.example/api/' }, 'apiUrl'],
  ])('%s is refused by the schema, naming provider and field', (_name, provider, field) => {
    const config = loadConfig({ configDir: configDir({ providers: [provider] }), env: {} });
    expect(config.error?.message).toContain(
      `providers[0].${field} (provider "${(provider as { id: string }).id}")`,
    );
  });

  it('the same mistake through a variable names the provider, the field and the variable', () => {
    const dir = configDir({
      env: ['GHE_URL'],
      providers: [{ ...github, baseUrl: '${GHE_URL}' }],
    });
    const core = startCore(dir, { GHE_URL: 'github.example.com' });
    expect(core.providersList().configError?.message).toMatch(
      /providers\[0\]\.baseUrl \(provider "ghe"\): GHE_URL .*URL/,
    );
  });

  it('an unset variable in baseUrl is a listed problem, not a crash', () => {
    const dir = configDir({ env: ['GHE_URL'], providers: [{ ...github, baseUrl: '${GHE_URL}' }] });
    const list = startCore(dir).providersList();
    expect(list.configError).toBeNull();
    expect(list.providers[0]!.configErrors.join(' ')).toMatch(/GHE_URL is not set/);
  });

  it('well-formed URLs and references pass', () => {
    const dir = configDir({
      providers: [
        { ...github, baseUrl: 'https://github.example.com/', apiUrl: 'https://x.example/api/v3' },
        { ...xwms, apiUrl: '${XWMS_API_URL}' },
      ],
    });
    const config = loadConfig({ configDir: dir, env: { XWMS_API_URL: 'https://xwms.example/' } });
    expect(config.error).toBeNull();
    expect(config.providers.map((p) => p.problems)).toEqual([[], []]);
  });
});
