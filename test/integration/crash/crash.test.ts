/**
 * Crash tests: a child process is SIGKILLed at each step of sign-in, refresh and sign-out,
 * using the real keychain (private Secret Service) and the real account index. After a restart
 * each account is either usable (it refreshes at the identity provider) or cleanly "sign in
 * again", and the index never points at a missing secret. The identity provider runs in this
 * test process, so it outlives the killed child.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores } from '../../../main/app/open-stores';
import {
  DEMO_CLIENT_ID,
  demoNativeClient,
  startDemoServer,
  type DemoServer,
} from '../../../main/demo/demo-server';
import { decodeStoredAccount } from '../../../main/auth/stored-account';
import { AccountIndex } from '../../../main/secrets/account-index';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';
import { buildWorld, oidcProvider, writeProvidersFile } from '../../support/world';
import { readAccountItem } from '../../support/account-items';

const keyring = keyringReady('crash.test');

let idp: DemoServer;
beforeAll(async () => {
  if (keyring) idp = await startDemoServer({ clients: [demoNativeClient('idp')] });
});
afterAll(async () => idp?.close());

function environment() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-crash-'));
  const config = path.join(dir, 'providers.json');
  writeProvidersFile(config, [oidcProvider('idp', idp.issuer, DEMO_CLIENT_ID)]);
  return {
    GATEHOUSE_DATA_DIR: path.join(dir, 'data'),
    GATEHOUSE_CONFIG: config,
    GATEHOUSE_KEYCHAIN_SERVICE: `Gatehouse-crash-${path.basename(dir)}`,
  };
}

interface ChildResult {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
}

function runChild(env: Record<string, string>, flow: string, step: string): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/crash/child.ts', flow, step],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /URL (\S+)/.exec(stdout);
      if (url && !stdout.includes('#driven')) {
        stdout += '#driven';
        void new HttpBrowser().open(url[1]!, { user: 'crash-user' }).catch(() => undefined);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout });
    });
  });
}

/** Restarts "the app" in this process and checks the invariants. */
async function restartAndCheck(env: Record<string, string>) {
  const world = await buildWorld({
    store: 'keychain',
    service: env.GATEHOUSE_KEYCHAIN_SERVICE!,
    dataDir: env.GATEHOUSE_DATA_DIR!,
    configFile: env.GATEHOUSE_CONFIG!,
    env,
  });
  const { core, store, index } = world;
  try {
    await core.sessions.restore();
    await index.flush();
    // Invariant: after restore every index entry on disk has its secret, with the secret's
    // expiry (what `gatehouse accounts` shows), or is a clean "expired" card.
    for (const entry of await new AccountIndex(env.GATEHOUSE_DATA_DIR!).list()) {
      const secret = await store.get(entry.itemKey ?? entry.accountId);
      if (!secret) expect(entry.expiresAt).toBe(0);
      else expect(entry.expiresAt).toBe(decodeStoredAccount(secret)!.tokens.expiresAt);
    }
    const accounts = core.sessions.snapshot().accounts;
    const outcomes: string[] = [];
    for (const account of accounts) {
      if (account.status.kind === 'expired') {
        outcomes.push('sign in again');
        continue;
      }
      // Usable means the identity provider accepts its refresh token.
      await core.sessions.refresh(account.accountId).then(
        () => outcomes.push('usable'),
        () => outcomes.push('sign in again'),
      );
      const after = core.sessions
        .snapshot()
        .accounts.find((a) => a.accountId === account.accountId);
      if (outcomes.at(-1) === 'sign in again') expect(after?.status.kind).toBe('expired');
      else expect(after?.status.kind).toBe('signed-in');
    }
    return { accounts: accounts.map((a) => a.accountId), outcomes };
  } finally {
    await world.dispose(); // and the keychain items
  }
}

function scanForSecrets(dir: string, secrets: string[]): number {
  let found = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const text = readFileSync(p, 'latin1');
        found += secrets.filter((s) => s && text.includes(s)).length;
      }
    }
  };
  walk(dir);
  return found;
}

describe.skipIf(!keyring)('crash safety (SIGKILL at each step)', () => {
  it.each(['before-keychain-write', 'after-keychain-write', 'after-index-write'])(
    'sign-in killed %s',
    async (step) => {
      const env = environment();
      const result = await runChild(env, 'sign-in', step);
      expect(result.signal).toBe('SIGKILL');
      const { accounts, outcomes } = await restartAndCheck(env);
      if (step === 'before-keychain-write') expect(accounts).toEqual([]);
      else expect(outcomes).toEqual(['usable']); // the keychain entry is the truth; the index is repaired
    },
  );

  it.each(['after-token-response', 'after-keychain-write', 'after-index-write'])(
    'refresh killed %s',
    async (step) => {
      const env = environment();
      expect((await runChild(env, 'sign-in', 'none')).code).toBe(0);
      const stores = await openStores(env.GATEHOUSE_DATA_DIR, {
        service: env.GATEHOUSE_KEYCHAIN_SERVICE,
      });
      const raw = await readAccountItem(stores.store, env.GATEHOUSE_DATA_DIR, 'idp:crash-user');
      const before = decodeStoredAccount(raw!)!;
      const result = await runChild(env, 'refresh', step);
      expect(result.signal).toBe('SIGKILL');
      const { outcomes } = await restartAndCheck(env);
      // Killed after the server rotated the token but before the keychain write: the old refresh
      // token is spent, so "sign in again" is the clean outcome. Otherwise the account is usable.
      expect(outcomes).toEqual([step === 'after-token-response' ? 'sign in again' : 'usable']);
      expect(
        scanForSecrets(env.GATEHOUSE_DATA_DIR, [
          before.tokens.accessToken,
          before.tokens.refreshToken!,
          before.tokens.idToken!,
        ]),
      ).toBe(0);
    },
  );

  it.each(['after-revoke', 'after-keychain-delete', 'after-index-remove'])(
    'sign-out killed %s',
    async (step) => {
      const env = environment();
      expect((await runChild(env, 'sign-in', 'none')).code).toBe(0);
      const result = await runChild(env, 'sign-out', step);
      expect(result.signal).toBe('SIGKILL');
      const { accounts, outcomes } = await restartAndCheck(env);
      // After revocation the tokens are dead at the provider; a leftover entry must not pose as usable.
      if (accounts.length > 0) expect(outcomes).toEqual(['sign in again']);
    },
  );
});
