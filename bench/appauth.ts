/**
 * The peer figure: a sign-in with @openid/appauth's Node support (no ID-token check, no storage),
 * its `opener` call routed to the same remote browser as Gatehouse and the bare script.
 */
import { createRequire } from 'node:module';
import net, { type AddressInfo } from 'node:net';
import type { Open } from './bare';

/** Loads AppAuth once (discovery included); the function it returns is one timed sign-in. */
export async function loadAppAuth(
  issuer: string,
  open: Open,
): Promise<(user: string) => Promise<number>> {
  const require = createRequire(import.meta.url);
  let pendingUser = 'warm';
  let page: Promise<void> = Promise.resolve();
  require.cache[require.resolve('opener')] = {
    exports: (url: string) => {
      page = open(url, pendingUser);
      page.catch(() => undefined); // awaited below
    },
  } as unknown as NodeJS.Module;
  const appauth = require('@openid/appauth') as typeof import('@openid/appauth');
  // AppAuth logs every request (with codes and tokens) unless its log flag is off.
  (
    require('@openid/appauth/built/src/flags.js') as {
      setFlag(flag: 'IS_LOG', value: boolean): void;
    }
  ).setFlag('IS_LOG', false);
  const { NodeBasedHandler } =
    require('@openid/appauth/built/src/node_support/node_request_handler.js') as typeof import('@openid/appauth/built/src/node_support/node_request_handler');
  const { NodeRequestor } =
    require('@openid/appauth/built/src/node_support/node_requestor.js') as typeof import('@openid/appauth/built/src/node_support/node_requestor');
  const { NodeCrypto } =
    require('@openid/appauth/built/src/node_support/crypto_utils.js') as typeof import('@openid/appauth/built/src/node_support/crypto_utils');
  const requestor = new NodeRequestor();
  const configuration = await appauth.AuthorizationServiceConfiguration.fetchFromIssuer(
    issuer,
    requestor,
  );
  return async (user: string) => {
    pendingUser = user;
    const port = await freePort();
    const t0 = performance.now();
    const handler = new NodeBasedHandler(port);
    const notifier = new appauth.AuthorizationNotifier();
    handler.setAuthorizationNotifier(notifier);
    const done = new Promise<{ code: string; verifier: string }>((resolve, reject) => {
      notifier.setAuthorizationListener((request, response, error) => {
        if (!response || error) return reject(new Error(error?.error ?? 'appauth failed'));
        resolve({ code: response.code, verifier: request.internal!.code_verifier! });
      });
    });
    const request = new appauth.AuthorizationRequest(
      {
        client_id: 'appauth',
        redirect_uri: `http://127.0.0.1:${port}/callback`,
        scope: 'openid email profile',
        response_type: 'code',
        state: undefined,
        extras: { nonce: 'n-' + user },
      },
      new NodeCrypto(),
      true,
    );
    handler.performAuthorizationRequest(configuration, request);
    const { code, verifier } = await done;
    const tokenHandler = new appauth.BaseTokenRequestHandler(requestor);
    const tokens = await tokenHandler.performTokenRequest(
      configuration,
      new appauth.TokenRequest({
        client_id: 'appauth',
        redirect_uri: `http://127.0.0.1:${port}/callback`,
        grant_type: 'authorization_code',
        code,
        extras: { code_verifier: verifier },
      }),
    );
    await fetch(configuration.userInfoEndpoint!, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    const elapsed = performance.now() - t0;
    await page;
    return elapsed;
  };
}

/**
 * A port nobody holds: AppAuth's handler listens on a port it is given, on every interface, and
 * throws from its server's error event if that port is taken, so the kernel picks one first.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
