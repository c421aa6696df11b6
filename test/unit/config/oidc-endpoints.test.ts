/**
 * An `oidc` provider configured by endpoints, without discovery (issue 13 item 4): the schema
 * takes either discovery (issuer alone) or the full set, refuses HS* and none as ID-token
 * algorithms, expands "${NAME}" in the new fields, and the module lists what cannot be used
 * (an http endpoint off this computer, a private key, both key sources) as provider problems.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../../main/app/core';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { algorithmsFor } from '../../../main/auth/providers/oidc-endpoints';
import { loadConfig } from '../../../main/config/load';
import { MemorySecretStoreForTests } from '../../support/memory-store';

function configDir(file: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-endpoints-'));
  writeFileSync(path.join(dir, 'providers.json'), JSON.stringify(file));
  return dir;
}

const EC_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

const corp = (extra: Record<string, unknown> = {}) => ({
  id: 'corp',
  kind: 'oidc',
  clientId: 'gatehouse-desktop',
  issuer: 'https://login.example.test',
  authorizationEndpoint: 'https://login.example.test/oauth/authorize',
  tokenEndpoint: 'https://login.example.test/oauth/token',
  jwksUri: 'https://login.example.test/oauth/jwks',
  ...extra,
});

const cores: GatehouseCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
});

/** The provider's listed problems, through the whole start-up (config, then the module). */
function problemsOf(provider: Record<string, unknown>, env: Record<string, string> = {}) {
  const dir = configDir({ providers: [provider] });
  const core = new GatehouseCore({
    configDir: dir,
    dataDir: dir,
    env,
    store: new MemorySecretStoreForTests(),
    index: new MemoryAccountIndex(),
    openBrowser: async () => undefined,
  });
  cores.push(core);
  const list = core.providersList();
  expect(list.configError).toBeNull();
  return list.providers[0]!.configErrors;
}

const errorOf = (provider: Record<string, unknown>) =>
  loadConfig({ configDir: configDir({ providers: [provider] }), env: {} }).error?.message ?? '';

describe('schema: discovery or the explicit endpoints', () => {
  it('an issuer alone (discovery) and the full explicit set both pass', () => {
    expect(errorOf({ id: 'kc', kind: 'oidc', clientId: 'c', issuer: 'https://sso.test' })).toBe('');
    expect(errorOf(corp())).toBe('');
    expect(errorOf(corp({ jwksUri: undefined, publicKeyPem: EC_PEM }))).toBe('');
  });

  it('a missing tokenEndpoint is named, with the set that is needed', () => {
    const message = errorOf(corp({ tokenEndpoint: undefined }));
    expect(message).toContain('providers[0].tokenEndpoint (provider "corp"): is missing');
    expect(message).toMatch(/authorizationEndpoint, tokenEndpoint, issuer and jwksUri/);
  });

  it('neither jwksUri nor publicKeyPem is named', () => {
    expect(errorOf(corp({ jwksUri: undefined }))).toContain(
      'providers[0].jwksUri (provider "corp"): is missing (or publicKeyPem)',
    );
  });

  it('an optional endpoint alone is not discovery: the explicit set is asked for', () => {
    const message = errorOf({
      id: 'kc',
      kind: 'oidc',
      clientId: 'c',
      issuer: 'https://sso.test',
      revocationEndpoint: 'https://sso.test/revoke',
    });
    expect(message).toContain('providers[0].authorizationEndpoint (provider "kc"): is missing');
  });

  it.each(['HS256', 'HS512', 'none'])('%s in idTokenSigningAlgs is refused', (alg) => {
    const message = errorOf(corp({ idTokenSigningAlgs: ['ES256', alg] }));
    expect(message).toContain(`providers[0].idTokenSigningAlgs[1] (provider "corp"): ${alg}`);
    expect(message).toMatch(/never HS\* or none/);
  });

  it.each(['authorizationEndpoint', 'tokenEndpoint', 'jwksUri', 'userinfoEndpoint'])(
    '%s without a scheme is refused, naming provider and field',
    (field) => {
      expect(errorOf(corp({ [field]: 'login.example.test/x' }))).toContain(
        `providers[0].${field} (provider "corp"): must be an absolute URL`,
      );
    },
  );
});

describe('the module: what the endpoints and the key can be', () => {
  it('an http endpoint off this computer is a problem, named by its field', () => {
    expect(problemsOf(corp({ tokenEndpoint: 'http://login.example.test/token' }))).toEqual([
      'tokenEndpoint must be an https URL (plain http only on this computer)',
    ]);
    expect(problemsOf(corp({ tokenEndpoint: 'http://127.0.0.1:9/token' }))).toEqual([]);
  });

  it('a PEM with literal \\n (as the Hawcx guide writes it) is read', () => {
    const oneLine = EC_PEM.trim().replace(/\n/g, '\\n');
    expect(problemsOf(corp({ jwksUri: undefined, publicKeyPem: oneLine }))).toEqual([]);
  });

  it('a private key, a non-key or both key sources are problems', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(problemsOf(corp({ jwksUri: undefined, publicKeyPem: privatePem }))).toEqual([
      'publicKeyPem holds a private key: give the public key',
    ]);
    expect(problemsOf(corp({ jwksUri: undefined, publicKeyPem: 'not a key' }))).toEqual([
      'publicKeyPem is not a PEM public key or certificate',
    ]);
    expect(problemsOf(corp({ publicKeyPem: EC_PEM }))).toEqual([
      'jwksUri and publicKeyPem are both set: give one of them',
    ]);
  });

  it('"${NAME}" expands in the endpoint, audience and key fields', () => {
    const provider = corp({
      tokenEndpoint: '${CORP_TOKEN}',
      audience: '${CORP_AUDIENCE}',
      jwksUri: undefined,
      publicKeyPem: '${CORP_KEY}',
    });
    const dir = configDir({
      env: ['CORP_TOKEN', 'CORP_AUDIENCE', 'CORP_KEY'],
      providers: [provider],
    });
    const env = {
      CORP_TOKEN: 'https://login.example.test/t',
      CORP_AUDIENCE: 'api://corp',
      CORP_KEY: EC_PEM,
    };
    const config = loadConfig({ configDir: dir, env });
    expect(config.error).toBeNull();
    expect(config.providers[0]!.config).toMatchObject({
      tokenEndpoint: env.CORP_TOKEN,
      audience: 'api://corp',
      publicKeyPem: EC_PEM,
    });
  });
});

describe('the pinned key decides the ID-token algorithms', () => {
  it.each([
    ['RSA', generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, ['RS256', 'PS256']],
    ['P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey, ['ES256']],
    ['P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey, ['ES384']],
    ['P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey, ['ES512']],
    ['Ed25519', generateKeyPairSync('ed25519').publicKey, ['EdDSA']],
    ['X25519 (no signatures)', generateKeyPairSync('x25519').publicKey, null],
  ])('%s', (_name, key, algorithms) => {
    expect(algorithmsFor(key)).toEqual(algorithms);
  });
});
