import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GatehouseCore } from '../../../main/app/core';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { HttpBrowser } from '../../support/http-browser';
import { MemorySecretStoreForTests } from '../../support/memory-store';

let core: GatehouseCore | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

function makeCore(open: (url: string) => Promise<void>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-demo-'));
  core = new GatehouseCore({
    configDir: dir,
    dataDir: dir,
    env: { GATEHOUSE_CONFIG: path.join(dir, 'none.json') },
    store: new MemorySecretStoreForTests(),
    index: new MemoryAccountIndex(),
    openBrowser: open,
  });
  return core;
}

describe('demo provider sign-in over HTTP', () => {
  it('signs in, refreshes with rotation, and signs out', async () => {
    const browser = new HttpBrowser();
    let page: Promise<unknown> = Promise.resolve();
    const c = makeCore(async (url) => {
      page = browser.open(url, { user: 'alice' });
    });
    const started = await c.sessions.signIn('demo');
    const account = await started.done;
    const result = (await page) as { body: string; status: number };
    expect(result.status).toBe(200);
    expect(result.body).toContain('You are signed in');
    expect(account.accountId).toBe('demo:alice');
    expect(account.claims.name).toBe('Alice Demo');
    expect(account.status.kind).toBe('signed-in');

    const before = c.sessions.tokensOf('demo:alice')!;
    await c.sessions.refresh('demo:alice');
    const after = c.sessions.tokensOf('demo:alice')!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBeTruthy();

    const out = await c.sessions.signOut('demo:alice');
    expect(out.revoked).toBe(true);
    expect(c.sessions.snapshot().accounts).toHaveLength(0);
  });
});
