/**
 * The demo identity provider (main/demo/, oidc-provider and koa) is loaded only when a demo
 * provider is used. A module.register resolve hook (test/support/resolve-log/) records every URL
 * the built CLI resolves; `--help` and `accounts` must resolve nothing under /oidc-provider/,
 * while `doctor demo` must, which shows the hook sees it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cliSandbox, runCli } from '../../support/cli';

const REGISTER = path.join(ROOT, 'test', 'support', 'resolve-log', 'register.mjs');

async function resolvedBy(args: string[], index?: unknown) {
  const sandbox = cliSandbox({ prefix: 'gh-cli-lazy-' });
  if (index !== undefined) {
    mkdirSync(sandbox.dataDir, { recursive: true });
    writeFileSync(path.join(sandbox.dataDir, 'accounts.json'), JSON.stringify(index));
  }
  const log = path.join(sandbox.dir, 'resolved.txt');
  const run = await runCli(args, {
    env: { ...sandbox.env, GATEHOUSE_RESOLVE_LOG: log },
    nodeArgs: ['--import', REGISTER],
  });
  const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  // The hook saw the CLI itself, so an empty list can never pass for "nothing loaded".
  expect(urls.some((u) => u.endsWith('/dist/main/cli.js'))).toBe(true);
  return { run, urls };
}

const under = (urls: string[], folder: string) => urls.filter((u) => u.includes(folder));

describe('lazy imports of the command line', () => {
  it('gatehouse --help loads neither oidc-provider nor the engine (zod, keychain, openid-client, undici)', async () => {
    const { run, urls } = await resolvedBy(['--help']);
    expect(run.code).toBe(0);
    expect(under(urls, '/oidc-provider/')).toEqual([]);
    expect(under(urls, '/zod/')).toEqual([]);
    expect(under(urls, '/@napi-rs/keyring/')).toEqual([]);
    expect(under(urls, '/openid-client/')).toEqual([]);
    expect(under(urls, '/node_modules/undici/')).toEqual([]);
    expect(under(urls, '/dist/main/chunks/')).toEqual([]);
  });

  it('a usage error loads no engine either', async () => {
    const { run, urls } = await resolvedBy(['providers', '--bogus']);
    expect(run.code).toBe(64);
    expect(under(urls, '/dist/main/chunks/')).toEqual([]);
  });

  // Issue 14 item 6: `accounts` reads the index and the configuration only (it used to load the
  // whole engine): zod for those two files, and no keychain, provider protocol or demo.
  it('gatehouse accounts reads the index and the configuration: no keychain, no openid-client, no oidc-provider', async () => {
    const { run, urls } = await resolvedBy(['accounts'], { version: 1, accounts: [] });
    expect(run.code).toBe(0);
    expect(run.json()).toEqual([]);
    expect(under(urls, '/zod/').length).toBeGreaterThan(0);
    expect(under(urls, '/@napi-rs/keyring/')).toEqual([]);
    expect(under(urls, '/openid-client/')).toEqual([]);
    expect(under(urls, '/jose/')).toEqual([]);
    expect(under(urls, '/oidc-provider/')).toEqual([]);
    expect(under(urls, '/demo-server-')).toEqual([]);
    expect(under(urls, '/dist/main/chunks/core-')).toEqual([]);
  });

  it('gatehouse accounts without an index restores from the keychain (which can rebuild it)', async () => {
    const { run, urls } = await resolvedBy(['accounts']);
    expect(run.code).toBe(0);
    expect(run.json()).toEqual([]);
    // The keychain module itself loads in the keychain thread (main/secrets/keyring-thread.ts),
    // by require, which this hook does not see; the core that restores through it does load.
    expect(under(urls, '/dist/main/chunks/core-').length).toBeGreaterThan(0);
    expect(urls).toContain('node:worker_threads');
    expect(under(urls, '/oidc-provider/')).toEqual([]);
  });

  it('gatehouse doctor demo does load oidc-provider (so the hook would catch it)', async () => {
    const { run, urls } = await resolvedBy(['doctor', 'demo']);
    expect(run.json()).toMatchObject({ provider: 'demo' });
    expect(under(urls, '/demo-server-').length).toBeGreaterThan(0);
    expect(under(urls, '/oidc-provider/').length).toBeGreaterThan(0);
  });
});
