/**
 * Attack: the demo provider in a packaged build. It was on by default there, and stood in for
 * the configured providers whenever the file was broken, so a tampered file turned the app into
 * "sign in with anything". The Electron entry passes `app.isPackaged`; this is that decision
 * under Node. Development runs (npm start, the CLI in the checkout) keep the demo by default.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../../main/app/core';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { defaultConfig } from '../../../main/config/defaults';
import { loadConfig } from '../../../main/config/load';
import { MemorySecretStoreForTests } from '../../support/memory-store';

const dir = () => mkdtempSync(path.join(tmpdir(), 'gh-demo-pkg-'));
const kinds = (config: ReturnType<typeof loadConfig>) => config.providers.map((p) => p.config.id);

const cores: GatehouseCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
});

describe('attack: the demo provider in a packaged build', () => {
  it('the default configuration has the demo only in development runs', () => {
    expect(defaultConfig({ packaged: true }).providers.map((p) => p.kind)).not.toContain('demo');
    expect(defaultConfig({ packaged: false }).providers.map((p) => p.kind)).toContain('demo');
  });

  it('packaged, no file: no demo provider', () => {
    expect(kinds(loadConfig({ configDir: dir(), env: {}, packaged: true }))).toEqual([
      'webex',
      'github',
      'xwms',
      'hawcx',
    ]);
    expect(kinds(loadConfig({ configDir: dir(), env: {} }))).toEqual([
      'demo',
      'webex',
      'github',
      'xwms',
      'hawcx',
    ]);
  });

  it('packaged, a file that lists the demo: the demo is on', () => {
    const d = dir();
    writeFileSync(
      path.join(d, 'providers.json'),
      JSON.stringify({ providers: [{ id: 'demo', kind: 'demo' }] }),
    );
    expect(kinds(loadConfig({ configDir: d, env: {}, packaged: true }))).toEqual(['demo']);
  });

  it.each([
    ['invalid JSON', 'providers.json', '{ "providers": ['],
    ['a schema error', 'providers.json', '{ "providers": [{ "id": "x", "kind": "oidc" }] }'],
    ['a malformed .env', '.env', 'WEBEX_CLIENT_ID=1\nnot a line\nX=1\n'],
  ])('%s: the error is shown and no provider stands in (packaged or not)', (_n, file, text) => {
    for (const packaged of [true, false]) {
      const d = dir();
      writeFileSync(path.join(d, file), text);
      const config = loadConfig({ configDir: d, env: {}, packaged });
      expect(config.error).not.toBeNull();
      expect(config.providers).toEqual([]);
    }
  });

  it('GatehouseCore passes `packaged` through to the configuration', () => {
    const d = dir();
    const core = new GatehouseCore({
      configDir: d,
      dataDir: d,
      env: {},
      packaged: true,
      store: new MemorySecretStoreForTests(),
      index: new MemoryAccountIndex(),
      openBrowser: async () => undefined,
    });
    cores.push(core);
    expect(core.providersList().providers.map((p) => p.kind)).not.toContain('demo');
    expect(core.provider('demo')).toBeUndefined();
  });
});
