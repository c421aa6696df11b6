/**
 * The redirect URI pre-flight, against a provider that compares redirect URIs exactly and answers
 * an unregistered one with a bare 403 and an empty body before any login page (and never
 * redirects back): the demo oidc-provider with that rule in front of its authorization endpoint.
 * Before, the browser showed a blank page and the sign-in waited out its whole timeout; now the
 * attempt ends within seconds with redirect_uri_rejected, naming the URI to register, and the
 * browser is never opened. A registered URI signs in, probed once per run.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID } from '../../../main/demo/demo-server';
import { cliSandbox, runCli } from '../../support/cli';
import { cleanupAfterEach } from '../../support/cleanup';
import { freePorts } from '../../support/free-ports';
import { countingIdp, type IdpMiddleware } from '../../support/counting-idp';
import { browserRecords, fakeBrowser } from '../../support/fake-browser';
import { HttpBrowser } from '../../support/http-browser';
import { MemorySecretStoreForTests } from '../../support/memory-store';
import { buildWorld, oidcProvider } from '../../support/world';

const track = cleanupAfterEach();

/** The exact-match rule: only these redirect URIs get past the authorization endpoint. */
function exactRedirects(registered: string[]): IdpMiddleware {
  return async (ctx, next) => {
    const asked = ctx.path === '/auth' ? ctx.query.redirect_uri : undefined;
    if (typeof asked === 'string' && !registered.includes(asked)) {
      ctx.status = 403;
      ctx.body = '';
      return;
    }
    await next();
  };
}

describe('an unregistered redirect URI, refused with a bare 403 before login', () => {
  it('the CLI stops within 5 s naming the URI to register, and opens no browser', async () => {
    const idp = track(await countingIdp({ providerId: 'corp' }, exactRedirects([])));
    const box = cliSandbox({
      prefix: 'gh-preflight-',
      providers: [oidcProvider('corp', idp.issuer, DEMO_CLIENT_ID)],
    });
    const records = path.join(box.dir, 'browser-calls.jsonl');
    const env = { ...box.env, BROWSER: fakeBrowser(box.dir, 'browser', records) };
    const began = Date.now();
    const run = await runCli(['sign-in', 'corp', '--no-remember'], { env, human: true });
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /corp refused the redirect URI http:\/\/127\.0\.0\.1:\d+\/callback\/corp \(HTTP 403 before any login page\)\. Its port \(\d+\) changes on every sign-in: choose a fixed port in the configuration \("ports": \[53682\]\) and register http:\/\/127\.0\.0\.1:53682\/callback\/corp at corp\. \[redirect_uri_rejected\]/,
    );
    expect(browserRecords(records)).toEqual([]);
    expect(idp.seen.filter((s) => s === 'GET /auth')).toHaveLength(1);
  });

  it('with a fixed port, the message names that exact URI', async () => {
    const idp = track(await countingIdp({ providerId: 'corp' }, exactRedirects([])));
    const [port] = await freePorts(1);
    const world = track(
      await buildWorld({
        prefix: 'gh-preflight-fixed-',
        store: new MemorySecretStoreForTests(),
        providers: [oidcProvider('corp', idp.issuer, DEMO_CLIENT_ID, { ports: [port] })],
      }),
    );
    await expect(world.sessions.signIn('corp', { openBrowser: false })).rejects.toMatchObject({
      code: 'redirect_uri_rejected',
      message: expect.stringContaining(
        `Register exactly http://127.0.0.1:${port}/callback/corp for this client at corp.`,
      ),
    });
    const log = world.core.log.list()[0]!;
    expect(log.events.map((e) => e.step)).toContain('redirect-probed');
    expect(log.events.find((e) => e.step === 'redirect-probed')?.detail).toBe('refused');
  });

  it('a registered URI is accepted: the sign-in goes on, and a second one is not probed again', async () => {
    const [port] = await freePorts(1);
    const uri = `http://127.0.0.1:${port}/callback/corp`;
    const idp = track(await countingIdp({ providerId: 'corp' }, exactRedirects([uri])));
    const world = track(
      await buildWorld({
        prefix: 'gh-preflight-ok-',
        store: new MemorySecretStoreForTests(),
        providers: [oidcProvider('corp', idp.issuer, DEMO_CLIENT_ID, { ports: [port] })],
      }),
    );
    for (const user of ['ada', 'alan']) {
      const started = await world.sessions.signIn('corp', { openBrowser: false });
      await new HttpBrowser().open(started.url!, { user });
      await expect(started.done).resolves.toMatchObject({ accountId: `corp:${user}` });
    }
    // Two browsers, one probe: the verdict is kept for the run.
    expect(idp.seen.filter((s) => s === 'GET /auth')).toHaveLength(3);
  });

  // RFC 8252 §7.3: a provider must accept any port on a loopback redirect URI, so once it
  // accepted one ephemeral port the next sign-in's new port is not probed again.
  it('ephemeral ports: a provider that accepted one port is not probed again for the next sign-in', async () => {
    const anyPort: IdpMiddleware = async (ctx, next) => {
      const asked = ctx.path === '/auth' ? ctx.query.redirect_uri : undefined;
      if (typeof asked === 'string' && !/^http:\/\/127\.0\.0\.1:\d+\/callback\/corp$/.test(asked)) {
        ctx.status = 403;
        ctx.body = '';
        return;
      }
      await next();
    };
    const idp = track(await countingIdp({ providerId: 'corp' }, anyPort));
    const world = track(
      await buildWorld({
        prefix: 'gh-preflight-any-',
        store: new MemorySecretStoreForTests(),
        providers: [oidcProvider('corp', idp.issuer, DEMO_CLIENT_ID)],
      }),
    );
    const ports = new Set<string>();
    for (const user of ['ada', 'alan']) {
      const started = await world.sessions.signIn('corp', { openBrowser: false });
      ports.add(new URL(started.url!).port);
      await new HttpBrowser().open(started.url!, { user });
      await expect(started.done).resolves.toMatchObject({ accountId: `corp:${user}` });
    }
    expect(ports.size).toBe(2);
    expect(idp.seen.filter((s) => s === 'GET /auth')).toHaveLength(3);
    const probed = world.core.log
      .list()
      .map((l) => l.events.some((e) => e.step === 'redirect-probed'));
    expect(probed.sort()).toEqual([false, true]);
  });
});
