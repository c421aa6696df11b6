/**
 * `gatehouse doctor` runs the pre-flights a person would otherwise meet mid-sign-in: the redirect
 * URI (the authorization request, no browser, no redirect followed) and client authentication (a
 * token request with a made-up code). Against real local servers behaving as real ones do:
 * - exact redirect-URI matching with a bare 403 before login (the demo oidc-provider behind that
 *   rule);
 * - a server that does not decode form-encoded Basic credentials (RFC 6749 §2.3.1): an id with
 *   `-` arrives as `corp%2Dapp` and is refused with a 401 and no body, while the same client
 *   sent as form fields (client_secret_post) is accepted.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID, demoNativeClient } from '../../../main/demo/demo-server';
import { cliSandbox, runCli } from '../../support/cli';
import { cleanupAfterEach } from '../../support/cleanup';
import { freePorts } from '../../support/free-ports';
import { countingIdp, type IdpMiddleware } from '../../support/counting-idp';
import { MemorySecretStoreForTests } from '../../support/memory-store';
import { buildWorld, oidcProvider } from '../../support/world';

const track = cleanupAfterEach();

const refuseUnregistered: IdpMiddleware = async (ctx, next) => {
  if (ctx.path === '/auth') {
    ctx.status = 403;
    ctx.body = '';
    return;
  }
  await next();
};

/** Looks the Basic user name up as sent, never form-decoded: `corp%2Dapp` is nobody. */
const undecodedBasic: IdpMiddleware = async (ctx, next) => {
  const basic = /^Basic (.+)$/.exec(ctx.get('authorization'))?.[1];
  const user = basic ? Buffer.from(basic, 'base64').toString().split(':')[0]! : '';
  if (ctx.path === '/token' && user.includes('%')) {
    ctx.status = 401;
    ctx.body = '';
    return;
  }
  await next();
};

const SECRET_CLIENT = {
  ...demoNativeClient('corp'),
  client_id: 'corp-app',
  client_secret: 'corp-secret-value-1',
  token_endpoint_auth_method: 'client_secret_post' as const,
};

async function doctor(providers: unknown[]) {
  const { env } = cliSandbox({ prefix: 'gh-doctor-pre-', providers });
  return runCli(['doctor', 'corp'], { env, human: true });
}

describe('doctor: the redirect URI', () => {
  it('a provider that refuses it before login: ✗ with the URI to register, exit 5', async () => {
    const idp = track(await countingIdp({ providerId: 'corp' }, refuseUnregistered));
    const run = await doctor([oidcProvider('corp', idp.issuer, DEMO_CLIENT_ID)]);
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(
      /✗ redirect URI: http:\/\/127\.0\.0\.1:\d+\/callback\/corp refused \(HTTP 403 before any login page\)\n {4}→ corp refused the redirect URI .* choose a fixed port in the configuration \("ports": \[53682\]\) and register http:\/\/127\.0\.0\.1:53682\/callback\/corp at corp\./,
    );
  });

  it('each fixed port is probed with its own URI; an accepted one is ✓', async () => {
    const idp = track(await countingIdp({ providerId: 'corp' }));
    const ports = await freePorts(2);
    const run = await doctor([oidcProvider('corp', idp.issuer, DEMO_CLIENT_ID, { ports })]);
    expect(run.code, run.stdout).toBe(0);
    for (const port of ports)
      expect(run.stdout).toContain(
        `✓ redirect URI: http://127.0.0.1:${port}/callback/corp accepted`,
      );
    expect(run.stdout).toContain('✓ client authentication: none accepted');
  });
});

describe('doctor: client authentication', () => {
  it('Basic, which this server cannot read for an id with "-": ✗, naming the method and the list', async () => {
    const idp = track(
      await countingIdp({ providerId: 'corp', clients: [SECRET_CLIENT] }, undecodedBasic),
    );
    const run = await doctor([
      oidcProvider('corp', idp.issuer, 'corp-app', {
        clientSecret: SECRET_CLIENT.client_secret,
        tokenEndpointAuthMethod: 'client_secret_basic',
      }),
    ]);
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(
      /✗ client authentication: client_secret_basic refused: the client id, the secret or the method is wrong \(the provider lists [^)]*client_secret_post[^)]*\)\n {4}→ check the client id and secret, or set "tokenEndpointAuthMethod"/,
    );
  });

  it('unconfigured, the method follows discovery: client_secret_post for an id Basic would escape', async () => {
    const idp = track(
      await countingIdp({ providerId: 'corp', clients: [SECRET_CLIENT] }, undecodedBasic),
    );
    const run = await doctor([
      oidcProvider('corp', idp.issuer, 'corp-app', { clientSecret: SECRET_CLIENT.client_secret }),
    ]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('✓ client authentication: client_secret_post accepted');
    expect(run.stdout + run.stderr).not.toContain(SECRET_CLIENT.client_secret);
  });

  it('and a sign-in with that default method succeeds where Basic would be refused', async () => {
    const idp = track(
      await countingIdp({ providerId: 'corp', clients: [SECRET_CLIENT] }, undecodedBasic),
    );
    const w = track(
      await buildWorld({
        prefix: 'gh-auth-method-',
        store: new MemorySecretStoreForTests(),
        providers: [
          oidcProvider('corp', idp.issuer, 'corp-app', {
            clientSecret: SECRET_CLIENT.client_secret,
          }),
        ],
      }),
    );
    await expect(w.signIn('ada')).resolves.toMatchObject({ accountId: 'corp:ada' });
  });
});
