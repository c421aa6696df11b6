import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../main/config/load';
import { parseDotEnv } from '../../../main/config/env';
import { isAllowedExternalUrl } from '../../../main/auth/url-rules';
import { createProviderModule } from '../../../main/auth/providers/registry';

function dir() {
  return mkdtempSync(path.join(tmpdir(), 'gh-config-'));
}

describe('configuration', () => {
  it('uses the defaults when no file exists, listing unset variables per provider', () => {
    const d = dir();
    const config = loadConfig({ configDir: d, env: {} });
    expect(config.exists).toBe(false);
    expect(config.error).toBeNull();
    const webex = config.providers.find((p) => p.config.id === 'webex')!;
    expect(webex.problems).toEqual([
      'WEBEX_CLIENT_ID is not set in .env',
      'WEBEX_CLIENT_SECRET is not set in .env',
    ]);
    expect(config.providers.find((p) => p.config.id === 'demo')!.problems).toEqual([]);
  });

  it('reads values from a .env beside the file, the environment winning', () => {
    const d = dir();
    writeFileSync(
      path.join(d, '.env'),
      'WEBEX_CLIENT_ID=from-dotenv\nWEBEX_CLIENT_SECRET="quoted secret" # comment\n',
    );
    const config = loadConfig({ configDir: d, env: { WEBEX_CLIENT_ID: 'from-env' } });
    const webex = config.providers.find((p) => p.config.id === 'webex')!;
    expect(webex.problems).toEqual([]);
    expect(webex.config).toMatchObject({ clientId: 'from-env', clientSecret: 'quoted secret' });
  });

  it('names the file and the field for a schema error; no provider stands in (issue 12)', () => {
    const d = dir();
    const file = path.join(d, 'providers.json');
    writeFileSync(file, JSON.stringify({ providers: [{ id: 'x', kind: 'oidc', clientId: 'c' }] }));
    const config = loadConfig({ configDir: d, env: {} });
    expect(config.error?.file).toBe(file);
    expect(config.error?.message).toContain(file);
    expect(config.error?.message).toContain('providers[0].issuer');
    expect(config.providers.map((p) => p.config.id)).toEqual([]);
  });

  it('names the file for invalid JSON', () => {
    const d = dir();
    writeFileSync(path.join(d, 'providers.json'), '{ "providers": [ ');
    const config = loadConfig({ configDir: d, env: {} });
    // Line and column of the fault (issue 13 item 6): here the end of the text.
    expect(config.error?.message).toMatch(/providers\.json:1:18: not valid JSON/);
  });

  it('refuses unknown keys and duplicate ids', () => {
    const d = dir();
    writeFileSync(
      path.join(d, 'providers.json'),
      JSON.stringify({ providers: [{ id: 'demo', kind: 'demo', colour: 'red' }] }),
    );
    expect(loadConfig({ configDir: d, env: {} }).error?.message).toMatch(/providers\[0\]/);
    writeFileSync(
      path.join(d, 'providers.json'),
      JSON.stringify({
        providers: [
          { id: 'a', kind: 'demo' },
          { id: 'a', kind: 'demo' },
        ],
      }),
    );
    expect(loadConfig({ configDir: d, env: {} }).error?.message).toMatch(/used twice/);
  });

  it('GATEHOUSE_CONFIG points at another file', () => {
    const d = dir();
    const file = path.join(d, 'elsewhere.json');
    writeFileSync(
      file,
      JSON.stringify({
        providers: [
          {
            id: 'kc',
            kind: 'oidc',
            issuer: 'https://id.example.com/realms/x',
            clientId: 'gatehouse',
            extraAuthorizeParams: { sdk_config_id: 'abc' },
            ports: [53682],
          },
        ],
      }),
    );
    const config = loadConfig({ configDir: '/nonexistent', env: { GATEHOUSE_CONFIG: file } });
    expect(config.path).toBe(file);
    expect(config.providers[0]!.config).toMatchObject({ kind: 'oidc', ports: [53682] });
  });

  it('refuses a plain-http issuer that is not on this computer', () => {
    const d = dir();
    const file = path.join(d, 'providers.json');
    writeFileSync(
      file,
      JSON.stringify({
        providers: [
          { id: 'bad', kind: 'oidc', issuer: 'http://id.example.com', clientId: 'c' },
          { id: 'local', kind: 'oidc', issuer: 'http://127.0.0.1:9999', clientId: 'c' },
        ],
      }),
    );
    const config = loadConfig({ configDir: d, env: {} });
    const ctx = { fetch, now: Date.now, httpTimeoutMs: 1000 };
    const bad = createProviderModule(config.providers[0]!, ctx, 1000);
    const local = createProviderModule(config.providers[1]!, ctx, 1000);
    expect(bad.info.configErrors.join()).toMatch(/https/);
    expect(local.info.configErrors).toEqual([]);
  });

  it('parses .env lines', () => {
    expect(parseDotEnv("# c\nexport A=1\nB='two words'\nC=x # trailing\n\nbad line\n")).toEqual({
      A: '1',
      B: 'two words',
      C: 'x',
    });
  });
});

describe('external URLs', () => {
  it.each([
    ['https://github.com/login', true],
    ['http://127.0.0.1:5000/signin?n=1', true],
    ['http://[::1]:5000/x', true],
    ['http://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['https://user:pass@example.com/', false],
    ['smb://host/share', false],
  ])('%s → %s', (url, ok) => {
    expect(isAllowedExternalUrl(url)).toBe(ok);
  });
});
