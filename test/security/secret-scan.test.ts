/**
 * The post-suite secret scan must be able to fail: the scanner finds planted credentials in the
 * shapes they would leak in, and the recorder really writes down what crosses fetch.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { scanForSecrets } from '../../scripts/secret-scan.mjs';

type Scan = (input: { secrets: Iterable<string>; roots: string[] }) => {
  files: number;
  findings: Array<{ file: string; secret: string }>;
};
const scan = scanForSecrets as Scan;

describe('secret scanner', () => {
  const secret = 'rt_9f8e7d6c5b4a3f2e1d0c';
  const jwtSig = 'c2lnbmF0dXJlLXBhcnQtb2YtYS1qd3Q';

  it.each([
    ['a token in a JSON file', 'accounts.json', JSON.stringify({ refresh: secret })],
    ['a token glued to its key in a log line', 'sign-in.log', `callback ?code=${secret}&state=x`],
    ['a token in an IPC payload', 'payloads.jsonl', `{"channel":"x","payload":"${secret}"}`],
    ['a JWT whose signature is a recorded secret', 'dump.txt', `eyJhbGciOi.eyJzdWIiOi.${jwtSig}`],
  ])('finds %s', (_name, file, content) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-scan-'));
    mkdirSync(path.join(dir, 'nested'));
    writeFileSync(path.join(dir, 'nested', file), content);
    const { findings } = scan({ secrets: [secret, jwtSig], roots: [dir] });
    expect(findings.length).toBeGreaterThan(0);
  });

  it('passes a clean folder, and skips the configuration the person wrote', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-scan-'));
    writeFileSync(path.join(dir, 'accounts.json'), JSON.stringify({ name: 'Ada' }));
    writeFileSync(path.join(dir, 'providers.json'), JSON.stringify({ clientSecret: secret }));
    writeFileSync(path.join(dir, '.env'), `GITHUB_CLIENT_SECRET=${secret}\n`);
    expect(scan({ secrets: [secret], roots: [dir] })).toEqual({ files: 1, findings: [] });
  });
});

describe('secret recorder', () => {
  it('writes down codes, verifiers, secrets and returned tokens that cross fetch', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ access_token: 'at_0123456789abcdef', id_token: 'a.b.sig0123456789' }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const log = path.join(mkdtempSync(path.join(tmpdir(), 'gh-rec-')), 'secrets.txt');
    const script = `
      await fetch('http://127.0.0.1:${port}/token', {
        method: 'POST',
        headers: { authorization: 'Basic ' + Buffer.from('client:client-secret-value').toString('base64') },
        body: new URLSearchParams({ code: 'code_0123456789', code_verifier: 'verifier_0123456789', user: 'ada' }),
      }).then((r) => r.text());
      await new Promise((r) => setTimeout(r, 50));`;
    // Asynchronous: the server above lives in this process and must stay able to answer.
    await promisify(execFile)(
      process.execPath,
      [
        '--require',
        path.resolve('test/support/secret-recorder.cjs'),
        '--input-type=module',
        '-e',
        script,
      ],
      {
        env: { ...process.env, GATEHOUSE_SECRET_LOG: log, NODE_OPTIONS: '' },
        timeout: 10_000,
      },
    );
    server.close();
    const recorded = readFileSync(log, 'utf8').split('\n').filter(Boolean).sort();
    expect(recorded).toEqual(
      [
        'a.b.sig0123456789',
        'at_0123456789abcdef',
        'client-secret-value',
        'code_0123456789',
        'verifier_0123456789',
      ].sort(),
    );
  });
});
