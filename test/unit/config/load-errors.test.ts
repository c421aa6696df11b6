/**
 * Issue 13 item 6: configuration errors that say what happened and what to do. The file is
 * written as a person writes it (indented, with a slip or two) and read as the app reads it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstFault, jsonFaultPosition } from '../../../main/config/json-position';
import { loadConfig } from '../../../main/config/load';

function load(text: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-config-errors-'));
  const file = path.join(dir, 'providers.json');
  writeFileSync(file, text);
  const config = loadConfig({ configDir: dir, env: {} });
  const lines = config.error?.message.split('\n') ?? [];
  return { config, file, lines: lines.map((line) => line.replace(`${file}`, 'providers.json')) };
}

const file = (...providers: unknown[]) => JSON.stringify({ providers }, null, 2);
const demo = { id: 'demo', kind: 'demo' };
const corp = { id: 'corp', kind: 'oidc', issuer: 'https://sso.example.com', clientId: 'c' };

describe('a JSON syntax error names its line and column', () => {
  it('a trailing comma on line 3 (V8 names the offset)', () => {
    const { lines, config } = load(
      '{\n  "providers": [\n    { "id": "demo", "kind": "demo" },\n  ]\n}\n',
    );
    expect(lines).toEqual(["providers.json:4:3: not valid JSON (Unexpected token ']')"]);
    expect(config.providers).toEqual([]);
    expect(config.unusable).toEqual([]);
  });

  it('an unexpected token, which V8 quotes instead of placing, is found by the scan', () => {
    const text = '{\n  "providers": [],\n  "clientSecret": "s3cr3t-value", "x": nope\n}';
    const { lines } = load(text);
    expect(lines).toEqual(["providers.json:3:41: not valid JSON (Unexpected token 'o')"]);
    expect(lines.join()).not.toContain('s3cr3t');
  });

  it('the end of the text, when it stops early', () => {
    expect(load('{\n  "providers": [').lines).toEqual([
      'providers.json:2:17: not valid JSON (Unexpected end of JSON input)',
    ]);
  });

  it('the scan agrees with V8 wherever V8 states the offset', () => {
    for (const text of ['{ nope', '{"a":1,}', '[1 2]', '{"a":01}', '{"a":1}}', '{"a":"x\ny"}']) {
      let message = '';
      try {
        JSON.parse(text);
      } catch (error) {
        message = (error as Error).message;
      }
      const stated = Number(/at position (\d+)/.exec(message)?.[1]);
      expect(firstFault(text), `${text}: ${message}`).toBe(stated);
    }
    // Where V8 only names the token: the scan stops at that token.
    expect(firstFault('{"a": nope}')).toBe(7);
    expect(firstFault('{"a": tru}')).toBe(9);
    expect(firstFault('{"a": [true, false, null, -1.5e3, "\\u00e9\\n"]}')).toBeNull();
    expect(jsonFaultPosition('{\r\n  x', 'Unexpected token')).toEqual({ line: 2, column: 3 });
  });
});

describe('every problem at once, each named by provider id and field', () => {
  it('an unknown key suggests the key meant, beside the field it left missing', () => {
    const { issuer, ...withoutIssuer } = corp;
    const { lines } = load(file(demo, { ...withoutIssuer, isuer: issuer }));
    expect(lines).toEqual([
      'providers.json: providers[1].issuer (provider "corp"): is missing',
      'providers.json: providers[1].isuer (provider "corp"): is not a known key; did you mean "issuer"?',
    ]);
  });

  it('lists all the issues of all the entries, not the first', () => {
    const { lines } = load(
      file(
        { ...corp, clientId: 7, scope: ['openid'] },
        { id: 'gh', kind: 'github', clientId: 'x', baseUrl: 'github.example.com' },
      ),
    );
    expect(lines).toEqual([
      expect.stringMatching(
        /^providers\.json: providers\[0\]\.clientId \(provider "corp"\): Invalid input: expected string/,
      ),
      'providers.json: providers[0].scope (provider "corp"): is not a known key; did you mean "scopes"?',
      expect.stringMatching(
        /^providers\.json: providers\[1\]\.baseUrl \(provider "gh"\): must be an absolute URL/,
      ),
    ]);
  });

  it('a kind that is a slip of one, and a key far from every known one', () => {
    const { lines } = load(file({ id: 'corp', kind: 'odic' }, { ...demo, colour: 'red' }));
    expect(lines).toEqual([
      'providers.json: providers[0].kind (provider "corp"): is not a provider kind; did you mean "oidc"?',
      'providers.json: providers[1].colour (provider "demo"): is not a known key (the keys are id, displayName, ports, timeoutSeconds, scopes, kind)',
    ]);
  });

  it('a duplicate id names both places; the first entry keeps working', () => {
    const { lines, config } = load(file(demo, corp, { ...demo, displayName: 'Second' }));
    expect(lines).toEqual([
      'providers.json: providers[2].id (provider "demo"): is used twice (first by providers[0]); give each provider its own id',
    ]);
    expect(config.providers.map((p) => p.config.id)).toEqual(['demo', 'corp']);
  });

  it('a reference the rules refuse is named too, and the others with it', () => {
    const { lines, config } = load(
      file({ ...corp, clientId: '${NOT_READ}', clientSecret: '${ALSO_NOT}' }),
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(
      'providers[0].clientId (provider "corp"): NOT_READ is not a variable',
    );
    expect(lines[1]).toContain(
      'providers[0].clientSecret (provider "corp"): ALSO_NOT is not a variable',
    );
    expect(config.unusable[0]!.problems).toHaveLength(2);
  });
});

describe('one bad provider no longer disables the others', () => {
  it('the good entries work; the bad one is listed with its problems, in the file order', () => {
    const bad = {
      id: 'corp',
      kind: 'oidc',
      displayName: 'Corp SSO',
      isuer: corp.issuer,
      clientId: 'c',
    };
    const { config, file: path } = load(file(demo, bad, { ...corp, id: 'kc' }));
    expect(config.providers.map((p) => p.config.id)).toEqual(['demo', 'kc']);
    expect(config.providers.every((p) => p.problems.length === 0)).toBe(true);
    expect(config.unusable).toEqual([
      {
        id: 'corp',
        kind: 'oidc',
        displayName: 'Corp SSO',
        position: 1,
        problems: ['issuer: is missing', 'isuer: is not a known key; did you mean "issuer"?'],
      },
    ]);
    // Still an error for the window and the CLI to show.
    expect(config.error?.file).toBe(path);
  });

  it('an entry without a usable id or kind is in the file error only', () => {
    const { config, lines } = load(file({ kind: 'oidc' }, { id: 'x', kind: 'nope' }, 'demo', demo));
    expect(config.providers.map((p) => p.config.id)).toEqual(['demo']);
    expect(config.unusable).toEqual([]);
    expect(lines).toEqual([
      'providers.json: providers[0].id: is missing',
      'providers.json: providers[0].issuer: is missing',
      'providers.json: providers[0].clientId: is missing',
      'providers.json: providers[1].kind (provider "x"): is not a provider kind (one of demo, oidc, webex, github, xwms)',
      'providers.json: providers[2]: must be an object with an id and a kind',
    ]);
  });

  it('a problem around the providers still fails the whole file, naming each', () => {
    const { config, lines } = load(JSON.stringify({ provders: [demo], httpTimeoutSeconds: 0 }));
    expect(config.providers).toEqual([]);
    expect(config.unusable).toEqual([]);
    expect(lines).toEqual([
      'providers.json: providers: is missing',
      'providers.json: httpTimeoutSeconds: Too small: expected number to be >=1',
      'providers.json: provders: is not a known key; did you mean "providers"?',
    ]);
  });
});
