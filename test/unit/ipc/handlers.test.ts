/**
 * Every request channel's happy path, through the real handler table (main/ipc/handlers.ts) and
 * dispatch over a real GatehouseCore with two embedded demo providers, driven by the HTTP test
 * browser: the same table the Electron wrapper and the browser-test bridge call.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/ipc';
import type { LogEntry } from '../../../shared/log';
import type { ProfileSnapshot, SessionsSnapshot } from '../../../shared/session';
import { dispatch } from '../../../main/ipc/dispatch';
import { createHandlers } from '../../../main/ipc/handlers';
import { HttpBrowser, startPageLink } from '../../support/http-browser';
import { buildWorld } from '../../support/world';

const PROVIDERS = [
  { id: 'demo', kind: 'demo' },
  { id: 'demo2', kind: 'demo', displayName: 'Second demo' },
];

/** What the "system browser" does with each URL it is asked to open. */
const opened: string[] = [];
let signInAs: string | null = null;
let pages: Promise<unknown>[] = [];
const world = await buildWorld({
  prefix: 'gh-ipc-handlers-',
  providers: PROVIDERS,
  browser: async (url) => {
    opened.push(url);
    if (signInAs) pages.push(new HttpBrowser().open(url, { user: signInAs }));
  },
  coreOptions: { appVersion: '9.8.7' },
});
const { core, store, configFile } = world;
afterAll(() => world.dispose());
const table = createHandlers(core);

async function ok<T>(channel: string, payload?: unknown): Promise<T> {
  const result = (await dispatch(table, channel, payload)) as Result<T>;
  if (!result.ok)
    throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Signs in through auth:sign-in and waits (bounded) until session:list shows the account. */
async function signInOverIpc(providerId: string, user: string, linkTo?: string) {
  signInAs = user;
  pages = [];
  const started = await ok<{ attemptId: string }>('auth:sign-in', {
    providerId,
    ...(linkTo ? { linkTo } : {}),
  });
  await Promise.all(pages);
  signInAs = null;
  const accountId = `${providerId}:${user}`;
  for (let i = 0; i < 200; i++) {
    const list = await ok<SessionsSnapshot>('session:list');
    const account = list.accounts.find((a) => a.accountId === accountId);
    if (account && list.pending.every((p) => p.providerId !== providerId))
      return { attemptId: started.attemptId, account };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${accountId} never appeared in session:list`);
}

describe('IPC channels over a real core', () => {
  it('app:get-info describes the app and where tokens go', async () => {
    const info = await ok<Record<string, unknown>>('app:get-info');
    expect(info).toEqual({
      name: 'Gatehouse',
      version: '9.8.7',
      platform: process.platform,
      arch: process.arch,
      versions: { electron: null, chrome: null, node: process.versions.node },
      storage: { kind: 'keychain', name: 'test memory keychain' },
      configPath: configFile,
      packaged: false,
    });
  });

  it('providers:list lists the configured providers, without a secret', async () => {
    const list = await ok<{ providers: { id: string }[]; configError: unknown }>('providers:list');
    expect(list).toMatchObject({ configError: null, configPath: configFile });
    expect(list.providers).toMatchObject([
      { id: 'demo', kind: 'demo', configErrors: [], supportsRefresh: true },
      { id: 'demo2', displayName: 'Second demo', supportsDeviceFlow: false },
    ]);
  });

  it('providers:reload re-reads the file: a broken file is reported, no provider stands in', async () => {
    try {
      writeFileSync(configFile, '{"providers": [');
      const broken = await ok<{ providers: { id: string }[]; configError: { file: string } }>(
        'providers:reload',
      );
      expect(broken.configError?.file).toBe(configFile);
      expect(broken.providers.map((p) => p.id)).toEqual([]);
    } finally {
      writeFileSync(configFile, JSON.stringify({ providers: PROVIDERS }));
    }
    const fixed = await ok<{ providers: { id: string }[] }>('providers:reload');
    expect(fixed.providers.map((p) => p.id)).toEqual(['demo', 'demo2']);
  });

  it('auth:sign-in opens the browser once and ends signed in and remembered', async () => {
    const before = opened.length;
    const { attemptId, account } = await signInOverIpc('demo', 'alice');
    expect(attemptId).toMatch(/\S/);
    expect(opened.slice(before)).toHaveLength(1);
    // A file:// start page that leads to the loopback (main/auth/start-page.ts), gone once used.
    expect(opened.at(-1)).toMatch(/^file:\/\/.*\/gatehouse\/signin-[\w-]+\.html$/);
    expect(account).toMatchObject({
      providerId: 'demo',
      sub: 'alice',
      remembered: true,
      status: { kind: 'signed-in' },
      claims: { name: 'Alice Demo' },
    });
    const log = await ok<LogEntry[]>('log:list');
    expect(log.find((e) => e.attemptId === attemptId)).toMatchObject({
      outcome: 'signed-in',
      accountId: 'demo:alice',
      browserReachedLoopback: true,
    });
  });

  it('auth:refresh renews the tokens and answers with nothing', async () => {
    const before = core.sessions.tokensOf('demo:alice')!.accessToken;
    expect(await ok('auth:refresh', { accountId: 'demo:alice' })).toBeUndefined();
    expect(core.sessions.tokensOf('demo:alice')!.accessToken).not.toBe(before);
  });

  it('log:export is the log as a versioned JSON document, with no token in it', async () => {
    const { json } = await ok<{ json: string }>('log:export');
    const tokens = core.sessions.tokensOf('demo:alice')!;
    expect(JSON.parse(json)).toEqual({
      format: 'gatehouse-sign-in-log',
      version: 1,
      entries: await ok<LogEntry[]>('log:list'),
    });
    for (const secret of [tokens.accessToken, tokens.refreshToken!, tokens.idToken!])
      expect(json).not.toContain(secret);
  });

  it('auth:sign-in with linkTo joins a profile; profile:unlink leaves it', async () => {
    await signInOverIpc('demo2', 'bob', 'demo:alice');
    const [profile] = await ok<ProfileSnapshot[]>('profile:list');
    expect(profile!.accountIds.sort()).toEqual(['demo2:bob', 'demo:alice'].sort());
    expect(await ok('profile:unlink', { accountId: 'demo2:bob' })).toBeUndefined();
    expect(await ok<ProfileSnapshot[]>('profile:list')).toEqual([
      { profileId: profile!.profileId, accountIds: ['demo:alice'] },
    ]);
  });

  it('auth:copy-link starts a fresh attempt each time and opens nothing', async () => {
    const before = opened.length;
    const first = await ok<{ attemptId: string; url: string }>('auth:copy-link', {
      providerId: 'demo',
    });
    const second = await ok<{ attemptId: string; url: string }>('auth:copy-link', {
      providerId: 'demo',
    });
    expect(opened.length).toBe(before);
    expect(new URL(second.url).hostname).toBe('127.0.0.1');
    expect(second.attemptId).not.toBe(first.attemptId);
    expect(second.url).not.toBe(first.url);
    // The newer attempt supersedes the older one: one pending sign-in per provider.
    const { pending } = await ok<SessionsSnapshot>('session:list');
    expect(pending).toMatchObject([
      { providerId: 'demo', attemptId: second.attemptId, status: { kind: 'waiting-for-browser' } },
    ]);
  });

  it('auth:open-browser-again opens the provider page of the waiting attempt', async () => {
    const before = opened.length;
    expect(await ok('auth:open-browser-again', { providerId: 'demo' })).toBeUndefined();
    expect(opened.slice(before)).toHaveLength(1);
    // A fresh one-time link in a start page, never the authorization URL (state, PKCE, nonce).
    expect(opened.at(-1)).toMatch(/^file:\/\//);
    expect(startPageLink(opened.at(-1)!)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/signin\?n=[\w-]+$/);
  });

  it('auth:cancel ends the waiting attempt, and is harmless with none', async () => {
    expect(await ok('auth:cancel', { providerId: 'demo' })).toBeUndefined();
    expect((await ok<SessionsSnapshot>('session:list')).pending).toEqual([]);
    expect(await ok('auth:cancel', { providerId: 'demo' })).toBeUndefined();
    const log = await ok<LogEntry[]>('log:list');
    expect(log.filter((e) => e.outcome === 'cancelled')).toHaveLength(2);
  });

  it('auth:sign-out forgets the account locally and in the keychain', async () => {
    expect(await ok('auth:sign-out', { accountId: 'demo:alice' })).toEqual({ kind: 'revoked' });
    const { accounts } = await ok<SessionsSnapshot>('session:list');
    expect(accounts.map((a) => a.accountId)).toEqual(['demo2:bob']);
    expect(store.values.has('demo:alice')).toBe(false);
  });
});
