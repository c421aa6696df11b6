import { readFileSync, writeFileSync } from 'node:fs';
/**
 * The command line behind a corporate network: a real forward proxy on 127.0.0.1 (the `proxy`
 * package) and an https OpenID provider whose certificate comes from a CA made by `openssl` for
 * this run. The provider is https://idp.gatehouse.test:PORT, a name only the proxy resolves (to
 * 127.0.0.1), so a request that skips the proxy cannot reach it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSandbox, runCli, startCli, waitFor } from '../../support/cli';
import { HttpBrowser } from '../../support/http-browser';
import { browserFetch, startHttpsIdp, type HttpsIdp } from '../../support/https-idp';
import { keyringReady } from '../../support/keyring/ready';
import { makeTestCa, type TestCa } from '../../support/test-ca';
import { startTunnelProxy, type TunnelProxy } from '../../support/tunnel-proxy';

const keyring = keyringReady('proxy-ca.test');
const HOST = 'idp.gatehouse.test';

let ca: TestCa;
let idp: HttpsIdp;
let proxy: TunnelProxy;

beforeAll(async () => {
  ca = makeTestCa([HOST, '127.0.0.1']);
  idp = await startHttpsIdp({
    hostname: HOST,
    cert: ca.cert,
    key: ca.key,
    clientId: 'gatehouse-corp',
    providerId: 'corp',
  });
  proxy = await startTunnelProxy({ hosts: { [HOST]: '127.0.0.1' } });
});

afterAll(async () => {
  await proxy?.close();
  await idp?.close();
  ca?.remove();
});

/** A fresh sandbox with the corp and demo providers; no proxy or CA variable leaks in from this shell. */
function corpEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { env } = cliSandbox({
    prefix: 'gh-cli-proxy-',
    providers: [
      {
        id: 'corp',
        kind: 'oidc',
        issuer: idp.issuer,
        clientId: 'gatehouse-corp',
        scopes: ['openid', 'profile'],
      },
      { id: 'demo', kind: 'demo' },
    ],
  });
  const cleared: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: undefined };
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'])
    cleared[name] = cleared[name.toLowerCase()] = undefined;
  return { ...env, ...cleared, ...extra };
}

/** What the proxy logs from now on. */
function proxyLogFrom(p: TunnelProxy) {
  const [connects, requests] = [p.connects.length, p.requests.length];
  return () => [...p.connects.slice(connects), ...p.requests.slice(requests)];
}

describe.skipIf(!keyring)('the command line behind a proxy, with a corporate CA', () => {
  it('without the CA: the tunnel is made, and the CLI names the host and the TLS cause', async () => {
    const logged = proxyLogFrom(proxy);
    const before = idp.requests();
    const run = await runCli(['sign-in', 'corp', '--no-open'], {
      env: corpEnv({ HTTPS_PROXY: proxy.url }),
    });
    expect(run.code).toBe(1);
    expect(logged()).toContain(`${HOST}:${idp.port}`);
    // Issue 13 item 6: with who issued the certificate, read by a second handshake through the
    // same proxy that verifies and sends nothing (this assertion used to end at the code).
    expect(run.stderr).toContain(
      `Could not reach ${HOST}:${idp.port}: the TLS certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE); it was issued by "Gatehouse Test Corporate CA".`,
    );
    expect(run.stderr).toContain('[network_error]');
    // The handshake failed before any request reached the provider.
    expect(idp.requests()).toBe(before);
  });

  it('with the CA in NODE_EXTRA_CA_CERTS: the sign-in succeeds, every request through the proxy', async () => {
    const logged = proxyLogFrom(proxy);
    const signIn = startCli(['sign-in', 'corp', '--no-open'], {
      env: corpEnv({ https_proxy: proxy.url, NODE_EXTRA_CA_CERTS: ca.caFile }),
    });
    const link = await waitFor(
      () => /http:\/\/127\.0\.0\.1:\d+\/\S+/.exec(signIn.stderr())?.[0] ?? null,
      'the CLI to print the sign-in link',
    );
    const browser = new HttpBrowser({ fetch: browserFetch(HOST, ca.ca), hosts: [HOST] });
    await browser.open(link, { user: 'dana' });
    const run = await signIn.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ accountId: 'corp:dana', provider: 'corp', sub: 'dana' });
    // Discovery, keys and token all went through the tunnel; the browser never used the proxy.
    expect(logged().length).toBeGreaterThan(0);
    expect(new Set(logged())).toEqual(new Set([`${HOST}:${idp.port}`]));
  });

  it('with NO_PROXY naming the host: the proxy logs nothing, and the direct connection fails', async () => {
    const logged = proxyLogFrom(proxy);
    const run = await runCli(['sign-in', 'corp', '--no-open'], {
      env: corpEnv({
        HTTPS_PROXY: proxy.url,
        NO_PROXY: `example.org,.gatehouse.test`,
        NODE_EXTRA_CA_CERTS: ca.caFile,
      }),
    });
    expect(logged()).toEqual([]);
    expect(run.code).toBe(1);
    // The network guard refuses a direct connection to a non-loopback name before DNS (where,
    // outside the tests, a .test name would not resolve), and the CLI says so for that host.
    expect(run.stderr).toContain(
      `Could not reach ${HOST}:${idp.port}: the connection was refused (ECONNREFUSED).`,
    );
  });

  it('without a proxy (a loopback issuer is never proxied): the issuer is named too, and doctor says the same', async () => {
    const direct = corpEnv({});
    const config = JSON.parse(readFileSync(direct.GATEHOUSE_CONFIG!, 'utf8')) as {
      providers: Array<Record<string, unknown>>;
    };
    config.providers[0]!.issuer = `https://127.0.0.1:${idp.port}`;
    writeFileSync(direct.GATEHOUSE_CONFIG!, JSON.stringify(config));
    const said = `Could not reach 127.0.0.1:${idp.port}: the TLS certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE); it was issued by "Gatehouse Test Corporate CA".`;
    const run = await runCli(['sign-in', 'corp', '--no-open'], { env: direct });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(said);
    const doctor = await runCli(['doctor', 'corp'], { env: direct, human: true });
    expect(doctor.code).toBe(5);
    expect(doctor.stdout).toContain(`✗ discovery: ${said}`);
  });

  it('a proxy that refuses the tunnel (407) is named, not reported as a cancelled request', async () => {
    const refusing = await startTunnelProxy({ refuse: true });
    try {
      const run = await runCli(['sign-in', 'corp', '--no-open'], {
        env: corpEnv({
          HTTPS_PROXY: refusing.url.replace('http://', 'http://user:hunter2-proxy@'),
          NODE_EXTRA_CA_CERTS: ca.caFile,
        }),
      });
      expect(refusing.connects).toEqual([`${HOST}:${idp.port}`]);
      expect(run.code).toBe(1);
      const proxyHost = new URL(refusing.url).host;
      expect(run.stderr).toContain(
        `Could not reach ${HOST}:${idp.port}: the proxy ${proxyHost} refused to connect to it.`,
      );
      expect(run.stderr).toContain('[network_error]');
      expect(run.stderr).not.toContain('hunter2');
    } finally {
      await refusing.close();
    }
  });

  it('loopback never goes through the proxy: the demo provider works with HTTPS_PROXY set', async () => {
    const logged = proxyLogFrom(proxy);
    const run = await runCli(['doctor', 'demo'], {
      env: corpEnv({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ provider: 'demo' });
    expect(logged()).toEqual([]);
  });
});
