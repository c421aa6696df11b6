/**
 * Attack: providers.json is edited so that provider id `corp` points at another server (on macOS
 * that takes no keychain prompt, only a file edit). The stored tokens are bound to the issuer (or
 * origin) and client id they were issued for, so refresh and sign-out send the new server
 * nothing, not even discovery, and the account asks to sign in again.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatehouseCore } from '../../main/app/core';
import { MemoryAccountIndex } from '../../main/auth/account-registry';
import { DEMO_CLIENT_ID, demoNativeClient, startDemoServer } from '../../main/demo/demo-server';
import { startGithubServer } from '../support/github-server';
import { HttpBrowser } from '../support/http-browser';
import { MemorySecretStoreForTests } from '../support/memory-store';
import { startWebexServer } from '../support/webex-server';

/** A real server that records `METHOD /path` of every request it receives. */
interface Recording {
  requests: string[];
  close(): Promise<void>;
}

interface Scenario {
  /** Server A (where the accounts sign in) and server B (where the tampered file points). */
  a: Recording;
  b: Recording;
  provider(to: 'a' | 'b'): Record<string, unknown>;
  /** `corp`, except for GitHub, whose test server accepts only its own callback path. */
  providerId: string;
  users: string[];
  accountIdOf(user: string): string;
}

const ADA = 'corp:8f1c2a4e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';
const open: Array<Recording | GatehouseCore> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse())
    await (item instanceof GatehouseCore ? item.dispose() : item.close());
});

/** The demo oidc-provider: where the accounts first sign in. */
async function demoIdp() {
  const idp = await startDemoServer({ clients: [demoNativeClient('corp')] });
  const recording = { issuer: idp.issuer, requests: [] as string[], close: () => idp.close() };
  open.push(recording);
  return recording;
}

/** The Webex-style server (recording every request) as a generic OpenID provider. */
async function recordingOidc() {
  const server = await startWebexServer();
  open.push(server);
  const provider = { issuer: server.wellKnownUrl, clientSecret: server.knobs.clientSecret };
  return { server, provider };
}

async function oidc(): Promise<Scenario> {
  const a = await demoIdp();
  const b = await recordingOidc();
  return {
    a,
    b: b.server,
    provider: (to) => ({
      id: 'corp',
      kind: 'oidc',
      ...(to === 'a'
        ? { issuer: a.issuer, clientId: DEMO_CLIENT_ID }
        : { ...b.provider, clientId: b.server.knobs.clientId }),
    }),
    providerId: 'corp',
    users: ['alice', 'bob'],
    accountIdOf: (user) => `corp:${user}`,
  };
}

/** The same issuer given another client id: the tokens belong to the first client. */
async function oidcClientId(): Promise<Scenario> {
  const a = await recordingOidc();
  return {
    a: a.server,
    b: a.server,
    provider: (to) => ({
      id: 'corp',
      kind: 'oidc',
      ...a.provider,
      clientId: to === 'a' ? a.server.knobs.clientId : 'another-client',
    }),
    providerId: 'corp',
    users: ['ada'],
    accountIdOf: () => ADA,
  };
}

async function webex(): Promise<Scenario> {
  const [a, b] = [await startWebexServer(), await startWebexServer()];
  open.push(a, b);
  return {
    a,
    b,
    provider: (to) => ({
      id: 'corp',
      kind: 'webex',
      clientId: a.knobs.clientId,
      clientSecret: a.knobs.clientSecret,
      wellKnownUrl: (to === 'a' ? a : b).wellKnownUrl,
    }),
    providerId: 'corp',
    users: ['ada'],
    accountIdOf: () => ADA,
  };
}

async function github(field: 'baseUrl' | 'apiUrl'): Promise<Scenario> {
  const [a, b] = [
    await startGithubServer({ expiringTokens: true }),
    await startGithubServer({ expiringTokens: true }),
  ];
  open.push(a, b);
  const ids: Record<string, number> = { octo: 583231, private: 9_000_001 };
  return {
    a,
    b,
    provider: (to) => ({
      id: 'github',
      kind: 'github',
      clientId: a.knobs.clientId,
      clientSecret: a.knobs.clientSecret,
      baseUrl: field === 'baseUrl' && to === 'b' ? b.url : a.url,
      ...(field === 'apiUrl' ? { apiUrl: `${(to === 'a' ? a : b).url}/api/v3` } : {}),
    }),
    providerId: 'github',
    users: ['octo', 'private'],
    accountIdOf: (user) => `github:${ids[user]}`,
  };
}

function world(scenario: Scenario) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-repointed-'));
  const file = path.join(dir, 'providers.json');
  const configure = (to: 'a' | 'b') =>
    writeFileSync(
      file,
      JSON.stringify({ httpTimeoutSeconds: 2, providers: [scenario.provider(to)] }),
    );
  configure('a');
  const store = new MemorySecretStoreForTests();
  const index = new MemoryAccountIndex();
  const core = () => {
    const made = new GatehouseCore({
      configDir: dir,
      dataDir: dir,
      env: { GATEHOUSE_CONFIG: file },
      store,
      index,
      openBrowser: async () => undefined,
    });
    open.push(made);
    return made;
  };
  const signIn = async (into: GatehouseCore, user: string) => {
    const started = await into.sessions.signIn(scenario.providerId, { openBrowser: false });
    const page = new HttpBrowser().open(started.url!, { user }).catch(() => undefined);
    try {
      return await started.done;
    } finally {
      await page;
    }
  };
  return { configure, core, signIn, store };
}

/** Refreshes the first account and signs out the last one (revoking, where the kind can). */
async function useAccounts(scenario: Scenario, into: GatehouseCore) {
  const first = scenario.accountIdOf(scenario.users[0]!);
  const last = scenario.accountIdOf(scenario.users.at(-1)!);
  const refresh = await into.sessions.refresh(first).then(
    () => null,
    (error: unknown) => error,
  );
  const status = into.sessions.snapshot().accounts.find((a) => a.accountId === first)?.status;
  const signOut = await into.sessions.signOut(last);
  const left = into.sessions.snapshot().accounts.map((a) => a.accountId);
  return { refresh, status, signOut, signedOut: !left.includes(last) };
}

/** What the attack must come to: nothing sent, "sign in again", a local sign-out. */
function expectNothingSent(seen: string[], used: Awaited<ReturnType<typeof useAccounts>>) {
  expect(seen).toEqual([]);
  expect(used.refresh).toMatchObject({ code: 'account_binding_changed' });
  expect(used.status?.kind).toBe('expired');
  // The provider the account signed in with is no longer configured: it is not told.
  expect(used.signOut.kind).toBe('not-configured');
  expect(used.signedOut).toBe(true);
}

const scenarios: Array<[string, () => Promise<Scenario>]> = [
  ['an OpenID provider repointed at another issuer', oidc],
  ['an OpenID provider given another client id', oidcClientId],
  ['a Webex provider repointed at another well-known URL', webex],
  ['a GitHub provider repointed at another server (baseUrl)', () => github('baseUrl')],
  ['a GitHub provider whose API alone is repointed (apiUrl)', () => github('apiUrl')],
];

describe('attack: providers.json repoints a provider id at another server', () => {
  it.each(scenarios)(
    '%s, then restarted: the new server receives nothing and the accounts ask to sign in again',
    async (_name, make) => {
      const scenario = await make();
      const w = world(scenario);
      const first = w.core();
      for (const user of scenario.users) await w.signIn(first, user);
      await first.dispose();
      w.configure('b');
      const seenByB = scenario.b.requests.length;
      const second = w.core();
      await second.sessions.restore();
      const kinds = second.sessions.snapshot().accounts.map((a) => a.status.kind);
      const used = await useAccounts(scenario, second);
      expectNothingSent(scenario.b.requests.slice(seenByB), used);
      expect(kinds).toEqual(scenario.users.map(() => 'expired'));
    },
  );

  it.each(scenarios)(
    '%s while the app runs (providers reloaded): the new server receives nothing',
    async (_name, make) => {
      const scenario = await make();
      const w = world(scenario);
      const core = w.core();
      for (const user of scenario.users) await w.signIn(core, user);
      w.configure('b');
      await core.reload();
      const seenByB = scenario.b.requests.length;
      const used = await useAccounts(scenario, core);
      expectNothingSent(scenario.b.requests.slice(seenByB), used);
    },
  );

  it('signing in again binds the account to the new server, and it works there', async () => {
    const scenario = await oidc();
    const w = world(scenario);
    const core = w.core();
    await w.signIn(core, 'alice');
    w.configure('b');
    await core.reload();
    await w.signIn(core, 'ada');
    await core.sessions.refresh(ADA);
    const account = core.sessions.snapshot().accounts.find((a) => a.accountId === ADA);
    expect(account?.status.kind).toBe('signed-in');
    expect(scenario.b.requests).toContain('POST /v1/access_token');
  });
});

/** The keychain item as the first release wrote it: format 1, with no binding. */
function asWaveOne(raw: string): string {
  const { binding: _binding, ...rest } = JSON.parse(raw) as Record<string, unknown>;
  return JSON.stringify({ ...rest, v: 1 });
}

describe('upgrade: accounts stored by the first release carry no binding', () => {
  it('they ask to sign in again once, and nothing is sent for them', async () => {
    const scenario = await github('baseUrl');
    const w = world(scenario);
    const first = w.core();
    for (const user of scenario.users) await w.signIn(first, user);
    await first.dispose();
    for (const [id, raw] of w.store.values) w.store.values.set(id, asWaveOne(raw));
    const seen = scenario.a.requests.length;
    const second = w.core();
    await second.sessions.restore();
    const kinds = second.sessions.snapshot().accounts.map((a) => a.status.kind);
    const used = await useAccounts(scenario, second);
    expectNothingSent(scenario.a.requests.slice(seen), used);
    expect(kinds).toEqual(['expired', 'expired']);
    await w.signIn(second, 'octo');
    await second.sessions.refresh('github:583231');
    expect(scenario.a.requests.slice(seen)).toContain('POST /login/oauth/access_token');
  });
});
