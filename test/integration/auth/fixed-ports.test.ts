/**
 * The fixed-port setup, end to end: a provider that matches redirect URIs exactly (an
 * oidc-provider "web" client with two registered loopback URIs, ports included) accepts
 * Gatehouse's sign-in only if the listener really sits on one of the configured ports. With the
 * first port taken by another program, Gatehouse moves to the next one and still signs in.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { demoNativeClient, startDemoServer } from '../../../main/demo/demo-server';
import { cleanupAfterEach } from '../../support/cleanup';
import { freePorts } from '../../support/free-ports';
import { buildWorld } from '../../support/world';

const track = cleanupAfterEach();

async function setup(ports: number[], registered = ports) {
  const server = track(
    await startDemoServer({
      clients: [
        {
          ...demoNativeClient('fixed'),
          client_id: 'fixed-client',
          // A web client: oidc-provider then compares redirect URIs exactly, port included.
          application_type: 'web',
          redirect_uris: registered.map((p) => `http://127.0.0.1:${p}/callback/fixed`),
        },
      ],
    }),
  );
  const providers = [
    {
      id: 'fixed',
      kind: 'oidc',
      issuer: server.issuer,
      clientId: 'fixed-client',
      scopes: ['openid', 'email', 'profile'],
      ports,
    },
  ];
  const { core, pages } = track(
    await buildWorld({ prefix: 'gh-fixed-', providers, browser: 'http', user: 'frank' }),
  );
  return { core, pages };
}

describe('fixed loopback ports', () => {
  it('signs in on the first configured port, which the provider matches exactly', async () => {
    const ports = await freePorts(2);
    const { core, pages } = await setup(ports);
    const started = await core.sessions.signIn('fixed');
    expect(new URL(started.url!).port).toBe(String(ports[0]));
    const account = await started.done;
    expect(account.accountId).toBe('fixed:frank');
    const page = await pages[0]!;
    expect(page.body).toContain('Signed in to fixed. You can close this tab.');
    expect(page.hops.join(' ')).toContain('/callback/fixed');
  });

  it('moves to the next configured port when the first is taken by another program', async () => {
    const ports = await freePorts(2);
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((r) => squatter.listen(ports[0], '127.0.0.1', r));
    track(() => new Promise((r) => squatter.close(r)));
    const { core, pages } = await setup(ports);
    const started = await core.sessions.signIn('fixed');
    expect(new URL(started.url!).port).toBe(String(ports[1]));
    expect((await started.done).accountId).toBe('fixed:frank');
    expect((await pages[0]!).body).toContain('Signed in to fixed. You can close this tab.');
  });

  it('the provider really matches exactly: a port it does not know is refused, before any browser', async () => {
    // Without this, the two tests above could pass on a provider that accepts any port. Since
    // issue 13 item 1 the refusal is found by the pre-flight, so no browser opens at all (this
    // test used to follow the browser to the provider's error page and cancel).
    const [registered, configured] = await freePorts(2);
    const { core, pages } = await setup([configured!], [registered!]);
    await expect(core.sessions.signIn('fixed')).rejects.toMatchObject({
      code: 'redirect_uri_rejected',
      message: expect.stringContaining(
        `Register exactly http://127.0.0.1:${configured}/callback/fixed for this client at fixed.`,
      ),
    });
    expect(pages).toEqual([]);
  });
});
