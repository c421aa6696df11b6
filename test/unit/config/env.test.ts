/**
 * .env files through node:util parseEnv: multi-line quoted values survive, comments and
 * `export ` prefixes behave as parseEnv does, and a line that is not NAME=value is refused with
 * its file and line, instead of being merged into the next key.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDotEnv, readDotEnvFiles } from '../../../main/config/env';
import { loadConfig } from '../../../main/config/load';
import { GatehouseError } from '../../../main/ports/errors';

function refusal(text: string, file?: string): GatehouseError {
  try {
    parseDotEnv(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(GatehouseError);
    return error as GatehouseError;
  }
  throw new Error('parseDotEnv accepted the text');
}

describe('parseDotEnv', () => {
  it('keeps a multi-line double-quoted value whole, and the keys after it', () => {
    const text = 'KEY="-----BEGIN KEY-----\nline two\n-----END KEY-----"\nNEXT=1\n';
    expect(parseDotEnv(text)).toEqual({
      KEY: '-----BEGIN KEY-----\nline two\n-----END KEY-----',
      NEXT: '1',
    });
  });

  it('keeps multi-line single-quoted and backtick values, and expands \\n only in double quotes', () => {
    expect(parseDotEnv("A='one\ntwo'\nB=`three\nfour`\nC=\"x\\ny\"\nD='x\\ny'")).toEqual({
      A: 'one\ntwo',
      B: 'three\nfour',
      C: 'x\ny',
      D: 'x\\ny',
    });
  });

  it('drops comment lines and trailing comments, but keeps # inside quotes', () => {
    expect(parseDotEnv('# a comment\nA=1 # trailing\nB="x # not a comment"\nC=x#y\n')).toEqual({
      A: '1',
      B: 'x # not a comment',
      C: 'x',
    });
  });

  it('strips an `export ` prefix, as parseEnv does', () => {
    expect(parseDotEnv('export A=1\nexport B="two"\n')).toEqual({ A: '1', B: 'two' });
  });

  it('trims unquoted values and keys; the last duplicate wins', () => {
    expect(parseDotEnv('  K =  v  \nK2=a\nK2=b\r\n')).toEqual({ K: 'v', K2: 'b' });
  });

  it('refuses a line without "=" that parseEnv would merge into the next key, naming file:line', () => {
    const error = refusal('A=1\n\noops\nB=2\n', '/etc/app/.env');
    expect(error.code).toBe('config_invalid');
    expect(error.message).toBe(
      '/etc/app/.env:3: not a NAME=value line (its text is not shown: it may hold a secret)',
    );
  });

  it('refuses a key that is not a variable name, naming its line', () => {
    expect(refusal('A=1\n1A=2\n').message).toBe(
      '.env:2: not a NAME=value line (its text is not shown: it may hold a secret)',
    );
    expect(refusal('A-B=3').message).toBe(
      '.env:1: not a NAME=value line (its text is not shown: it may hold a secret)',
    );
    expect(refusal('A=1\nexport\nB=2').message).toBe(
      '.env:2: not a NAME=value line (its text is not shown: it may hold a secret)',
    );
  });

  it('a mistyped secret line is refused without quoting it (the message reaches the window)', () => {
    const typo = refusal('GITHUB_CLIENT_SECRET s3cr3tvalue\nA=1\n');
    expect(typo.message).toBe(
      '.env:1: not a NAME=value line (its text is not shown: it may hold a secret)',
    );
    expect(typo.message).not.toContain('s3cr3t');
    expect(refusal('ghp_pastedToken123\nA=1\n').message).not.toContain('ghp_');
  });

  it('the refusal is about the line, never the value that follows it', () => {
    const error = refusal('stray words\nSECRET=s3cr3t-value\n');
    expect(error.message).toBe(
      '.env:1: not a NAME=value line (its text is not shown: it may hold a secret)',
    );
    expect(error.message).not.toContain('s3cr3t');
  });
});

describe('readDotEnvFiles and loadConfig', () => {
  it('skips absent files; later files win', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-env-'));
    writeFileSync(path.join(dir, 'a.env'), 'A=1\nB=1\n');
    writeFileSync(path.join(dir, 'b.env'), 'B=2\n');
    const files = ['missing.env', 'a.env', 'b.env'].map((f) => path.join(dir, f));
    expect(readDotEnvFiles(files)).toEqual({ A: '1', B: '2' });
  });

  it('a malformed .env is a configuration error naming file:line; no provider stands in', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-env-'));
    writeFileSync(path.join(dir, '.env'), 'WEBEX_CLIENT_ID=abc\nWEBEX_SECRET\nX=1\n');
    const config = loadConfig({ configDir: dir, env: {} });
    expect(config.error?.message).toBe(
      `${path.join(dir, '.env')}:2: not a NAME=value line (its text is not shown: it may hold a secret)`,
    );
    expect(config.providers.map((p) => p.config.kind)).toEqual([]);
  });

  it('a multi-line value from .env reaches the configuration intact', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-env-'));
    writeFileSync(path.join(dir, '.env'), 'MY_SECRET="first\nsecond"\n');
    writeFileSync(
      path.join(dir, 'providers.json'),
      JSON.stringify({
        env: ['MY_SECRET'],
        providers: [
          {
            id: 'corp',
            kind: 'oidc',
            issuer: 'https://login.example.test',
            clientId: 'app',
            clientSecret: '${MY_SECRET}',
          },
        ],
      }),
    );
    const config = loadConfig({ configDir: dir, env: {} });
    expect(config.error).toBeNull();
    expect(config.providers[0]!.config).toMatchObject({ clientSecret: 'first\nsecond' });
  });
});
