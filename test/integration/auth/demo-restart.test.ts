/**
 * The demo provider survives restarts: with the keychain it is one issuer per data folder (its
 * port in demo/<id>/state.json, its keys and grants in the keychain under `<service>-demo`), so
 * the window's demo account refreshes after the app starts again. Another Gatehouse core on the
 * same folder that already serves it is used as it is; another program on its port is named,
 * and signing in again moves the demo to a new port. Its pages are Gatehouse's own, and consent
 * is asked once per account. Real parts: oidc-provider, the private Secret Service, HTTP.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatehouseCore } from '../../../main/app/core';
import { KeyringSecretStore } from '../../../main/secrets/keyring-store';
import { cleanupAfterEach } from '../../support/cleanup';
import { HttpBrowser } from '../../support/http-browser';
import { keyringReady } from '../../support/keyring/ready';
import { buildWorld } from '../../support/world';

const keyring = keyringReady('demo-restart.test');
const track = cleanupAfterEach();

const demoServices: string[] = [];
afterEach(async () => {
  for (const service of demoServices.splice(0)) {
    const store = new KeyringSecretStore(service);
    for (const id of await store.listAccountIds()) await store.delete(id);
  }
});

let count = 0;
async function keychainWorld(options: { fetch?: typeof fetch } = {}) {
  const service = `Gatehouse-test-demo-restart-${process.pid}-${++count}`;
  demoServices.push(`${service}-demo`);
  return track(
    await buildWorld({ store: 'keychain', service, prefix: 'gh-demo-restart-', ...options }),
  );
}

/** True once nothing listens at `origin` any more; bounded to 3 s. */
async function stopsListening(origin: string): Promise<boolean> {
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    try {
      await fetch(`${origin}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(1000),
      });
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Signs in as `user` in a fresh browser; resolves with the pages the browser went through. */
async function signIn(core: GatehouseCore, user: string) {
  const started = await core.sessions.signIn('demo', { openBrowser: false });
  const page = await new HttpBrowser().open(started.url!, { user });
  await started.done;
  return page;
}

const issuerOf = (core: GatehouseCore, accountId: string) =>
  decodeJwt(core.sessions.tokensOf(accountId)!.idToken!).iss!;

const storedPort = (dataDir: string) =>
  (
    JSON.parse(readFileSync(path.join(dataDir, 'demo', 'demo', 'state.json'), 'utf8')) as {
      port: number;
    }
  ).port;

describe.skipIf(!keyring)('the demo provider across restarts', () => {
  it("the window's demo account refreshes after a restart, at the same issuer", async () => {
    const w = await keychainWorld();
    await signIn(w.core, 'alice');
    const issuer = issuerOf(w.core, 'demo:alice');
    expect(issuer).toBe(`http://127.0.0.1:${storedPort(w.dataDir)}`);
    const before = w.core.sessions.tokensOf('demo:alice')!;
    await w.core.dispose();

    const again = await w.reopen();
    await again.sessions.restore();
    await again.sessions.refresh('demo:alice');
    const after = again.sessions.tokensOf('demo:alice')!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(issuerOf(again, 'demo:alice')).toBe(issuer);
    expect(again.sessions.snapshot().accounts[0]!.status.kind).toBe('signed-in');
    expect(await again.sessions.signOut('demo:alice')).toEqual({ kind: 'revoked' });
  });

  it('asks for consent once per account, across browsers and restarts', async () => {
    const w = await keychainWorld();
    const consented = (hops: string[]) => hops.some((h) => h.endsWith('/consent'));
    expect(consented((await signIn(w.core, 'alice')).hops)).toBe(true);
    const second = await signIn(w.core, 'alice');
    expect(second.hops.some((h) => h.endsWith('/login'))).toBe(true);
    expect(consented(second.hops)).toBe(false);
    await w.core.dispose();
    const again = await w.reopen();
    expect(consented((await signIn(again, 'alice')).hops)).toBe(false);
    expect(consented((await signIn(again, 'bob')).hops)).toBe(true);
  });

  it('uses the demo another Gatehouse core on the same folder serves, and serves it when that one stops', async () => {
    // Runs once, just before the next token request: the other core stops serving.
    let beforeToken: (() => Promise<void>) | null = null;
    const w = await keychainWorld({
      fetch: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const run = url.pathname === '/token' ? beforeToken : null;
        beforeToken = null;
        if (run) await run();
        return fetch(input, init);
      },
    });
    await signIn(w.core, 'alice');
    const issuer = `http://127.0.0.1:${storedPort(w.dataDir)}`;
    // The first core's sign-in keeps its demo listening.
    const held = await w.core.sessions.signIn('demo', { openBrowser: false });
    const second = await w.reopen();
    await second.sessions.restore();
    await second.sessions.refresh('demo:alice');
    expect(issuerOf(second, 'demo:alice')).toBe(issuer);

    // Between the second core's discovery and its token request, the first one stops: the
    // refused request reached no server, so the second core serves the demo and sends it again.
    beforeToken = async () => {
      w.core.sessions.cancel('demo');
      await held.done.catch(() => undefined);
      expect(await stopsListening(issuer)).toBe(true);
    };
    const again = second.sessions.refresh('demo:alice');
    await expect(again).resolves.toBeUndefined();
    expect(beforeToken).toBeNull();
    expect(issuerOf(second, 'demo:alice')).toBe(issuer);
    expect(storedPort(w.dataDir)).toBe(Number(new URL(issuer).port));
  });

  it('names another program on its port, and a new sign-in moves it to a new port', async () => {
    const w = await keychainWorld();
    await signIn(w.core, 'alice');
    await w.core.dispose();
    const port = storedPort(w.dataDir);
    const squatter = http.createServer((_req, res) => res.end('not Gatehouse'));
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    track(() => new Promise((resolve) => squatter.close(resolve)));

    const again = await w.reopen();
    await again.sessions.restore();
    const refused = again.sessions.refresh('demo:alice');
    await expect(refused).rejects.toMatchObject({ code: 'demo_port_taken' });
    await expect(refused).rejects.toThrow(String(port));
    // Not the end of the session: the tokens are kept, and the window says "sign in again".
    expect(again.sessions.tokensOf('demo:alice')).not.toBeNull();

    await signIn(again, 'bob');
    const moved = storedPort(w.dataDir);
    expect(moved).not.toBe(port);
    expect(issuerOf(again, 'demo:bob')).toBe(`http://127.0.0.1:${moved}`);
    // A new issuer: alice's session from the old port ends, and she signs in again.
    await expect(again.sessions.refresh('demo:alice')).rejects.toMatchObject({
      code: 'session_expired',
    });
    await signIn(again, 'alice');
    await again.sessions.refresh('demo:alice');
    expect(issuerOf(again, 'demo:alice')).toBe(`http://127.0.0.1:${moved}`);
  });

  it('keeps everything in memory without the keychain: nothing in the data folder', async () => {
    const w = track(await buildWorld({ prefix: 'gh-demo-memory-' }));
    await signIn(w.core, 'alice');
    await w.core.sessions.refresh('demo:alice');
    expect(existsSync(path.join(w.dataDir, 'demo'))).toBe(false);
  });
});

describe("the demo provider's own pages", () => {
  it('login and consent are plain, labelled, branded pages with no debug panel', async () => {
    const w = track(await buildWorld({ prefix: 'gh-demo-pages-' }));
    const pages: Array<{ path: string; html: string; csp: string | null }> = [];
    // The browser's transport, recording each interaction page it is shown.
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (/^\/interaction\/[^/]+$/.test(url.pathname))
        pages.push({
          path: url.pathname,
          html: await response.clone().text(),
          csp: response.headers.get('content-security-policy'),
        });
      return response;
    };
    const started = await w.core.sessions.signIn('demo', { openBrowser: false });
    await new HttpBrowser({ fetch: recording }).open(started.url!, { user: 'alice' });
    await started.done;
    const [login, consent] = pages;
    for (const page of [login!, consent!]) {
      expect(page.csp).toMatch(/default-src 'none'/);
      expect(page.html).toMatch(/<html lang="en">/);
      expect(page.html).toContain('Gatehouse · demo provider');
      expect(page.html).not.toMatch(/debug|<script/i);
    }
    expect(login!.html).toMatch(/<h1>Sign in<\/h1>/);
    expect(login!.html).toMatch(/<label for="login">User name<\/label>/);
    expect(login!.html).toMatch(/<label for="password">Password<\/label>/);
    expect(consent!.html).toMatch(/<h1>Allow Gatehouse\?<\/h1>/);
    expect(consent!.html).toMatch(/<button type="submit">Allow<\/button>/);
    expect(consent!.html).toMatch(/<a href="[^"]+\/abort">Cancel<\/a>/);
    expect(consent!.html).not.toContain('previously given authorization');
  });
});
