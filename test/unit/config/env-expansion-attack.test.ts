/**
 * Attack: a providers.json that pulls any environment variable into any field. "${NAME}" is
 * expanded only in clientId, clientSecret, issuer, wellKnownUrl, baseUrl, domain, apiUrl and the
 * oidc endpoint, audience and key fields, and only for the names the README lists or the file
 * declares in its top-level "env" list.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../../main/app/core';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { KNOWN_ENV_NAMES } from '../../../main/config/defaults';
import { loadConfig } from '../../../main/config/load';
import { MemorySecretStoreForTests } from '../../support/memory-store';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SECRET = 's3cr3t-from-env-7f3a';
const ENV = { SECRET_FROM_ENV: SECRET };

function configDir(file: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-expand-'));
  writeFileSync(path.join(dir, 'providers.json'), JSON.stringify(file));
  return dir;
}

const oidc = (extra: Record<string, unknown>) => ({
  id: 'corp',
  kind: 'oidc',
  issuer: 'https://login.example.test',
  clientId: 'gatehouse',
  ...extra,
});

const cores: GatehouseCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
});

function core(dir: string, env: Record<string, string>) {
  const c = new GatehouseCore({
    configDir: dir,
    dataDir: dir,
    env,
    store: new MemorySecretStoreForTests(),
    index: new MemoryAccountIndex(),
    openBrowser: async () => undefined,
  });
  cores.push(c);
  return c;
}

describe('attack: an environment secret expanded into an authorize parameter or a display name', () => {
  it.each([
    ['undeclared', {}],
    ['declared in "env"', { env: ['SECRET_FROM_ENV'] }],
  ])('sdk_config_id: "${SECRET_FROM_ENV}" (%s) is not expanded', (_name, declared) => {
    const dir = configDir({
      ...declared,
      providers: [oidc({ extraAuthorizeParams: { sdk_config_id: '${SECRET_FROM_ENV}' } })],
    });
    const config = loadConfig({ configDir: dir, env: ENV });
    expect(JSON.stringify(config)).not.toContain(SECRET);
    expect(config.error?.message).toMatch(
      /providers\[0\]\.extraAuthorizeParams\.sdk_config_id \(provider "corp"\): .*not expanded/,
    );
    expect(config.providers).toEqual([]);
  });

  it('displayName: "${SECRET_FROM_ENV}" is not expanded, and the window list never shows it', () => {
    const dir = configDir({
      env: ['SECRET_FROM_ENV'],
      providers: [oidc({ displayName: '${SECRET_FROM_ENV}' })],
    });
    const list = core(dir, ENV).providersList();
    expect(JSON.stringify(list)).not.toContain(SECRET);
    expect(list.configError?.message).toMatch(/providers\[0\]\.displayName \(provider "corp"\)/);
  });
});

describe('attack: an undeclared environment variable read through clientId', () => {
  it('is not expanded: a configuration error names the provider, the field and the variable', () => {
    const dir = configDir({ providers: [oidc({ clientId: '${SECRET_FROM_ENV}' })] });
    const config = loadConfig({ configDir: dir, env: ENV });
    expect(JSON.stringify(config)).not.toContain(SECRET);
    expect(config.error?.message).toMatch(/providers\[0\]\.clientId \(provider "corp"\)/);
    expect(config.error?.message).toContain('SECRET_FROM_ENV');
    expect(config.error?.message).toMatch(/"env"/);
  });

  it('a name the file declares in "env" is expanded', () => {
    const dir = configDir({
      env: ['CORP_CLIENT_ID'],
      providers: [oidc({ clientId: '${CORP_CLIENT_ID}' })],
    });
    const config = loadConfig({ configDir: dir, env: { CORP_CLIENT_ID: 'corp-app' } });
    expect(config.error).toBeNull();
    expect(config.providers[0]!.config).toMatchObject({ clientId: 'corp-app' });
  });

  it('a name the README lists is expanded without a declaration', () => {
    const dir = configDir({
      providers: [{ id: 'gh', kind: 'github', clientId: '${GITHUB_CLIENT_ID}', clientSecret: 'x' }],
    });
    const config = loadConfig({ configDir: dir, env: { GITHUB_CLIENT_ID: 'Iv1.abc' } });
    expect(config.error).toBeNull();
    expect(config.providers[0]!.config).toMatchObject({ clientId: 'Iv1.abc' });
  });
});

describe('attack: a client secret copied into a field that is printed', () => {
  it('a variable used as a clientSecret may not also fill a URL field', () => {
    const dir = configDir({
      providers: [
        {
          id: 'gh',
          kind: 'github',
          clientId: 'Iv1.abc',
          clientSecret: '${GITHUB_CLIENT_SECRET}',
          baseUrl: '${GITHUB_CLIENT_SECRET}',
        },
      ],
    });
    const list = core(dir, { GITHUB_CLIENT_SECRET: 'https://x.example/' + SECRET }).providersList();
    expect(JSON.stringify(list)).not.toContain(SECRET);
    expect(list.configError?.message).toMatch(
      /providers\[0\]\.baseUrl \(provider "gh"\): GITHUB_CLIENT_SECRET .*clientSecret/,
    );
  });
});

describe('attack: a JSON error that quotes the file', () => {
  it('names the fault but never echoes the text around it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-expand-'));
    // V8 quotes about ten characters on each side of the fault.
    writeFileSync(path.join(dir, 'providers.json'), '{"clientSecret":"k9Q2z","b":x}');
    const message = loadConfig({ configDir: dir, env: {} }).error?.message ?? '';
    // The fault's line and column (issue 13 item 6), still without the text around it.
    expect(message).toMatch(/providers\.json:1:29: not valid JSON \(Unexpected token 'x'\)/);
    expect(message).not.toContain('9Q2z');
  });
});

describe('the names read without a declaration', () => {
  it('are exactly the default configuration names, and the README lists each', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Provider configuration'));
    expect([...KNOWN_ENV_NAMES].sort()).toEqual([
      'GITHUB_CLIENT_ID',
      'GITHUB_CLIENT_SECRET',
      'JWKS_URL',
      'OAUTH_AUDIENCE',
      'OAUTH_AUTHORIZATION_ENDPOINT',
      'OAUTH_CLIENT_ID',
      'OAUTH_ISSUER',
      'OAUTH_PUBLIC_KEY',
      'OAUTH_TOKEN_ENDPOINT',
      'WEBEX_CLIENT_ID',
      'WEBEX_CLIENT_SECRET',
      'XWMS_API_URL',
      'XWMS_CLIENT_ID',
      'XWMS_CLIENT_SECRET',
      'XWMS_DOMAIN',
    ]);
    for (const name of KNOWN_ENV_NAMES) expect(section.slice(0, 1200)).toContain(`\`${name}\``);
  });
});
